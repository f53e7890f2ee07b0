import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitWorktrees } from '../../../src/core/worktree/git-worktrees';
import type { WorktreeRef } from '../../../src/core/worktree/types';
import { commitAll, makeFixture, type Fixture } from './git-fixture';

async function made(f: Fixture, name: string): Promise<WorktreeRef> {
  const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, name), branch: `agent/${name}`, carry: 'clean' });
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

void describe('GitWorktrees.status, describeChanges and commit', () => {
  void test('status: commits ahead of the base, uncommitted labels (untracked included), head', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'st');
      assert.deepEqual(await f.wt.status(w), { ahead: 0, uncommitted: [], headCommit: w.base.commit });
      f.write('x.txt', 'x\n', w.path);
      const c1 = commitAll(f, w.path, 'one');
      f.write('y.txt', 'y\n', w.path);
      commitAll(f, w.path, 'two');
      f.write('a.txt', 'edited\n', w.path);
      f.write('deep/new file.txt', 'n\n', w.path);
      rmSync(path.join(w.path, 'b.txt'));
      const s = await f.wt.status(w);
      assert.equal(s.ahead, 2);
      assert.deepEqual([...s.uncommitted].sort(), ['a.txt', 'b.txt', 'deep/new file.txt']);
      assert.notEqual(s.headCommit, c1);
      assert.equal(s.headCommit, f.git(w.path, 'rev-parse', 'HEAD').trim());
    } finally { f.cleanup(); }
  });

  void test('describeChanges: the stat, the diff and untracked files, capped', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'desc');
      assert.equal(await f.wt.describeChanges(w, 4000), 'No uncommitted changes.');
      f.write('a.txt', 'alpha changed by the session\n', w.path);
      f.write('brand-new.ts', 'export const answer = 42;\n', w.path);
      const text = await f.wt.describeChanges(w, 4000);
      assert.match(text, /a\.txt \| 2 \+-/);
      assert.match(text, /\+alpha changed by the session/);
      assert.match(text, /brand-new\.ts/);
      assert.match(text, /export const answer = 42;/);
      f.write('big.txt', 'line of text\n'.repeat(5000), w.path);
      commitAll(f, w.path, 'big');
      f.write('big.txt', 'other line\n'.repeat(5000), w.path);
      const capped = await f.wt.describeChanges(w, 1000);
      assert.ok(capped.length <= 1000, String(capped.length));
      assert.match(capped, /truncated/);
    } finally { f.cleanup(); }
  });

  void test('commit: all changes (untracked too) on the session branch; the files counted; the main tree untouched', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'commit');
      f.write('a.txt', 'session edit\n', w.path);
      f.write('new.txt', 'new\n', w.path);
      rmSync(path.join(w.path, 'b.txt'));
      const r = await f.wt.commit(w, 'Session work\n\nWith a body.');
      assert.equal(r.files, 3);
      assert.equal(r.commit, f.git(f.repo, 'rev-parse', 'refs/heads/agent/commit').trim());
      assert.equal(f.git(w.path, 'log', '-1', '--format=%B').trim(), 'Session work\n\nWith a body.');
      assert.equal(f.git(w.path, 'status', '--porcelain'), '');
      assert.equal(f.read('a.txt'), 'alpha\n');
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), w.base.commit);
      assert.equal((await f.wt.status(w)).ahead, 1);
    } finally { f.cleanup(); }
  });

  void test('commit: nothing to commit is invalid_state; a blank or huge message is refused', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'nothing');
      await assert.rejects(f.wt.commit(w, 'empty'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /nothing to commit/.test(e.message));
      f.write('a.txt', 'x\n', w.path);
      await assert.rejects(f.wt.commit(w, '   \n'), (e: Error & { code?: string }) => e.code === 'bad_request');
      await assert.rejects(f.wt.commit(w, 'x'.repeat(10_001)), (e: Error & { code?: string }) => e.code === 'bad_request' && /10000/.test(e.message));
      assert.equal(f.git(w.path, 'rev-parse', 'HEAD').trim(), w.base.commit);
    } finally { f.cleanup(); }
  });

  void test('commit without user.name / user.email names the git config to set', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'who');
      const bare = path.join(f.root, 'no-identity');
      writeFileSync(bare, '[user]\n\tuseConfigOnly = true\n');
      const anonymous = new GitWorktrees({ env: { GIT_CONFIG_GLOBAL: bare, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined, EMAIL: undefined } });
      f.write('a.txt', 'x\n', w.path);
      await assert.rejects(anonymous.commit(w, 'msg'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /git config user\.name .* git config user\.email/.test(e.message));
      assert.equal(f.git(w.path, 'rev-parse', 'HEAD').trim(), w.base.commit);
    } finally { f.cleanup(); }
  });

  void test('a held index.lock is waited out briefly, then named with the way out', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'lock');
      const lock = path.resolve(w.path, f.git(w.path, 'rev-parse', '--git-path', 'index.lock').trim());
      f.write('a.txt', 'x\n', w.path);
      writeFileSync(lock, '');
      await assert.rejects(f.wt.commit(w, 'msg'), (e: Error & { code?: string }) => e.code === 'conflict' && e.message.includes(`another git process is running in ${w.path}; wait for it to finish, or remove ${lock} if none runs`));
      // A lock let go of within the backoff is not an error at all.
      const t = setTimeout(() => rmSync(lock, { force: true }), 150);
      try {
        const r = await f.wt.commit(w, 'msg');
        assert.equal(r.files, 1);
      } finally { clearTimeout(t); }
    } finally { f.cleanup(); }
  });

  void test('a damaged worktree record is refused before git runs', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'rec');
      await assert.rejects(f.wt.status({ ...w, branch: '--orphan' }), (e: Error & { code?: string }) => e.code === 'bad_request');
      await assert.rejects(f.wt.status({ ...w, base: { ref: 'HEAD', commit: 'HEAD' } }), (e: Error & { code?: string }) => e.code === 'bad_request');
      await assert.rejects(f.wt.status({ ...w, path: 'relative/path' }), (e: Error & { code?: string }) => e.code === 'bad_request');
    } finally { f.cleanup(); }
  });
});
