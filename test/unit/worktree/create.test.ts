import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { GitWorktrees } from '../../../src/core/worktree/git-worktrees';
import { commitAll, makeFixture, statusOf, type Fixture } from './git-fixture';

/** Every file under `dir` (not .git) with its bytes, mode and link target: to prove a tree unchanged. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const p = path.join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), st.isSymbolicLink() ? `link:${readlinkSync(p)}` : `${st.mode}:${readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

function branches(f: Fixture): string[] {
  return f.git(f.repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads').trim().split('\n').filter(Boolean).sort();
}

function registered(f: Fixture): string[] {
  return f.git(f.repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9));
}

void describe('GitWorktrees.create', () => {
  void test('clean: a new branch at HEAD, checked out in the folder; base records the branch HEAD was on', async () => {
    const f = makeFixture();
    try {
      const head = f.git(f.repo, 'rev-parse', 'HEAD').trim();
      f.write('a.txt', 'dirty in main\n');
      const dir = path.join(f.wtDir, 'agent-one');
      const w = await f.wt.create({ repoRoot: f.repo, dir, branch: 'agent/one', carry: 'clean' });
      assert.equal(w.path, dir);
      assert.equal(w.branch, 'agent/one');
      assert.equal(w.repoRoot, f.repo);
      assert.deepEqual(w.base, { ref: 'HEAD', commit: head, branch: 'main' });
      assert.equal(w.carried, undefined);
      assert.equal(f.read('a.txt', dir), 'alpha\n');
      assert.equal(f.git(dir, 'symbolic-ref', '--short', 'HEAD').trim(), 'agent/one');
      assert.equal(statusOf(f, dir), '');
      assert.ok(registered(f).includes(dir));
    } finally { f.cleanup(); }
  });

  void test('copy: staged, unstaged, untracked, deletion, binary and exec bit carried; the main tree byte-for-byte untouched', async () => {
    const f = makeFixture({ files: { 'a.txt': 'alpha\n', 'b.txt': 'bravo\n', 'gone.txt': 'bye\n', 'bin.dat': Buffer.from([0, 1, 2, 3, 255]), 'run.sh': '#!/bin/sh\n' } });
    try {
      f.write('.gitignore', 'secret.env\n');
      commitAll(f, f.repo, 'ignore');
      f.write('a.txt', 'alpha staged\n');
      f.git(f.repo, 'add', 'a.txt');
      f.write('a.txt', 'alpha staged then unstaged\n');
      f.write('b.txt', 'bravo unstaged\n');
      f.git(f.repo, 'rm', '-q', 'gone.txt');
      f.write('bin.dat', Buffer.from([9, 0, 8, 0, 7]));
      chmodSync(path.join(f.repo, 'run.sh'), 0o755);
      f.write('added.txt', 'added to the index\n');
      f.git(f.repo, 'add', 'added.txt');
      f.write('new/untracked.txt', 'untracked\n');
      f.write('new/tool.sh', '#!/bin/sh\necho hi\n');
      chmodSync(path.join(f.repo, 'new/tool.sh'), 0o755);
      symlinkSync('a.txt', path.join(f.repo, 'link-to-a'));
      f.write('secret.env', 'KEY=1\n');
      const before = snapshot(f.repo);
      const indexBefore = readFileSync(path.join(f.repo, '.git', 'index'));
      const statusBefore = statusOf(f, f.repo);

      const dir = path.join(f.wtDir, 'carry');
      const w = await f.wt.create({ repoRoot: f.repo, dir, branch: 'agent/carry', carry: 'copy' });

      assert.deepEqual(readFileSync(path.join(f.repo, '.git', 'index')), indexBefore, 'the main index is byte-for-byte the same');
      assert.deepEqual(snapshot(f.repo), before, 'the main tree is byte-for-byte the same');
      assert.equal(statusOf(f, f.repo), statusBefore);
      // a.txt, b.txt, gone.txt, bin.dat, run.sh, added.txt (tracked) + new/untracked.txt, new/tool.sh, link-to-a (untracked)
      assert.deepEqual(w.carried, { files: 9 });
      assert.equal(f.read('a.txt', dir), 'alpha staged then unstaged\n');
      assert.equal(f.read('b.txt', dir), 'bravo unstaged\n');
      assert.equal(existsSync(path.join(dir, 'gone.txt')), false);
      assert.deepEqual(readFileSync(path.join(dir, 'bin.dat')), Buffer.from([9, 0, 8, 0, 7]));
      assert.ok((statSync(path.join(dir, 'run.sh')).mode & 0o100) !== 0, 'mode change carried');
      assert.equal(f.read('added.txt', dir), 'added to the index\n');
      assert.equal(f.read('new/untracked.txt', dir), 'untracked\n');
      assert.ok((statSync(path.join(dir, 'new/tool.sh')).mode & 0o100) !== 0, 'untracked exec bit kept');
      assert.equal(readlinkSync(path.join(dir, 'link-to-a')), 'a.txt');
      assert.equal(existsSync(path.join(dir, 'secret.env')), false, 'ignored files are not carried');
      // Carried as uncommitted changes on the session branch, the branch itself at the base.
      assert.equal(f.git(dir, 'rev-parse', 'HEAD').trim(), w.base.commit);
      assert.match(statusOf(f, dir), / M a\.txt/);
    } finally { f.cleanup(); }
  });

  void test('copy: a staged rename and an intent-to-add file are carried too', async () => {
    const f = makeFixture();
    try {
      f.git(f.repo, 'mv', 'b.txt', 'renamed.txt');
      f.write('intent.txt', 'intent\n');
      f.git(f.repo, 'add', '-N', 'intent.txt');
      const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'mv'), branch: 'agent/mv', carry: 'copy' });
      assert.equal(existsSync(path.join(w.path, 'b.txt')), false);
      assert.equal(f.read('renamed.txt', w.path), 'bravo\n');
      assert.equal(f.read('intent.txt', w.path), 'intent\n');
      assert.deepEqual(w.carried, { files: 3 });
    } finally { f.cleanup(); }
  });

  void test('base as a branch, a tag and a commit id; base.branch only for HEAD', async () => {
    const f = makeFixture();
    const first = f.git(f.repo, 'rev-parse', 'HEAD').trim();
    try {
      f.git(f.repo, 'tag', 'v1');
      f.git(f.repo, 'branch', 'release');
      f.write('a.txt', 'second\n');
      commitAll(f, f.repo, 'second');
      for (const base of ['release', 'v1', first, first.slice(0, 10)]) {
        const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, base.slice(0, 12)), branch: 'agent/b', base, carry: 'clean' });
        assert.deepEqual(w.base, { ref: base, commit: first });
        assert.equal(f.read('a.txt', w.path), 'alpha\n');
      }
      assert.deepEqual(branches(f).filter((b) => b.startsWith('agent/')), ['agent/b', 'agent/b-2', 'agent/b-3', 'agent/b-4']);
    } finally { f.cleanup(); }
  });

  void test('detached HEAD as base works (no base.branch), and carry still copies', async () => {
    const f = makeFixture();
    try {
      f.git(f.repo, 'checkout', '-q', '--detach');
      f.write('a.txt', 'detached edit\n');
      const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'det'), branch: 'agent/det', carry: 'copy' });
      assert.equal(w.base.branch, undefined);
      assert.equal(w.base.ref, 'HEAD');
      assert.equal(f.read('a.txt', w.path), 'detached edit\n');
      assert.deepEqual(w.carried, { files: 1 });
    } finally { f.cleanup(); }
  });

  void test('an unknown base is a clear not_found; carrying from another base is refused', async () => {
    const f = makeFixture();
    try {
      f.git(f.repo, 'branch', 'old');
      f.write('a.txt', 'new\n');
      commitAll(f, f.repo, 'new');
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'x'), branch: 'agent/x', base: 'no-such-branch', carry: 'clean' }),
        (e: Error & { code?: string }) => e.code === 'not_found' && /the base "no-such-branch" is not a branch, tag or commit/.test(e.message));
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'y'), branch: 'agent/y', base: 'old', carry: 'copy' }),
        (e: Error & { code?: string }) => e.code === 'invalid_state' && /only be carried into a worktree that starts from HEAD/.test(e.message));
      assert.deepEqual(branches(f), ['main', 'old']);
      assert.equal(existsSync(f.wtDir), false);
    } finally { f.cleanup(); }
  });

  void test('a branch that exists gets -2, -3', async () => {
    const f = makeFixture();
    try {
      f.git(f.repo, 'branch', 'agent/s');
      f.git(f.repo, 'branch', 'agent/s-2');
      const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 's'), branch: 'agent/s', carry: 'clean' });
      assert.equal(w.branch, 'agent/s-3');
      assert.match(w.notes.join('\n'), /agent\/s already exists/);
    } finally { f.cleanup(); }
  });

  void test('an existing non-empty folder is refused; an empty one is used', async () => {
    const f = makeFixture();
    try {
      const full = path.join(f.wtDir, 'full');
      mkdirSync(full, { recursive: true });
      writeFileSync(path.join(full, 'keep.txt'), 'mine');
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir: full, branch: 'agent/full', carry: 'clean' }),
        (e: Error & { code?: string }) => e.code === 'invalid_state' && /already exists and is not empty/.test(e.message));
      assert.equal(readFileSync(path.join(full, 'keep.txt'), 'utf8'), 'mine');
      assert.deepEqual(branches(f), ['main']);
      const empty = path.join(f.wtDir, 'empty');
      mkdirSync(empty);
      const w = await f.wt.create({ repoRoot: f.repo, dir: empty, branch: 'agent/empty', carry: 'clean' });
      assert.equal(f.read('a.txt', w.path), 'alpha\n');
    } finally { f.cleanup(); }
  });

  void test('a failure after the branch was made leaves nothing behind (no worktree, folder or branch)', async () => {
    const f = makeFixture();
    try {
      // git runs post-checkout after making the branch and checking out the folder; failing it fails the add.
      f.write('.git/hooks/post-checkout', '#!/bin/sh\necho "hook says no" >&2\nexit 1\n');
      chmodSync(path.join(f.repo, '.git/hooks/post-checkout'), 0o755);
      const dir = path.join(f.wtDir, 'fails');
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir, branch: 'agent/fails', carry: 'clean' }),
        (e: Error) => /could not create the worktree .*nothing was left behind/.test(e.message));
      assert.deepEqual(branches(f), ['main']);
      assert.deepEqual(registered(f), [f.repo]);
      assert.equal(existsSync(dir), false);
      assert.deepEqual(readdirSync(path.join(f.repo, '.git')).includes('worktrees') ? readdirSync(path.join(f.repo, '.git', 'worktrees')) : [], []);
    } finally { f.cleanup(); }
  });

  void test('a create cancelled halfway (the branch and folder made) leaves nothing behind', async () => {
    const f = makeFixture();
    try {
      const marker = path.join(f.root, 'checked-out');
      f.write('.git/hooks/post-checkout', `#!/bin/sh\ntouch '${marker}'\nsleep 2\n`);
      chmodSync(path.join(f.repo, '.git/hooks/post-checkout'), 0o755);
      const ac = new AbortController();
      const timer = setInterval(() => { if (existsSync(marker)) ac.abort(); }, 10);
      const dir = path.join(f.wtDir, 'cancel');
      try {
        await assert.rejects(f.wt.create({ repoRoot: f.repo, dir, branch: 'agent/cancel', carry: 'copy', signal: ac.signal }),
          (e: Error & { code?: string }) => e.code === 'cancelled' && /nothing was left behind/.test(e.message));
      } finally { clearInterval(timer); }
      assert.ok(existsSync(marker), 'the branch and folder had been made');
      assert.deepEqual(branches(f), ['main']);
      assert.deepEqual(registered(f), [f.repo]);
      assert.equal(existsSync(dir), false);
    } finally { f.cleanup(); }
  });

  void test('a full disk: a clear message, and the half-made worktree and branch are removed again', async (t) => {
    const f = makeFixture({ files: { 'big.bin': randomBytes(300_000), 'a.txt': 'a\n' } });
    const small = path.join(f.root, 'small');
    mkdirSync(small);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]).status !== 0) {
      f.cleanup();
      t.skip('needs a small file system to fill (mount -t tmpfs, as root on Linux)');
      return;
    }
    try {
      const full = (e: Error & { code?: string }): boolean => e.code === 'storage' && /the disk is full/.test(e.message) && /nothing was left behind/.test(e.message);
      // The checkout itself does not fit (git says only "unable to write file").
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir: path.join(small, 'wt'), branch: 'agent/full', carry: 'clean' }), full);
      assert.deepEqual(branches(f), ['main']);
      assert.deepEqual(registered(f), [f.repo]);
      assert.deepEqual(readdirSync(small), []);
      // The checkout fits, the carried untracked file does not.
      f.git(f.repo, 'rm', '-q', '--cached', 'big.bin');
      f.git(f.repo, 'commit', '-q', '-m', 'untrack big.bin');
      await assert.rejects(f.wt.create({ repoRoot: f.repo, dir: path.join(small, 'wt'), branch: 'agent/full', carry: 'copy' }), full);
      assert.deepEqual(branches(f), ['main']);
      assert.deepEqual(registered(f), [f.repo]);
      assert.deepEqual(readdirSync(small), []);
    } finally {
      spawnSync('umount', [small]);
      f.cleanup();
    }
  });

  void test('hostile base and branch names are refused before git runs', async () => {
    const f = makeFixture();
    try {
      const log = path.join(f.root, 'git-calls.log');
      const spy = path.join(f.root, 'git-spy');
      writeFileSync(spy, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec git "$@"\n`);
      chmodSync(spy, 0o755);
      const wt = new GitWorktrees({ gitPath: spy, env: { GIT_CONFIG_GLOBAL: f.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' } });
      for (const base of ['--upload-pack=evil', '-b', 'main\nx', 'a b']) {
        await assert.rejects(wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'h'), branch: 'agent/h', base, carry: 'clean' }),
          (e: Error & { code?: string }) => e.code === 'bad_request', base);
      }
      for (const branch of ['-D', '--force', 'a..b', 'x.lock', 'has space']) {
        await assert.rejects(wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'h'), branch, carry: 'clean' }),
          (e: Error & { code?: string }) => e.code === 'bad_request', branch);
      }
      assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', '', 'git never ran');
      // The spy does see git run for a sound request.
      await wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'h'), branch: 'agent/h', base: 'main', carry: 'clean' });
      assert.match(readFileSync(log, 'utf8'), /^-c checkout.workers=0 worktree add -b agent\/h -- /m);
    } finally { f.cleanup(); }
  });

  void test('submodules initialised in the main tree are initialised in the worktree; a failure is a note', async () => {
    const f = makeFixture();
    try {
      const lib = path.join(f.root, 'lib');
      mkdirSync(lib);
      f.git(lib, 'init', '-q');
      writeFileSync(path.join(lib, 'lib.txt'), 'lib\n');
      commitAll(f, lib, 'lib');
      f.git(f.repo, 'submodule', 'add', '-q', lib, 'lib');
      commitAll(f, f.repo, 'add lib');
      const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'sub'), branch: 'agent/sub', carry: 'clean' });
      assert.ok(w.notes.includes('submodules initialised'), w.notes.join('\n'));
      assert.equal(f.read('lib/lib.txt', w.path), 'lib\n');
      // Offline (the submodule's origin gone): the worktree is made, with a note.
      const { rmSync } = await import('node:fs');
      rmSync(lib, { recursive: true, force: true });
      const w2 = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, 'sub2'), branch: 'agent/sub2', carry: 'clean' });
      assert.match(w2.notes.join('\n'), /submodules could not be initialised .*git submodule update --init --recursive/);
      assert.equal(f.read('a.txt', w2.path), 'alpha\n');
    } finally { f.cleanup(); }
  });
});
