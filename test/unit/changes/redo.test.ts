/**
 * Redo of a restore (files back to what it found; its rewind taken back while the conversation has
 * not moved on), and the state after a reload: a new manager on the same JSONL store folds the
 * same snapshot, history and ledger state as the live session had.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { makeManager } from '../session/harness';
import { attachLedger, conversationOf, makeLedger, sessionOf, testHunks } from './restore-harness';
import { makeWorld, type World } from './world';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const code = (c: string) => (e: unknown): boolean => e instanceof AgentError && e.code === c;
const lastConversation = (): string[] => conversationOf(fake.requests.at(-1)!);

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  const w = await makeWorld(fake);
  try { await fn(w); } finally { await w.close(); }
}

void describe('redo', () => {
  void test('puts the files back as the restore found them and takes its rewind back', async () => {
    await withWorld(async (w) => {
      const r = await w.h.manager.changes.restore(w.sid, w.second, 'both');
      assert.deepEqual([await w.read('a.txt'), await w.read('d.txt')], ['a1\n', undefined]);
      const redo = await w.h.manager.changes.redo(w.sid, r.restoreId);
      assert.deepEqual(redo.skipped, []);
      assert.deepEqual(redo.restored.sort(), [w.p('a.txt'), w.p('d.txt')]);
      assert.deepEqual([await w.read('a.txt'), await w.read('d.txt')], ['a2\n', 'd2\n']);
      assert.ok(w.session.data.records.every((rec) => rec.rewound === undefined), 'the rewound records are back');
      const marker = w.session.data.records.at(-1);
      assert.ok(marker?.kind === 'marker' && marker.redoOf === r.restoreId);
      assert.match(marker.text, /^Redo: undid the restore/);
      await w.say('third');
      assert.deepEqual(lastConversation(), ['user: first', 'assistant: re: first', 'user: second', 'assistant: re: second', 'user: third']);
      await assert.rejects(w.h.manager.changes.redo(w.sid, r.restoreId), code('invalid_state'), 'a restore is redone once');
    });
  });

  void test('after a new turn the conversation is not put back (said in the result); the files are', async () => {
    await withWorld(async (w) => {
      const r = await w.h.manager.changes.restore(w.sid, w.second, 'both');
      await w.say('other');
      const redo = await w.h.manager.changes.redo(w.sid, r.restoreId);
      assert.deepEqual([await w.read('a.txt'), await w.read('d.txt')], ['a2\n', 'd2\n']);
      const note = redo.skipped.find((s) => s.path === 'conversation');
      assert.match(note?.reason ?? '', /conversation was not put back/);
      assert.equal(w.h.of(w.sid).filter((e) => e.type === 'conversation.unrewound').length, 0);
      assert.ok(w.session.data.records.some((rec) => rec.rewound === r.restoreId), 'still rewound');
      await w.say('more');
      assert.deepEqual(lastConversation(), ['user: first', 'assistant: re: first', 'user: other', 'assistant: re: other', 'user: more']);

      const conversationOnly = await w.h.manager.changes.restore(w.sid, w.first, 'conversation');
      await w.say('later');
      await assert.rejects(w.h.manager.changes.redo(w.sid, conversationOnly.restoreId), (e: unknown) => code('invalid_state')(e) && /moved on/.test((e as Error).message));
      await assert.rejects(w.h.manager.changes.redo(w.sid, 'r_nope'), code('not_found'));
    });
  });

  void test('a conflict on redo is skipped unless overwritten', async () => {
    await withWorld(async (w) => {
      const r = await w.h.manager.changes.restore(w.sid, w.second, 'files');
      await fs.writeFile(w.p('a.txt'), 'mine\n');
      const redo = await w.h.manager.changes.redo(w.sid, r.restoreId);
      assert.deepEqual(redo.skipped.map((s) => s.path), [w.p('a.txt')]);
      assert.equal(await w.read('a.txt'), 'mine\n');
      assert.equal(await w.read('d.txt'), 'd2\n');
    });
  });

  void test('after a reload (a new manager on the same store) the folded state is the same as live', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'agent-sessions-redo-reload-'));
    try {
      const storeDir = join(dir, 'store');
      const w = await makeWorld(fake, { dir, store: new JsonlSessionStore({ directory: storeDir }) });
      const r1 = await w.h.manager.changes.restore(w.sid, w.second, 'both');
      await w.h.manager.changes.redo(w.sid, r1.restoreId);
      await w.h.manager.changes.restore(w.sid, w.first, 'files');
      await w.h.manager.compact(w.sid);
      const livePreview = await w.h.manager.changes.preview(w.sid, w.second, 'both');
      const live = { snapshot: w.session.snapshot(), history: structuredClone(w.session.data.history), ledger: w.session.data.ledger, records: w.session.data.records };
      await w.h.manager.dispose();

      const m2 = await makeManager(fake, new JsonlSessionStore({ directory: storeDir }), { workspaceRoots: [w.ws], hunks: testHunks });
      attachLedger(m2, makeLedger(w.changesDir, [w.ws]));
      const reopened = await sessionOf(m2, w.sid);
      assert.deepEqual(reopened.snapshot(), live.snapshot);
      assert.deepEqual(reopened.data.history, live.history);
      assert.deepEqual(reopened.data.records, live.records);
      assert.deepEqual(reopened.data.ledger, live.ledger);
      assert.deepEqual(await m2.changes.preview(w.sid, w.second, 'both'), livePreview);
      await m2.dispose();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
