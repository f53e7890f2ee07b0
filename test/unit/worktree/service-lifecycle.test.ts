/**
 * The rest of a worktree session's life over real git (issue 14): a commit message drafted by the
 * session's model (the fake LLM; a side request that records nothing) and the commit; discarding
 * the worktree (folder and branch gone, the session keeps its history and can no longer run); and
 * what deleting the session does with its worktree and branch — keep, remove the folder, remove
 * both — where a git failure or another session working there refuses before anything is deleted.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { makeFixture, type Fixture } from './git-fixture';
import { openGit, systemOf, worktreeEvents } from './service-harness';
import { cleanCommitMessage } from '../../../src/core/worktree/commit-message';

let fake: FakeLlm;
const fixtures: Fixture[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); for (const f of fixtures) f.cleanup(); });
const fixture = (): Fixture => { const f = makeFixture(); fixtures.push(f); return f; };
const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const branchThere = (f: Fixture, branch: string): boolean => f.git(f.repo, 'branch', '--list', branch).trim() !== '';

void describe('commit with a drafted message', () => {
  void test('the model drafts it from the worktree\'s changes (fences and quotes stripped, nothing recorded); commit records it on the branch', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-commit-'), { draft: '```text\n"Add the greeting file"\n\nIt says hello to whoever opens it.\n```' });
    try {
      const s = await h.manager.create({ title: 'Greeter', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      await runPlan(h, s.id, [write('greeting.txt', 'hello\n')]);
      const seq = h.manager.get(s.id)?.lastSeq;
      const before = fake.requests.length;
      const message = await h.manager.worktrees.draftCommitMessage(s.id);
      assert.equal(message, 'Add the greeting file\n\nIt says hello to whoever opens it.');
      assert.equal(h.manager.get(s.id)?.lastSeq, seq, 'drafting records nothing');
      const req = fake.requests.slice(before).find((r) => /You write git commit messages/.test(systemOf(r)));
      assert.ok(req, 'asked the session\'s model');
      assert.match(JSON.stringify(req.body?.messages), /greeting\.txt/, 'from the worktree\'s changes');
      assert.equal(req.body?.model, 'gpt-4o-mini');

      const done = await h.manager.worktrees.commit(s.id, message);
      assert.equal(done.files, 1);
      const w = h.manager.get(s.id)?.worktree;
      assert.ok(w);
      assert.equal(f.git(w.path, 'log', '-1', '--format=%B').trim(), message);
      assert.equal(f.git(f.repo, 'rev-parse', w.branch).trim(), done.commit);
      assert.deepEqual(w.lastCommit?.commit, done.commit);
      const [ev] = worktreeEvents(h, s.id).filter((e) => e.type === 'worktree.committed');
      assert.ok(ev?.type === 'worktree.committed' && ev.message === message && ev.files === 1);
      // Nothing left: drafting says so, committing is git's invalid_state.
      await assert.rejects(h.manager.worktrees.draftCommitMessage(s.id), /no uncommitted changes|nothing/i);
      await assert.rejects(h.manager.worktrees.commit(s.id, 'Empty'), (e: Error & { code?: string }) => e.code === 'invalid_state');
      await assert.rejects(h.manager.worktrees.commit(s.id, '   '), (e: Error & { code?: string }) => e.code === 'bad_request');
    } finally {
      await h.close();
    }
  });

  void test('cleanCommitMessage: labels, quotes and fences go; a long subject is cut', () => {
    assert.equal(cleanCommitMessage('Commit message: Fix it'), 'Fix it');
    assert.equal(cleanCommitMessage('"Fix it"\n\n\n\nBecause.'), 'Fix it\n\nBecause.');
    assert.equal(cleanCommitMessage('```\nFix it\n```'), 'Fix it');
    assert.equal(cleanCommitMessage('x'.repeat(100)).length, 72);
  });
});

void describe('discarding a worktree', () => {
  void test('the folder and branch go; the history stays and the session can no longer run', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-discard-'));
    try {
      const s = await h.manager.create({ title: 'Throwaway', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const w = s.worktree;
      assert.ok(w);
      await runPlan(h, s.id, [write('scratch.txt', 'scratch\n')]);
      await h.manager.worktrees.discard(s.id);
      assert.equal(existsSync(w.path), false);
      assert.equal(branchThere(f, w.branch), false);
      assert.equal(h.manager.get(s.id)?.worktree?.state, 'discarded');
      assert.ok((await h.manager.transcript(s.id)).entries.some((e) => e.kind === 'tool'), 'the history stays');
      await assert.rejects(h.manager.send(s.id, 'more'), /was discarded, so it can no longer run/);
      await assert.rejects(h.manager.worktrees.discard(s.id), /was discarded/);
      assert.equal(existsSync(f.repo), true);
      assert.equal(f.read('a.txt'), 'alpha\n');
    } finally {
      await h.close();
    }
  });
});

void describe('deleting a session: what happens to its worktree', () => {
  void test('keep (the default) leaves folder and branch; remove-worktree the branch only; remove-all neither', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-delete-'));
    try {
      const make = async (title: string) => (await h.manager.create({ title, workspace: { kind: 'worktree' } })).worktree!;
      const kept = await make('Kept');
      const folderOnly = await make('Folder only');
      const all = await make('All of it');
      const ids = new Map(h.manager.list().map((r) => [r.title, r.id]));
      await h.manager.delete(ids.get('Kept')!);
      await h.manager.delete(ids.get('Folder only')!, { worktree: 'remove-worktree' });
      await h.manager.delete(ids.get('All of it')!, { worktree: 'remove-all' });
      assert.equal(h.manager.list().length, 0);
      assert.deepEqual([existsSync(kept.path), branchThere(f, kept.branch)], [true, true]);
      assert.deepEqual([existsSync(folderOnly.path), branchThere(f, folderOnly.branch)], [false, true]);
      assert.deepEqual([existsSync(all.path), branchThere(f, all.branch)], [false, false]);
      await assert.rejects(h.manager.delete('s_unknown', { worktree: 'bogus' as never }), (e: Error & { code?: string }) => e.code === 'not_found' || e.code === 'bad_request');
    } finally {
      await h.close();
    }
  });

  void test('a git failure (the worktree is locked) refuses before anything is deleted; keep still works', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-locked-'));
    try {
      const s = await h.manager.create({ title: 'Locked', workspace: { kind: 'worktree' } });
      const w = s.worktree!;
      f.git(f.repo, 'worktree', 'lock', '--reason', 'on a USB disk', w.path);
      await assert.rejects(h.manager.delete(s.id, { worktree: 'remove-all' }), (e: Error & { code?: string }) => e.code === 'invalid_state' && /locked.*git worktree unlock/.test(e.message));
      assert.ok(h.manager.list().some((r) => r.id === s.id), 'the session is still there');
      assert.ok(await h.manager.open(s.id));
      assert.equal(existsSync(w.path), true);
      await h.manager.delete(s.id, { worktree: 'keep' });
      assert.equal(h.manager.list().length, 0);
      assert.equal(existsSync(w.path), true);
    } finally {
      await h.close();
    }
  });

  void test('children that inherited the worktree never remove it; another session working there refuses its removal', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-inherit-'));
    try {
      const s = await h.manager.create({ title: 'Owner', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const w = s.worktree!;
      const goal = `plan:${JSON.stringify([write('c.txt', 'child\n')])}`;
      await runPlan(h, s.id, [{ name: 'spawn_session', args: { goal, title: 'Kid' } }]);
      const kid = h.manager.list().find((r) => r.title === 'Kid')!;
      assert.equal(h.manager.get(kid.id)?.worktree?.inheritedFrom, s.id);
      // The child alone, asking to remove it all: it is not the child's to remove.
      await h.manager.delete(kid.id, { worktree: 'remove-all' });
      assert.deepEqual([existsSync(w.path), branchThere(f, w.branch)], [true, true]);

      await runPlan(h, s.id, [{ name: 'spawn_session', args: { goal, title: 'Kept kid' } }]);
      const kept = h.manager.list().find((r) => r.title === 'Kept kid')!;
      // Kept (detached) children would lose their folder: refused, nothing deleted, nothing detached.
      await assert.rejects(h.manager.delete(s.id, { children: 'keep', worktree: 'remove-worktree' }), /Session "Kept kid" works in this worktree too: delete it first, or keep the worktree/);
      assert.ok(h.manager.list().some((r) => r.id === s.id));
      assert.equal(h.manager.list().find((r) => r.id === kept.id)?.parentId, s.id);
      // With its children deleted too, the worktree goes.
      await h.manager.delete(s.id, { worktree: 'remove-all' });
      assert.equal(h.manager.list().length, 0);
      assert.deepEqual([existsSync(w.path), branchThere(f, w.branch)], [false, false]);
    } finally {
      await h.close();
    }
  });
});
