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

/** Real path of the deepest existing ancestor + the rest (so symlinked folders are seen through). */
function realpathLenient(p: string): string {
  const rest: string[] = [];
  let cur = p;
  while (!existsSync(cur)) {
    const parent = path.dirname(cur);
    if (parent === cur) break;
    rest.unshift(path.basename(cur));
    cur = parent;
  }
  try {
    return path.join(realpathSync(cur), ...rest);
  } catch {
    return p; // unreadable: judge the lexical path
  }
}

/** Maps an absolute path to a {@link Target} against the workspace roots (given or real). */
export function toTarget(absolute: string, roots: readonly string[]): Target {
  const real = realpathLenient(path.resolve(absolute));
  for (const root of roots) {
    for (const r of [realRoot(root), path.resolve(root)]) {
      const rel = path.relative(r, real);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { absolute: real, relative: rel.split(path.sep).join('/') };
    }
  }
  return { absolute: real, relative: undefined };
}

/** Resolves a redirection target written in a command (relative to `cwd`; `~` is home, i.e. outside). */
export function commandTarget(written: string, cwd: string, roots: readonly string[]): Target {
  const expanded = written === '~' || written.startsWith('~/') ? path.join(process.env.HOME ?? '/', written.slice(1)) : written;
  return toTarget(path.resolve(cwd, expanded), roots);
}
