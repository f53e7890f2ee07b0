/**
 * Path helpers shared by the sandbox back-ends and the refusal recogniser. They resolve symlinks
 * as far as the path exists (a protected path often does not exist yet) so that a mount or a
 * profile rule lands on the real location, never on a link a command could swap.
 */
import { lstatSync } from 'node:fs';
import { looseRealpath } from '../base/loose-realpath';
import * as path from 'node:path';

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isWithin(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(prefix);
}

/** The first of `parents` that holds `child`, if any. */
export function containing(child: string, parents: readonly string[]): string | undefined {
  return parents.find((p) => isWithin(child, p));
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false; // absent (or unreadable, which for our purposes is the same)
  }
}

/**
 * `p` with every symlink in its existing part resolved; the missing tail is appended as is.
 * A dangling link is followed to where it points (a command could create its target). Throws
 * after 40 links, like the kernel's ELOOP.
 */
export function resolveLoose(p: string): string {
  return looseRealpath(p).real;
}

/** The deepest existing ancestor of an absolute, already resolved path, and the missing names below it. */
export function splitExisting(resolved: string): { existing: string; missing: string[] } {
  let existing = resolved;
  const missing: string[] = [];
  while (!exists(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  return { existing, missing };
}

/** Strict ancestors of `p` below `root` (outermost first), e.g. root/.git for root/.git/hooks. */
export function ancestorsBelow(p: string, root: string): string[] {
  const out: string[] = [];
  for (let a = path.dirname(p); a !== root && isWithin(a, root) && a !== path.dirname(a); a = path.dirname(a)) out.unshift(a);
  return out;
}

/** Number of path segments, for ordering mounts outermost first. */
export function depth(p: string): number {
  return p.split(path.sep).filter(Boolean).length;
}
