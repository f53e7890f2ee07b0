import { realpathSync, statSync } from 'node:fs';
import { looseRealpath, type RealpathCache } from '../base/loose-realpath';
import * as path from 'node:path';

/** A file a call touches, as the permission engine sees it. */
export interface Target {
  absolute: string;
  /** Workspace-relative (posix), or undefined when outside every workspace root. */
  relative: string | undefined;
  /**
   * Link count of an existing regular file that has more than one (hard links): its other names
   * may lie outside the workspace and cannot be listed cheaply, so it is never provably inside.
   * Undefined for ordinary files, folders and paths that do not exist.
   */
  hardLinks?: number;
}

const realRootCache = new Map<string, string>();

function realRoot(root: string): string {
  let real = realRootCache.get(root);
  if (real === undefined) {
    try { real = realpathSync(root); } catch { real = path.resolve(root); }
    realRootCache.set(root, real);
  }
  return real;
}

export type { RealpathCache };

/** Real location (symlinks, dangling ones too, followed) and whether all of it exists; never throws. */
function realpathLenient(p: string, cache?: RealpathCache): { real: string; exists: boolean } {
  try {
    return looseRealpath(p, cache);
  } catch {
    return { real: p, exists: false }; // a link loop: judge the lexical path (writing through it fails anyway)
  }
}

/** The link count of a regular file when above 1 (one stat per path and analysis). */
function hardLinksOf(real: string, cache?: RealpathCache): number | undefined {
  const key = `#${real}`;
  const known = cache?.get(key);
  if (known !== undefined) return known === null ? undefined : Number(known);
  let links: number | undefined;
  try {
    const st = statSync(real, { throwIfNoEntry: false });
    // Folders always have several links (`.`, `..`, subfolders); only files can be hard-linked.
    links = st?.isFile() && st.nlink > 1 ? st.nlink : undefined;
  } catch {
    links = undefined; // unreadable: nothing can be read or written through it either
  }
  cache?.set(key, links === undefined ? null : String(links));
  return links;
}

/** Maps an absolute path to a {@link Target} against the workspace roots (given or real). */
export function toTarget(absolute: string, roots: readonly string[], cache?: RealpathCache): Target {
  const { real, exists } = realpathLenient(path.resolve(absolute), cache);
  const hardLinks = exists ? hardLinksOf(real, cache) : undefined;
  const linked = hardLinks === undefined ? {} : { hardLinks };
  for (const root of roots) {
    for (const r of [realRoot(root), path.resolve(root)]) {
      const rel = path.relative(r, real);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { absolute: real, relative: rel.split(path.sep).join('/'), ...linked };
    }
  }
  return { absolute: real, relative: undefined, ...linked };
}
