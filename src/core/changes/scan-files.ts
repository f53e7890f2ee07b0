/**
 * File-level helpers of the workspace scans (git-watch.ts, tree-scan.ts): a file's stat
 * fingerprint, its bytes read without following a symbolic link, its image in the blob store,
 * and the caps (count and time) a scan works within.
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { FileImage } from '../../shared/changes';
import type { BlobStore } from './types';

/** What `lstat` says of a path: enough to tell that it changed without reading it. */
export interface Fingerprint {
  kind: 'file' | 'link' | 'other';
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** A path's stat: absent, a fingerprint, or why it could not be looked at. */
export type StatResult = { absent: true } | { absent: false; fp: Fingerprint } | { absent: false; error: string };

/** A stat error that means "no such file" (a folder in the path vanished or became a file). */
export function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The short reason of a file system error, for notes. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code ?? (e instanceof Error ? e.message : String(e));
}

export function toFingerprint(st: Stats): Fingerprint {
  const kind = st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other';
  return { kind, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

/** `lstat` of `abs` (never follows a final symbolic link); never throws. */
export async function statPath(abs: string): Promise<StatResult> {
  try {
    return { absent: false, fp: toFingerprint(await fs.lstat(abs)) };
  } catch (e) {
    return isMissing(e) ? { absent: true } : { absent: false, error: fsReason(e) };
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/**
 * Changes within this window of a scan may share its clock tick (git's "racily clean" problem):
 * such a file is hashed again rather than trusted on its stat.
 */
const RACY_MS = 2000;

/** Whether an unchanged fingerprint still proves unchanged content (not modified near `scannedAt`). */
export function trustworthy(fp: Fingerprint, scannedAt: number): boolean {
  return fp.mtimeMs < scannedAt - RACY_MS && fp.ctimeMs < scannedAt - RACY_MS;
}

/**
 * The images a session's scans last read, by path: a dirty file whose stat has not moved since is
 * not read again before the next command (its bytes are in the store already). Entries read in
 * the racy window of their own mtime are not trusted.
 */
export class ImageCache {
  private readonly entries = new Map<string, { fp: Fingerprint; image: FileImage; readAt: number }>();

  constructor(private readonly limit: number) {}

  async lookup(abs: string, fp: Fingerprint, blobs: BlobStore): Promise<FileImage | undefined> {
    const hit = this.entries.get(abs);
    if (!hit || !sameFingerprint(hit.fp, fp) || !trustworthy(fp, hit.readAt)) return undefined;
    // The store may have dropped the blob since (a deleted session's folder, a damaged file).
    if (hit.image.state === 'file' && hit.image.stored && !(await blobs.has(hit.image.hash).catch(() => false))) return undefined;
    return hit.image;
  }

  /** Remembers what a file (stat'ed as `fp` just before) read as at `readAt`. */
  remember(abs: string, fp: Fingerprint, image: FileImage, readAt: number): void {
    if (this.entries.size >= this.limit) this.entries.clear(); // a crude bound; a miss only costs a read
    this.entries.set(abs, { fp, image, readAt });
  }
}

/** A file's content as read for a scan: its bytes, or only its hash when over the size cap. */
export type FileRead =
  | { kind: 'bytes'; bytes: Buffer; hash: string }
  | { kind: 'oversize'; hash: string; size: number }
  | { kind: 'absent' }
  | { kind: 'link' }
  | { kind: 'other' }
  | { kind: 'error'; reason: string };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const NOFOLLOW = fsConstants.O_NOFOLLOW as number | undefined;
/** A FIFO opened for reading would wait for a writer; non-blocking, it opens and fstat says what it is. */
const NONBLOCK = (fsConstants.O_NONBLOCK as number | undefined) ?? 0;

/**
 * Reads `abs` without following a symbolic link (one at the end of the path is reported as
 * `link`, never read through): whole up to `maxBytes`, else streamed through sha256 only.
 */
export async function readCapped(abs: string, maxBytes: number): Promise<FileRead> {
  let handle: fs.FileHandle;
  try {
    if (NOFOLLOW === undefined) {
      // No O_NOFOLLOW (Windows): look before opening.
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) return { kind: 'link' };
      if (!st.isFile()) return { kind: 'other' };
    }
    handle = await fs.open(abs, fsConstants.O_RDONLY | (NOFOLLOW ?? 0) | NONBLOCK);
  } catch (e) {
    if (isMissing(e)) return { kind: 'absent' };
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'link' };
    return { kind: 'error', reason: fsReason(e) };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { kind: 'other' };
    if (st.size <= maxBytes) {
      const bytes = await handle.readFile();
      // It may have grown since the stat; the cap is about memory, so judge what was read.
      if (bytes.length <= maxBytes) return { kind: 'bytes', bytes, hash: sha256(bytes) };
      return { kind: 'oversize', hash: sha256(bytes), size: bytes.length };
    }
    const hash = createHash('sha256');
    let size = 0;
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { kind: 'oversize', hash: hash.digest('hex'), size };
  } catch (e) {
    return { kind: 'error', reason: fsReason(e) };
  } finally {
    await handle.close().catch(() => undefined); // closing a read-only handle cannot lose data
  }
}

/** "2 MiB", "512 KiB": a byte cap as people read it. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n.toLocaleString('en-US')} bytes`;
}

/** The image of content hashed only (over the cap): recorded by hash and size, not kept. */
export function oversizeImage(hash: string, size: number, maxBytes: number): Extract<FileImage, { state: 'file' }> {
  return { state: 'file', hash, size, stored: false, note: `over the ${formatBytes(maxBytes)} size cap; not kept` };
}

/**
 * The image of what `readCapped` returned: bytes go into the blob store (which decides about
 * binary content and its own cap); absent stays absent; anything else is undefined (no image).
 */
export async function imageOfRead(read: FileRead, blobs: BlobStore, maxBytes: number): Promise<FileImage | undefined> {
  if (read.kind === 'absent') return { state: 'absent' };
  if (read.kind === 'oversize') return oversizeImage(read.hash, read.size, maxBytes);
  if (read.kind === 'bytes') return blobs.put(read.bytes);
  return undefined;
}

/** How much work a scan may still do: a count of files and a deadline. */
export class ScanBudget {
  private left: number;
  readonly deadline: number;
  /** Which cap stopped the work first, if any. */
  hit: 'files' | 'time' | undefined;

  constructor(maxFiles: number, maxMs: number, now = Date.now()) {
    this.left = maxFiles;
    this.deadline = now + maxMs;
  }

  /** False (and `hit` set) once the deadline has passed. */
  inTime(): boolean {
    if (!this.hit && Date.now() > this.deadline) this.hit = 'time';
    return this.hit === undefined;
  }

  /** Takes one file from the budget; false (and `hit` set) when a cap is reached. */
  take(): boolean {
    if (this.hit) return false;
    if (this.left <= 0) this.hit = 'files';
    else if (Date.now() > this.deadline) this.hit = 'time';
    else {
      this.left--;
      return true;
    }
    return false;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Tells whether a path really lies inside a root: its folder, symbolic links resolved, must be
 * the root's real folder or below it (a folder replaced by a link to elsewhere does not count).
 */
export class RootGuard {
  private readonly dirs = new Map<string, Promise<boolean>>();

  constructor(private readonly realRoot: string) {}

  inside(abs: string): Promise<boolean> {
    const dir = path.dirname(abs);
    let known = this.dirs.get(dir);
    if (!known) {
      // A folder that cannot be resolved (gone) has nothing to read through: reading it finds nothing.
      known = fs.realpath(dir).then((real) => real === this.realRoot || real.startsWith(this.realRoot + path.sep), () => true);
      this.dirs.set(dir, known);
    }
    return known;
  }
}
