import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAgentError } from '../../../src/core/base/errors';
import type { SessionEvent } from '../../../src/core/session/events';
import { EventMaker, HOSTILE_IDS, indexRow, sampleTurn } from './fixtures';
import { FaultyFs, openStore, tempDir } from './helpers';
import { encodeRecord, FRAGMENT_TERMINATOR } from '../../../src/core/store/record';
import { nodeStoreFs } from '../../../src/core/store/fs-seam';

/** A line as the store writes it (checksummed, see record.ts). */
const line = (e: SessionEvent) => `${encodeRecord(e)}\n`;

async function listRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    out.push(p);
    if (entry.isDirectory()) out.push(...(await listRecursive(p)));
  }
  return out;
}

void describe('JsonlSessionStore durability', () => {
  // How soon is the crash fuzz's to measure (jsonl-crash-fuzz.test.ts: p99 of the loss window); here: it happens by itself.
  void test('appended events reach the disk without flush()', async () => {
    const dir = await tempDir();
    const { store } = openStore(dir);
    const ev = new EventMaker('s');
    const events = [ev.created(), ev.next({ type: 'session.renamed', title: 'soon on disk' })];
    for (const e of events) store.append('s', e);
    const file = join(dir, 'sessions', 's.jsonl');
    const want = events.map(line).join('');
    for (const until = Date.now() + 10_000; Date.now() < until; await sleep(10)) {
      if ((await readFile(file, 'utf8').catch(() => '')) === want) break;
    }
    assert.equal(await readFile(file, 'utf8'), want);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('hostile ids are rejected and nothing is created outside the directory', async () => {
    const outer = await tempDir();
    const dir = join(outer, 'store');
    const { store } = openStore(dir);
    const ev = new EventMaker('ok');
    for (const id of HOSTILE_IDS) {
      assert.throws(() => store.append(id, { ...ev.created(), sessionId: id }), (e) => isAgentError(e) && e.code === 'invalid_id');
      await assert.rejects(store.load(id), (e) => isAgentError(e) && e.code === 'invalid_id');
      await assert.rejects(store.delete(id), (e) => isAgentError(e) && e.code === 'invalid_id');
    }
    store.append('ok', ev.created());
    await store.close();
    assert.deepEqual(await readdir(outer), ['store']);
    assert.deepEqual((await listRecursive(dir)).map((p) => p.slice(dir.length)).sort(), ['/sessions', '/sessions/ok.jsonl']);
    await rm(outer, { recursive: true, force: true });
  });

  void test('a log that is a symlink is never followed (no write outside the directory)', async () => {
    const outer = await tempDir();
    const dir = join(outer, 'store');
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const target = join(outer, 'victim.txt');
    await writeFile(target, 'precious\n');
    await symlink(target, join(dir, 'sessions', 'evil.jsonl'));
    const { store, warnings } = openStore(dir);
    store.append('evil', new EventMaker('evil').created());
    await store.flush('evil');
    assert.equal(await readFile(target, 'utf8'), 'precious\n');
    assert.deepEqual(warnings.map((w) => w.code), ['write_failed']);
    await store.close();
    await rm(outer, { recursive: true, force: true });
  });

  void test('one writer per log: a second store opens read-only, then takes over once the first closes', async () => {
    const dir = await tempDir();
    const file = join(dir, 'sessions', 's.jsonl');
    const first = openStore(dir).store;
    const ev = new EventMaker('s');
    for (const e of sampleTurn(ev)) first.append('s', e);
    await first.flush('s');
    const before = await readFile(file, 'utf8');

    const second = openStore(dir);
    const r = await second.store.load('s');
    assert.equal(r.readOnly, true);
    assert.deepEqual(r.warnings.map((w) => w.code), ['locked']);
    assert.deepEqual(second.warnings.map((w) => w.code), ['locked']);
    const mine = ev.next({ type: 'session.renamed', title: 'from the second window' });
    second.store.append('s', mine);
    await second.store.flush('s');
    assert.equal(await readFile(file, 'utf8'), before, 'the read-only store never writes');
    assert.deepEqual((await second.store.load('s')).events.at(-1), mine, 'its appends live in memory');
    await second.store.close();

    await first.close();
    await assert.rejects(stat(join(dir, 'sessions', 's.lock')), { code: 'ENOENT' });
    const third = openStore(dir);
    const r3 = await third.store.load('s');
    assert.equal(r3.readOnly, false);
    assert.deepEqual(r3.warnings, []);
    const next = ev.next({ type: 'session.paused' });
    third.store.append('s', next);
    await third.store.flush('s');
    assert.equal(await readFile(file, 'utf8'), before + line(next));
    await third.store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a stale lock left by a dead process is taken over cleanly', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    assert.ok(dead);
    const lockPath = join(dir, 'sessions', 's.lock');
    await writeFile(lockPath, JSON.stringify({ pid: dead, startedAt: Date.now(), token: 'dead', host: '' }));
    const { store, warnings } = openStore(dir);
    store.append('s', new EventMaker('s').created());
    await store.flush('s');
    assert.deepEqual(warnings, []);
    assert.equal((await store.load('s')).readOnly, false);
    const lock = JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number };
    assert.equal(lock.pid, process.pid);
    assert.deepEqual((await readdir(join(dir, 'sessions'))).sort(), ['s.jsonl', 's.lock'], 'no stale leftovers');
    await store.delete('s');
    assert.deepEqual(await readdir(join(dir, 'sessions')), [], 'delete removes log and lock');
    // A lock from before the last boot whose pid now belongs to a live process (pid reuse).
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, startedAt: 1, token: 'old-boot', host: '' }));
    store.append('s', new EventMaker('s').created());
    await store.flush('s');
    assert.equal((await store.load('s')).readOnly, false);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('ENOSPC: one warning, the session keeps working in memory, nothing truncated, written later', async () => {
    const dir = await tempDir();
    const file = join(dir, 'sessions', 's.jsonl');
    const faults = new FaultyFs();
    const { store, warnings } = openStore(dir, { fs: faults.fs });
    const ev = new EventMaker('s');
    const first = [ev.created(), ev.next({ type: 'session.renamed', title: 'one' })];
    for (const e of first) store.append('s', e);
    await store.flush('s');
    const before = await readFile(file, 'utf8');

    faults.failWrites = 'ENOSPC';
    const more = [ev.next({ type: 'session.paused' }), ev.next({ type: 'session.resumed' })];
    store.append('s', more[0]);
    await store.flush('s');
    store.append('s', more[1]);
    await store.flush('s');
    await sleep(250); // retries run in the background
    assert.deepEqual(warnings.map((w) => w.code), ['write_failed'], 'reported once');
    const r = await store.load('s');
    assert.deepEqual(r.events, [...first, ...more], 'in memory nothing is lost');
    assert.equal(r.readOnly, true);
    assert.equal(await readFile(file, 'utf8'), before, 'nothing truncated or half-written');

    faults.failWrites = undefined;
    await store.flush('s');
    assert.deepEqual(warnings.map((w) => w.code), ['write_failed', 'write_recovered']);
    assert.equal(await readFile(file, 'utf8'), before + more.map(line).join(''));
    await store.close();
    const again = openStore(dir).store;
    assert.deepEqual((await again.load('s')).events, [...first, ...more]);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a failing disk is retried by itself with bounded backoff; once it works the log is written without a flush()', async () => {
    const dir = await tempDir();
    const faults = new FaultyFs();
    const { store, warnings } = openStore(dir, { fs: faults.fs });
    const ev = new EventMaker('s');
    store.append('s', ev.created());
    await store.flush('s');
    faults.failWrites = 'ENOSPC';
    const later = ev.next({ type: 'session.renamed', title: 'written later' });
    store.append('s', later);
    for (let i = 0; i < 6; i++) await store.flush('s'); // each failure doubles the wait
    await sleep(1_500);
    const failedWrites = faults.writes;
    assert.ok(failedWrites >= 7, `retried in the background too (${failedWrites} writes)`);
    const failed = warnings.find((w) => w.code === 'write_failed');
    assert.match(failed?.message ?? '', /History is not being saved: the disk is full \(ENOSPC\) — retrying in [\d.]+ s/);
    faults.failWrites = undefined;
    const deadline = Date.now() + 8_000; // the longest backoff is 5 s
    while (!warnings.some((w) => w.code === 'write_recovered') && Date.now() < deadline) await sleep(50);
    assert.deepEqual(warnings.map((w) => w.code), ['write_failed', 'write_recovered'], 'recovered by itself, said once each');
    assert.deepEqual((await store.load('s')).events.at(-1), later);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a short write before ENOSPC: no line glued or written twice after recovery', async () => {
    const dir = await tempDir();
    const faults = new FaultyFs();
    const { store } = openStore(dir, { fs: faults.fs });
    const ev = new EventMaker('s');
    const head = ev.created();
    store.append('s', head);
    await store.flush('s');
    const batch = [ev.next({ type: 'session.renamed', title: 'a' }), ev.next({ type: 'session.renamed', title: 'b' })];
    for (const e of batch) store.append('s', e);
    faults.shortWriteBytes = line(batch[0]).length + 10; // first line whole, 10 bytes of the second
    await store.flush('s');
    faults.failWrites = undefined;
    await store.flush('s');
    await store.close();
    const text = await readFile(join(dir, 'sessions', 's.jsonl'), 'utf8');
    assert.equal(text, line(head) + line(batch[0]) + line(batch[1]).slice(0, 10) + FRAGMENT_TERMINATOR + line(batch[1]));
    const again = openStore(dir).store;
    const r = await again.load('s');
    assert.deepEqual(r.events, [head, ...batch]);
    assert.deepEqual(r.warnings, [], 'a fragment the writer terminated is neither damage nor news');
    assert.equal(r.damaged, undefined);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('the index is written atomically, and rebuilt from the logs when missing or corrupt', async () => {
    const dir = await tempDir();
    const index = join(dir, 'index.json');
    const { store } = openStore(dir);
    for (const id of ['a', 'b']) {
      const ev = new EventMaker(id);
      for (const e of sampleTurn(ev)) store.append(id, e);
      store.updateIndex(indexRow(id, { title: `T-${id}`, lastSeq: ev.seq }));
    }
    await store.close();
    const saved = JSON.parse(await readFile(index, 'utf8')) as { version: number; sessions: { id: string }[] };
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.sessions.map((s) => s.id).sort(), ['a', 'b']);
    assert.deepEqual((await readdir(dir)).sort(), ['index.json', 'sessions'], 'no temp files left');

    for (const damage of [() => unlink(index), () => writeFile(index, '{"version":1,"sessions":[{"id":"../x"}]}')]) {
      await damage();
      const { store: s2, warnings } = openStore(dir);
      const rows = await s2.list();
      assert.deepEqual(rows.map((r) => r.id).sort(), ['a', 'b']);
      assert.equal(rows.find((r) => r.id === 'a')?.title, 'A session', 'rebuilt from session.created');
      assert.equal(rows.find((r) => r.id === 'a')?.messageCount, 2);
      assert.deepEqual(warnings.map((w) => w.code), ['index_rebuilt']);
      await s2.close();
      const rebuilt = JSON.parse(await readFile(index, 'utf8')) as { sessions: unknown[] };
      assert.equal(rebuilt.sessions.length, 2, 'the rebuilt index was saved');
    }
    const onlyA = JSON.parse(await readFile(index, 'utf8')) as { version: number; sessions: { id: string }[] };
    onlyA.sessions = onlyA.sessions.filter((r) => r.id === 'a');
    await writeFile(index, JSON.stringify(onlyA));
    const partial = openStore(dir);
    assert.deepEqual((await partial.store.list()).map((r) => r.id).sort(), ['a', 'b'], 'a log missing from the index is added');
    assert.deepEqual(partial.warnings, []);
    await partial.store.close();

    const fresh = openStore(await tempDir());
    assert.deepEqual(await fresh.store.list(), []);
    assert.deepEqual(fresh.warnings, [], 'an empty directory is not a damaged index');
    await fresh.store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('no API key ever reaches the storage directory', async () => {
    const key = 'sk-test-NEVER-STORE-0123456789';
    process.env.STORE_TEST_API_KEY = key;
    const dir = await tempDir();
    const { store } = openStore(dir);
    const ev = new EventMaker('s');
    for (const e of sampleTurn(ev, 20)) store.append('s', e);
    store.updateIndex(indexRow('s'));
    await store.close();
    for (const p of await listRecursive(dir)) {
      if ((await stat(p)).isFile()) assert.ok(!(await readFile(p, 'utf8')).includes(key), p);
    }
    delete process.env.STORE_TEST_API_KEY;
    await rm(dir, { recursive: true, force: true });
  });

  void test('loadTail reads only the end of a large log', async () => {
    const dir = await tempDir();
    const writer = openStore(dir).store;
    const ev = new EventMaker('big');
    writer.append('big', ev.created());
    for (let i = 0; i < 20_000; i++) writer.append('big', ev.next({ type: 'prompt.queued', promptId: `p${i}`, text: 'x'.repeat(200) }));
    await writer.close();
    const size = (await stat(join(dir, 'sessions', 'big.jsonl'))).size;
    let bytesRead = 0;
    const reader = openStore(dir, { fs: { ...nodeStoreFs, read: async (...a) => { const n = await nodeStoreFs.read(...a); bytesRead += n; return n; } } }).store;
    const r = await reader.loadTail('big', 200);
    assert.equal(r.events.length, 200);
    assert.equal(r.events[199].seq, ev.seq);
    assert.ok(size > 4_000_000 && bytesRead < 200_000, `read ${bytesRead} of ${size} bytes`);
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  });
});
