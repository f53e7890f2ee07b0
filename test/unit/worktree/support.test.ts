import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import { GitWorktrees } from '../../../src/core/worktree/git-worktrees';
import { versionOk } from '../../../src/core/worktree/support';
import { commitAll, makeFixture } from './git-fixture';

void describe('GitWorktrees.support', () => {
  void test('a folder that is not a repository says so', async () => {
    const f = makeFixture({ files: null });
    try {
      const plain = path.join(f.root, 'plain');
      mkdirSync(plain);
      const s = await f.wt.support(plain);
      assert.equal(s.available, false);
      assert.match(s.available ? '' : s.reason, /plain is not a git repository/);
    } finally { f.cleanup(); }
  });

  void test('an empty repository (no commit yet) is not available, with the way out', async () => {
    const f = makeFixture({ files: null });
    try {
      const s = await f.wt.support(f.repo);
      assert.deepEqual(s, { available: false, reason: 'the repository has no commit yet: commit once, then start a session with a worktree' });
    } finally { f.cleanup(); }
  });

  void test('a git path that does not exist: git was not found', async () => {
    const f = makeFixture();
    try {
      const s = await new GitWorktrees({ gitPath: path.join(f.root, 'no-such-git') }).support(f.repo);
      assert.equal(s.available, false);
      assert.match(s.available ? '' : s.reason, /^git was not found/);
    } finally { f.cleanup(); }
  });

  void test('a git older than 2.30 is named with the minimum', async () => {
    const f = makeFixture();
    try {
      const fake = path.join(f.root, 'old-git');
      writeFileSync(fake, '#!/bin/sh\necho "git version 2.25.1"\n');
      chmodSync(fake, 0o755);
      const s = await new GitWorktrees({ gitPath: fake }).support(f.repo);
      assert.equal(s.available, false);
      assert.match(s.available ? '' : s.reason, /git 2\.25\.1 is too old .*2\.30 or newer/);
      assert.equal(versionOk('2.30.0'), true);
      assert.equal(versionOk('3.0'), true);
      assert.equal(versionOk('2.29.9'), false);
    } finally { f.cleanup(); }
  });

  void test('a clean repository on a branch: root, head, version, refs newest first', async () => {
    const f = makeFixture();
    try {
      // An old commit on its own branch: alphabetically first, by date last.
      f.git(f.repo, 'checkout', '-q', '-b', 'aaa-old');
      f.write('old.txt', 'old\n');
      f.git(f.repo, 'add', 'old.txt');
      execFileSync('git', ['commit', '-q', '-m', 'old'], { cwd: f.repo, env: { ...f.env, GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2001-01-01T00:00:00Z' } });
      f.git(f.repo, 'checkout', '-q', 'main');
      f.git(f.repo, 'tag', 'v1');
      f.write('a.txt', 'alpha 2\n');
      const second = commitAll(f, f.repo, 'second');
      f.git(f.repo, 'branch', 'feature');
      const sub = path.join(f.repo, 'dir');
      const s = await f.wt.support(sub);
      assert.ok(s.available, JSON.stringify(s));
      assert.equal(s.repoRoot, f.repo);
      assert.deepEqual(s.head, { branch: 'main', commit: second, detached: false });
      assert.equal(s.dirtyFiles, 0);
      assert.equal(s.submodules, false);
      assert.match(s.gitVersion, /^\d+\.\d+/);
      assert.deepEqual(new Set(s.refs), new Set(['main', 'feature', 'v1', 'aaa-old']));
      assert.equal(s.refs[s.refs.length - 1], 'aaa-old', s.refs.join(' '));
    } finally { f.cleanup(); }
  });

  void test('detached HEAD, dirty files counted (staged, unstaged, untracked, deleted; ignored not)', async () => {
    const f = makeFixture();
    try {
      const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      f.git(f.repo, 'checkout', '-q', '--detach');
      f.write('.gitignore', 'ignored.log\n');
      f.write('ignored.log', 'x');
      f.write('a.txt', 'changed\n');
      f.write('new/one.txt', '1');
      f.write('new/two.txt', '2');
      f.git(f.repo, 'rm', '-q', 'b.txt');
      f.write('staged.txt', 's');
      f.git(f.repo, 'add', 'staged.txt');
      const s = await f.wt.support(f.repo);
      assert.ok(s.available);
      assert.deepEqual(s.head, { commit: head, detached: true });
      // a.txt, b.txt, staged.txt, .gitignore, new/one.txt, new/two.txt
      assert.equal(s.dirtyFiles, 6);
    } finally { f.cleanup(); }
  });

  void test('a .gitmodules file sets the submodules flag', async () => {
    const f = makeFixture();
    try {
      f.write('.gitmodules', '[submodule "lib"]\n\tpath = lib\n\turl = ../lib\n');
      commitAll(f, f.repo, 'modules');
      const s = await f.wt.support(f.repo);
      assert.ok(s.available);
      assert.equal(s.submodules, true);
    } finally { f.cleanup(); }
  });

  void test('a linked worktree answers with the main worktree as repoRoot', async () => {
    const f = makeFixture();
    try {
      const linked = path.join(f.root, 'linked');
      f.git(f.repo, 'worktree', 'add', '-q', '-b', 'other', linked);
      const s = await f.wt.support(linked);
      assert.ok(s.available);
      assert.equal(s.repoRoot, f.repo);
      assert.equal(s.head.branch, 'main');
    } finally { f.cleanup(); }
  });

  void test('a bare repository and a folder inside .git are not available', async () => {
    const f = makeFixture();
    try {
      const bare = path.join(f.root, 'bare.git');
      f.git(f.root, 'clone', '-q', '--bare', f.repo, bare);
      const b = await f.wt.support(bare);
      assert.equal(b.available, false);
      assert.match(b.available ? '' : b.reason, /bare repository/);
      const inside = await f.wt.support(path.join(f.repo, '.git'));
      assert.equal(inside.available, false);
      assert.match(inside.available ? '' : inside.reason, /inside a \.git folder/);
    } finally { f.cleanup(); }
  });
});

void describe('GitWorktrees.subdirOf', () => {
  void test('the workspace folder\'s place inside its repository, posix, empty at the top', async () => {
    const f = makeFixture();
    try {
      const sub = path.join(f.repo, 'packages', 'app');
      mkdirSync(sub, { recursive: true });
      assert.equal(await f.wt.subdirOf(f.repo), '');
      assert.equal(await f.wt.subdirOf(sub), 'packages/app');
    } finally { f.cleanup(); }
  });
});
