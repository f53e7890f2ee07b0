/**
 * What a file is now, as a restore must see it: read without storing, never through a link that
 * leads out of the workspace. A restore writes where the log says a file was; if someone swapped
 * in a symbolic link since (the file itself, or a folder on the way), writing there could change
 * a file outside the workspace, so such a path is refused rather than followed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileImage } from '../../shared/changes';
import { readBytes } from './images';
import { looksBinary, sha256 } from './blob-store';

/** A file now: there is none, its bytes, or why it may not be touched. */
export type FileNow =
  | { kind: 'absent' }
  | { kind: 'file'; bytes: Buffer; hash: string }
  | { kind: 'refused'; reason: string };

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's real path, plus the rest. */
async function realFolder(folder: string): Promise<string> {
  const rest: string[] = [];
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    try {
      return path.join(await fs.realpath(dir), ...rest.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(dir) === dir) throw e;
      rest.push(path.basename(dir));
    }
  }
}

/**
 * Why `absolute` may not be written (undefined: it may): the folder it is in resolves, through a
 * symbolic link, outside the workspace folder that holds it (or, for a path outside every folder,
 * anywhere but where it says).
 */
export async function escapeReason(absolute: string, roots: readonly string[]): Promise<string | undefined> {
  const folder = path.dirname(path.resolve(absolute));
  let real: string;
  try {
    real = await realFolder(folder);
  } catch (e) {
    return `its folder could not be checked (${(e as Error).message}); it was not touched`;
  }
  if (real === folder) return undefined; // no link on the way: it is where it says
  const holders = roots.filter((r) => inside(path.resolve(r), folder));
  for (const root of holders.length > 0 ? holders : roots) {
    if (inside(await realFolder(root).catch(() => path.resolve(root)), real)) return undefined;
  }
  return `its folder now leads to ${real} through a symbolic link, outside the workspace; links are not followed, it was not touched`;
}

/** The file at `absolute` now (a symbolic link there, or on the way out of the workspace, is refused). */
export async function readNow(absolute: string, roots: readonly string[]): Promise<FileNow> {
  const escape = await escapeReason(absolute, roots);
  if (escape) return { kind: 'refused', reason: escape };
  try {
    const stat = await fs.lstat(absolute);
    if (stat.isSymbolicLink()) return { kind: 'refused', reason: 'it is now a symbolic link; links are not followed, it was not touched' };
    if (!stat.isFile()) return { kind: 'refused', reason: 'it is now a folder or another kind of entry, not a file; it was not touched' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { kind: 'refused', reason: `it could not be read (${(e as Error).message})` };
  }
  try {
    const bytes = await readBytes(absolute);
    return bytes === undefined ? { kind: 'absent' } : { kind: 'file', bytes, hash: sha256(bytes) };
  } catch (e) {
    return { kind: 'refused', reason: `it could not be read (${(e as Error).message})` };
  }
}

/** True when the file now has exactly the content of `image` (an unknown image matches nothing). */
export function isImage(now: FileNow, image: FileImage): boolean {
  if (now.kind === 'absent') return image.state === 'absent';
  return now.kind === 'file' && image.state === 'file' && image.hash === now.hash;
}

/** Text of bytes, or undefined when they are binary. */
export function textOf(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return '';
  return looksBinary(bytes) ? undefined : Buffer.from(bytes).toString('utf8');
}
