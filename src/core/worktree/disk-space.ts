/**
 * Telling a full disk from other write failures. git's checkout says only "unable to write file
 * x" when the disk is full (and cleans up, so the space is free again by the time we look): the
 * checkout's size is compared with what the target's file system has free for the user.
 */
import { statfs } from 'node:fs/promises';
import * as path from 'node:path';
import { nulRecords, type GitCli } from './git-cli';
import { exists } from './git-output';

/** git's complaints about a file it could not write (a full disk among the possible causes). */
export const WRITE_FAILED = /unable to write|could not write|short write|failed to write|unable to create file|cannot create/i;

/** Bytes free for the user at `dir` (or its nearest existing parent) and the block size; undefined when unknown. */
async function freeSpace(dir: string): Promise<{ free: number; block: number } | undefined> {
  let at = dir;
  while (!exists(at) && path.dirname(at) !== at) at = path.dirname(at);
  try {
    const s = await statfs(at);
    return { free: Number(s.bavail) * Number(s.bsize), block: Number(s.bsize) || 4096 };
  } catch {
    return undefined; // no statfs here: the caller keeps git's own words
  }
}

/** True when a checkout of `commit` (its blobs, each rounded up to whole blocks) does not fit in what `dir`'s disk has free. */
export async function checkoutWontFit(cli: GitCli, repoRoot: string, commit: string, dir: string): Promise<boolean> {
  const space = await freeSpace(dir);
  if (!space) return false;
  const out = await cli.ok(['ls-tree', '-r', '-l', '-z', commit], { cwd: repoRoot, maxBytes: 256 * 1024 * 1024 }).catch(() => undefined);
  if (!out) return false;
  let need = 0;
  for (const rec of nulRecords(out)) {
    const size = Number(/^\d+ blob [0-9a-f]+ +(\d+)\t/.exec(rec)?.[1] ?? 0);
    need += Math.ceil(size / space.block) * space.block;
    if (need > space.free) return true;
  }
  return false;
}
