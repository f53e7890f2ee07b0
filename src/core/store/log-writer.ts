import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Logger } from '../ports';
import type { SessionEvent } from '../session/events';
import { errnoCode, writeFully, type StoreFs } from './fs-seam';
import { acquireLock } from './lock';
import { decodeRecord, FRAGMENT_TERMINATOR, pushLine } from './record';
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
  /**
   * Written before the next line because the file does not end in '\n': '\n' after a whole
   * record (its bytes all reached the disk), FRAGMENT_TERMINATOR after a torn fragment; '' when none.
   */
  terminator: string;
  /** This store has looked at the file for damage (the first open for writing, or a full load). */
  checked: boolean;
  /** The log does not exist yet: the first write creates it with its first lines (never empty). */
  fresh: boolean;
  /** A write failed and 'write_failed' was reported; cleared by the next successful write. */
  failing: boolean;
  /** What the 'write_failed' warning said (repeated by loads while it lasts). */
  failMessage?: string;
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
    id, path, lockPath, buffer: [], lock: 'none', terminator: '', checked: false, fresh: false, failing: false, nextRetryAt: 0, retryDelay: 0,
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
  /**
   * Called once, before the first write to a log that existed and looks damaged at a glance
   * (empty, or not starting with '{'): the store reads it and keeps a copy before it is appended to.
   */
  inspect?(log: SessionLog): Promise<void>;
  /** How long each write + fdatasync took, ms (paces the flush timer). */
  onWritten?(ms: number): void;
}

/** People's words for the errors a full or read-only disk gives. */
function describeWriteError(code: string): string {
  switch (code) {
    case 'ENOSPC': return 'the disk is full';
    case 'EDQUOT': return 'the disk quota is used up';
    case 'EROFS': return 'the storage is read-only';
    case 'EACCES': case 'EPERM': return 'the storage folder refuses writes';
    case 'EIO': return 'the disk reported an I/O error';
    case 'ELOOP': return 'the session log is a symbolic link, which is never followed';
    default: return 'the session log cannot be written';
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

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
    const started = performance.now();
    const prefix = log.terminator.length; // ASCII: characters are bytes
    const parts: Buffer[] = prefix ? [Buffer.from(log.terminator, 'latin1')] : [];
    const lengths = batch.map((e) => pushLine(parts, e)); // each line checksummed (record.ts)
    const data = Buffer.concat(parts);
    let written = 0;
    try {
      if (log.fd === undefined) {
        await this.create(log, data);
        written = data.length;
      } else {
        while (written < data.length) {
          const n = await this.o.fsx.write(log.fd, data, written, data.length - written, null);
          if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
          written += n;
        }
        log.terminator = '';
        await this.o.fsx.fdatasync(log.fd);
      }
      this.o.onWritten?.(performance.now() - started);
      if (log.failing) {
        log.failing = false;
        log.retryDelay = 0;
        delete log.failMessage;
        this.o.warn({ sessionId: log.id, code: 'write_recovered', message: 'History is being saved again: everything kept in memory meanwhile is now on disk.' });
      }
    } catch (e) {
      // Keep only the lines that did not fully reach the file: no line is ever written twice.
      let offset = prefix;
      let done = 0;
      if (written >= prefix) {
        while (done < lengths.length && offset + lengths[done]! <= written) offset += lengths[done++]!;
      }
      if (written > offset) log.terminator = FRAGMENT_TERMINATOR; // a fragment of lines[done] is on disk; it is written again whole
      else if (written >= prefix && written > 0) log.terminator = '';
      log.buffer = [...batch.slice(done), ...log.buffer];
      this.onWriteError(log, e);
    }
  }

  /**
   * Takes the lock and opens the log for appending, once (or notes that the first write creates
   * it). False when another writer owns it. The first time this store opens a log that exists, a
   * glance (empty? not starting with '{'?) decides whether the store inspects it first.
   */
  async ensureWritable(log: SessionLog): Promise<boolean> {
    if (log.fd !== undefined || log.fresh) return true;
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
    if ((await fsx.stat(log.path)) === undefined) {
      log.fresh = true;
      log.checked = true;
      return true;
    }
    const fd = await fsx.open(log.path, APPEND_FLAGS, 0o600);
    try {
      const size = await fsx.fstatSize(fd);
      let suspect = size === 0; // a log is created with its first lines: empty means the disk lost them
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fsx.read(fd, last, 0, 1, size - 1);
        // Never glue a new line onto the last one: end it, as a record or as a torn fragment.
        log.terminator = last[0] === 0x0a ? '' : (await lastLineIsRecord(fsx, fd, size)) ? '\n' : FRAGMENT_TERMINATOR;
        if (!log.checked) {
          await fsx.read(fd, last, 0, 1, 0);
          suspect = last[0] !== 0x7b; // every log starts with '{'
        }
      }
      if (suspect && !log.checked && this.o.inspect) await this.o.inspect(log);
    } catch (e) {
      await fsx.close(fd).catch(() => undefined);
      throw e;
    }
    log.checked = true;
    log.fd = fd;
    return true;
  }

  /** Records a failed open or write: warn once, back off, retry on a timer (or abandon past the buffer limit). */
  onWriteError(log: SessionLog, e: unknown): void {
    const code = errnoCode(e) ?? 'error';
    this.o.logger.warn(`Session ${log.id}: cannot write the log (${code}); keeping ${log.buffer.length} event(s) in memory.`);
    // Reopen on retry: the file's last byte then tells whether a fragment needs terminating.
    void this.closeFd(log);
    log.retryDelay = Math.min(Math.max(log.retryDelay * 2, this.o.flushIntervalMs), MAX_RETRY_DELAY_MS);
    log.nextRetryAt = Date.now() + log.retryDelay;
    if (!log.failing) {
      log.failing = true;
      log.failMessage = `History is not being saved: ${describeWriteError(code)} (${code}) — retrying in ${seconds(log.retryDelay)}, then at least every ${seconds(MAX_RETRY_DELAY_MS)}. What is already saved is kept; the session keeps working in memory.`;
      this.o.warn({ sessionId: log.id, code: 'write_failed', message: log.failMessage });
    }
    if (log.buffer.length > this.o.maxBuffered) { this.abandon(log); return; }
    this.scheduleRetry(log);
  }

  /**
   * One retry timer per failing log, due at `nextRetryAt`. A forced flush that failed meanwhile
   * pushed that later: the timer then finds it too early and waits again, so retrying never stops
   * while there is something to write.
   */
  private scheduleRetry(log: SessionLog): void {
    if (log.retryTimer || this.o.isClosed() || log.retired || log.abandoned) return;
    log.retryTimer = setTimeout(() => {
      log.retryTimer = undefined;
      void exclusive(log, async () => {
        await this.writeOut(log, false);
        if (log.failing && log.buffer.length > 0) this.scheduleRetry(log);
      });
    }, Math.max(1, log.nextRetryAt - Date.now()));
    log.retryTimer.unref();
  }

  /** Gives up on writing this log: it stays as it is on disk and the session lives in memory. */
  abandon(log: SessionLog): void {
    log.abandoned = true;
    log.buffer = [];
    log.failMessage = `History is not being saved: more than ${this.o.maxBuffered} events could not be written — no longer retrying; the log is left as it is and this session continues in memory only.`;
    this.o.warn({ sessionId: log.id, code: 'write_failed', message: log.failMessage });
  }

  /**
   * Creates the log with its first lines in one step: a temp file, written and fdatasync'ed, then
   * linked into place (link never replaces an existing file). A crash leaves no log or a whole
   * one, never an empty one — so an empty log always means the disk lost its data.
   */
  private async create(log: SessionLog, data: Buffer): Promise<void> {
    const { fsx } = this.o;
    const tmp = `${log.path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = await fsx.open(tmp, 'wx', 0o600);
      try {
        await writeFully(fsx, fd, data);
        await fsx.fdatasync(fd);
      } finally {
        await fsx.close(fd);
      }
      await fsx.link(tmp, log.path);
    } finally {
      await fsx.unlink(tmp).catch(() => undefined); // gone already, or removed by the next open
    }
    log.fresh = false;
  }

  async closeFd(log: SessionLog): Promise<void> {
    const fd = log.fd;
    log.fd = undefined;
    log.fresh = false; // looked at again on the next write
    if (fd !== undefined) await this.o.fsx.close(fd).catch(() => undefined);
  }
}

/** True when the file's unterminated last line is a whole record (read backwards to its start). */
async function lastLineIsRecord(fsx: StoreFs, fd: number, size: number): Promise<boolean> {
  const parts: Buffer[] = [];
  for (let end = size; end > 0; ) {
    const len = Math.min(64 * 1024, end);
    const chunk = Buffer.alloc(len);
    const n = await fsx.read(fd, chunk, 0, len, end - len);
    // Cannot tell: end it as a record. At worst a fragment then reads as a damaged line; a whole record is never hidden.
    if (n !== len) return true;
    const nl = chunk.lastIndexOf(0x0a);
    parts.unshift(nl === -1 ? chunk : chunk.subarray(nl + 1));
    if (nl !== -1) break;
    end -= len;
  }
  return decodeRecord(Buffer.concat(parts)).kind === 'event';
}

/** This window may not write the log: another owns it, or the disk refused. */
export function isReadOnly(log: SessionLog): boolean {
  return log.lock === 'foreign' || log.failing || log.abandoned;
}

export function lockedWarning(log: SessionLog, pid?: number): StoreWarning {
  return { sessionId: log.id, code: 'locked', message: `Session ${log.id} is open in another window${pid ? ` (pid ${pid})` : ''}; showing it read-only.` };
}
