import * as fs from 'node:fs';

/**
 * The filesystem calls the JSONL store makes, as one small seam so tests can inject faults
 * (ENOSPC, EIO, short writes) without root-proof tricks like chmod. All paths are absolute.
 */
export interface StoreFs {
  mkdir(path: string): Promise<void>;
  /** Opens with numeric flags (fs.constants) or a string mode ('r', 'wx'); returns the fd. */
  open(path: string, flags: number | string, mode?: number): Promise<number>;
  /** One write(2): may write fewer bytes than asked. `position` null = current/append. */
  write(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): Promise<number>;
  read(fd: number, data: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  fstatSize(fd: number): Promise<number>;
  close(fd: number): Promise<void>;
  readFile(path: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  /** Copies a file; fails with EEXIST when `to` exists (never replaces). */
  copyFile(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Size and mtime (ms), or undefined when the path does not exist. */
  stat(path: string): Promise<{ size: number; mtimeMs: number } | undefined>;
  /** Sets a file's mtime to now (a lock's heartbeat). Optional: without it take-overs of hung windows wait longer. */
  touch?(path: string): Promise<void>;
}

function cb<T>(run: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));
}

/** The real filesystem (callback API: numeric fds, no FileHandle GC warnings). */
export const nodeStoreFs: StoreFs = {
  mkdir: (p) => cb<string | undefined>((d) => fs.mkdir(p, { recursive: true }, d)).then(() => undefined),
  open: (p, flags, mode = 0o600) => cb<number>((d) => fs.open(p, flags, mode, d)),
  write: (fd, data, offset, length, position) => cb<number>((d) => fs.write(fd, data, offset, length, position, (e, n) => d(e, n))),
  read: (fd, data, offset, length, position) => cb<number>((d) => fs.read(fd, data, offset, length, position, (e, n) => d(e, n))),
  fdatasync: (fd) => cb<void>((d) => fs.fdatasync(fd, (e) => d(e, undefined))),
  fsync: (fd) => cb<void>((d) => fs.fsync(fd, (e) => d(e, undefined))),
  fstatSize: (fd) => cb<fs.Stats>((d) => fs.fstat(fd, d)).then((s) => s.size),
  close: (fd) => cb<void>((d) => fs.close(fd, (e) => d(e ?? null, undefined))),
  readFile: (p) => cb<string>((d) => fs.readFile(p, 'utf8', d)),
  rename: (a, b) => cb<void>((d) => fs.rename(a, b, (e) => d(e, undefined))),
  unlink: (p) => cb<void>((d) => fs.unlink(p, (e) => d(e, undefined))),
  link: (a, b) => cb<void>((d) => fs.link(a, b, (e) => d(e, undefined))),
  copyFile: (a, b) => cb<void>((d) => fs.copyFile(a, b, fs.constants.COPYFILE_EXCL, (e) => d(e, undefined))),
  readdir: (p) => cb<string[]>((d) => fs.readdir(p, d)),
  stat: (p) => cb<fs.Stats>((d) => fs.stat(p, d)).then(
    (s) => ({ size: s.size, mtimeMs: s.mtimeMs }),
    (e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw e; },
  ),
  touch: (p) => { const now = new Date(); return cb<void>((d) => fs.utimes(p, now, now, (e) => d(e, undefined))); },
};

/** The errno code of a filesystem error, if any. */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

/**
 * Writes all of `data` at `position` (null: the current offset), looping over short writes;
 * a write of 0 bytes is an EIO error (the disk accepts nothing more).
 */
export async function writeFully(fsx: StoreFs, fd: number, data: Uint8Array, position: number | null = null): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const n = await fsx.write(fd, data, done, data.length - done, position === null ? null : position + done);
    if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    done += n;
  }
}
