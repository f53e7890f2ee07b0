/**
 * A session with a worktree works only there (issue 14): its file tools read and write in the
 * worktree folder and refuse the main tree's paths, run_command runs there, and the change ledger
 * records its rows under the worktree with labels relative to it. No git here: the session's log
 * points at a plain temp folder (session-harness.ts).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, fileChanges, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { approveAll, rootedSession } from './session-harness';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); });

const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const read = (p: string): PlanStep => ({ name: 'read_file', args: { path: p } });

void describe('a session in a worktree is rooted there', () => {
  void test('file tools read and write in the worktree; main-tree paths are refused and the main tree is untouched', async () => {
    const p = place('wt-roots-');
    writeFileSync(join(p.ws, 'main.txt'), 'main tree\n');
    const { h, id, folder } = await rootedSession(fake, p);
    approveAll(h); // the write outside asks; approved, the tool still refuses it
    try {
      writeFileSync(join(folder, 'there.txt'), 'in the worktree\n');
      const results = await runPlan(h, id, [
        write('a.txt', 'written by the session\n'),
        read('there.txt'),
        read(join(p.ws, 'main.txt')),
        write(join(p.ws, 'evil.txt'), 'must not land\n'),
        { name: 'list_dir', args: {} },
        { name: 'search_text', args: { pattern: 'in the worktree' } },
      ]);
      assert.deepEqual(results.map((r) => r.isError), [false, false, true, true, false, false], JSON.stringify(results, null, 1));
      assert.equal(readFileSync(join(folder, 'a.txt'), 'utf8'), 'written by the session\n');
      assert.equal(existsSync(join(p.ws, 'a.txt')), false, 'a relative path is the worktree\'s, not the main tree\'s');
      assert.match(results[1].content, /in the worktree/);
      assert.match(results[2].content, /outside the workspace/);
      assert.doesNotMatch(results[2].content, /main tree\n/);
      assert.match(results[3].content, /outside the workspace/);
      assert.equal(existsSync(join(p.ws, 'evil.txt')), false);
      assert.match(results[4].content, /there\.txt/);
      assert.doesNotMatch(results[4].content, /main\.txt/);
      assert.match(results[5].content, /there\.txt/);
      assert.equal(readFileSync(join(p.ws, 'main.txt'), 'utf8'), 'main tree\n');
    } finally {
      await h.close();
    }
  });

  void test('run_command runs in the worktree folder', async () => {
    const p = place('wt-cmd-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      const [r] = await runPlan(h, id, [{ name: 'run_command', args: { command: 'pwd' } }]);
      assert.equal(r.isError, false, r.content);
      assert.ok(r.content.includes(realpathSync(folder)), r.content);
      assert.ok(!r.content.includes(p.ws), r.content);
    } finally {
      await h.close();
    }
  });

  void test('the ledger\'s rows lie under the worktree with labels relative to it, and survive a reopen', async () => {
    const p = place('wt-ledger-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      await runPlan(h, id, [write('src/x.ts', 'export const x = 1;\n')]);
      const [change] = fileChanges(h.of(id));
      assert.equal(change.path, join(realpathSync(folder), 'src', 'x.ts'));
      assert.equal(change.label, 'src/x.ts');
      const rows = await h.manager.changes.list(id);
      assert.deepEqual(rows.map((r) => [r.path, r.label, r.kind]), [[join(realpathSync(folder), 'src', 'x.ts'), 'src/x.ts', 'created']]);
      // Undo writes back into the worktree (its roots), not the main tree.
      const undone = await h.manager.changes.undoFile(id, change.path);
      assert.deepEqual(undone.restored, [change.path]);
      assert.equal(existsSync(join(folder, 'src', 'x.ts')), false);
    } finally {
      await h.close();
    }
  });

  void test('spawn_session: a child inherits the worktree by default; "shared" works in the main tree; "worktree" without git is refused', async () => {
    const p = place('wt-child-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      const childPlan = (file: string): string => `plan:${JSON.stringify([write(file, 'by the child\n')])}`;
      const results = await runPlan(h, id, [
        { name: 'spawn_session', args: { goal: childPlan('inherited.txt'), title: 'inherits' } },
        { name: 'spawn_session', args: { goal: childPlan('shared.txt'), title: 'shares', workspace: 'shared' } },
        { name: 'spawn_session', args: { goal: childPlan('own.txt'), title: 'own', workspace: 'worktree' } },
      ]);
      assert.deepEqual(results.map((r) => r.isError), [false, false, true], JSON.stringify(results, null, 1));
      assert.match(results[2].content, /cannot give sessions worktrees here/);
      assert.equal(readFileSync(join(folder, 'inherited.txt'), 'utf8'), 'by the child\n');
      assert.equal(existsSync(join(p.ws, 'inherited.txt')), false);
      assert.equal(readFileSync(join(p.ws, 'shared.txt'), 'utf8'), 'by the child\n');
      assert.equal(existsSync(join(folder, 'shared.txt')), false);
      const children = h.manager.list().filter((r) => r.parentId === id);
      const inherits = children.find((r) => r.title === 'inherits');
      assert.deepEqual(inherits?.worktree, { branch: 'agent/in-its-worktree-abc123', path: folder, state: 'ok' });
      assert.equal(h.manager.get(inherits?.id ?? '')?.worktree?.inheritedFrom, id);
      assert.equal(children.find((r) => r.title === 'shares')?.worktree, undefined);
      assert.equal(children.some((r) => r.title === 'own'), false, 'nothing is created when the worktree cannot be made');
    } finally {
      await h.close();
    }
  });

  void test('a fork works in its source\'s worktree without owning it', async () => {
    const p = place('wt-fork-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      await runPlan(h, id, [write('a.txt', 'one\n')]);
      const key = h.manager.get(id)?.lastSeq ? (await h.manager.transcript(id)).entries.find((e) => e.kind === 'user')?.key : undefined;
      assert.ok(key);
      const fork = await h.manager.fork(id, key);
      assert.equal(fork.worktree?.path, folder);
      assert.equal(fork.worktree?.inheritedFrom, id);
      await runPlan(h, fork.id, [write('b.txt', 'from the fork\n')]);
      assert.equal(readFileSync(join(folder, 'b.txt'), 'utf8'), 'from the fork\n');
      await assert.rejects(h.manager.worktrees.discard(fork.id), /belongs to parent session "In its worktree"/);
    } finally {
      await h.close();
    }
  });
});

void describe('creating sessions: where they work', () => {
  void test('a worktree is refused without git support here, and nothing is created; a bad choice is a bad request', async () => {
    const p = place('wt-create-');
    const { h } = await rootedSession(fake, p);
    try {
      const before = h.manager.list().length;
      await assert.rejects(h.manager.create({ title: 'x', workspace: { kind: 'worktree' } }), (e: Error & { code?: string }) => e.code === 'invalid_state' && /cannot give sessions worktrees here/.test(e.message));
      await assert.rejects(h.manager.create({ title: 'x', workspace: { kind: 'worktree', base: '--upload-pack=x' } }), (e: Error & { code?: string }) => e.code === 'bad_request');
      await assert.rejects(h.manager.create({ title: 'x', workspace: { kind: 'nowhere' } as never }), (e: Error & { code?: string }) => e.code === 'bad_request');
      assert.equal(h.manager.list().length, before);
      const shared = await h.manager.create({ title: 'shared', workspace: { kind: 'shared' } });
      assert.equal(shared.worktree, undefined);
      assert.deepEqual(await h.manager.worktrees.support(), { available: false, reason: 'This host has no git support, so sessions work in the shared workspace.' });
    } finally {
      await h.close();
    }
  });

  void test('a default of "worktree" that this workspace cannot give: the session works in the shared tree and says why', async () => {
    const p = place('wt-default-');
    const { h } = await rootedSession(fake, p, { deps: { defaultWorkspace: () => ({ kind: 'worktree' }) } });
    try {
      const s = await h.manager.create({ title: 'defaulted' });
      assert.equal(s.worktree, undefined);
      const notes = (await h.manager.transcript(s.id)).entries.filter((e) => e.kind === 'marker').map((e) => (e.kind === 'marker' ? e.text : ''));
      assert.ok(notes.some((t) => /get a worktree by default, but not here: This host has no git support/.test(t)), notes.join('\n'));
    } finally {
      await h.close();
    }
  });
});
