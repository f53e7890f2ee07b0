/** The host's Bring-back flows: which dialogs ask what, what goes to core, which editors open for a result. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentError } from '../../../src/core/base/errors';
import type { WorktreeApplyResult } from '../../../src/shared/worktree';
import { WorktreeFlows } from '../../../src/vscode/worktree/flows';
import { parseMergeSide } from '../../../src/vscode/worktree/merge-plan';
import { FakeManager } from './fakes';
import { type DialogScript, FakeWorktrees, ScriptedDialogs, worktreeOf } from './worktree-fakes';

function setup(script: DialogScript = {}, worktree: ReturnType<typeof worktreeOf> | null = worktreeOf()) {
  const manager = new FakeManager();
  manager.add('s1', 'Fix login');
  if (worktree) manager.sessions.get('s1')!.snapshot.worktree = worktree;
  const worktrees = new FakeWorktrees();
  const dialogs = new ScriptedDialogs(script);
  const flows = new WorktreeFlows({ worktrees, dialogs, snapshot: (id) => manager.open(id) });
  return { manager, worktrees, dialogs, flows };
}

const conflicts = (n: number): WorktreeApplyResult => ({
  mode: 'patch', outcome: 'conflicts', files: Array.from({ length: n }, (_, i) => `f${i}.ts`),
  conflicts: Array.from({ length: n }, (_, i) => ({ path: `/repo/f${i}.ts`, label: `f${i}.ts` })),
  message: `Applied agent/fix-1a2b3c to the main tree: ${n} files`,
});

void describe('worktree flows: apply', () => {
  void test('the pick names both branches and preselects the mode; a clean merge tells the files and opens nothing', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'merge' });
    const out = await flows.run('s1', 'apply', 'merge');
    assert.deepEqual(dialogs.shown('pickApplyMode'), { sessionBranch: 'agent/fix-1a2b3c', mainBranch: 'main', preselect: 'merge' });
    assert.deepEqual(worktrees.calls.filter((c) => c.method === 'apply').map((c) => c.args), [['s1', 'merge']]);
    assert.equal(out.done, true);
    assert.equal(out.apply?.outcome, 'clean');
    assert.deepEqual(dialogs.mergeEditors, []);
    assert.match(dialogs.infos[0]!, /Merged agent\/fix-1a2b3c into main: 1 file \(src\/a\.ts\)\./);
  });

  void test('dismissing the pick changes nothing', async () => {
    const { flows, worktrees } = setup({});
    assert.deepEqual(await flows.run('s1', 'apply'), { done: false });
    assert.ok(!worktrees.methods.includes('apply'));
  });

  void test('merge with uncommitted changes offers Commit first: the commit flow runs, then the merge', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'merge', commitFirst: 'commit' });
    worktrees.statusResult = { ahead: 0, uncommitted: ['src/a.ts', 'new.txt'], headCommit: 'h' };
    const out = await flows.run('s1', 'apply');
    assert.deepEqual(dialogs.dialogs, ['pickApplyMode', 'askCommitFirst', 'progress', 'editCommitMessage']);
    assert.deepEqual(dialogs.shown('askCommitFirst'), { sessionBranch: 'agent/fix-1a2b3c', uncommitted: ['src/a.ts', 'new.txt'] });
    assert.deepEqual(worktrees.methods.filter((m) => m === 'commit' || m === 'apply'), ['commit', 'apply']);
    assert.deepEqual(worktrees.calls.find((c) => c.method === 'apply')?.args, ['s1', 'merge']);
    assert.equal(out.commit, 'f00dfeed12345678');
    assert.equal(out.apply?.mode, 'merge');
  });

  void test('merge with uncommitted changes: "Apply as uncommitted changes" switches to patch without committing', async () => {
    const { flows, worktrees } = setup({ applyMode: 'merge', commitFirst: 'patch' });
    worktrees.statusResult = { ahead: 0, uncommitted: ['src/a.ts'], headCommit: 'h' };
    const out = await flows.run('s1', 'apply');
    assert.ok(!worktrees.methods.includes('commit'));
    assert.deepEqual(worktrees.calls.find((c) => c.method === 'apply')?.args, ['s1', 'patch']);
    assert.equal(out.apply?.mode, 'patch');
  });

  void test('cancelling the commit of "Commit first" applies nothing', async () => {
    const { flows, worktrees } = setup({ applyMode: 'merge', commitFirst: 'commit', message: () => '' });
    worktrees.statusResult = { ahead: 0, uncommitted: ['src/a.ts'], headCommit: 'h' };
    assert.deepEqual(await flows.run('s1', 'apply'), { done: false });
    assert.ok(!worktrees.methods.includes('apply') && !worktrees.methods.includes('commit'));
  });

  void test('patch never asks about uncommitted changes', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'patch' });
    worktrees.statusResult = { ahead: 0, uncommitted: ['src/a.ts'], headCommit: 'h' };
    await flows.run('s1', 'apply');
    assert.deepEqual(dialogs.dialogs, ['pickApplyMode']);
  });

  void test('conflicts open a merge editor per file, the first five, and the message names the rest', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'patch' });
    worktrees.applyResult = conflicts(7);
    await flows.run('s1', 'apply');
    assert.deepEqual(dialogs.mergeEditors.map((p) => p.output), ['/repo/f0.ts', '/repo/f1.ts', '/repo/f2.ts', '/repo/f3.ts', '/repo/f4.ts']);
    const first = dialogs.mergeEditors[0]!;
    assert.deepEqual([first.input1.title, first.input1.description, first.input2.title, first.input2.description], ['Current', 'main', 'Incoming', 'agent/fix-1a2b3c']);
    assert.deepEqual(parseMergeSide(first.input2.address.query), { sessionId: 's1', path: '/repo/f0.ts', side: 'theirs', generation: 1 });
    assert.equal(parseMergeSide(first.base.query)?.side, 'base');
    assert.equal(first.base.path, '/f0.ts');
    assert.equal(dialogs.warnings.length, 1);
    assert.match(dialogs.warnings[0]!, /7 file\(s\) have conflicts/);
    assert.match(dialogs.warnings[0]!, /f5\.ts, f6\.ts/);
    assert.doesNotMatch(dialogs.warnings[0]!, /f4\.ts/);
  });

  void test('a second apply addresses fresh sides (no stale cached document); a merge editor that fails is named', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'patch', mergeEditorFails: ['f1.ts'] });
    worktrees.applyResult = conflicts(2);
    await flows.run('s1', 'apply');
    await flows.run('s1', 'apply');
    const gens = dialogs.mergeEditors.map((p) => parseMergeSide(p.input1.address.query)?.generation);
    assert.deepEqual(gens, [1, 2]);
    assert.match(dialogs.warnings[0]!, /did not open for f1\.ts/);
  });

  void test('a detached main tree is named by its commit', async () => {
    const { flows, worktrees, dialogs } = setup({ applyMode: 'patch' });
    worktrees.supportResult = { ...worktrees.supportResult, head: { commit: 'deadbeef00000000', detached: true } } as typeof worktrees.supportResult;
    await flows.run('s1', 'apply');
    assert.match(String(dialogs.shown('pickApplyMode')?.mainBranch), /detached at deadbeef/);
  });
});

void describe('worktree flows: commit, open, discard, delete', () => {
  void test('commit: drafting under progress, the draft prefilled, the edited message goes to core', async () => {
    const { flows, worktrees, dialogs } = setup({ message: (d) => `${d}\n\nTested by hand.` });
    worktrees.statusResult = { ahead: 0, uncommitted: ['a.ts'], headCommit: 'h' };
    const out = await flows.run('s1', 'commit');
    assert.deepEqual(dialogs.shown('progress'), { title: 'Drafting a commit message…' });
    assert.deepEqual(dialogs.shown('editCommitMessage'), { sessionBranch: 'agent/fix-1a2b3c', draft: 'Fix the login check' });
    assert.deepEqual(worktrees.calls.find((c) => c.method === 'commit')?.args, ['s1', 'Fix the login check\n\nTested by hand.']);
    assert.deepEqual(out, { done: true, commit: 'f00dfeed12345678' });
    assert.match(dialogs.infos[0]!, /Committed 1 file\(s\) on agent\/fix-1a2b3c: f00dfeed/);
  });

  void test('commit: a failed draft leaves an empty box with the reason; cancelling the draft likewise', async () => {
    const failed = setup();
    failed.worktrees.statusResult = { ahead: 0, uncommitted: ['a.ts'], headCommit: 'h' };
    failed.worktrees.draft = new AgentError('network', 'The model did not answer.');
    await failed.flows.run('s1', 'commit');
    const shown = failed.dialogs.shown('editCommitMessage')!;
    assert.equal(shown.draft, '');
    assert.match(String(shown.note), /The model did not answer/);

    const cancelled = setup({ cancelProgress: true, message: () => undefined });
    cancelled.worktrees.statusResult = { ahead: 0, uncommitted: ['a.ts'], headCommit: 'h' };
    cancelled.worktrees.draftGate = new Promise(() => undefined);
    assert.deepEqual(await cancelled.flows.run('s1', 'commit'), { done: false });
    assert.match(String(cancelled.dialogs.shown('editCommitMessage')?.note), /cancelled/);
    assert.ok(!cancelled.worktrees.methods.includes('commit'), 'an empty message cancels');
  });

  void test('commit with nothing uncommitted says so and drafts nothing', async () => {
    const { flows, worktrees, dialogs } = setup();
    assert.deepEqual(await flows.run('s1', 'commit'), { done: false });
    assert.ok(!worktrees.methods.includes('draftCommitMessage'));
    assert.match(dialogs.infos[0]!, /Nothing to commit/);
  });

  void test('openScm: opens the worktree as a repository and shows Source Control; without the git extension reveals the folder', async () => {
    const a = setup();
    await a.flows.run('s1', 'openScm');
    assert.deepEqual(a.dialogs.opened, ['repo:/wt/agent-fix-1a2b3c', 'scm']);
    const b = setup({ gitExtension: false });
    await b.flows.run('s1', 'openScm');
    assert.deepEqual(b.dialogs.opened, ['repo:/wt/agent-fix-1a2b3c', 'reveal:/wt/agent-fix-1a2b3c']);
  });

  void test('discard: confirmed in a modal naming the branch and what is lost; declined, nothing is removed', async () => {
    const no = setup({ discard: false });
    no.worktrees.statusResult = { ahead: 2, uncommitted: ['x'], headCommit: 'h' };
    assert.deepEqual(await no.flows.run('s1', 'discard'), { done: false });
    assert.ok(!no.worktrees.methods.includes('discard'));
    assert.deepEqual(no.dialogs.shown('confirmDiscard'), { title: 'Fix login', sessionBranch: 'agent/fix-1a2b3c', status: { ahead: 2, uncommitted: ['x'], headCommit: 'h' } });
    const yes = setup({ discard: true });
    assert.deepEqual(await yes.flows.run('s1', 'discard'), { done: true });
    assert.deepEqual(yes.worktrees.calls.find((c) => c.method === 'discard')?.args, ['s1']);
  });

  void test('no worktree, a discarded one or the parent\'s: a clear refusal before any dialog', async () => {
    for (const [w, pattern] of [
      [null, /shared workspace/], [worktreeOf({ state: 'discarded' }), /was discarded/], [worktreeOf({ inheritedFrom: 'p1' }), /parent's worktree/],
    ] as const) {
      const { flows, dialogs } = setup({ applyMode: 'merge', discard: true }, w);
      for (const action of ['apply', 'commit', 'openScm', 'discard'] as const) {
        await assert.rejects(flows.run('s1', action), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state' && pattern.test(e.message));
      }
      assert.deepEqual(dialogs.dialogs, []);
    }
  });

  void test('delete: a session with a worktree asks what to keep; without one (or a child in its parent\'s) it does not', async () => {
    const { flows, dialogs, manager } = setup({ deleteChoice: 'remove-worktree' });
    const entry = { title: 'Fix login', worktree: { branch: 'agent/fix-1a2b3c', state: 'ok' } };
    assert.deepEqual(await flows.deleteChoice('s1', entry), { worktree: 'remove-worktree' });
    assert.deepEqual(dialogs.shown('askDeleteWorktree'), { title: 'Fix login', sessionBranch: 'agent/fix-1a2b3c' });
    dialogs.script.deleteChoice = undefined;
    assert.equal(await flows.deleteChoice('s1', entry), undefined, 'dismissed: nothing is deleted');
    assert.deepEqual(await flows.deleteChoice('s1', { title: 'x' }), {});
    assert.deepEqual(await flows.deleteChoice('s1', { title: 'x', worktree: { branch: 'b', state: 'discarded' } }), {});
    manager.sessions.get('s1')!.snapshot.worktree = worktreeOf({ inheritedFrom: 'p1' });
    const before = dialogs.asked.length;
    assert.deepEqual(await flows.deleteChoice('s1', entry), {});
    assert.equal(dialogs.asked.length, before);
  });
});
