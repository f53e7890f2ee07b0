/**
 * Crash fuzz: a child process runs a session-like append load on the real JsonlSessionStore
 * (fuzz-child.ts) and is SIGKILLed at a random moment, 200+ times, on two lanes at once. After
 * every kill the parent reopens the store and checks: every record intact and in order (nothing
 * duplicated, no gap), everything the child saw flushed is there, no temp files remain, and the
 * loss window — the time between the last event the child reported appended and the last event
 * on disk (or the moment this life began appending, when none of its events is on disk) — is recorded. Its p99 must be within the store's promise (flush at least every 100 ms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { SessionEvent } from '../../../src/core/session/events';
import { deltaText, fuzzBody } from './fuzz-child';
import { openStore, seededRandom, tempDir } from './helpers';

const LANES = 2;
/** Kills per lane whose child had appended (measured); kills during start-up come on top. */
const MEASURED_PER_LANE = 100;
/** Lives written into one session log before the lane moves to a fresh one (keeps logs small). */
const LIVES_PER_SESSION = 15;
const PROMISED_FLUSH_MS = 100;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? 0;
};

/** The child bundled once: plain `node child.cjs` starts in tens of ms (tsx would take most of the budget). */
async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'fuzz-child.cjs');
  await build({ entryPoints: [join(import.meta.dirname, 'fuzz-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}

interface Life {
  ready?: number;
  /** When the child began appending (Date.now()). */
  startedAt?: number;
  appended: Array<{ seq: number; ts: number }>;
  durable: number;
  killedAt: number;
  /** The store told the child it may not write (see fuzz-child.ts). */
  blocked?: string;
}

function runLife(bundle: string, dir: string, sessionId: string, rnd: () => number): Promise<Life> {
  const child = spawn(process.execPath, [bundle, dir, sessionId], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STORE_FUZZ_CHILD: '1' } });
  const life: Life = { appended: [], durable: 0, killedAt: 0 };
  const kill = () => { if (life.killedAt === 0) { life.killedAt = Date.now(); child.kill('SIGKILL'); } };
  // Most kills land in the append load, some during start-up (lock takeover, the first load).
  const early = rnd() < 0.15;
  const delay = early ? rnd() * 120 : rnd() * 300;
  let timer: NodeJS.Timeout | undefined = early ? setTimeout(kill, delay) : undefined;
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    text += chunk;
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    for (const l of lines) {
      const [kind, a, b] = l.split(' ');
      if (kind === 'r') {
        life.ready = Number(a);
        timer ??= setTimeout(kill, delay);
      } else if (kind === 's') life.startedAt = Number(a);
      else if (kind === 'a') life.appended.push({ seq: Number(a), ts: Number(b) });
      else if (kind === 'd') life.durable = Math.max(life.durable, Number(a));
      else if (kind === 'x') life.blocked = a;
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`fuzz child ended by itself (code ${code}, signal ${signal})`));
      else resolve(life);
    });
  });
}

/** Checks the records are exactly events 1..n of the child's deterministic stream (deltas may be merged); returns n. */
function checkRecords(events: readonly SessionEvent[], sessionId: string): number {
  let covered = 0;
  for (const e of events) {
    const { seq, ts, sessionId: sid, ...body } = e;
    assert.equal(sid, sessionId);
    assert.ok(typeof ts === 'number' && seq > covered, `seq ${seq} after ${covered}`);
    if (e.type === 'message.delta' || e.type === 'tool.output') {
      let want = '';
      for (let s = covered + 1; s <= seq; s++) {
        const b = fuzzBody(s);
        assert.equal(b.type, e.type, `seq ${s} is part of the merged ${e.type} ending at ${seq}`);
        want += deltaText(s);
      }
      assert.equal(e.type === 'message.delta' ? e.text : e.chunk, want, `text of the ${e.type} ending at ${seq}`);
      assert.deepEqual({ ...body, text: undefined, chunk: undefined }, { ...fuzzBody(seq), text: undefined, chunk: undefined });
    } else {
      assert.equal(seq, covered + 1, `no gap before ${seq}`);
      assert.deepEqual(body, fuzzBody(seq), `record ${seq} intact`);
    }
    covered = seq;
  }
  return covered;
}

async function tempFilesIn(dir: string): Promise<string[]> {
  const list = (d: string) => readdir(d).catch(() => [] as string[]); // killed before it made the folder
  const names = [...await list(dir), ...(await list(join(dir, 'sessions'))).map((n) => `sessions/${n}`)];
  return names.filter((n) => n.endsWith('.tmp'));
}

void test(`crash fuzz: ${LANES * MEASURED_PER_LANE}+ SIGKILLs of a session append load lose at most the last flush interval, leave no temp files`, { timeout: 115_000 }, async (t) => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const root = await tempDir();
  const started = Date.now();
  const windows: number[] = [];
  const ages: number[] = [];
  let kills = 0;
  let lockedOut = 0;
  try {
    const bundle = await bundleChild(root);
    await Promise.all(Array.from({ length: LANES }, async (_, lane) => {
      const rnd = seededRandom(seed + lane);
      const dir = join(root, `lane-${lane}`);
      let measured = 0;
      let before = 0; // last seq on disk before this life
      for (let life = 0; measured < MEASURED_PER_LANE; life++) {
        kills++;
        const sessionId = `fuzz-${Math.floor(life / LIVES_PER_SESSION)}`;
        const where = `seed ${seed}, lane ${lane}, life ${life}`;
        if (life % LIVES_PER_SESSION === 0) before = 0;
        const l = await runLife(bundle, dir, sessionId, rnd);
        const { store, warnings } = openStore(dir);
        await store.list(); // the store opens: leftovers of the dead writer are cleaned
        assert.deepEqual(await tempFilesIn(dir), [], `${where}: temp files left after reopen`);
        const r = await store.load(sessionId);
        assert.deepEqual(r.warnings.filter((w) => w.code !== 'torn_tail'), [], `${where}: only a torn tail may be reported`);
        assert.equal(r.damaged, undefined, `${where}: a crash is not damage`);
        assert.equal(r.readOnly, false, `${where}: the dead writer's lock is taken over`);
        assert.deepEqual(warnings.filter((w) => w.code !== 'index_rebuilt'), [], where);
        const onDisk = checkRecords(r.events, sessionId);
        assert.ok(l.blocked === undefined || l.blocked === 'locked', `${where}: the child could not write: ${l.blocked}`);
        const lastReported = l.appended.at(-1);
        assert.ok(onDisk >= before && onDisk >= l.durable, `${where}: lost flushed events (disk ${onDisk}, before ${before}, flushed ${l.durable})`);
        assert.ok(onDisk <= Math.max(before, lastReported?.seq ?? 0), `${where}: records nobody appended`);
        before = onDisk;
        if (l.blocked) lockedOut++; // wrote nothing by design: not a loss window
        else if (lastReported) {
          measured++;
          // Measured from the last event on disk, or from when this life began appending if none of
          // its events reached the disk (the gap between lives is not appending time).
          const from = Math.max(r.events.at(-1)?.ts ?? 0, l.startedAt ?? 0);
          windows.push(onDisk >= lastReported.seq ? 0 : lastReported.ts - from);
          const firstLost = l.appended.find((a) => a.seq > onDisk);
          ages.push(firstLost ? l.killedAt - firstLost.ts : 0);
        }
        await store.close();
      }
    }));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const secs = (Date.now() - started) / 1000;
  const summary = `${kills} kills (${lockedOut} lives locked out by a half-written lock); loss window over the ${windows.length} that had appended: p50 ${percentile(windows, 0.5)} ms, p99 ${percentile(windows, 0.99)} ms, max ${Math.max(...windows)} ms; age of the oldest lost event at the kill: p99 ${percentile(ages, 0.99)} ms; ${secs.toFixed(1)} s, seed ${seed}`;
  t.diagnostic(summary);
  assert.ok(windows.length >= 200);
  assert.ok(percentile(windows, 0.99) <= PROMISED_FLUSH_MS, summary);
});
