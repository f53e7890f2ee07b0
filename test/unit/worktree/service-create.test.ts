/**
 * Creating sessions in worktrees over real git (issue 14): `create({ workspace })` makes the
 * worktree before the session exists (git fails → nothing is created), on `agent/<slug>-<id>` under
 * the worktrees folder, with the main tree's uncommitted changes carried over when asked; the
 * session then works there. spawn_session's `worktree` makes the child its own from the parent's branch.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { commitAll, makeFixture, statusOf, type Fixture } from './git-fixture';
import { openGit, worktreeEvents } from './service-harness';

let fake: FakeLlm;
const fixtures: Fixture[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); for (const f of fixtures) f.cleanup(); });
const fixture = (): Fixture => { const f = makeFixture(); fixtures.push(f); return f; };
const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const read = (p: string): PlanStep => ({ name: 'read_file', args: { path: p } });

void describe('creating a session in a worktree', () => {
  void test('with carry-over: branch agent/<slug>-<id>, the main tree\'s uncommitted files copied in, the main tree untouched; the session works there', async () => {
    const f = fixture();
    const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
    f.write('a.txt', 'alpha, dirty in main\n');
    f.write('untracked.txt', 'not added\n');
    const mainStatus = statusOf(f, f.repo);
    const h = await openGit(fake, f, place('wt-svc-create-'));
    try {
      const s = await h.manager.create({ title: 'Fix the login', workspace: { kind: 'worktree', carry: 'copy' }, config: { mode: 'full' } });
      const w = s.worktree;
      assert.ok(w);
      assert.match(w.branch, /^agent\/fix-the-login-[a-z0-9]{6}$/);
      assert.equal(w.path, join(f.wtDir, w.branch.slice('agent/'.length)));
      assert.deepEqual(w.base, { ref: 'HEAD', commit: head, branch: 'main' });
      assert.deepEqual(w.carried, { files: 2 });
      assert.equal(w.state, 'ok');
      assert.equal(w.repoRoot, f.repo);
      assert.deepEqual(h.of(s.id).slice(0, 2).map((e) => e.type), ['session.created', 'worktree.created']);
      assert.equal(readFileSync(join(w.path, 'a.txt'), 'utf8'), 'alpha, dirty in main\n');
      assert.equal(readFileSync(join(w.path, 'untracked.txt'), 'utf8'), 'not added\n');
      assert.equal(statusOf(f, f.repo), mainStatus, 'the main tree is as it was');
      assert.equal(f.git(w.path, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), w.branch);
      assert.deepEqual(h.manager.list().find((r) => r.id === s.id)?.worktree, { branch: w.branch, path: w.path, state: 'ok' });

      const rs = await runPlan(h, s.id, [read('b.txt'), write('b.txt', 'bravo by the session\n')]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      assert.equal(readFileSync(join(w.path, 'b.txt'), 'utf8'), 'bravo by the session\n');
      assert.equal(f.read('b.txt'), 'bravo\n');
      assert.equal(statusOf(f, f.repo), mainStatus);
      assert.deepEqual((await h.manager.worktrees.status(s.id)).uncommitted.sort(), ['a.txt', 'b.txt', 'untracked.txt']);
    } finally {
      await h.close();
    }
  });

  void test('clean from a named base: the base\'s content, nothing carried', async () => {
    const f = fixture();
    f.git(f.repo, 'tag', 'v1');
    f.write('a.txt', 'after v1\n');
    commitAll(f, f.repo, 'after v1');
    f.write('b.txt', 'dirty\n');
    const h = await openGit(fake, f, place('wt-svc-base-'));
    try {
      const s = await h.manager.create({ title: 'From v1', workspace: { kind: 'worktree', base: 'v1', carry: 'clean' } });
      assert.equal(s.worktree?.base.ref, 'v1');
      assert.equal(s.worktree?.carried, undefined);
      assert.equal(readFileSync(join(s.worktree?.path ?? '', 'a.txt'), 'utf8'), 'alpha\n');
      assert.equal(readFileSync(join(s.worktree?.path ?? '', 'b.txt'), 'utf8'), 'bravo\n');
    } finally {
      await h.close();
    }
  });

  void test('git fails (an unknown base): the AgentError comes back and nothing is created — no session, no folder, no branch', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-fail-'));
    try {
      const rows = h.manager.list().length;
      await assert.rejects(h.manager.create({ title: 'Nowhere', workspace: { kind: 'worktree', base: 'no-such-ref' } }), (e: Error & { code?: string }) => {
        assert.ok(e.code && e.code !== 'unknown', `a typed error (${e.code}): ${e.message}`);
        assert.match(e.message, /no-such-ref/);
        return true;
      });
      assert.equal(h.manager.list().length, rows);
      assert.equal(existsSync(f.wtDir) ? readdirSync(f.wtDir).length : 0, 0);
      assert.equal(f.git(f.repo, 'branch', '--list', 'agent/*').trim(), '');
    } finally {
      await h.close();
    }
  });

  void test('support() asks git about the first workspace folder; the default setting "worktree" is used when it can be', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-support-'), { deps: { defaultWorkspace: () => ({ kind: 'worktree' }) } });
    try {
      const support = await h.manager.worktrees.support();
      assert.equal(support.available, true);
      assert.equal(support.available && support.repoRoot, f.repo);
      const s = await h.manager.create({ title: 'By default' });
      assert.match(s.worktree?.branch ?? '', /^agent\/by-default-/);
    } finally {
      await h.close();
    }
  });

  void test('a workspace folder inside its repository: the session works in the worktree\'s copy of that folder, and so does a child\'s own worktree', async () => {
    const f = fixture();
    f.write('pkg/inner.txt', 'inner\n');
    commitAll(f, f.repo, 'pkg');
    const h = await openGit(fake, f, place('wt-svc-subdir-'), { deps: { workspaceRoots: [join(f.repo, 'pkg')] } });
    try {
      const s = await h.manager.create({ title: 'In pkg', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const w = s.worktree;
      assert.equal(w?.subdir, 'pkg');
      const rs = await runPlan(h, s.id, [read('inner.txt'), write('made.txt', 'in pkg\n')]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      assert.equal(readFileSync(join(w?.path ?? '', 'pkg', 'made.txt'), 'utf8'), 'in pkg\n');
      const [row] = await h.manager.changes.list(s.id);
      assert.equal(row?.label, 'made.txt');
      await runPlan(h, s.id, [{ name: 'spawn_session', args: { goal: `plan:${JSON.stringify([write('kid.txt', 'kid\n')])}`, title: 'Kid', workspace: 'worktree' } }]);
      const kid = h.manager.get(h.manager.list().find((r) => r.title === 'Kid')?.id ?? '')?.worktree;
      assert.equal(kid?.subdir, 'pkg');
      assert.equal(readFileSync(join(kid?.path ?? '', 'pkg', 'kid.txt'), 'utf8'), 'kid\n');
    } finally {
      await h.close();
    }
  });

  void test('spawn_session "worktree" from a worktree session: the child\'s own worktree from the parent\'s branch; "inherit" works in the parent\'s', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-child-'));
    try {
      const parent = await h.manager.create({ title: 'Parent', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const pw = parent.worktree;
      assert.ok(pw);
      await runPlan(h, parent.id, [write('committed.txt', 'on the parent branch\n')]);
      await h.manager.worktrees.commit(parent.id, 'Add committed.txt');
      await runPlan(h, parent.id, [write('uncommitted.txt', 'only in the parent\'s folder\n')]);
      const goal = (file: string): string => `plan:${JSON.stringify([write(file, 'child\n')])}`;
      const rs = await runPlan(h, parent.id, [
        { name: 'spawn_session', args: { goal: goal('own.txt'), title: 'Own', workspace: 'worktree' } },
        { name: 'spawn_session', args: { goal: goal('inherited.txt'), title: 'Inherits' } },
      ]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      const rows = h.manager.list().filter((r) => r.parentId === parent.id);
      const own = h.manager.get(rows.find((r) => r.title === 'Own')?.id ?? '')?.worktree;
      assert.ok(own && own.path !== pw.path);
      assert.equal(own.base.ref, pw.branch);
      assert.equal(own.inheritedFrom, undefined);
      assert.equal(readFileSync(join(own.path, 'committed.txt'), 'utf8'), 'on the parent branch\n');
      assert.equal(existsSync(join(own.path, 'uncommitted.txt')), false, 'the parent\'s uncommitted files are not in it');
      assert.equal(readFileSync(join(own.path, 'own.txt'), 'utf8'), 'child\n');
      assert.equal(existsSync(join(pw.path, 'own.txt')), false);
      const inherits = h.manager.get(rows.find((r) => r.title === 'Inherits')?.id ?? '')?.worktree;
      assert.equal(inherits?.path, pw.path);
      assert.equal(inherits?.inheritedFrom, parent.id);
      assert.equal(readFileSync(join(pw.path, 'inherited.txt'), 'utf8'), 'child\n');
      assert.equal(worktreeEvents(h, parent.id).map((e) => e.type).join(','), 'worktree.created,worktree.committed');
    } finally {
      await h.close();
    }
  });
});
