import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

/** A file a call touches, as the permission engine sees it. */
export interface Target {
  absolute: string;
  /** Workspace-relative (posix), or undefined when outside every workspace root. */
  relative: string | undefined;
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

/** Real paths of folders already looked up, for one analysis (the file system is read once per folder). */
export type RealpathCache = Map<string, string | null>;

function exists(p: string, cache?: RealpathCache): boolean {
  if (!cache) return existsSync(p);
  let r = cache.get(`?${p}`);
  if (r === undefined) { r = existsSync(p) ? '' : null; cache.set(`?${p}`, r); }
  return r !== null;
}

/** Real path of the deepest existing ancestor + the rest (so symlinked folders are seen through). */
function realpathLenient(p: string, cache?: RealpathCache): string {
  const rest: string[] = [];
  let cur = p;
  while (!exists(cur, cache)) {
    const parent = path.dirname(cur);
    if (parent === cur) break;
    rest.unshift(path.basename(cur));
    cur = parent;
  }
  try {
    let real = cache?.get(cur);
    if (typeof real !== 'string') { real = realpathSync(cur); cache?.set(cur, real); }
    return path.join(real, ...rest);
  } catch {
    return p; // unreadable: judge the lexical path
  }
}

/** Maps an absolute path to a {@link Target} against the workspace roots (given or real). */
export function toTarget(absolute: string, roots: readonly string[], cache?: RealpathCache): Target {
  const real = realpathLenient(path.resolve(absolute), cache);
  for (const root of roots) {
    for (const r of [realRoot(root), path.resolve(root)]) {
      const rel = path.relative(r, real);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { absolute: real, relative: rel.split(path.sep).join('/') };
    }
  }
  return { absolute: real, relative: undefined };
}
