import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AgentError } from '../base/errors';

/** A path resolved inside the workspace. */
export interface ResolvedPath {
  /** Absolute, symlink-free path (for a not-yet-existing file: its real parent + the new name). */
  absolute: string;
  /** The workspace root it lies under (real path). */
  root: string;
  /** Path relative to that root, with forward slashes ("" for the root itself). */
  relative: string;
}

/** Upper bound on symlink hops before we call it a loop (the OS has its own, ELOOP). */
const MAX_LINK_HOPS = 40;

function refuse(message: string): AgentError {
  return new AgentError('bad_request', message);
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Real path of `p`; for paths that do not exist yet, the real path of the deepest existing
 * ancestor joined with the remaining segments. This is what makes "new file under a symlinked
 * directory that points outside" detectable. Throws on symlink loops.
 */
export async function realpathLenient(p: string): Promise<string> {
  const missing: string[] = [];
  let current = p;
  for (let hops = 0; ; hops++) {
    try {
      const real = await fs.realpath(current);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw refuse(`The path ${p} goes through a symbolic link loop.`);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      // A dangling symlink: follow it by hand so a link to a missing file outside is still caught.
      const link = await fs.readlink(current).catch(() => undefined);
      if (link !== undefined) {
        if (hops > MAX_LINK_HOPS) throw refuse(`The path ${p} goes through a symbolic link loop.`);
        current = path.resolve(path.dirname(current), link);
        continue;
      }
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...missing.reverse());
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolves a user/model path against the session's workspace roots. Relative paths resolve
 * against the first root; absolute paths must lie inside one of them. `..` escapes and
 * symlinks leading outside are refused with a message written for the model.
 */
export async function resolveWorkspacePath(input: string, roots: readonly string[]): Promise<ResolvedPath> {
  if (roots.length === 0) throw refuse('No workspace folder is open, so no file can be accessed.');
  if (input.includes('\0')) throw refuse('The path contains a NUL character.');
  const trimmed = input.trim() === '' ? '.' : input.trim();
  const realRoots = await Promise.all(roots.map(async (r) => ({ given: path.resolve(r), real: await fs.realpath(r).catch(() => path.resolve(r)) })));

  let lexical: string;
  if (path.isAbsolute(trimmed)) {
    lexical = path.normalize(trimmed);
    const owner = realRoots.find((r) => isInside(r.given, lexical) || isInside(r.real, lexical));
    if (!owner) {
      throw refuse(`The path ${input} is outside the workspace (${roots.join(', ')}). Use a path inside the workspace, relative to its root.`);
    }
  } else {
    lexical = path.resolve(realRoots[0].given, trimmed);
    if (!isInside(realRoots[0].given, lexical)) {
      throw refuse(`The path ${input} leaves the workspace through "..". Use a path inside the workspace, relative to its root.`);
    }
  }

  const real = await realpathLenient(lexical);
  const owner = realRoots.find((r) => isInside(r.real, real));
  if (!owner) {
    throw refuse(`The path ${input} resolves through a symbolic link to ${real}, which is outside the workspace. Only files inside the workspace can be accessed.`);
  }
  return { absolute: real, root: owner.real, relative: toPosix(path.relative(owner.real, real)) };
}

/** Like {@link resolveWorkspacePath} but never throws: returns the message instead. */
export async function tryResolveWorkspacePath(input: string, roots: readonly string[]): Promise<ResolvedPath | { error: string }> {
  try {
    return await resolveWorkspacePath(input, roots);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
