import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitWorktrees } from '../../../src/core/worktree/git-worktrees';
import type { WorktreeRef } from '../../../src/core/worktree/types';
import { commitAll, makeFixture, statusOf, type Fixture } from './git-fixture';

async function made(f: Fixture, name: string): Promise<WorktreeRef> {
  const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, name), branch: `agent/${name}`, carry: 'clean' });
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

const mergeHead = (f: Fixture): string => path.join(f.repo, '.git', 'MERGE_HEAD');

void describe("GitWorktrees.apply('merge')", () => {
  void test('clean: a --no-ff merge commit on the main branch, the files listed', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'clean');
      f.write('a.txt', 'alpha from the session\n', w.path);
      f.write('added.txt', 'added\n', w.path);
      const tip = commitAll(f, w.path, 'session work');
      f.write('b.txt', 'bravo in main\n');
      commitAll(f, f.repo, 'main work');
      const r = await f.wt.apply(w, 'merge');
      assert.equal(r.outcome, 'clean');
      assert.deepEqual([...r.files].sort(), ['a.txt', 'added.txt']);
      assert.deepEqual(r.conflicts, []);
      assert.equal(r.commit, f.git(f.repo, 'rev-parse', 'HEAD').trim());
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD^2').trim(), tip);
      assert.equal(f.git(f.repo, 'log', '-1', '--format=%s').trim(), "Merge branch 'agent/clean'");
      assert.match(r.message, /Merged agent\/clean into main: 2 files/);
      assert.equal(f.read('a.txt'), 'alpha from the session\n');
      assert.equal(f.read('b.txt'), 'bravo in main\n');
      assert.equal(statusOf(f, f.repo), '');
    } finally { f.cleanup(); }
  });

  void test('already merged (or no commits): nothing', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'none');
      const before = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      const r = await f.wt.apply(w, 'merge');
      assert.equal(r.outcome, 'nothing');
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), before);
    } finally { f.cleanup(); }
  });

  void test('a conflict leaves the merge in progress (MERGE_HEAD) and lists the file; conflictSides reads the index stages', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'conflict');
      f.write('a.txt', 'session line\n', w.path);
      commitAll(f, w.path, 'session');
      f.write('a.txt', 'main line\n');
      commitAll(f, f.repo, 'main');
      const r = await f.wt.apply(w, 'merge');
      assert.equal(r.outcome, 'conflicts');
      assert.deepEqual(r.conflicts, [{ path: path.join(f.repo, 'a.txt'), label: 'a.txt' }]);
      assert.equal(r.commit, undefined);
      assert.ok(existsSync(mergeHead(f)));
      assert.match(f.read('a.txt'), /<<<<<<< [\s\S]*main line[\s\S]*=======[\s\S]*session line[\s\S]*>>>>>>> /);
      const sides = await f.wt.conflictSides(w, path.join(f.repo, 'a.txt'));
      assert.deepEqual(sides, { path: path.join(f.repo, 'a.txt'), label: 'a.txt', base: 'alpha\n', ours: 'main line\n', theirs: 'session line\n' });
      // A second apply while it waits is refused.
      await assert.rejects(f.wt.apply(w, 'merge'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /a merge is already in progress/.test(e.message));
    } finally { f.cleanup(); }
  });

  void test('local changes the merge would overwrite: refused, nothing changed', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'dirty');
      f.write('a.txt', 'session\n', w.path);
      commitAll(f, w.path, 'session');
      f.write('a.txt', 'uncommitted in main\n');
      const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      const staged = f.git(f.repo, 'ls-files', '--stage');
      await assert.rejects(f.wt.apply(w, 'merge'), (e: Error) => /would overwrite uncommitted changes in the main tree \(a\.txt\): commit or stash them in the main tree first/.test(e.message));
      assert.equal(f.read('a.txt'), 'uncommitted in main\n');
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), head);
      assert.equal(existsSync(mergeHead(f)), false);
      assert.equal(f.git(f.repo, 'ls-files', '--stage'), staged, 'the index holds what it held (git refreshes its stat cache)');
    } finally { f.cleanup(); }
  });

  void test('without user.name / user.email the merge is refused before it starts, naming git config', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'who');
      f.write('a.txt', 'session\n', w.path);
      commitAll(f, w.path, 'session');
      const cfg = path.join(f.root, 'anonymous');
      writeFileSync(cfg, '[user]\n\tuseConfigOnly = true\n');
      const anonymous = new GitWorktrees({ env: { GIT_CONFIG_GLOBAL: cfg, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined, EMAIL: undefined } });
      const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      await assert.rejects(anonymous.apply(w, 'merge'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /git config user\.name/.test(e.message));
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), head);
      assert.equal(existsSync(mergeHead(f)), false);
      assert.equal(f.read('a.txt'), 'alpha\n');
    } finally { f.cleanup(); }
  });

  void test('uncommitted changes in the worktree: refused with the two ways out', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'wdirty');
      f.write('a.txt', 'not committed\n', w.path);
      await assert.rejects(f.wt.apply(w, 'merge'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /commit them on the session branch first, or apply as uncommitted changes/.test(e.message));
    } finally { f.cleanup(); }
  });
});
