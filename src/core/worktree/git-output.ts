/**
 * Reading what git prints for the worktree port (runtime-checked: a line that does not parse is
 * skipped, never guessed): `status --porcelain=v1 -z`, `worktree list --porcelain`, and
 * `diff-tree -r -z` raw records. Plus the path helpers every operation shares.
 */
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { looseRealpath } from '../base/loose-realpath';
import { nulRecords } from './git-cli';

/** The paths `git status --porcelain=v1 -z` lists (a rename's new path; untracked included). */
export function porcelainPaths(out: Buffer): string[] {
  const records = nulRecords(out);
  const paths: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec.length < 4 || rec[2] !== ' ') continue;
    paths.push(rec.slice(3));
    if (rec[0] === 'R' || rec[0] === 'C') i++; // the next record is where it came from
  }
  return paths;
}

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  path: string;
  head?: string;
  /** Full ref name (`refs/heads/…`); absent when detached or bare. */
  branch?: string;
  bare: boolean;
  detached: boolean;
  /** Present when locked: the reason ('' when none was given). */
  locked?: string;
  /** Present when git would prune it: why. */
  prunable?: string;
}

/** Parses `git worktree list --porcelain` (the first entry is the main worktree). */
export function parseWorktreeList(out: Buffer): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let cur: WorktreeEntry | undefined;
  for (const line of out.toString('utf8').split('\n')) {
    if (line === '') { cur = undefined; continue; }
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (key === 'worktree') {
      cur = { path: value, bare: false, detached: false };
      entries.push(cur);
    } else if (cur) {
      if (key === 'HEAD') cur.head = value;
      else if (key === 'branch') cur.branch = value;
      else if (key === 'bare') cur.bare = true;
      else if (key === 'detached') cur.detached = true;
      else if (key === 'locked') cur.locked = value;
      else if (key === 'prunable') cur.prunable = value;
    }
  }
  return entries;
}

/** One record of `git diff-tree -r -z` (raw, no renames). Modes as git writes them (`000000`: absent). */
export interface TreeChange {
  path: string;
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  status: string;
}

/** Parses `git diff-tree -r -z --no-renames <a> <b>` raw output. */
export function parseRawDiff(out: Buffer): TreeChange[] {
  const records = nulRecords(out);
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < records.length; i += 2) {
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(records[i]!);
    if (!m) return changes;
    changes.push({ oldMode: m[1]!, newMode: m[2]!, oldOid: m[3]!, newOid: m[4]!, status: m[5]!, path: records[i + 1]! });
  }
  return changes;
}

/** A path relative to `root`, `/`-separated (how labels and git name files). */
export function labelOf(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** The real path of `p` (symlinks resolved as far as it exists: macOS /tmp → /private/tmp). */
export function realPath(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return looseRealpath(p).real;
  }
}

/** True when two folders are the same place (both resolved). */
export function samePlace(a: string, b: string): boolean {
  return realPath(a) === realPath(b);
}

/** True when `p` exists (a dangling symlink does not). */
export function exists(p: string): boolean {
  return existsSync(p);
}

/** A short commit id for messages. */
export function short(oid: string): string {
  return oid.slice(0, 8);
}
