/**
 * Real git repositories in temp folders for the worktree tests: a private global config (identity,
 * `main` as the first branch), no system config, so nothing depends on the machine's git setup.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitWorktrees } from '../../../src/core/worktree/git-worktrees';

export interface Fixture {
  /** The temp folder holding everything (real path). */
  root: string;
  /** The main repository's top. */
  repo: string;
  /** Where worktrees are made in the tests. */
  wtDir: string;
  env: NodeJS.ProcessEnv;
  wt: GitWorktrees;
  /** Runs git (throws on failure), returns stdout. */
  git(cwd: string, ...args: string[]): string;
  /** Runs git, returns exit code, stdout and stderr. */
  tryGit(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string };
  write(rel: string, content: string | Buffer, base?: string): void;
  read(rel: string, base?: string): string;
  cleanup(): void;
}

export interface FixtureOptions {
  /** Extra lines for the private global config. */
  config?: string;
  /** Files of the first commit (default: a.txt, b.txt, dir/c.txt). `null`: no commit at all. */
  files?: Record<string, string | Buffer> | null;
}

export function makeFixture(o: FixtureOptions = {}): Fixture {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'wt-test-')));
  const globalConfig = path.join(root, 'gitconfig');
  writeFileSync(globalConfig, `[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n[protocol "file"]\n\tallow = always\n${o.config ?? ''}`);
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', HOME: root, XDG_CONFIG_HOME: path.join(root, 'xdg') };
  for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  const repo = path.join(root, 'repo');
  const wtDir = path.join(root, 'worktrees');
  mkdirSync(repo);
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tryGit = (cwd: string, ...args: string[]) => {
    try {
      return { code: 0, stdout: git(cwd, ...args), stderr: '' };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      return { code: err.status ?? -1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
    }
  };
  const write = (rel: string, content: string | Buffer, base = repo): void => {
    mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    writeFileSync(path.join(base, rel), content);
  };
  git(repo, 'init', '-q');
  const files = o.files === undefined ? { 'a.txt': 'alpha\n', 'b.txt': 'bravo\n', 'dir/c.txt': 'charlie\n' } : o.files;
  if (files) {
    for (const [rel, content] of Object.entries(files)) write(rel, content);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first');
  }
  return {
    root, repo, wtDir, env, git, tryGit, write,
    wt: new GitWorktrees({ env: { GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', HOME: root, XDG_CONFIG_HOME: path.join(root, 'xdg') } }),
    read: (rel, base = repo) => readFileSync(path.join(base, rel), 'utf8'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Commits everything in `cwd` with `message`. */
export function commitAll(f: Fixture, cwd: string, message: string): string {
  f.git(cwd, 'add', '-A');
  f.git(cwd, 'commit', '-q', '-m', message);
  return f.git(cwd, 'rev-parse', 'HEAD').trim();
}

/** `git status --porcelain` without refreshing the index (so the test itself changes nothing). */
export function statusOf(f: Fixture, cwd: string): string {
  return f.git(cwd, '--no-optional-locks', 'status', '--porcelain=v1', '-uall');
}
