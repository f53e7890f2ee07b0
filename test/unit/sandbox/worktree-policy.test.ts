/**
 * The sandbox for a session rooted in a real linked worktree (`git worktree add`): its `.git`
 * pointer and the common git dir's hooks and config are protected, the git dirs (outside the
 * root) are readable but not writable, so `git status` / `git diff` work and `git commit` fails.
 * The bubblewrap part skips where bwrap cannot run.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { planMounts } from '../../../src/core/sandbox/mount-plan';
import { defaultSandboxPolicy } from '../../../src/core/sandbox/policy';
import { seatbeltProfile } from '../../../src/core/sandbox/seatbelt';
import type { CommandSandbox } from '../../../src/core/sandbox/types';
import { tempDir } from '../tools/helpers';
import { outsideTmp, realBubblewrap, runSandboxed } from './helpers';

/** git with no machine config (the tests must not depend on it) and a fixed identity. */
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const GIT_PREFIX = 'GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=Worktree Test', '-c', 'user.email=wt@example.invalid', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** A repository with one commit and a linked worktree of it on branch agent/x, in `base` folders. */
function repoWithWorktree(mainDir: string, wtParent: string): { main: string; wt: string; gitDir: string; common: string } {
  const main = path.join(mainDir, 'main');
  mkdirSync(main);
  git(main, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(main, 'a.txt'), 'one\n');
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'first');
  const wt = path.join(wtParent, 'fix-login-1a2b3c');
  git(main, 'worktree', 'add', '-q', '-b', 'agent/x', '--end-of-options', wt, 'HEAD');
  const gitDir = realpathSync(git(wt, 'rev-parse', '--absolute-git-dir'));
  const common = realpathSync(path.resolve(wt, git(wt, 'rev-parse', '--git-common-dir')));
  return { main, wt: realpathSync(wt), gitDir, common };
}

void describe('sandbox policy for a linked worktree', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  const fresh = (prefix: string): string => { const d = tempDir(prefix); dirs.push(d); return d.dir; };
  after(() => dirs.forEach((d) => d.cleanup()));

  void test('the .git pointer, the worktree\'s commondir and the common dir\'s hooks, config and worktrees are protected; nothing outside the root is writable', () => {
    const { main, wt, gitDir, common } = repoWithWorktree(fresh('wtp-main-'), fresh('wtp-wt-'));
    assert.equal(common, realpathSync(path.join(main, '.git')));
    assert.equal(path.dirname(gitDir), path.join(common, 'worktrees'));
    assert.match(readFileSync(path.join(wt, '.git'), 'utf8'), /^gitdir: /);
    const p = defaultSandboxPolicy({ roots: [wt], home: '/nonexistent-home' });
    assert.deepEqual(p.writableRoots, [wt]);
    for (const want of [path.join(wt, '.git'), path.join(gitDir, 'commondir'), ...['hooks', 'config', 'commondir', 'worktrees'].map((n) => path.join(common, n))]) {
      assert.ok(p.protectedPaths.includes(want), `${want} protected`);
    }
    assert.ok(!p.protectedPaths.some((x) => x.startsWith(path.join(wt, '.git') + path.sep)), 'nothing is planned under the pointer file');
    assert.ok(!p.hiddenPaths.some((h) => common.startsWith(h) || h.startsWith(common)), 'the git dirs stay visible (readable)');
    // The mounts: the pointer read-only inside the root; the git dirs are outside every writable
    // mount (read-only with the rest of the system); no placeholder is made outside the root.
    const plan = planMounts(p);
    assert.deepEqual(plan.roots, [wt]);
    assert.ok(plan.mounts.some((m) => m.kind === 'read-only' && m.path === path.join(wt, '.git')));
    for (const m of plan.mounts.filter((x) => x.kind === 'writable' || x.kind === 'pin')) {
      assert.ok(m.path === wt || m.path.startsWith(wt + path.sep), `${m.kind} ${m.path} inside the worktree`);
    }
    for (const ph of plan.placeholders) assert.ok(ph.path.startsWith(wt + path.sep), `placeholder ${ph.path} inside the worktree`);
    // The git dirs are named readable (seen even under the sandbox's private /tmp), once: the
    // worktree's own lies inside the common dir.
    assert.deepEqual(p.readablePaths, [gitDir, common]);
    assert.deepEqual(plan.mounts.filter((m) => m.kind === 'read-only' && !m.path.startsWith(wt)).map((m) => m.path), [common]);
    // A main tree's own policy names nothing readable.
    assert.equal(defaultSandboxPolicy({ roots: [main], home: '/nonexistent-home' }).readablePaths, undefined);
  });

  void test('macOS profile: the git dirs of a worktree of a repository in a temp folder are not writable there', () => {
    const main = '/private/tmp/repo';
    const policy = {
      writableRoots: ['/Users/me/wt'], hiddenPaths: [], network: false,
      protectedPaths: ['/Users/me/wt/.git', `${main}/.git/hooks`, `${main}/.git/config`, '/Users/me/elsewhere/.git/hooks'],
      readablePaths: [`${main}/.git/worktrees/wt`, `${main}/.git`],
    };
    const profile = seatbeltProfile(policy, ['/private/tmp']);
    const denied = /\(deny file-write\*\n([\s\S]*?)\n\)/.exec(profile)?.[1] ?? '';
    for (const p of [`${main}/.git/hooks`, `${main}/.git/config`, `${main}/.git`, '/Users/me/wt/.git']) assert.ok(denied.includes(`(subpath "${p}")`), `${p} denied:\n${profile}`);
    assert.ok(!denied.includes('/Users/me/elsewhere'), 'outside the roots and temp folders: read-only anyway');
    assert.ok(profile.includes(`(literal "${main}")`), 'the folder holding it cannot be renamed away');
  });

  void test('a relative gitdir pointer (worktree.useRelativePaths) is followed the same way', () => {
    const { wt, gitDir, common } = repoWithWorktree(fresh('wtp-rel-main-'), fresh('wtp-rel-wt-'));
    writeFileSync(path.join(wt, '.git'), `gitdir: ${path.relative(wt, gitDir)}\n`);
    assert.equal(realpathSync(git(wt, 'rev-parse', '--absolute-git-dir')), gitDir, 'git takes the relative pointer');
    const p = defaultSandboxPolicy({ roots: [wt], home: '/nonexistent-home' });
    for (const want of [path.join(wt, '.git'), path.join(gitDir, 'commondir'), path.join(common, 'hooks'), path.join(common, 'config')]) {
      assert.ok(p.protectedPaths.includes(want), `${want} protected`);
    }
  });
});

void describe('bubblewrap sandbox rooted at a linked worktree', () => {
  let sandbox: CommandSandbox;
  let skip: string | undefined;
  // Outside /tmp: the sandbox has a private /tmp, where the main repository would not be seen.
  const mainBase = outsideTmp('wtb-main-');
  const wtBase = outsideTmp('wtb-wt-');
  let repo: ReturnType<typeof repoWithWorktree>;
  before(async () => {
    ({ sandbox, skip } = await realBubblewrap());
    repo = repoWithWorktree(mainBase.dir, wtBase.dir);
  });
  after(() => { mainBase.cleanup(); wtBase.cleanup(); });

  void test('git status and git diff work in the worktree; git commit, the pointer and the common dir\'s hooks and config cannot be written', async (t) => {
    if (skip) { t.skip(skip); return; }
    const { wt, main, common } = repo;
    writeFileSync(path.join(wt, 'a.txt'), 'one\ntwo\n');
    const policy = defaultSandboxPolicy({ roots: [wt], home: '/nonexistent-home' });
    const headBefore = git(main, 'rev-parse', 'agent/x');

    const status = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git status --porcelain`);
    assert.notEqual(status.isError, true, status.content);
    assert.match(status.content, /M a\.txt/);
    const diff = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git diff`);
    assert.notEqual(diff.isError, true, diff.content);
    assert.match(diff.content, /\+two/);
    const branch = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git rev-parse --abbrev-ref HEAD`);
    assert.match(branch.content, /agent\/x/);

    const commit = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git -c user.name=x -c user.email=x@example.invalid commit -qam sneaky`);
    assert.equal(commit.isError, true, commit.content);
    assert.match(commit.content, /Read-only file system|index\.lock/);
    assert.equal(git(main, 'rev-parse', 'agent/x'), headBefore, 'no commit landed');

    for (const command of ['echo "gitdir: /elsewhere" > .git', `echo 'echo pwned' > ${common}/hooks/pre-commit`, `echo '[core] hooksPath=/x' >> ${common}/config`]) {
      const r = await runSandboxed(sandbox, policy, command);
      assert.equal(r.isError, true, `${command}: ${r.content}`);
    }
    assert.match(readFileSync(path.join(wt, '.git'), 'utf8'), /^gitdir: .*worktrees/);
    assert.equal(existsSync(path.join(common, 'hooks', 'pre-commit')), false);
    assert.doesNotMatch(readFileSync(path.join(common, 'config'), 'utf8'), /hooksPath/);

    const write = await runSandboxed(sandbox, policy, 'echo new > b.txt');
    assert.notEqual(write.isError, true, write.content);
    assert.equal(readFileSync(path.join(wt, 'b.txt'), 'utf8'), 'new\n');
    assert.equal(existsSync(path.join(common, 'commondir')), false, 'no placeholder left in the common dir');
  });

  void test('a repository under /tmp (the sandbox\'s private /tmp): its worktree\'s git dirs are still seen, read-only', async (t) => {
    if (skip) { t.skip(skip); return; }
    const inTmp = tempDir('wtb-tmpmain-');
    try {
      const parent = path.join(wtBase.dir, 'second');
      mkdirSync(parent);
      const { wt, main, common } = repoWithWorktree(inTmp.dir, parent);
      assert.ok(common.startsWith('/tmp/'), common);
      writeFileSync(path.join(wt, 'a.txt'), 'changed\n');
      const policy = defaultSandboxPolicy({ roots: [wt], home: '/nonexistent-home' });
      const status = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git status --porcelain`);
      assert.notEqual(status.isError, true, status.content);
      assert.match(status.content, /M a\.txt/);
      const head = git(main, 'rev-parse', 'agent/x');
      const commit = await runSandboxed(sandbox, policy, `${GIT_PREFIX} git -c user.name=x -c user.email=x@example.invalid commit -qam sneaky`);
      assert.equal(commit.isError, true, commit.content);
      const hook = await runSandboxed(sandbox, policy, `echo 'echo pwned' > ${common}/hooks/pre-commit`);
      assert.equal(hook.isError, true, hook.content);
      assert.equal(git(main, 'rev-parse', 'agent/x'), head);
      assert.equal(existsSync(path.join(common, 'hooks', 'pre-commit')), false);
    } finally {
      inTmp.cleanup();
    }
  });
});
