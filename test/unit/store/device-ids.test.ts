/**
 * Windows device names as session ids (issue 11): `CON`, `NUL`, `COM1`, `CON.jsonl` … name a
 * device, not a file, on Windows (`CON.jsonl` opens the console), so the store would write a
 * session's history nowhere. Every store method refuses them, in both implementations, and an
 * index row naming one is dropped; look-alikes that are ordinary names stay valid.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAgentError } from '../../../src/core/base/errors';
import { assertSafeId, isSafeId } from '../../../src/core/base/ids';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { MemorySessionStore, MemoryStoreData } from '../../../src/core/store/memory-store';
import type { SessionStore } from '../../../src/core/store/types';
import { EventMaker, indexRow } from './fixtures';
import { tempDir } from './helpers';

/** Device names in several spellings: any case, with an extension, with trailing dots. */
const DEVICE_IDS = [
  'CON', 'con', 'Con', 'NUL', 'nul', 'AUX', 'PRN', 'COM1', 'com5', 'COM9', 'COM0', 'LPT1', 'lpt9', 'LPT0',
  'CON.jsonl', 'NUL.txt', 'aux.tar.gz', 'com1.checkpoint.json', 'CON.', 'NUL..', 'LPT3.', 'Prn.x.',
];
/** Names that only look like devices: all ordinary files on Windows. */
const LOOKALIKES = ['CONSOLE', 'COM10', 'LPT', 'COM', 'con_1', 'con-x', 'nullish', 'xCON', 'AUXILIARY', 's_CON', 'a.CON', 'LPT12'];

const isInvalidId = (e: unknown) => isAgentError(e) && e.code === 'invalid_id';

void describe('Windows device names as ids', () => {
  void test('isSafeId / assertSafeId refuse every spelling of a device name, with a message saying why', () => {
    for (const id of DEVICE_IDS) {
      assert.equal(isSafeId(id), false, id);
      assert.throws(() => assertSafeId(id), (e: unknown) => isInvalidId(e) && /device name/.test((e as Error).message), id);
    }
  });

  void test('look-alikes stay valid ids', () => {
    for (const id of LOOKALIKES) assert.equal(isSafeId(id), true, id);
  });

  const stores: Array<[string, () => Promise<{ store: SessionStore; dir?: string; cleanup(): Promise<void> }>]> = [
    ['MemorySessionStore', async () => { const store = new MemorySessionStore(new MemoryStoreData()); return { store, cleanup: () => store.close() }; }],
    ['JsonlSessionStore', async () => {
      const dir = await tempDir();
      const store = new JsonlSessionStore({ directory: dir });
      return { store, dir, cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
    }],
  ];

  for (const [name, open] of stores) {
    void test(`${name}: every method refuses a device id with invalid_id and creates nothing`, async () => {
      const { store, dir, cleanup } = await open();
      try {
        for (const id of DEVICE_IDS) {
          const ev = new EventMaker(id);
          const what = `${name} ${JSON.stringify(id)}`;
          assert.throws(() => store.append(id, ev.created()), isInvalidId, `append ${what}`);
          assert.throws(() => store.updateIndex(indexRow(id)), isInvalidId, `updateIndex ${what}`);
          await assert.rejects(store.load(id), isInvalidId, `load ${what}`);
          await assert.rejects(store.loadTail(id, 5), isInvalidId, `loadTail ${what}`);
          await assert.rejects(store.flush(id), isInvalidId, `flush ${what}`);
          await assert.rejects(store.delete(id), isInvalidId, `delete ${what}`);
          assert.throws(() => store.saveCheckpoint!(id, () => ({ version: 1, sessionId: id, lastSeq: 1, data: {} })), isInvalidId, `saveCheckpoint ${what}`);
          await assert.rejects(store.loadCheckpoint!(id), isInvalidId, `loadCheckpoint ${what}`);
        }
        await store.flush();
        assert.deepEqual(await store.list(), []);
        if (dir) {
          const files = await readdir(join(dir, 'sessions')).catch(() => [] as string[]);
          assert.deepEqual(files.filter((f) => f.endsWith('.jsonl') || f.endsWith('.checkpoint.json')), [], 'no log or checkpoint was created');
        }
      } finally {
        await cleanup();
      }
    });
  }

  void test('JsonlSessionStore: a log and an index row naming a device (written by an older version) are not listed', async () => {
    const dir = await tempDir();
    try {
      const first = new JsonlSessionStore({ directory: dir });
      first.append('ok', new EventMaker('ok').created());
      first.updateIndex(indexRow('ok'));
      await first.close();
      // What an older version could have written for a session called CON (harmless on Linux).
      await copyFile(join(dir, 'sessions', 'ok.jsonl'), join(dir, 'sessions', 'CON.jsonl'));
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { sessions: unknown[] };
      index.sessions.push(indexRow('CON'));
      await writeFile(join(dir, 'index.json'), JSON.stringify(index));
      const store = new JsonlSessionStore({ directory: dir });
      const ids = (await store.list()).map((s) => s.id);
      await store.close();
      assert.deepEqual(ids, ['ok']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
