/**
 * The file-level pieces of applying a worktree as a patch: what the main tree's working file is
 * now (as a blob id and mode), blobs read as a checkout would write them, a three-way text merge
 * with `git merge-file`, and writing / deleting a main-tree file safely (never through a symlinked
 * folder out of the tree). None of them touches the main tree's index.
 */
import { chmod, lstat, mkdir, readFile, readlink, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../tools/file-write';
import { AgentError } from '../base/errors';
import { complaint, diskFullError, isDiskFull, type GitCli } from './git-cli';
import { realPath } from './git-output';

/** A side of a file: its blob id and git mode (`100644`, `100755`, `120000`), or null when absent. */
export type Side = { oid: string; mode: string } | null;
/** The main tree's side, or `other` when something that is not a file or link is there (a folder). */
export type OursSide = Side | 'other';

export const LINK_MODE = '120000';
export const GITLINK_MODE = '160000';

/** Whether the repository tracks the executable bit (`core.fileMode`, default true). */
export async function tracksFileMode(cli: GitCli, repoRoot: string): Promise<boolean> {
  const r = await cli.run(['config', '--type=bool', '--get', 'core.filemode'], { cwd: repoRoot });
  return r.code !== 0 || r.stdout.toString('utf8').trim() !== 'false';
}

/**
 * The main tree's side of each path: regular files hashed together through git's clean filters
 * (`hash-object --stdin-paths`, as `git add` would store them), symlinks by their target, absent
 * paths as null. `modeFallback` gives the mode to assume when the file system has no exec bit.
 */
export async function oursSides(cli: GitCli, repoRoot: string, paths: readonly string[], fileMode: boolean, modeFallback: (p: string) => string): Promise<Map<string, OursSide>> {
  const sides = new Map<string, OursSide>();
  const regular: Array<{ rel: string; mode: string }> = [];
  for (const rel of paths) {
    const st = await lstat(path.join(repoRoot, rel)).catch(() => undefined);
    if (!st) sides.set(rel, null);
    else if (st.isSymbolicLink()) {
      const target = await readlink(path.join(repoRoot, rel), { encoding: 'buffer' });
      sides.set(rel, { oid: await hashBytes(cli, repoRoot, target, false), mode: LINK_MODE });
    } else if (st.isFile() && !rel.includes('\n')) {
      regular.push({ rel, mode: fileMode ? ((st.mode & 0o100) !== 0 ? '100755' : '100644') : modeFallback(rel) });
    } else sides.set(rel, 'other');
  }
  if (regular.length > 0) {
    const out = await cli.text(['hash-object', '--stdin-paths'], { cwd: repoRoot, input: regular.map((r) => r.rel).join('\n') + '\n', timeoutMs: 300_000 });
    const oids = out.split('\n');
    if (oids.length !== regular.length) throw new AgentError('unknown', `git hash-object gave ${oids.length} ids for ${regular.length} files in ${repoRoot}`);
    regular.forEach((r, i) => sides.set(r.rel, { oid: oids[i]!, mode: r.mode }));
  }
  return sides;
}

/** Stores `bytes` as a blob (`hash-object -w`); `filters`: through the clean filters of `asPath`. */
export async function hashBytes(cli: GitCli, cwd: string, bytes: Buffer, write: boolean, asPath?: string): Promise<string> {
  const args = ['hash-object', ...(write ? ['-w'] : []), '--stdin', ...(asPath ? [`--path=${asPath}`] : ['--no-filters'])];
  return cli.text(args, { cwd, input: bytes });
}

/** A blob as a checkout writes it at `rel` (smudge and line-ending filters applied; a link's target raw). */
export async function blobForCheckout(cli: GitCli, repoRoot: string, side: NonNullable<Side>, rel: string): Promise<Buffer> {
  const args = side.mode === LINK_MODE ? ['cat-file', 'blob', side.oid] : ['cat-file', '--filters', `--path=${rel}`, side.oid];
  return cli.ok(args, { cwd: repoRoot, timeoutMs: 120_000, maxBytes: 512 * 1024 * 1024 });
}

/** True when git would call the content binary (a NUL in its first 8000 bytes). */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** Labels of the three sides in conflict markers. */
export const MARKER_LABELS = { ours: 'main tree', base: 'base', theirs: 'session branch' } as const;

/**
 * Three-way merge of one text file with `git merge-file -p`: the merged bytes and how many
 * conflicts it holds (0: clean). `scratch` is a private temp folder for the three inputs.
 */
export async function mergeText(cli: GitCli, cwd: string, scratch: string, n: number, sides: { ours: Buffer; base: Buffer; theirs: Buffer }): Promise<{ bytes: Buffer; conflicts: number }> {
  const files = { ours: path.join(scratch, `${n}.ours`), base: path.join(scratch, `${n}.base`), theirs: path.join(scratch, `${n}.theirs`) };
  await Promise.all([writeFile(files.ours, sides.ours), writeFile(files.base, sides.base), writeFile(files.theirs, sides.theirs)]);
  try {
    const r = await cli.run(['merge-file', '-p', '-L', MARKER_LABELS.ours, '-L', MARKER_LABELS.base, '-L', MARKER_LABELS.theirs, files.ours, files.base, files.theirs], { cwd, maxBytes: 512 * 1024 * 1024 });
    if (r.code < 0 || r.code > 127) throw new AgentError('unknown', `git merge-file failed: ${complaint(r)}`);
    return { bytes: r.stdout, conflicts: r.code };
  } finally {
    await Promise.all(Object.values(files).map((f) => rm(f, { force: true })));
  }
}

/**
 * Where `rel` lands under `repoRoot`, or undefined when a folder on the way is a symlink out of
 * the tree (writing there would write outside it).
 */
export function insideTree(repoRoot: string, rel: string): string | undefined {
  const abs = path.join(repoRoot, ...rel.split('/'));
  const parent = realPath(path.dirname(abs));
  const back = path.relative(repoRoot, parent);
  return back.startsWith('..') || path.isAbsolute(back) ? undefined : path.join(parent, path.basename(abs));
}

/** Writes `bytes` at `abs` (atomically for files) with the executable bit of `mode`; a link's target for 120000. */
export async function writeSide(abs: string, bytes: Buffer, mode: string): Promise<void> {
  try {
    if (mode === LINK_MODE) {
      await mkdir(path.dirname(abs), { recursive: true });
      await rm(abs, { force: true });
      await symlink(bytes.toString('utf8'), abs);
      return;
    }
    const before = await lstat(abs).catch(() => undefined);
    if (before?.isSymbolicLink()) await rm(abs, { force: true });
    await writeFileAtomic(abs, bytes);
    await setExecutable(abs, mode === '100755');
  } catch (e) {
    if (isDiskFull(e)) throw diskFullError(path.dirname(abs), e);
    throw e;
  }
}

/** Sets or clears the executable bits (where read bits are), as git does on checkout. */
export async function setExecutable(abs: string, exec: boolean): Promise<void> {
  const st = await stat(abs);
  const want = exec ? st.mode | ((st.mode & 0o444) >> 2) : st.mode & ~0o111;
  if ((want & 0o7777) !== (st.mode & 0o7777)) await chmod(abs, want & 0o7777);
}

/** Deletes the file or link at `abs`, then the folders it leaves empty up to (not including) `repoRoot`. */
export async function deleteSide(repoRoot: string, abs: string): Promise<void> {
  await rm(abs, { force: true });
  for (let dir = path.dirname(abs); dir.startsWith(repoRoot + path.sep); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or gone): the folders above are not empty either
    }
  }
}

/** The main tree's current bytes at `abs` (a link: its target). */
export async function readOurs(abs: string): Promise<Buffer> {
  const st = await lstat(abs);
  return st.isSymbolicLink() ? readlink(abs, { encoding: 'buffer' }) : readFile(abs);
}
