/**
 * Bringing a worktree session's work back (issue 14), through `SessionManager.worktrees` over real
 * git: apply as a patch (uncommitted changes in the main tree) and as a merge of the session branch,
 * with and without conflicts (the three sides for the merge editor); each recorded as
 * `worktree.applied`. Refused while a turn runs (the session's or one in its worktree) and for a
 * session that only works in its parent's worktree, each refusal naming the way out.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { commitAll, makeFixture, type Fixture } from './git-fixture';
import { openGit, worktreeEvents } from './service-harness';

let fake: FakeLlm;
const fixtures: Fixture[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); for (const f of fixtures) f.cleanup(); });
const LINES = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const fixture = (): Fixture => { const f = makeFixture({ files: { 'lines.txt': LINES, 'b.txt': 'bravo\n' } }); fixtures.push(f); return f; };
const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const read = (p: string): PlanStep => ({ name: 'read_file', args: { path: p } });

void describe('applying a worktree session\'s work to the main tree', () => {
  void test('patch without conflicts: the changes land uncommitted in the main tree, recorded with a marker; again → nothing', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-patch-'));
    try {
      const s = await h.manager.create({ title: 'Patch me', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const rs = await runPlan(h, s.id, [read('b.txt'), write('b.txt', 'bravo by the session\n'), write('new.txt', 'new\n')]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      const r = await h.manager.worktrees.apply(s.id, 'patch');
      assert.equal(r.outcome, 'clean', r.message);
      assert.deepEqual([...r.files].sort(), ['b.txt', 'new.txt']);
      assert.equal(f.read('b.txt'), 'bravo by the session\n');
      assert.equal(f.read('new.txt'), 'new\n');
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), head, 'nothing committed in the main tree');
      const applied = worktreeEvents(h, s.id).filter((e) => e.type === 'worktree.applied');
      assert.deepEqual(applied.map((e) => e.type === 'worktree.applied' && [e.mode, e.outcome, e.files, e.conflicts]), [['patch', 'clean', 2, []]]);
      assert.deepEqual(h.manager.get(s.id)?.worktree?.lastApply?.outcome, 'clean');
      const again = await h.manager.worktrees.apply(s.id, 'patch');
      assert.equal(again.outcome, 'nothing');
    } finally {
      await h.close();
    }
  });

  void test('patch with a conflict: markers in the main tree, the conflict listed and recorded, its three sides readable', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-conflict-'));
    try {
      const s = await h.manager.create({ title: 'Conflicts', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      await runPlan(h, s.id, [read('lines.txt'), write('lines.txt', LINES.replace('line 5', 'line 5 by the session'))]);
      f.write('lines.txt', LINES.replace('line 5', 'line 5 by the user'));
      const r = await h.manager.worktrees.apply(s.id, 'patch');
      assert.equal(r.outcome, 'conflicts', r.message);
      assert.deepEqual(r.conflicts.map((c) => c.label), ['lines.txt']);
      assert.match(f.read('lines.txt'), /<<<<<<<[\s\S]*line 5 by the user[\s\S]*line 5 by the session[\s\S]*>>>>>>>|<<<<<<<[\s\S]*line 5 by the session[\s\S]*line 5 by the user[\s\S]*>>>>>>>/);
      const [ev] = worktreeEvents(h, s.id).filter((e) => e.type === 'worktree.applied');
      assert.ok(ev?.type === 'worktree.applied');
      assert.equal(ev.outcome, 'conflicts');
      assert.deepEqual(ev.conflicts, ['lines.txt']);
      const sides = await h.manager.worktrees.conflictSides(s.id, r.conflicts[0].path);
      assert.match(sides.base, /^line 5$/m);
      assert.match(sides.ours, /line 5 by the user/);
      assert.match(sides.theirs, /line 5 by the session/);
      const marker = (await h.manager.transcript(s.id)).entries.find((e) => e.kind === 'marker' && /1 with conflicts \(lines\.txt\)/.test(e.text));
      assert.ok(marker);
    } finally {
      await h.close();
    }
  });

  void test('merge: the committed branch merged into what the main tree has checked out; uncommitted work in the worktree is refused first', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-merge-'));
    try {
      const s = await h.manager.create({ title: 'Merge me', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      await runPlan(h, s.id, [read('b.txt'), write('b.txt', 'bravo merged\n')]);
      await assert.rejects(h.manager.worktrees.apply(s.id, 'merge'), /uncommitted|commit/i);
      const { commit } = await h.manager.worktrees.commit(s.id, 'Change bravo');
      f.write('other.txt', 'main moves on\n');
      commitAll(f, f.repo, 'main moves on');
      const r = await h.manager.worktrees.apply(s.id, 'merge');
      assert.equal(r.outcome, 'clean', r.message);
      assert.equal(f.read('b.txt'), 'bravo merged\n');
      assert.equal(f.git(f.repo, 'merge-base', '--is-ancestor', commit, 'HEAD').trim(), '');
      const ev = worktreeEvents(h, s.id).filter((e) => e.type === 'worktree.applied').at(-1);
      assert.ok(ev?.type === 'worktree.applied' && ev.mode === 'merge' && ev.outcome === 'clean');
    } finally {
      await h.close();
    }
  });

  void test('refused while a turn runs (its own, or another session\'s in its worktree), and for a session that only works in it', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-refuse-'));
    try {
      const s = await h.manager.create({ title: 'Owner', workspace: { kind: 'worktree' }, config: { mode: 'ask' } });
      const asks = (id: string): Promise<unknown> => h.waitFor('approval.requested', (e) => e.sessionId === id);
      const waits = `plan:${JSON.stringify([write('w.txt', 'waits for approval\n')])}`;
      let asked = asks(s.id);
      await h.manager.send(s.id, waits);
      await asked;
      await assert.rejects(h.manager.worktrees.apply(s.id, 'patch'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /A turn is running in this session: wait for it to finish, or cancel it, then apply\./.test(e.message));
      await assert.rejects(h.manager.worktrees.discard(s.id), /then discard\./);
      await assert.rejects(h.manager.worktrees.commit(s.id, 'Not now'), /then commit\./);
      await h.manager.cancel(s.id);

      // A fork works in the owner's worktree: while it runs, the owner's apply waits too.
      const key = (await h.manager.transcript(s.id)).entries.find((e) => e.kind === 'user')?.key ?? '';
      const fork = await h.manager.fork(s.id, key);
      assert.equal(fork.worktree?.inheritedFrom, s.id);
      asked = asks(fork.id);
      await h.manager.send(fork.id, waits);
      await asked;
      await assert.rejects(h.manager.worktrees.apply(s.id, 'patch'), /Session "Fork of Owner" is running in this worktree: wait for it to finish, or cancel it, then apply\./);
      await h.manager.cancel(fork.id);
      // Only the owner applies, commits or discards.
      await assert.rejects(h.manager.worktrees.apply(fork.id, 'patch'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /The worktree belongs to parent session "Owner" \(.+\): apply it from there\./.test(e.message));
      await assert.rejects(h.manager.worktrees.commit(fork.id, 'nope'), /belongs to parent session "Owner".*commit it from there/);
      await assert.rejects(h.manager.worktrees.discard(fork.id), /belongs to parent session "Owner".*discard it from there/);
      const r = await h.manager.worktrees.apply(s.id, 'patch');
      assert.notEqual(r.outcome, 'conflicts');
      // A session of the shared tree has no worktree to apply.
      const shared = await h.manager.create({ title: 'Shared' });
      await assert.rejects(h.manager.worktrees.apply(shared.id, 'patch'), /works in the shared workspace: it has no worktree/);
    } finally {
      await h.close();
    }
  });
});
