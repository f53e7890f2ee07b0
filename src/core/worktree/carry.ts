/**
 * Carrying the main tree's uncommitted state into a new worktree made from HEAD, without touching
 * the main tree or its index: tracked changes (staged and unstaged, deletions, mode changes,
 * binary) as `git diff --binary HEAD` written to a temporary file and applied with `git apply`
 * in the worktree; untracked files that are not ignored copied as they are (symlinks as links).
 */
import { lstat, mkdir, mkdtemp, readlink, rm, symlink, copyFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AgentError } from '../base/errors';
import { complaint, diskFullError, isDiskFull, nulRecords, type GitCli } from './git-cli';
import { labelOf } from './git-output';
import { isSafeTreePath } from './inputs';

/** What carrying copied. */
export interface Carried {
  /** Tracked files changed plus untracked files copied. */
  files: number;
  notes: string[];
}

/** Flags that make `git diff` print an exact, applicable patch whatever the user's configuration. */
const EXACT_DIFF = ['--binary', '--full-index', '--no-ext-diff', '--no-textconv', '--no-color', '--no-renames', '--ignore-submodules=all', '--src-prefix=a/', '--dst-prefix=b/'];

/** How many untracked files are copied at once. */
const COPY_PARALLEL = 8;

/**
 * Copies the uncommitted state of `repoRoot` (the main tree) into the fresh worktree `dir`, which
 * must be checked out at the main tree's HEAD. Reads only, in the main tree (git's optional locks
 * are off, so not even the index's stat cache is rewritten).
 */
export async function carryChanges(cli: GitCli, repoRoot: string, dir: string, signal?: AbortSignal): Promise<Carried> {
  const notes: string[] = [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'agent-sessions-carry-'));
  try {
    const patch = path.join(scratch, 'carry.patch');
    await cli.ok(['diff', ...EXACT_DIFF, `--output=${patch}`, 'HEAD', '--'], { cwd: repoRoot, signal, timeoutMs: 300_000 });
    const names = nulRecords(await cli.ok(['diff', '--name-only', '-z', '--no-renames', '--ignore-submodules=all', 'HEAD', '--'], { cwd: repoRoot, signal }));
    if ((await stat(patch)).size > 0) {
      const r = await cli.run(['apply', '--whitespace=nowarn', '--binary', patch], { cwd: dir, signal, timeoutMs: 300_000 });
      if (r.code !== 0) throw new AgentError('unknown', `the main tree's uncommitted changes could not be applied in the new worktree: ${complaint(r)}`);
    }
    const copied = await copyUntracked(cli, repoRoot, dir, notes, signal);
    return { files: names.length + copied, notes };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Copies the main tree's untracked, not ignored files into `dir`; returns how many. */
async function copyUntracked(cli: GitCli, repoRoot: string, dir: string, notes: string[], signal?: AbortSignal): Promise<number> {
  const listed = nulRecords(await cli.ok(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, signal }));
  // A worktree folder inside the main tree (e.g. `.worktrees/`, not ignored) must not copy itself.
  const own = labelOf(repoRoot, dir);
  const inside = !own.startsWith('..') && !path.isAbsolute(own) ? `${own}/` : undefined;
  const nested: string[] = [];
  const files = listed.filter((rel) => {
    if (inside && (rel === own || rel.startsWith(inside))) return false;
    if (rel.endsWith('/')) { nested.push(rel); return false; } // a repository of its own inside the tree
    return isSafeTreePath(rel);
  });
  if (nested.length > 0) notes.push(`not carried over (a git repository of its own inside the tree): ${nested.slice(0, 5).join(', ')}${nested.length > 5 ? ` and ${nested.length - 5} more` : ''}`);
  let copied = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      if (signal?.aborted) throw new AgentError('cancelled', 'Cancelled.');
      const rel = files[next++]!;
      if (await copyOne(path.join(repoRoot, rel), path.join(dir, rel))) copied++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPY_PARALLEL, files.length) }, worker));
  return copied;
}

/** Copies one file or symlink (false: it is gone, or not a file). A full disk is a storage error. */
async function copyOne(from: string, to: string): Promise<boolean> {
  try {
    const st = await lstat(from).catch(() => undefined);
    if (!st) return false; // removed since git listed it
    await mkdir(path.dirname(to), { recursive: true });
    if (st.isSymbolicLink()) await symlink(await readlink(from), to);
    else if (st.isFile()) await copyFile(from, to); // copies the mode bits as well
    else return false;
    return true;
  } catch (e) {
    if (isDiskFull(e)) throw diskFullError(path.dirname(to), e);
    throw new AgentError('unknown', `could not copy ${from} into the worktree: ${(e as Error).message}`, { cause: e });
  }
}
