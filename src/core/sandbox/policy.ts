/**
 * The default sandbox policy for a session: its roots writable except the files that steer git,
 * the editor and coding agents (protected, whether they exist yet or not), the usual credential
 * stores hidden, the network off unless asked for.
 *
 * Why these paths: each one is read and acted on *outside* the sandbox later — git runs hooks
 * and `core.fsmonitor`/`core.hooksPath` from config, VS Code applies `.vscode/settings.json` and
 * tasks, agents (this one included) obey AGENTS.md / CLAUDE.md / rules / skills / MCP configs,
 * direnv runs `.envrc`. A command that may write them escapes the sandbox one step later.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { SandboxPolicy } from './types';

/** Root-relative paths protected in every root (plus `.env*` files found at the root). */
export const DEFAULT_PROTECTED: readonly string[] = [
  '.vscode', '.mcp.json', '.env', 'AGENTS.md', 'CLAUDE.md', '.agents', '.claude',
  '.github/copilot-instructions.md', '.github/skills', '.github/workflows', '.cursor/rules',
  '.clinerules', '.gitmodules', '.gitattributes',
];

/**
 * Root-relative files protected only when they exist (a placeholder would stand in a real
 * file's way, e.g. `npm init`): manifests and tool configs whose scripts run on install or test.
 * Writing them asks in the permission engine too (sensitive targets).
 */
export const PROTECTED_IF_PRESENT: readonly string[] = [
  'package.json', 'pyproject.toml', 'setup.py', 'Makefile', 'GNUmakefile', 'makefile', '.npmrc', '.yarnrc', '.yarnrc.yml',
  '.envrc', '.pre-commit-config.yaml', '.husky',
];

/** Home-relative credential stores hidden from commands (masked only when they exist). */
export const DEFAULT_HIDDEN: readonly string[] = [
  '.ssh', '.aws', '.config/gh', '.gnupg', '.docker', '.kube', '.netrc', '.npmrc', '.pypirc',
  '.git-credentials', '.config/gcloud', '.azure', '.password-store', '.local/share/keyrings',
];

/**
 * Sockets that hand out more than the sandbox allows (a Docker daemon is root on the host).
 * Unix sockets stay connectable on a read-only mount, so they are hidden, not just read-only.
 */
const HOST_SOCKETS: readonly string[] = ['/run/docker.sock', '/var/run/docker.sock', '/run/podman/podman.sock'];

export interface DefaultPolicyInput {
  /** The session's workspace roots (absolute). They are the writable roots. */
  roots: readonly string[];
  /** Home folder whose credential stores are hidden. Default: `os.homedir()`. */
  home?: string;
  /** More protected paths from a setting: absolute, or relative to each root. */
  extraProtected?: readonly string[];
  /** More hidden paths from a setting: absolute, or `~/…`. */
  extraHidden?: readonly string[];
  /** Network access (default false). */
  network?: boolean;
  /**
   * Environment to read agent sockets from (`XDG_RUNTIME_DIR`: keyring, gpg- and ssh-agent,
   * the session bus; `SSH_AUTH_SOCK`). Omit to leave them visible.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What to protect inside one git directory: hooks and config (code git runs), `commondir`
 * (a file there makes git take hooks and config from any folder it names) and, when there are
 * linked worktrees, `worktrees` (each one's own `commondir` and config).
 */
function gitDirProtected(gitDir: string): string[] {
  const out = ['hooks', 'config', 'commondir'].map((n) => path.join(gitDir, n));
  // Only when it exists: an absent one guards nothing a new nested repository could not do
  // anyway (see the report on nested repositories), and each placeholder costs a mount.
  if (existsSync(path.join(gitDir, 'worktrees'))) out.push(path.join(gitDir, 'worktrees'));
  return out;
}

/** Whether `<root>/.git` is a file: a worktree's or submodule's pointer (absent counts as a folder to be). */
function gitIsFile(root: string): boolean {
  try {
    return !lstatSync(path.join(root, '.git')).isDirectory();
  } catch {
    return false;
  }
}

/** The git dir a `.git` pointer file names and its common dir (the main repository's `.git` for a worktree). */
function pointedGitDirs(root: string): { gitDir: string; common: string } | undefined {
  const m = /^gitdir:\s*(.+)$/m.exec(safeRead(path.join(root, '.git')));
  if (!m) return undefined;
  const gitDir = path.resolve(root, m[1]!.trim());
  const common = safeRead(path.join(gitDir, 'commondir')).trim();
  return { gitDir, common: common ? path.resolve(gitDir, common) : gitDir };
}

/** Protected paths for one root; `.git` handled by what it is (folder, worktree pointer, absent). */
function protectedFor(root: string, extra: readonly string[]): string[] {
  const out: string[] = [];
  const dotGit = path.join(root, '.git');
  // No .git yet: its entries are protected anyway, so `git init && echo … > .git/hooks/x` cannot
  // plant a hook. The cost: `git init` inside the sandbox fails (the user can run it).
  if (gitIsFile(root)) {
    // A worktree or submodule: the pointer itself, and the git dir it names (read-only anyway
    // when it lies outside the roots; protected here when it lies inside).
    out.push(dotGit);
    const dirs = pointedGitDirs(root);
    if (dirs) {
      out.push(path.join(dirs.gitDir, 'commondir'));
      out.push(...gitDirProtected(dirs.common));
    }
  } else {
    out.push(...gitDirProtected(dotGit));
    // Submodules' git dirs (one level): their hooks and config run when git works in them.
    for (const name of safeList(path.join(dotGit, 'modules'))) {
      out.push(...gitDirProtected(path.join(dotGit, 'modules', name)));
    }
  }
  out.push(...DEFAULT_PROTECTED.map((p) => path.join(root, p)));
  for (const name of safeList(root)) {
    if (name.startsWith('.env') || name.endsWith('.code-workspace') || PROTECTED_IF_PRESENT.includes(name)) out.push(path.join(root, name));
  }
  for (const p of extra) out.push(path.isAbsolute(p) ? path.normalize(p) : path.join(root, p));
  return out;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // unreadable or absent: nothing to follow
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // absent or not a folder: nothing listed
  }
}

/**
 * Builds the policy for a session's roots. Reads the file system synchronously (a handful of
 * `lstat`/`readdir` calls): call it per command, so `.env*` files and hidden folders created
 * since are covered. Paths that do not exist are kept in `protectedPaths` (the sandbox keeps
 * them from being created); `hiddenPaths` lists only what exists.
 */
export function defaultSandboxPolicy(input: DefaultPolicyInput): SandboxPolicy {
  const roots = [...new Set(input.roots.map((r) => path.resolve(r)))];
  const home = path.resolve(input.home ?? homedir());
  const extraProtected = input.extraProtected ?? [];
  const protectedPaths = [...new Set(roots.flatMap((r) => protectedFor(r, extraProtected)))];
  const hidden = [
    ...DEFAULT_HIDDEN.map((h) => path.join(home, h)),
    ...(input.extraHidden ?? []).map((h) => (h.startsWith('~/') ? path.join(home, h.slice(2)) : path.resolve(h))),
    ...HOST_SOCKETS,
    ...[input.env?.XDG_RUNTIME_DIR, input.env?.SSH_AUTH_SOCK].filter((p): p is string => !!p && path.isAbsolute(p)),
  ];
  const hiddenPaths = [...new Set(hidden)].filter((h) => existsSync(h));
  // A worktree's git dirs lie outside its root: readable (git status, git diff), never writable.
  const readable = roots.filter(gitIsFile).flatMap((r) => {
    const dirs = pointedGitDirs(r);
    return dirs ? [dirs.gitDir, dirs.common] : [];
  });
  const readablePaths = [...new Set(readable)].filter((p) => existsSync(p) && !roots.some((r) => p === r || p.startsWith(`${r}${path.sep}`)));
  return { writableRoots: roots, protectedPaths, hiddenPaths, ...(readablePaths.length > 0 ? { readablePaths } : {}), network: input.network ?? false };
}
