/**
 * Shared tree, many sessions (issue 14): `list()` says on both sessions' rows when two opened
 * sessions of the shared tree changed the same file (`sharedFiles`), from every path their change
 * ledgers recorded (a kept change still counts). Sessions in their own worktree never overlap, nor
 * do a session and its own child. At most 20 labels per pair.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { rootedSession } from './session-harness';
import { MAX_SHARED_LABELS, sharedFiles, type OverlapSession } from '../../../src/core/worktree/overlaps';
import { initialLedger } from '../../../src/core/changes/ledger-fold';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); });

const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const read = (p: string): PlanStep => ({ name: 'read_file', args: { path: p } });

void describe('sessions of the shared tree that changed the same file', () => {
  void test('both rows name the other session and the file; others, and the worktree session, show nothing; a kept file still counts', async () => {
    const p = place('wt-overlap-');
    writeFileSync(join(p.ws, 'same.txt'), 'v0\n');
    const { h, id: inWorktree } = await rootedSession(fake, p);
    try {
      const a = await h.manager.create({ title: 'Session A', config: { mode: 'full' } });
      const b = await h.manager.create({ title: 'Session B', config: { mode: 'full' } });
      const c = await h.manager.create({ title: 'Session C', config: { mode: 'full' } });
      const ok = (rs: Array<{ isError: boolean; content: string }>): void => assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      ok(await runPlan(h, a.id, [read('same.txt'), write('same.txt', 'by A\n'), write('only-a.txt', 'a\n')]));
      ok(await runPlan(h, b.id, [read('same.txt'), write('same.txt', 'by B\n'), write('only-b.txt', 'b\n')]));
      ok(await runPlan(h, c.id, [write('only-c.txt', 'c\n')]));
      ok(await runPlan(h, inWorktree, [write('same.txt', 'in its own tree\n')]));
      const rows = new Map(h.manager.list().map((r) => [r.id, r]));
      assert.deepEqual(rows.get(a.id)?.sharedFiles, [{ sessionId: b.id, title: 'Session B', files: ['same.txt'] }]);
      assert.deepEqual(rows.get(b.id)?.sharedFiles, [{ sessionId: a.id, title: 'Session A', files: ['same.txt'] }]);
      assert.equal(rows.get(c.id)?.sharedFiles, undefined);
      assert.equal(rows.get(inWorktree)?.sharedFiles, undefined);
      // A keeps its change (it leaves the Changes view): the overlap stays, the ledger still has the path.
      await h.manager.changes.keepFile(a.id, join(p.ws, 'same.txt'));
      assert.equal((await h.manager.changes.list(a.id)).some((r) => r.label === 'same.txt'), false);
      assert.deepEqual(h.manager.list().find((r) => r.id === a.id)?.sharedFiles?.map((o) => o.files), [['same.txt']]);
    } finally {
      await h.close();
    }
  });

  void test('a parent and its child changing the same file do not overlap', async () => {
    const p = place('wt-overlap-child-');
    const { h } = await rootedSession(fake, p);
    try {
      const parent = await h.manager.create({ title: 'Parent', config: { mode: 'full' } });
      const childGoal = `plan:${JSON.stringify([read('f.txt'), write('f.txt', 'child\n')])}`;
      const rs = await runPlan(h, parent.id, [write('f.txt', 'parent\n'), { name: 'spawn_session', args: { goal: childGoal, title: 'Child' } }]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      const rows = h.manager.list();
      const child = rows.find((r) => r.parentId === parent.id);
      assert.ok(child);
      assert.equal(rows.find((r) => r.id === parent.id)?.sharedFiles, undefined);
      assert.equal(child.sharedFiles, undefined);
    } finally {
      await h.close();
    }
  });
});

void describe('sharedFiles (the pure part)', () => {
  const session = (id: string, paths: string[], extra: Partial<OverlapSession> = {}): OverlapSession => {
    const ledger = initialLedger();
    for (const p of paths) ledger.paths.set(`/ws/${p}`, [{ seq: 1, changeId: `fc-${p}`, source: 'tool', label: p, before: { state: 'absent' }, after: { state: 'absent' } }]);
    return { id, title: `T-${id}`, ledger, ...extra };
  };

  void test(`at most ${MAX_SHARED_LABELS} labels per pair; three sessions on one file each see the two others`, () => {
    const many = Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(2, '0')}.txt`);
    const out = sharedFiles([session('a', many), session('b', many), session('c', ['f00.txt'])]);
    const a = out.get('a') ?? [];
    assert.equal(a.find((o) => o.sessionId === 'b')?.files.length, MAX_SHARED_LABELS);
    assert.deepEqual(a.find((o) => o.sessionId === 'c')?.files, ['f00.txt']);
    assert.deepEqual(out.get('c')?.map((o) => o.sessionId).sort(), ['a', 'b']);
  });

  void test('a session with a worktree, or a descendant (grandchild too), never overlaps', () => {
    const wt = { path: '/wt', branch: 'agent/x', repoRoot: '/ws', base: { ref: 'HEAD', commit: 'c' }, state: 'ok' as const, checkedAt: 0 };
    const out = sharedFiles([
      session('a', ['x.txt']), session('w', ['x.txt'], { worktree: wt }),
      session('child', ['x.txt'], { parentId: 'a' }), session('grandchild', ['x.txt'], { parentId: 'child' }),
    ]);
    assert.equal(out.size, 0);
  });
});
