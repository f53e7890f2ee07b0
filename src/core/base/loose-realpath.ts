/**
 * Where a path really lands: symlinks resolved as far as the path exists, the missing tail
 * appended as is — and a dangling symlink followed to where it points, because writing through
 * it creates its target (`ln -s ../../outside h` then `echo x > h` writes outside). Shared by the
 * permission engine's targets and the sandbox's mounts, so both see the same place.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

/** Lookups already made for one caller (one analysis): `?p` → exists, `p` → real path. */
export type RealpathCache = Map<string, string | null>;

const MAX_HOPS = 40;

/** True when `p` exists as an entry (a dangling symlink counts: lstat, not stat). */
function entryExists(p: string, cache?: RealpathCache): boolean {
  const key = `?${p}`;
  const known = cache?.get(key);
  if (known !== undefined) return known !== null;
  let yes: boolean;
  try {
    lstatSync(p);
    yes = true;
  } catch {
    yes = false; // absent (or unreadable, which for our purposes is the same)
  }
  cache?.set(key, yes ? '' : null);
  return yes;
}

/**
 * The real location of `p` and whether all of it exists. Throws after 40 links (like ELOOP).
 * A path whose existing part cannot be resolved (unreadable) is returned as given.
 */
export function looseRealpath(p: string, cache?: RealpathCache, hops = 0): { real: string; exists: boolean } {
  if (hops > MAX_HOPS) throw new Error(`too many levels of symbolic links: ${p}`);
  let existing = path.resolve(p);
  const rest: string[] = [];
  while (!entryExists(existing, cache)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  let real = cache?.get(existing);
  if (typeof real !== 'string') {
    try {
      real = realpathSync.native(existing);
    } catch {
      // `existing` is a dangling symlink (its parents resolve): follow it by hand.
      let link: string;
      try { link = readlinkSync(existing); } catch { return { real: path.resolve(p), exists: false }; }
      return looseRealpath(path.join(path.resolve(path.dirname(existing), link), ...rest), cache, hops + 1);
    }
    cache?.set(existing, real);
  }
  return { real: path.join(real, ...rest), exists: rest.length === 0 };
}
