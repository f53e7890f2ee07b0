import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAgentError } from '../../../src/core/base/errors';
import type { SessionEvent } from '../../../src/core/session/events';
import type { JsonlSessionStoreOptions } from '../../../src/core/store/jsonl-store';
import { nodeStoreFs } from '../../../src/core/store/fs-seam';
import { readLog } from '../../../src/core/store/log-reader';
import { EventMaker, sampleTurn } from './fixtures';
import { FaultyFs, openStore, tempDir } from './helpers';

const FAST = { pollMs: 20, heartbeatMs: 100, answerTimeoutMs: 1_000, handoverTimeoutMs: 5_000, staleHeartbeatMs: 1_500 };

/** The log's events, read line by line with their checksums checked (the file as another window would read it). */
async function logEvents(dir: string, id = 's'): Promise<SessionEvent[]> {
  return (await readLog(nodeStoreFs, join(dir, 'sessions', `${id}.jsonl`), id)).events;
}

function assertContiguous(events: readonly SessionEvent[]): void {
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'seqs 1..n, none lost, none twice');
}

async function lockOf(dir: string, id = 's'): Promise<{ pid: number; token: string; windowId?: string; label?: string }> {
  return JSON.parse(await readFile(join(dir, 'sessions', `${id}.lock`), 'utf8')) as { pid: number; token: string };
}

/** Request files left in the handover folder (there should be none once a take-over settled). */
async function leftovers(dir: string): Promise<string[]> {
  return readdir(join(dir, 'handover')).catch(() => []);
}

interface Child {
  proc: ChildProcessByStdio<Writable, Readable, null>;
  lines: string[];
  /** Resolves with the first line (from now on or already seen after `from`) matching. */
  waitLine(pred: (l: string) => boolean, from?: number): Promise<string>;
  send(line: string): void;
  kill(): Promise<void>;
}

async function startChild(dir: string, options: Partial<JsonlSessionStoreOptions>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-child.ts'), dir], {
    stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOCK_CHILD: '1', LOCK_CHILD_OPTIONS: JSON.stringify(options) },
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const child: Child = {
    proc, lines,
    waitLine: (pred, from = 0) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never printed the line; got ${JSON.stringify(lines)}`)), 20_000);
      const check = (): void => {
        const hit = lines.slice(from).find(pred);
        if (hit !== undefined) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
      };
      check();
    }),
    send: (line) => { proc.stdin.write(`${line}\n`); },
    kill: async () => { proc.kill('SIGKILL'); await exited; },
  };
  await child.waitLine((l) => l === 'ready');
  return child;
}

void describe('lock handover between two windows', () => {
  void test('take-over from a live owner in another process: it writes out what it buffered and stops; the taker writes; nothing lost', async () => {
    const dir = await tempDir();
    const owner = await startChild(dir, { handover: { ...FAST, windowId: 'win-A', label: 'window A' } });
    try {
      const { store } = openStore(dir, { handover: { ...FAST, windowId: 'win-B', label: 'window B' } });
      const changes: Array<{ sessionId: string; pid?: number }> = [];
      store.onWriterChanged((c) => changes.push({ sessionId: c.sessionId, ...(c.owner ? { pid: c.owner.pid } : {}) }));
      const r = await store.load('s');
      assert.equal(r.readOnly, true);
      assert.equal(r.lockedBy?.pid, owner.proc.pid, 'says which process writes it');
      assert.equal(r.lockedBy?.label, 'window A', 'and which window');
      assert.equal(r.lockedBy?.windowId, 'win-A');

      const mark = owner.lines.length;
      owner.send('append 3'); // only in the owner's memory: its flush interval is a minute
      await owner.waitLine((l) => l === 'appended', mark);
      const onDisk = (await logEvents(dir)).length;

      await store.takeOver('s');
      assert.deepEqual(changes, [{ sessionId: 's' }], 'this store writes it now');
      const said = JSON.parse(await owner.waitLine((l) => l.startsWith('{"writer"'), mark)) as { writer: { pid: number } };
      assert.equal(said.writer.pid, process.pid, 'the owner knows who has it');
      const lock = await lockOf(dir);
      assert.equal(lock.pid, process.pid);
      assert.equal(lock.windowId, 'win-B');

      const handed = await logEvents(dir);
      assert.equal(handed.length, onDisk + 3, 'what the owner had buffered was written before it let go');
      const loaded = await store.load('s');
      assert.equal(loaded.readOnly, false);
      assert.deepEqual(loaded.events, handed);

      // The old owner is read-only now: what it appends stays in its memory.
      const m2 = owner.lines.length;
      owner.send('append 2');
      owner.send('flush');
      await owner.waitLine((l) => l === 'flushed', m2);
      owner.send('status');
      assert.deepEqual(JSON.parse(await owner.waitLine((l) => l.startsWith('{"readOnly"'), m2)), { readOnly: true, lastSeq: handed.length + 2 });
      assert.deepEqual(await logEvents(dir), handed, 'the old owner wrote nothing after the handover');

      const ev = new EventMaker('s');
      ev.seq = handed.length;
      const mine = ev.next({ type: 'session.renamed', title: 'from window B' });
      store.append('s', mine);
      await store.flush('s');
      const after = await logEvents(dir);
      assert.deepEqual(after, [...handed, mine]);
      assertContiguous(after);
      assert.deepEqual(await leftovers(dir), [], 'no request files left');
      await store.close();
    } finally {
      await owner.kill();
    }
    await rm(dir, { recursive: true, force: true });
  });

  void test('a dead owner is taken over at once, as any stale lock', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    assert.ok(dead);
    await writeFile(join(dir, 'sessions', 's.jsonl'), sampleTurn(new EventMaker('s'), 1).map((e) => `${JSON.stringify(e)}\n`).join(''));
    await writeFile(join(dir, 'sessions', 's.lock'), JSON.stringify({ pid: dead, startedAt: Date.now(), token: 'dead', host: '', heartbeatMs: 100 }));
    const { store } = openStore(dir, { handover: { ...FAST, answerTimeoutMs: 60_000 } });
    await store.takeOver('s'); // with a live owner this would wait a minute for its answer
    assert.equal((await lockOf(dir)).pid, process.pid);
    assert.equal((await store.load('s')).readOnly, false);
    assert.deepEqual(await leftovers(dir), []);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('an owner that does not answer keeps the lock; once its heartbeat has stopped for long it is taken as stale', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const lockPath = join(dir, 'sessions', 's.lock');
    // A live process that holds the lock but never answers (a hung window, or a dead one whose pid was reused).
    const hung = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => hung.on('exit', r));
    try {
      await writeFile(join(dir, 'sessions', 's.jsonl'), sampleTurn(new EventMaker('s'), 1).map((e) => `${JSON.stringify(e)}\n`).join(''));
      const held = JSON.stringify({ pid: hung.pid, startedAt: Date.now(), token: 'hung', host: '', label: 'window H', heartbeatMs: 100 });
      await writeFile(lockPath, held);
      const { store, warnings } = openStore(dir, { handover: FAST });
      await assert.rejects(store.takeOver('s'), (e) => isAgentError(e) && e.code === 'read_only' && /window H \(pid \d+\) did not answer/.test(e.message));
      assert.equal(await readFile(lockPath, 'utf8'), held, 'the lock is untouched');
      assert.deepEqual(await leftovers(dir), [], 'the request was withdrawn');
      assert.equal((await store.load('s')).readOnly, true);

      // A lock from a store without heartbeats: an old mtime says nothing, so it is still respected.
      await writeFile(lockPath, JSON.stringify({ pid: hung.pid, startedAt: Date.now(), token: 'old-version', host: '' }));
      const old = new Date(Date.now() - 3_600_000);
      await utimes(lockPath, old, old);
      await assert.rejects(store.takeOver('s'), (e) => isAgentError(e) && e.code === 'read_only');

      await writeFile(lockPath, held);
      await utimes(lockPath, old, old); // no heartbeat for an hour
      await store.takeOver('s');
      assert.equal((await lockOf(dir)).pid, process.pid);
      assert.ok(warnings.some((w) => w.code === 'lock_taken' && /window H/.test(w.message)));
      await store.close();
    } finally {
      hung.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  void test('an owner that cannot write out its buffer refuses: it keeps the lock and nothing is lost', async () => {
    const dir = await tempDir();
    const faults = new FaultyFs();
    const a = openStore(dir, { fs: faults.fs, handover: FAST });
    const ev = new EventMaker('s');
    const head = sampleTurn(ev, 1);
    for (const e of head) a.store.append('s', e);
    await a.store.flush('s');
    faults.failWrites = 'ENOSPC';
    const pending = ev.next({ type: 'session.renamed', title: 'not on disk yet' });
    a.store.append('s', pending);
    await a.store.flush('s');

    const b = openStore(dir, { handover: FAST });
    assert.equal((await b.store.load('s')).readOnly, true);
    await assert.rejects(b.store.takeOver('s'), (e) => isAgentError(e) && e.code === 'read_only' && /could not save its history/.test(e.message));
    assert.equal((await b.store.load('s')).readOnly, true);
    assert.deepEqual(await leftovers(dir), []);

    faults.failWrites = undefined;
    await a.store.flush('s');
    assert.deepEqual(await logEvents(dir), [...head, pending], 'the owner kept writing');
    await b.store.close();
    await a.store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('an owner frozen past its heartbeat finds the lock taken when it wakes and writes nothing more', async () => {
    const dir = await tempDir();
    const owner = await startChild(dir, { flushIntervalMs: 5, handover: { ...FAST, answerTimeoutMs: 300, staleHeartbeatMs: 1_000 } });
    try {
      const before = await logEvents(dir);
      const { store } = openStore(dir, { handover: { ...FAST, answerTimeoutMs: 300, staleHeartbeatMs: 1_000 } });
      assert.equal((await store.load('s')).readOnly, true);
      const mark = owner.lines.length;
      owner.send('freeze 3000'); // appends one event, then blocks its event loop for 3 s
      await owner.waitLine((l) => l === 'frozen', mark);
      await sleep(1_200); // its heartbeat is older than 1 s now
      await store.takeOver('s');
      const ev = new EventMaker('s');
      ev.seq = before.length;
      const mine = ev.next({ type: 'session.renamed', title: 'taken while it was frozen' });
      store.append('s', mine);
      await store.flush('s');
      await owner.waitLine((l) => l === 'awake', mark);
      await owner.waitLine((l) => l === '{"warning":"lock_lost"}', mark);
      await sleep(100);
      const after = await logEvents(dir);
      assert.deepEqual(after, [...before, mine], 'the frozen owner wrote nothing after it woke');
      assertContiguous(after);
      await store.close();
    } finally {
      await owner.kill();
    }
    await rm(dir, { recursive: true, force: true });
  });

  void test('the owner touches its lock file (its heartbeat) while it holds it', async () => {
    const dir = await tempDir();
    const { store } = openStore(dir, { handover: FAST });
    for (const e of sampleTurn(new EventMaker('s'), 1)) store.append('s', e);
    await store.flush('s');
    const lockPath = join(dir, 'sessions', 's.lock');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    for (let i = 0; i < 100 && (await stat(lockPath)).mtimeMs < Date.now() - 30_000; i++) await sleep(20);
    assert.ok((await stat(lockPath)).mtimeMs > Date.now() - 30_000, 'mtime refreshed');
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
