import { constants } from 'node:fs';
import type { Logger } from '../ports';
import type { SessionEvent } from '../session/events';
import { errnoCode, type StoreFs } from './fs-seam';
import { acquireLock } from './lock';
import type { StoreWarning } from './types';

/** Per-session writer state of the JSONL store. */
export interface SessionLog {
  readonly id: string;
  readonly path: string;
  readonly lockPath: string;
  /** Appended, not yet written. Coalescing only ever touches this buffer, never the disk. */
  buffer: SessionEvent[];
  lock: 'none' | 'owned' | 'foreign';
  fd?: number;
  /** The file ends in a torn fragment: write '\n' before the next line. */
  needsNewline: boolean;
  /** A write failed and 'write_failed' was reported; cleared by the next successful write. */
  failing: boolean;
  nextRetryAt: number;
  retryDelay: number;
  retryTimer?: NodeJS.Timeout;
  /** Buffer limit hit while writes failed: this log is left as it is; the session lives in memory. */
  abandoned: boolean;
  /** Deleted or closed: nothing more is written through this handle. */
  retired: boolean;
  /** Serialises writes, loads, delete and close of this log. */
  chain: Promise<unknown>;
}

/** A fresh writer state for a log not touched yet (no lock, no fd). */
export function newSessionLog(id: string, path: string, lockPath: string): SessionLog {
  return {
    id, path, lockPath, buffer: [], lock: 'none', needsNewline: false, failing: false, nextRetryAt: 0, retryDelay: 0,
    abandoned: false, retired: false, chain: Promise.resolve(),
  };
}

/** Runs `fn` after everything queued on this log; a failure does not break the chain. */
export function exclusive<T>(log: SessionLog, fn: () => Promise<T>): Promise<T> {
  const run = log.chain.then(fn);
  log.chain = run.catch(() => undefined);
  return run;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW;
const MAX_RETRY_DELAY_MS = 5_000;

export interface LogWriterOptions {
  fsx: StoreFs;
  sessionsDir: string;
  /** The owning store's lock token. */
  token: string;
  logger: Logger;
  /** Shortest retry delay after a failed write, ms (the store's flush interval). */
  flushIntervalMs: number;
  /** Events kept in memory per log while it cannot be written. */
  maxBuffered: number;
  warn(w: StoreWarning): void;
  /** The store was closed: no retry timers any more. */
  isClosed(): boolean;
  /** False while the lock must be re-checked before writing (see LockHandover.mayWrite). */
  mayWrite?(): boolean;
}

/**
 * The write side of the JSONL store: takes a log's lock, appends its buffer with one write(2) +
 * fdatasync, and on failure keeps the unwritten lines, warns once and retries with backoff.
 * Invariants: a line is only ever appended after a '\n'; no line is written twice; a file already
 * on disk is never truncated.
 */
export class LogWriter {
  constructor(private readonly o: LogWriterOptions) {}

  /** Writes the buffer (one write + fdatasync). Never throws: failures keep the buffer and warn. */
  async writeOut(log: SessionLog, forced: boolean): Promise<void> {
    if (log.buffer.length === 0 || log.retired || log.abandoned) return;
    if (log.failing && !forced && Date.now() < log.nextRetryAt) return;
    if (this.o.mayWrite && !this.o.mayWrite()) return; // just woke from a freeze: the lock is checked first
    try {
      if (!(await this.ensureWritable(log))) return;
    } catch (e) {
      this.onWriteError(log, e);
      return;
    }
    const batch = log.buffer;
    log.buffer = [];
    const lines = batch.map((e) => `${JSON.stringify(e)}\n`);
    const prefix = log.needsNewline ? 1 : 0;
    const data = Buffer.from((prefix ? '\n' : '') + lines.join(''));
    let written = 0;
    try {
      while (written < data.length) {
        const n = await this.o.fsx.write(log.fd as number, data, written, data.length - written, null);
        if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
        written += n;
      }
      log.needsNewline = false;
      await this.o.fsx.fdatasync(log.fd as number);
      if (log.failing) {
        log.failing = false;
        log.retryDelay = 0;
        this.o.warn({ sessionId: log.id, code: 'write_recovered', message: 'The session log is being written again.' });
      }
    } catch (e) {
      // Keep only the lines that did not fully reach the file: no line is ever written twice.
      let offset = prefix;
      let done = 0;
      if (written >= prefix) {
        while (done < lines.length && offset + Buffer.byteLength(lines[done]) <= written) offset += Buffer.byteLength(lines[done++]);
      }
      if (written > offset) log.needsNewline = true; // a fragment of a line is on disk
      else if (written >= prefix && written > 0) log.needsNewline = false;
      log.buffer = [...batch.slice(done), ...log.buffer];
      this.onWriteError(log, e);
    }
  }

  /** Takes the lock and opens the log for appending, once. False when another writer owns it. */
  async ensureWritable(log: SessionLog): Promise<boolean> {
    if (log.fd !== undefined) return true;
    if (log.lock === 'foreign' || log.abandoned || log.retired) return false;
    const { fsx } = this.o;
    await fsx.mkdir(this.o.sessionsDir);
    if (log.lock === 'none') {
      const r = await acquireLock(fsx, log.lockPath, this.o.token);
      log.lock = r.kind;
      if (r.kind === 'foreign') {
        this.o.warn(lockedWarning(log, r.owner?.pid));
        return false;
      }
    }
    const fd = await fsx.open(log.path, APPEND_FLAGS, 0o600);
    try {
      const size = await fsx.fstatSize(fd);
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fsx.read(fd, last, 0, 1, size - 1);
        log.needsNewline = last[0] !== 0x0a; // never glue a new line onto a torn fragment
      }
    } catch (e) {
      await fsx.close(fd).catch(() => undefined);
      throw e;
    }
    log.fd = fd;
    return true;
  }

  /** Records a failed open or write: warn once, back off, retry on a timer (or abandon past the buffer limit). */
  onWriteError(log: SessionLog, e: unknown): void {
    const code = errnoCode(e) ?? 'error';
    this.o.logger.warn(`Session ${log.id}: cannot write the log (${code}); keeping ${log.buffer.length} event(s) in memory.`);
    // Reopen on retry: the file's last byte then tells whether a fragment needs terminating.
    void this.closeFd(log);
    if (!log.failing) {
      log.failing = true;
      this.o.warn({ sessionId: log.id, code: 'write_failed', message: `Could not write the session log (${code}); the session keeps working in memory and writing is retried.` });
    }
    log.retryDelay = Math.min(Math.max(log.retryDelay * 2, this.o.flushIntervalMs), MAX_RETRY_DELAY_MS);
    log.nextRetryAt = Date.now() + log.retryDelay;
    if (log.buffer.length > this.o.maxBuffered) { this.abandon(log); return; }
    if (!log.retryTimer && !this.o.isClosed()) {
      log.retryTimer = setTimeout(() => {
        log.retryTimer = undefined;
        void exclusive(log, () => this.writeOut(log, false));
      }, log.retryDelay);
      log.retryTimer.unref();
    }
  }

  /** Gives up on writing this log: it stays as it is on disk and the session lives in memory. */
  abandon(log: SessionLog): void {
    log.abandoned = true;
    log.buffer = [];
    this.o.warn({ sessionId: log.id, code: 'write_failed', message: `Session ${log.id}: too many unwritten events; the log is left as it is and the session continues in memory only.` });
  }

  async closeFd(log: SessionLog): Promise<void> {
    const fd = log.fd;
    log.fd = undefined;
    if (fd !== undefined) await this.o.fsx.close(fd).catch(() => undefined);
  }
}

/** This window may not write the log: another owns it, or the disk refused. */
export function isReadOnly(log: SessionLog): boolean {
  return log.lock === 'foreign' || log.failing || log.abandoned;
}

export function lockedWarning(log: SessionLog, pid?: number): StoreWarning {
  return { sessionId: log.id, code: 'locked', message: `Session ${log.id} is open in another window${pid ? ` (pid ${pid})` : ''}; showing it read-only.` };
}
