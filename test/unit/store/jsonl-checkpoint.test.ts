import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionCheckpoint } from '../../../src/core/store/types';
import { EventMaker, sampleTurn } from './fixtures';
import { FaultyFs, openStore, tempDir } from './helpers';

const cp = (sessionId: string, lastSeq: number, title = 'x'): SessionCheckpoint => ({ version: 1, sessionId, lastSeq, data: { title } });

void describe('JsonlSessionStore checkpoints', () => {
  void test('written beside the log by the debounce timer, replaced atomically, no temp files left', async () => {
    const dir = await tempDir();
    const { store } = openStore(dir, { checkpointDebounceMs: 5 });
    const ev = new EventMaker('s');
    for (const e of sampleTurn(ev)) store.append('s', e);
    await store.flush('s');
    let written: () => void = () => undefined;
    const made = new Promise<void>((resolve) => { written = resolve; });
    store.saveCheckpoint('s', () => { written(); return cp('s', ev.seq, 'first'); });
    await made;
    await store.flush('s'); // the timer's write runs on the log's chain: this waits for it
    const file = join(dir, 'sessions', 's.checkpoint.json');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), cp('s', ev.seq, 'first'));
    store.saveCheckpoint('s', () => cp('s', ev.seq, 'second'));
    await store.flush('s');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), cp('s', ev.seq, 'second'));
    assert.deepEqual((await readdir(join(dir, 'sessions'))).filter((n) => n.endsWith('.tmp')), []);
    assert.deepEqual((await store.list()).map((r) => r.id), ['s'], 'a checkpoint is not a session');
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a store that does not own the log never writes its checkpoint', async () => {
    const dir = await tempDir();
    const first = openStore(dir).store;
    const ev = new EventMaker('s');
    for (const e of sampleTurn(ev)) first.append('s', e);
    first.saveCheckpoint('s', () => cp('s', ev.seq, 'owner'));
    await first.flush('s');
    const second = openStore(dir).store;
    assert.equal((await second.load('s')).readOnly, true);
    second.saveCheckpoint('s', () => cp('s', ev.seq + 1, 'intruder'));
    await second.flush('s');
    await second.close();
    assert.deepEqual(await first.loadCheckpoint('s'), cp('s', ev.seq, 'owner'));
    await first.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a failed checkpoint write keeps the old checkpoint and the log, and warns only in the log', async () => {
    const dir = await tempDir();
    const faulty = new FaultyFs();
    const { store, warnings } = openStore(dir, { fs: faulty.fs });
    const ev = new EventMaker('s');
    for (const e of sampleTurn(ev)) store.append('s', e);
    const goodSeq = ev.seq;
    store.saveCheckpoint('s', () => cp('s', goodSeq, 'good'));
    await store.flush('s');
    const failing = { ...faulty.fs, open: async (p: string, flags: number | string, mode?: number) => {
      if (p.endsWith('.tmp')) throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
      return faulty.fs.open(p, flags, mode);
    } };
    const { store: store2 } = openStore(dir, { fs: failing });
    await store.close();
    const more = ev.next({ type: 'session.renamed', title: 'later' });
    store2.append('s', more);
    store2.saveCheckpoint('s', () => cp('s', more.seq, 'lost'));
    await store2.flush('s');
    assert.deepEqual(await store2.loadCheckpoint('s'), cp('s', goodSeq, 'good'), 'the old one stays (and no longer matches the log)');
    assert.equal((await store2.load('s')).events.at(-1)?.seq, more.seq);
    assert.deepEqual(warnings, []);
    assert.deepEqual((await readdir(join(dir, 'sessions'))).filter((n) => n.endsWith('.tmp')), []);
    await store2.close();
    await rm(dir, { recursive: true, force: true });
  });
});
