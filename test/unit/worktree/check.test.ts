import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { WorktreeRef } from '../../../src/core/worktree/types';
import { commitAll, makeFixture, type Fixture } from './git-fixture';

async function made(f: Fixture, name: string): Promise<WorktreeRef> {
  const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, name), branch: `agent/${name}`, carry: 'clean' });
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

void describe('GitWorktrees.check', () => {
  void test('a healthy worktree is ok, with nothing to say', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'fine');
      assert.deepEqual(await f.wt.check(w), { state: 'ok', path: w.path });
    } finally { f.cleanup(); }
  });

  void test('a deleted folder is re-added from its branch (committed work back, uncommitted lost)', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'deleted');
      f.write('work.txt', 'committed work\n', w.path);
      commitAll(f, w.path, 'work');
      f.write('scratch.txt', 'only in the folder\n', w.path);
      rmSync(w.path, { recursive: true, force: true });
      const h = await f.wt.check(w);
      assert.equal(h.state, 'ok');
      assert.equal(h.path, w.path);
      assert.match(h.repaired ?? '', /re-added the folder from branch agent\/deleted; uncommitted changes that were only in the deleted folder are lost/);
      assert.equal(f.read('work.txt', w.path), 'committed work\n');
      assert.equal(existsSync(path.join(w.path, 'scratch.txt')), false);
      assert.equal(f.git(w.path, 'symbolic-ref', '--short', 'HEAD').trim(), 'agent/deleted');
      assert.deepEqual(await f.wt.check(w), { state: 'ok', path: w.path });
    } finally { f.cleanup(); }
  });

  void test('moved with git worktree move: state moved, with the new path', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'moving');
      const to = path.join(f.root, 'elsewhere');
      f.git(f.repo, 'worktree', 'move', w.path, to);
      const h = await f.wt.check(w);
      assert.equal(h.state, 'moved');
      assert.equal(h.path, to);
      assert.match(h.problem ?? '', /moved to .*elsewhere/);
    } finally { f.cleanup(); }
  });

  void test('locked: state locked with the reason and git worktree unlock as the way out', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'locked');
      f.git(f.repo, 'worktree', 'lock', '--reason', 'on a USB stick', w.path);
      const h = await f.wt.check(w);
      assert.equal(h.state, 'locked');
      assert.match(h.problem ?? '', /on a USB stick/);
      assert.ok(h.problem?.includes(`git worktree unlock ${w.path}`));
    } finally { f.cleanup(); }
  });

  void test('a deleted .git pointer is repaired with git worktree repair', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'pointer');
      rmSync(path.join(w.path, '.git'));
      const h = await f.wt.check(w);
      assert.equal(h.state, 'ok', JSON.stringify(h));
      assert.match(h.repaired ?? '', /git worktree repair/);
      assert.equal(f.git(w.path, 'symbolic-ref', '--short', 'HEAD').trim(), 'agent/pointer');
    } finally { f.cleanup(); }
  });

  void test('the main repository moved: the worktree link is repaired from the new place', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'mainmoved');
      const newRoot = path.join(f.root, 'repo-moved');
      renameSync(f.repo, newRoot);
      const gone = await f.wt.check(w);
      assert.equal(gone.state, 'missing');
      assert.match(gone.problem ?? '', /repository folder .* is gone/);
      const h = await f.wt.check({ ...w, repoRoot: newRoot });
      assert.equal(h.state, 'ok', JSON.stringify(h));
      assert.match(h.repaired ?? '', /git worktree repair/);
      assert.equal(f.git(w.path, 'rev-parse', '--git-common-dir').trim(), path.join(newRoot, '.git'));
    } finally { f.cleanup(); }
  });

  void test('folder and branch both gone: missing, with the way out', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'gone');
      rmSync(w.path, { recursive: true, force: true });
      f.git(f.repo, 'worktree', 'prune');
      f.git(f.repo, 'branch', '-D', w.branch);
      const h = await f.wt.check(w);
      assert.equal(h.state, 'missing');
      assert.match(h.problem ?? '', /and its branch agent\/gone are gone: discard/);
      assert.equal(existsSync(w.path), false);
    } finally { f.cleanup(); }
  });

  void test('a folder git does not take as a worktree is broken, and left alone', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'junk');
      f.git(f.repo, 'worktree', 'remove', '--force', w.path);
      mkdirSync(w.path, { recursive: true });
      writeFileSync(path.join(w.path, '.git'), 'gitdir: /nowhere/at/all\n');
      writeFileSync(path.join(w.path, 'stray.txt'), 'not a worktree');
      const h = await f.wt.check(w);
      assert.equal(h.state, 'broken');
      assert.match(h.problem ?? '', /git does not take it as a worktree/);
      assert.equal(f.read('stray.txt', w.path), 'not a worktree');
    } finally { f.cleanup(); }
  });
});
