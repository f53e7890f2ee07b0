/**
 * Turns a {@link SandboxPolicy} into the mounts a Linux sandbox needs, resolved against the
 * file system as it is now: which roots exist, which protected paths exist (bound read-only on
 * themselves), which do not (a placeholder at their first missing component), which git dirs
 * outside the roots must stay visible (read-only), which folders must be pinned so they cannot
 * be renamed away, and which hidden paths to mask.
 *
 * Why pins: a read-only bind sits on a folder, not on a name. `mv .git .gitx; mkdir .git` would
 * leave the protected `.gitx/hooks` behind and give the command a fresh, writable `.git/hooks`.
 * Binding every folder between a root and a protected path onto itself (writable) makes it a
 * mount point, which the kernel refuses to rename or remove (EBUSY); its contents stay writable.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { ancestorsBelow, containing, depth, isWithin, resolveLoose, splitExisting } from './paths';
import type { MountPointSpec } from './mount-points';
import type { SandboxPolicy } from './types';

/** One mount, in the order it must be applied (outermost first). */
export type PlannedMount =
  | { kind: 'writable'; path: string }
  | { kind: 'pin'; path: string }
  | { kind: 'read-only'; path: string }
  | { kind: 'hide-dir'; path: string }
  | { kind: 'hide-file'; path: string };

export interface MountPlan {
  /** Existing writable roots, real paths, none inside another. */
  roots: string[];
  mounts: PlannedMount[];
  /** Placeholders to create before the command (each also has a `read-only` mount). */
  placeholders: MountPointSpec[];
}

/**
 * A placeholder file's content by name. git reads `<gitdir>/commondir` whenever it exists and
 * dies on anything it cannot read, so that placeholder is a file saying "my own folder".
 */
const FILE_PLACEHOLDERS: Readonly<Record<string, string>> = { commondir: '.\n' };

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function kindOf(p: string): 'dir' | 'file' | 'absent' {
  try {
    return statSync(p).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'absent';
  }
}

/** Plans the mounts for `policy`. Throws only on a symlink loop. */
export function planMounts(policy: SandboxPolicy): MountPlan {
  const roots: string[] = [];
  for (const r of [...new Set(policy.writableRoots.map((x) => resolveLoose(x)))].sort((a, b) => depth(a) - depth(b))) {
    if (isDir(r) && !containing(r, roots)) roots.push(r);
  }

  // Protected paths → where the read-only mount goes.
  const targets = new Map<string, MountPointSpec | undefined>(); // path → placeholder, or undefined if it exists
  for (const p of policy.protectedPaths) {
    const real = resolveLoose(p);
    const root = containing(real, roots);
    if (!root) continue; // outside the writable roots: read-only already
    const { existing, missing } = splitExisting(real);
    if (missing.length === 0) {
      targets.set(real, undefined);
    } else if (!isDir(existing)) {
      // Under a file (e.g. `.git` is a worktree pointer): pin the file itself, so it cannot
      // be replaced by a folder that would hold the path.
      if (existing !== root) targets.set(existing, undefined);
    } else {
      const first = path.join(existing, missing[0]!);
      const content = missing.length === 1 ? FILE_PLACEHOLDERS[path.basename(first)] : undefined;
      if (!targets.has(first)) targets.set(first, { path: first, ...(content !== undefined ? { content } : {}) });
    }
  }
  // A target inside another is covered by it (and mounting under a placeholder would create
  // things inside our own placeholder).
  const kept = [...targets.keys()].sort((a, b) => depth(a) - depth(b)).filter((t, i, all) => !all.slice(0, i).some((o) => o !== t && isWithin(t, o)));

  const hidden: PlannedMount[] = [];
  for (const h of policy.hiddenPaths) {
    const real = resolveLoose(h);
    const kind = kindOf(real);
    if (kind === 'absent' || roots.some((r) => isWithin(r, real))) continue; // nothing to hide, or it holds a root
    hidden.push({ kind: kind === 'dir' ? 'hide-dir' : 'hide-file', path: real });
  }

  // Git dirs a worktree's pointer names: bound read-only onto themselves, so they are seen even
  // where the sandbox has its own file system (the private /tmp). Never under a hidden path.
  const readable: PlannedMount[] = [];
  for (const real of (policy.readablePaths ?? []).map((r) => resolveLoose(r)).sort((a, b) => depth(a) - depth(b))) {
    if (kindOf(real) !== 'dir' || containing(real, roots) || hidden.some((h) => isWithin(real, h.path))) continue;
    if (!readable.some((o) => isWithin(real, o.path))) readable.push({ kind: 'read-only', path: real });
  }

  const pins = new Set<string>();
  for (const t of [...kept, ...hidden.map((h) => h.path)]) {
    const root = containing(t, roots);
    if (root) for (const a of ancestorsBelow(t, root)) if (!targets.has(a)) pins.add(a);
  }

  // Order: outermost first; at equal depth writable < pin < read-only < hidden, so a later
  // (recursive) bind never re-exposes a protected mount beneath it.
  const rank: Record<PlannedMount['kind'], number> = { writable: 0, pin: 1, 'read-only': 2, 'hide-dir': 3, 'hide-file': 3 };
  const mounts: PlannedMount[] = [
    ...roots.map((p) => ({ kind: 'writable' as const, path: p })),
    ...[...pins].map((p) => ({ kind: 'pin' as const, path: p })),
    ...kept.map((p) => ({ kind: 'read-only' as const, path: p })),
    ...readable,
    ...hidden,
  ].sort((a, b) => depth(a.path) - depth(b.path) || rank[a.kind] - rank[b.kind]);

  const placeholders = kept.map((t) => targets.get(t)).filter((s): s is MountPointSpec => s !== undefined);
  return { roots, mounts, placeholders };
}
