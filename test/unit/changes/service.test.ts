/**
 * The Changes view's side of `manager.changes`: rows with line counts (since a checkpoint, a
 * child's rolled up), blobs and baselines, hunks, keeping and undoing a file, a hunk, everything.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { sha256 } from '../../../src/core/changes/blob-store';
import { sessionOf, toolChange } from './restore-harness';
import { makeWorld, type World } from './world';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const code = (c: string) => (e: unknown): boolean => e instanceof AgentError && e.code === c;

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  const w = await makeWorld(fake);
  try { await fn(w); } finally { await w.close(); }
}

const counts = (rows: Array<{ label: string; added?: number; removed?: number; kind: string }>) =>
  Object.fromEntries(rows.map((r) => [r.label, `${r.kind} +${r.added ?? '?'} -${r.removed ?? '?'}`]));

void describe('changes service', () => {
  void test('list: rows with line counts, since a checkpoint, and a child session rolled up', async () => {
    await withWorld(async (w) => {
      const all = await w.h.manager.changes.list(w.sid);
      assert.deepEqual(counts(all), {
        'a.txt': 'created +1 -0', 'b.txt': 'modified +1 -1', 'c.txt': 'deleted +0 -1', 'sub/e.txt': 'modified +1 -1', 'd.txt': 'created +1 -0',
      });
      assert.ok(all.every((r) => r.sessionId === w.sid && r.childTitle === undefined));
      assert.deepEqual(counts(await w.h.manager.changes.list(w.sid, { sinceKey: w.second })), { 'a.txt': 'modified +1 -1', 'd.txt': 'created +1 -0' });

      const child = await w.h.manager.create({ title: 'helper', parentId: w.sid });
      const childSession = await sessionOf(w.h.manager, child.id);
      await toolChange(childSession, w.ledger, w.p('f.txt'), 'from the child\n');
      const rolled = await w.h.manager.changes.list(w.sid);
      const f = rolled.find((r) => r.label === 'f.txt');
      assert.equal(f?.sessionId, child.id);
      assert.equal(f?.childTitle, 'helper');
      assert.equal((await w.h.manager.changes.list(w.sid, { includeChildren: false })).some((r) => r.label === 'f.txt'), false);
      assert.equal((await w.h.manager.changes.blob(w.sid, sha256(Buffer.from('from the child\n')))).toString(), 'from the child\n');
      await w.h.manager.changes.undoFile(w.sid, w.p('f.txt'));
      assert.equal(await w.read('f.txt'), undefined, "a child's file is undone in the child's log");
      assert.ok(childSession.data.changes.length === 0);
    });
  });

  void test('blob and baseline; an unchanged path is not_found, a bad hash a bad_request', async () => {
    await withWorld(async (w) => {
      assert.equal((await w.h.manager.changes.baseline(w.sid, w.p('b.txt'))).toString(), 'b0\n');
      assert.equal((await w.h.manager.changes.baseline(w.sid, w.p('a.txt'))).length, 0, 'a created file had nothing');
      await assert.rejects(w.h.manager.changes.baseline(w.sid, w.p('never.txt')), code('not_found'));
      assert.equal((await w.h.manager.changes.blob(w.sid, sha256(Buffer.from('e1\n')))).toString(), 'e1\n');
      await assert.rejects(w.h.manager.changes.blob(w.sid, '../../etc/passwd'), code('bad_request'));
    });
  });

  void test('hunks: undo one (written, recorded as a review), keep one (the baseline takes it), refused when the file changed since', async () => {
    await withWorld(async (w) => {
      await fs.writeFile(w.p('g.txt'), 'one\ntwo\nthree\nfour\nfive\n');
      await toolChange(w.session, w.ledger, w.p('g.txt'), 'ONE\ntwo\nthree\nfour\nFIVE\n');
      const hunks = await w.h.manager.changes.hunks(w.sid, w.p('g.txt'));
      assert.equal(hunks.length, 2);
      await w.h.manager.changes.undoHunk(w.sid, w.p('g.txt'), 0);
      assert.equal(await w.read('g.txt'), 'one\ntwo\nthree\nfour\nFIVE\n');
      const review = w.h.of(w.sid).filter((e) => e.type === 'file.changed' && e.source === 'review').at(-1);
      assert.ok(review?.type === 'file.changed' && review.path === w.p('g.txt'));
      assert.equal((await w.h.manager.changes.hunks(w.sid, w.p('g.txt'))).length, 1);
      await assert.rejects(w.h.manager.changes.undoHunk(w.sid, w.p('g.txt'), 5), code('bad_request'));

      await fs.writeFile(w.p('g.txt'), 'one\ntwo\nthree\nfour\nFIVE\nthe user\n');
      await assert.rejects(w.h.manager.changes.undoHunk(w.sid, w.p('g.txt'), 0), code('conflict'));
      assert.equal(await w.read('g.txt'), 'one\ntwo\nthree\nfour\nFIVE\nthe user\n', 'nothing written');
      await fs.writeFile(w.p('g.txt'), 'one\ntwo\nthree\nfour\nFIVE\n');

      await w.h.manager.changes.keepHunk(w.sid, w.p('g.txt'), 0);
      const kept = w.h.of(w.sid).filter((e) => e.type === 'changes.kept').at(-1);
      assert.ok(kept?.type === 'changes.kept' && kept.baseline.state === 'file');
      assert.equal(kept.baseline.hash, sha256(Buffer.from('one\ntwo\nthree\nfour\nFIVE\n')), 'the baseline took the hunk');
      assert.equal(await w.read('g.txt'), 'one\ntwo\nthree\nfour\nFIVE\n', 'the file is untouched');
      assert.equal((await w.h.manager.changes.list(w.sid)).some((r) => r.label === 'g.txt'), false, 'nothing left to review');
    });
  });

  void test('keep a file, undo a file (conflict skipped unless overwritten), undo all', async () => {
    await withWorld(async (w) => {
      await w.h.manager.changes.keepFile(w.sid, w.p('b.txt'));
      assert.equal(await w.read('b.txt'), 'b1\n', 'kept as it is');
      assert.equal((await w.h.manager.changes.list(w.sid)).some((r) => r.label === 'b.txt'), false);

      const undone = await w.h.manager.changes.undoFile(w.sid, w.p('d.txt'));
      assert.deepEqual(undone.restored, [w.p('d.txt')]);
      assert.equal(await w.read('d.txt'), undefined);

      await fs.writeFile(w.p('a.txt'), 'mine\n');
      const skipped = await w.h.manager.changes.undoFile(w.sid, w.p('a.txt'));
      assert.equal(skipped.skipped[0]?.path, w.p('a.txt'));
      assert.equal(await w.read('a.txt'), 'mine\n');
      await w.h.manager.changes.undoFile(w.sid, w.p('a.txt'), { overwrite: true });
      assert.equal(await w.read('a.txt'), undefined);

      const all = await w.h.manager.changes.undoAll(w.sid);
      assert.deepEqual(all.skipped, []);
      assert.deepEqual([await w.read('b.txt'), await w.read('c.txt'), await w.read('sub/e.txt')], ['b1\n', 'c0\n', 'e0\n']);
      assert.deepEqual(await w.h.manager.changes.list(w.sid), []);
      assert.equal(w.h.of(w.sid).filter((e) => e.type.startsWith('restore.')).length, 0, 'reviews are no restores');
    });
  });

  void test('review is refused while a turn runs', async () => {
    await withWorld(async (w) => {
      fake.enqueue(script.stall());
      await w.h.manager.send(w.sid, 'slow');
      await assert.rejects(w.h.manager.changes.keepFile(w.sid, w.p('b.txt')), code('invalid_state'));
      await assert.rejects(w.h.manager.changes.undoAll(w.sid), code('invalid_state'));
      await w.h.manager.cancel(w.sid);
    });
  });
});
