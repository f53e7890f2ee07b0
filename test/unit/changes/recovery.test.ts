/**
 * A restore the process died in is finished when its session is opened again: an interrupted
 * restore laid out by hand (one file done, one written whose event was lost, one untouched, one
 * the user changed meanwhile), and a real child process killed with SIGKILL at 50 random points
 * of a 200-file restore.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import type { SessionEvent } from '../../../src/core/session/events';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { makeManager } from '../session/harness';
import { planRestore } from '../../../src/core/changes/restore-plan';
import { putBackAndRecord } from '../../../src/core/changes/restore-run';
import { attachLedger, makeLedger, sessionOf, testHunks, toolChange } from './restore-harness';
import { answerEcho, makeWorld } from './world';

let fake: FakeLlm;
let dir: string;
before(async () => {
  fake = await startFakeLlm();
  dir = await fs.mkdtemp(join(tmpdir(), 'agent-sessions-recovery-'));
});
after(async () => {
  await fake.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function reopen(storeDir: string, ws: string, changesDir: string) {
  const manager = await makeManager(fake, new JsonlSessionStore({ directory: storeDir }), { workspaceRoots: [ws], hunks: testHunks });
  attachLedger(manager, makeLedger(changesDir, [ws]));
  return manager;
}

void describe('crash recovery of a restore', () => {
  void test('an interrupted restore is finished at the next open: done files stay done, a lost event is recorded, the rest is written or left alone', async () => {
    const root = join(dir, 'by-hand');
    await fs.mkdir(root);
    const storeDir = join(root, 'store');
    const w = await makeWorld(fake, { dir: root, store: new JsonlSessionStore({ directory: storeDir }) });
    const ledger = w.ledger;
    const plan = await planRestore(w.session.data, w.first, 'both', { blobs: ledger.blobs(w.sid), roots: [w.ws] });
    const files = plan.files.map((f) => ({ path: f.path, label: f.label, expected: f.expected, target: f.target }));
    const byLabel = (l: string) => files.find((f) => f.label === l)!;
    w.session.changes.restoreStarted({ restoreId: 'r_crashed', key: w.first, checkpointSeq: plan.seq, scope: 'both', files });
    await assert.rejects(w.h.manager.send(w.sid, 'now?'), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state');
    await putBackAndRecord(w.session, ledger, byLabel('b.txt'), 'run', { source: 'restore', restoreId: 'r_crashed' });
    await fs.writeFile(w.p('c.txt'), 'c0\n'); // written, but the process died before its event
    await fs.writeFile(w.p('sub/e.txt'), 'the user, meanwhile\n');
    await w.h.manager.dispose();

    const m2 = await reopen(storeDir, w.ws, w.changesDir);
    const session = await sessionOf(m2, w.sid);
    const events = await m2.eventsSince(w.sid, 0);
    const ofRestore = events.filter((e) => 'restoreId' in e && e.restoreId === 'r_crashed');
    const completed = ofRestore.find((e) => e.type === 'restore.completed');
    assert.ok(completed?.type === 'restore.completed' && completed.recovered === true);
    assert.equal(ofRestore.filter((e) => e.type === 'file.changed' && e.path === w.p('b.txt')).length, 1, 'a done file is not redone');
    const cEvent = ofRestore.find((e) => e.type === 'file.changed' && e.path === w.p('c.txt'));
    assert.ok(cEvent?.type === 'file.changed' && cEvent.before.state === 'absent', 'the lost event is recorded, from what the session left there');
    const skipped = ofRestore.find((e) => e.type === 'restore.file_skipped');
    assert.ok(skipped?.type === 'restore.file_skipped' && skipped.path === w.p('sub/e.txt'));
    assert.match(skipped.reason, /changed during the interrupted restore/);
    assert.deepEqual(
      [await w.read('a.txt'), await w.read('b.txt'), await w.read('c.txt'), await w.read('d.txt'), await w.read('sub/e.txt')],
      [undefined, 'b0\n', 'c0\n', undefined, 'the user, meanwhile\n'],
    );
    assert.equal(ofRestore.filter((e) => e.type === 'conversation.rewound').length, 1);
    assert.equal(session.data.restoring, undefined);
    const marker = session.data.records.at(-1);
    assert.ok(marker?.kind === 'marker' && marker.variant === 'restore' && / — finished after a restart$/.test(marker.text));
    answerEcho(fake);
    await m2.send(w.sid, 'again');
    await m2.whenIdle(w.sid);
    const req = fake.requests.at(-1)!;
    assert.deepEqual((req.body?.messages as Array<{ role: string }>).filter((m) => m.role !== 'system').length, 1, 'the conversation went back to before the first message');
    await m2.dispose();
  });

  void test('killed with SIGKILL at 50 random points of a 200-file restore, the next open finishes it: every file whole, at its target', { timeout: 120_000 }, async () => {
    // On a RAM disk where there is one: the test is about where the kill lands, not about the disk
    // (a SIGKILL loses nothing the kernel has; here atomic writes cost ~4 ms each on disk).
    const ram = await fs.mkdtemp(join(await fs.access('/dev/shm').then(() => '/dev/shm', () => dir), 'agent-sessions-kill-'));
    after(() => fs.rm(ram, { recursive: true, force: true }));
    const work = join(ram, 'kill');
    const template = join(ram, 'kill-template');
    const [ws, storeDir, changesDir] = [join(work, 'ws'), join(work, 'store'), join(work, 'changes')];
    await fs.mkdir(ws, { recursive: true });
    const names = Array.from({ length: 200 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`);
    const body = (i: number, v: string): string => `line of ${names[i]} ${v}\n`.repeat(5 + ((i * 37) % 300));
    // Before the session: 1 in 8 files missing (the session creates it), the rest there.
    for (let i = 0; i < names.length; i++) if (i % 8 !== 0) await fs.writeFile(join(ws, names[i]), body(i, 'v1'));
    const m = await makeManager(fake, new JsonlSessionStore({ directory: storeDir }), { workspaceRoots: [ws] });
    const ledger = makeLedger(changesDir, [ws]);
    attachLedger(m, ledger);
    answerEcho(fake);
    const { id: sid } = await m.create({ title: 'two hundred files' });
    await m.send(sid, 'first');
    await m.whenIdle(sid);
    const session = await sessionOf(m, sid);
    const key = session.data.records.find((r) => r.kind === 'user')!.key;
    const target = new Map<string, string | undefined>();
    const pre = new Map<string, string | undefined>();
    for (let i = 0; i < names.length; i++) {
      const p = join(ws, names[i]);
      target.set(p, i % 8 === 0 ? undefined : body(i, 'v1'));
      pre.set(p, i % 8 === 1 ? undefined : body(i, 'v2')); // 1 in 8 deleted by the session, the rest rewritten
      await toolChange(session, ledger, p, pre.get(p));
    }
    await m.dispose();
    await fs.cp(storeDir, join(template, 'store'), { recursive: true });

    const bundle = join(dir, 'restore-child.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'restore-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });

    /**
     * Boots a child (it loads, says `ready` and waits); `run` starts its restore and kills it with
     * SIGKILL after its `nth` file.changed or `delay` ms after its restore started (neither: it runs to the end).
     */
    const boot = () => {
      const child = spawn(process.execPath, [bundle, storeDir, ws, changesDir, sid, key], { env: { ...process.env, RESTORE_CHILD: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      const lines = createInterface({ input: child.stdout });
      const ready = new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => { if (line === 'ready') resolve(); });
        child.on('exit', (code) => reject(new Error(`the child ended before it was ready (${code}): ${stderr}`)));
      });
      ready.catch(() => undefined);
      const run = async (when: { nth?: number; delay?: number }): Promise<{ killed: boolean; ms: number }> => {
        await ready;
        return new Promise((resolve, reject) => {
          let changed = 0;
          let startedAt = 0;
          let killed = false;
          let timer: NodeJS.Timeout | undefined;
          const kill = (): void => { if (!killed) { killed = true; child.kill('SIGKILL'); } };
          lines.on('line', (line) => {
            if (line === 'started') {
              startedAt = performance.now();
              if (when.delay !== undefined) timer = setTimeout(kill, when.delay);
            }
            if (line === 'changed' && ++changed >= (when.nth ?? Infinity)) kill();
          });
          child.on('error', reject);
          child.on('exit', (code, signal) => {
            clearTimeout(timer);
            if (!killed && code !== 0) reject(new Error(`the child failed (${code ?? signal}): ${stderr}`));
            else resolve({ killed, ms: startedAt ? performance.now() - startedAt : 0 });
          });
          child.stdin.end('go\n');
        });
      };
      return { run };
    };

    const check = async (label: string): Promise<'recovered' | 'completed' | 'not started'> => {
      const m2 = await reopen(storeDir, ws, changesDir);
      try {
        const reopened = await sessionOf(m2, sid);
        const events: SessionEvent[] = await m2.eventsSince(sid, 0);
        const started = events.find((e) => e.type === 'restore.started');
        const outcome: Map<string, 'done' | 'skipped'> = new Map();
        for (const e of events) {
          if (e.type === 'file.changed' && e.source === 'restore') outcome.set(e.path, 'done');
          if (e.type === 'restore.file_skipped') outcome.set(e.path, 'skipped');
        }
        for (const [p, want] of target) {
          const now = await fs.readFile(p, 'utf8').catch(() => undefined);
          const expect = started === undefined || outcome.get(p) === 'skipped' ? pre.get(p) : want;
          assert.equal(now, expect, `${label}: ${p} is ${outcome.get(p) ?? 'untouched'}`);
        }
        assert.deepEqual((await fs.readdir(ws)).filter((n) => n.endsWith('.tmp')), [], `${label}: no temp file left`);
        if (started === undefined) return 'not started'; // killed before the intent reached the disk: nothing was touched
        assert.equal(outcome.size, names.length, `${label}: every file has an outcome`);
        const completed = events.filter((e) => e.type === 'restore.completed');
        assert.equal(completed.length, 1, `${label}: one completed restore`);
        assert.equal(reopened.data.restoring, undefined);
        assert.ok(reopened.data.records.some((r) => r.kind === 'user' && r.rewound !== undefined), `${label}: the conversation was rewound`);
        assert.deepEqual(reopened.data.history, [], `${label}: the history is as before the first message`);
        const marker = reopened.data.records.find((r) => r.kind === 'marker' && r.variant === 'restore');
        const recovered = completed[0].type === 'restore.completed' && completed[0].recovered === true;
        assert.equal(marker?.kind === 'marker' && / — finished after a restart$/.test(marker.text), recovered, `${label}: the marker says how it ended`);
        return recovered ? 'recovered' : 'completed';
      } finally {
        await m2.dispose();
      }
    };

    // Back to before the restore: the workspace as the session left it, the store as it was. The
    // blobs stay: a restore only adds blobs of content the session's own changes already stored.
    const reset = async (): Promise<void> => {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.mkdir(ws);
      for (const [p, content] of pre) if (content !== undefined) await fs.writeFile(p, content);
      await fs.rm(storeDir, { recursive: true, force: true });
      await fs.cp(join(template, 'store'), storeDir, { recursive: true });
    };

    const full = await boot().run({});
    assert.equal(await check('uninterrupted'), 'completed');
    const tally = { recovered: 0, completed: 0, 'not started': 0 };
    let seed = 0x13;
    const random = (): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed / 2 ** 31; };
    const kills = Number(process.env.RESTORE_KILLS ?? 50);
    let next = boot();
    for (let i = 0; i < kills; i++) {
      await reset();
      const when = i % 2 === 0 ? { nth: Math.floor(random() * names.length) } : { delay: random() * full.ms };
      const { killed } = await next.run(when);
      if (i + 1 < kills) next = boot(); // loads while this kill is checked
      const label = `kill ${i} (${when.nth !== undefined ? `after file.changed #${when.nth}` : `${when.delay?.toFixed(0)} ms in`}${killed ? '' : ', ran to the end'})`;
      tally[await check(label)]++;
    }
    assert.ok(tally.recovered >= kills / 2, `most kills landed inside the restore: ${JSON.stringify(tally)}`);
  });
});
