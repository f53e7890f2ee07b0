import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { WorktreeRef } from '../../../src/core/worktree/types';
import { makeFixture, statusOf, type Fixture } from './git-fixture';

async function made(f: Fixture, name: string): Promise<WorktreeRef> {
  const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, name), branch: `agent/${name}`, carry: 'clean' });
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

const hasBranch = (f: Fixture, b: string): boolean => f.tryGit(f.repo, 'show-ref', '--verify', '--quiet', `refs/heads/${b}`).code === 0;
const listed = (f: Fixture, p: string): boolean => f.git(f.repo, 'worktree', 'list', '--porcelain').includes(`worktree ${p}\n`);

void describe('GitWorktrees.remove', () => {
  void test('removes the folder (uncommitted changes and all) and keeps the branch; the main tree untouched', async () => {
    const f = makeFixture();
    try {
      f.write('a.txt', 'the user works here\n');
      const before = statusOf(f, f.repo);
      const w = await made(f, 'keep');
      f.write('scratch.txt', 'uncommitted\n', w.path);
      await f.wt.remove(w, { deleteBranch: false });
      assert.equal(existsSync(w.path), false);
      assert.equal(listed(f, w.path), false);
      assert.ok(hasBranch(f, 'agent/keep'));
      assert.equal(f.read('a.txt'), 'the user works here\n');
      assert.equal(statusOf(f, f.repo), before);
    } finally { f.cleanup(); }
  });

  void test('with deleteBranch the branch goes too', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'all');
      await f.wt.remove(w, { deleteBranch: true });
      assert.equal(existsSync(w.path), false);
      assert.equal(hasBranch(f, 'agent/all'), false);
    } finally { f.cleanup(); }
  });

  void test('a locked worktree is refused with git worktree unlock as the way out', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'locked');
      f.git(f.repo, 'worktree', 'lock', w.path);
      await assert.rejects(f.wt.remove(w, { deleteBranch: true }), (e: Error & { code?: string }) => e.code === 'invalid_state' && e.message.includes(`git worktree unlock ${w.path}`));
      assert.ok(existsSync(w.path));
      assert.ok(hasBranch(f, 'agent/locked'));
    } finally { f.cleanup(); }
  });

  void test('a folder already gone is pruned; the branch deleted when asked', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'gone');
      rmSync(w.path, { recursive: true, force: true });
      assert.ok(listed(f, w.path));
      await f.wt.remove(w, { deleteBranch: true });
      assert.equal(listed(f, w.path), false);
      assert.equal(hasBranch(f, 'agent/gone'), false);
      // Again: nothing left to do, and no error.
      await f.wt.remove(w, { deleteBranch: true });
    } finally { f.cleanup(); }
  });

  void test('a branch checked out in another worktree is not deleted, with a clear message', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'shared');
      await f.wt.remove(w, { deleteBranch: false });
      const other = path.join(f.root, 'other');
      f.git(f.repo, 'worktree', 'add', '-q', other, 'agent/shared');
      await assert.rejects(f.wt.remove(w, { deleteBranch: true }), (e: Error) => /checked out in .*other/.test(e.message));
      assert.ok(hasBranch(f, 'agent/shared'));
    } finally { f.cleanup(); }
  });

  void test('the main tree itself is never removed', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'x');
      await assert.rejects(f.wt.remove({ ...w, path: f.repo }, { deleteBranch: false }), (e: Error & { code?: string }) => e.code === 'bad_request');
      assert.ok(existsSync(path.join(f.repo, 'a.txt')));
    } finally { f.cleanup(); }
  });
});
