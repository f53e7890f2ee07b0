import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Emitter } from '../base/emitter';
import { AgentError } from '../base/errors';
import { assertSafeId } from '../base/ids';
import { nullLogger, type Logger } from '../ports';
import type { SessionEvent } from '../session/events';
import { indexEntryFromEvents, pushCoalesced } from './events-util';
import { errnoCode, nodeStoreFs, type StoreFs } from './fs-seam';
import { IndexFile } from './index-file';
import { parseCheckpoint, serializeCheckpoint, writeFileAtomic } from './checkpoint-file';
import { acquireLock, releaseLock } from './lock';
import { readLog, readLogTail } from './log-reader';
import type { LoadResult, SessionCheckpoint, SessionIndexEntry, SessionStore, StoreWarning } from './types';

export interface JsonlSessionStoreOptions {
  /** The storage directory (the workspace storage); created on first write. */
  directory: string;
  logger?: Logger;
  /** Longest time an appended event waits in memory before it is written and fdatasync'ed. Default 100. */
  flushIntervalMs?: number;
  /** Debounce of index.json writes. Default 250. */
  indexDebounceMs?: number;
  /** Debounce of checkpoint writes (`<id>.checkpoint.json`). Default 250. */
  checkpointDebounceMs?: number;
  /** Events kept in memory per session while its log cannot be written. Default 100 000. */
  maxBufferedEvents?: number;
  /** Filesystem seam (tests inject faults here). */
  fs?: StoreFs;
}

/** Per-session writer state. */
interface SessionLog {
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

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * The session store on disk: `<dir>/sessions/<id>.jsonl` (one event per line, append-only),
 * `<dir>/sessions/<id>.lock` (single writer), `<dir>/sessions/<id>.checkpoint.json` (the state as of
 * a seq, a cache for fast opening; replaced atomically) and `<dir>/index.json` (rebuildable listing).
 *
 * Invariants: an existing log is never rewritten or truncated; a line is only ever appended
 * after a '\n'; every path derives from an id that passed {@link assertSafeId} and is checked
 * to stay in the directory. `append` is synchronous and O(1); a timer writes each session's
 * buffer with one write(2) + fdatasync at least every `flushIntervalMs`.
 */
export class JsonlSessionStore implements SessionStore {
  private readonly warnings = new Emitter<StoreWarning>();
  readonly onWarning = this.warnings.event;
  private readonly dir: string;
  private readonly sessionsDir: string;
  private readonly fsx: StoreFs;
  private readonly logger: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly token = randomBytes(8).toString('hex');
  private readonly logs = new Map<string, SessionLog>();
  private readonly index: IndexFile;
  private timer?: NodeJS.Timeout;
  /** Scheduled checkpoints by session id; `make` runs when written. */
  private readonly checkpoints = new Map<string, () => SessionCheckpoint>();
  private readonly checkpointDebounceMs: number;
  private checkpointTimer?: NodeJS.Timeout;
  private checkpointFailing = false;
  private closed = false;

  constructor(options: JsonlSessionStoreOptions) {
    this.dir = resolve(options.directory);
    this.sessionsDir = join(this.dir, 'sessions');
    this.fsx = options.fs ?? nodeStoreFs;
    this.logger = options.logger ?? nullLogger;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBuffered = options.maxBufferedEvents ?? 100_000;
    this.checkpointDebounceMs = options.checkpointDebounceMs ?? 250;
    this.index = new IndexFile(this.fsx, join(this.dir, 'index.json'), this.logger, (w) => this.warn(w), options.indexDebounceMs ?? 250);
  }

  append(sessionId: string, event: SessionEvent): void {
    this.assertOpen();
    const log = this.logFor(sessionId);
    if (log.abandoned) return;
    pushCoalesced(log.buffer, { ...event });
    if (log.buffer.length > this.maxBuffered && (log.failing || log.lock === 'foreign')) this.abandon(log);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flushAll(false);
    }, this.flushIntervalMs);
  }

  async flush(sessionId?: string): Promise<void> {
    if (sessionId === undefined) return this.flushAll(true);
    assertSafeId(sessionId);
    const log = this.logs.get(sessionId);
    if (log) {
      await this.exclusive(log, async () => {
        await this.writeOut(log, true);
        await this.writeCheckpoint(log);
      });
    }
  }

  saveCheckpoint(sessionId: string, make: () => SessionCheckpoint): void {
    this.assertOpen();
    const log = this.logFor(sessionId);
    if (log.retired || log.abandoned || log.lock === 'foreign') return;
    this.checkpoints.set(sessionId, make);
    this.checkpointTimer ??= setTimeout(() => {
      this.checkpointTimer = undefined;
      void Promise.all([...this.checkpoints.keys()].map((id) => {
        const l = this.logs.get(id);
        return l ? this.exclusive(l, () => this.writeCheckpoint(l)) : undefined;
      }));
    }, this.checkpointDebounceMs);
  }

  async loadCheckpoint(sessionId: string): Promise<SessionCheckpoint | undefined> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    return this.exclusive(log, async () => {
      await this.writeCheckpoint(log);
      let text: string;
      try {
        text = await this.fsx.readFile(this.pathFor(sessionId, '.checkpoint.json'));
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') this.logger.warn(`Session ${sessionId}: cannot read its checkpoint (${errnoCode(e) ?? String(e)}); reading the log.`);
        return undefined;
      }
      return parseCheckpoint(text, sessionId);
    });
  }

  async load(sessionId: string): Promise<LoadResult> {
    return this.read(sessionId, (path) => readLog(this.fsx, path, sessionId), (disk, buffered) => [...disk, ...buffered]);
  }

  async loadTail(sessionId: string, maxEvents: number): Promise<LoadResult> {
    const n = Math.max(0, Math.floor(maxEvents));
    return this.read(
      sessionId,
      (path) => readLogTail(this.fsx, path, sessionId, n - (this.logs.get(sessionId)?.buffer.length ?? 0)),
      (disk, buffered) => (n === 0 ? [] : [...disk, ...buffered].slice(-n)),
    );
  }

  async list(): Promise<SessionIndexEntry[]> {
    this.assertOpen();
    const { rows, status } = await this.index.load();
    let names: string[] = [];
    try {
      names = await this.fsx.readdir(this.sessionsDir);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') this.logger.warn(`Cannot list session logs: ${errnoCode(e) ?? String(e)}`);
    }
    const onDisk = new Set(names.filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter((id) => this.safe(id)));
    const result = new Map(rows);
    let added = 0;
    for (const id of onDisk) {
      if (rows.has(id)) continue;
      // A log the index does not know (crash before the index was written, index lost): read it once.
      const events = await readLog(this.fsx, this.pathFor(id, '.jsonl'), id).then((r) => r.events, () => []);
      const row = indexEntryFromEvents(id, [...events, ...(this.logs.get(id)?.buffer ?? [])]);
      if (row) { this.index.set(row); result.set(id, row); added++; }
    }
    for (const [id, log] of this.logs) {
      if (result.has(id)) continue;
      const row = indexEntryFromEvents(id, log.buffer); // appended, not written yet
      if (row) result.set(id, row);
    }
    for (const id of rows.keys()) {
      const pending = (this.logs.get(id)?.buffer.length ?? 0) > 0;
      if (!onDisk.has(id) && !pending) { this.index.remove(id); result.delete(id); } // its log is gone
    }
    if (status === 'corrupt' || (status === 'missing' && added > 0)) {
      this.index.markRebuilt();
      this.warn({ code: 'index_rebuilt', message: `The session index was ${status}; rebuilt it from ${onDisk.size} session log(s).` });
      await this.index.writeNow();
    }
    return [...result.values()].map((r) => ({ ...r })).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  updateIndex(entry: SessionIndexEntry): void {
    this.assertOpen();
    assertSafeId(entry.id);
    this.index.set({ ...entry });
  }

  async delete(sessionId: string): Promise<void> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    await this.exclusive(log, async () => {
      if (log.lock === 'none') {
        await this.fsx.mkdir(this.sessionsDir);
        log.lock = (await acquireLock(this.fsx, log.lockPath, this.token)).kind;
      }
      if (log.lock === 'foreign') {
        throw new AgentError('invalid_state', `Session ${sessionId} is open in another window; close it there first.`);
      }
      log.retired = true;
      log.buffer = [];
      this.logs.delete(sessionId);
      this.checkpoints.delete(sessionId);
      if (log.retryTimer) clearTimeout(log.retryTimer);
      await this.closeFd(log);
      try {
        // The checkpoint first: a crash in between leaves a log without one (read in full), never the reverse.
        await this.fsx.unlink(this.pathFor(sessionId, '.checkpoint.json'));
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw new AgentError('storage', `Could not delete session checkpoint: ${errnoCode(e) ?? String(e)}`, { cause: e });
      }
      try {
        await this.fsx.unlink(log.path);
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw new AgentError('storage', `Could not delete session log: ${errnoCode(e) ?? String(e)}`, { cause: e });
      }
      await releaseLock(this.fsx, log.lockPath, this.token).catch((e: unknown) => this.logger.warn(`Could not release lock: ${String(e)}`));
    });
    this.index.remove(sessionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await Promise.all([...this.logs.values()].map((log) => this.exclusive(log, async () => {
      await this.writeOut(log, true);
      await this.writeCheckpoint(log);
      log.retired = true;
      if (log.retryTimer) clearTimeout(log.retryTimer);
      if (log.buffer.length > 0) this.logger.warn(`Session ${log.id}: ${log.buffer.length} event(s) could not be written before close.`);
      await this.closeFd(log);
      if (log.lock === 'owned') await releaseLock(this.fsx, log.lockPath, this.token).catch((e: unknown) => this.logger.warn(`Could not release lock: ${String(e)}`));
      log.lock = 'none';
    })));
    this.logs.clear();
    await this.index.writeNow();
    this.index.dispose();
    this.warnings.dispose();
  }

  // ---- internals -------------------------------------------------------------------------

  private async read(
    sessionId: string,
    readDisk: (path: string) => Promise<{ events: SessionEvent[]; warnings: StoreWarning[] }>,
    combine: (disk: SessionEvent[], buffered: SessionEvent[]) => SessionEvent[],
  ): Promise<LoadResult> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    return this.exclusive(log, async () => {
      await this.writeOut(log, true);
      // Opening for write takes the lock, so the result can say whether this window may write.
      if (log.fd === undefined && (await this.fsx.stat(log.path)) !== undefined) {
        await this.ensureWritable(log).catch((e: unknown) => this.onWriteError(log, e));
      }
      const disk = await readDisk(log.path);
      const warnings = [...disk.warnings];
      if (log.lock === 'foreign') warnings.push(this.lockedWarning(log));
      if (log.failing || log.abandoned) warnings.push({ sessionId, code: 'write_failed', message: 'The session log cannot be written; changes are kept in memory only.' });
      return { events: combine(disk.events, log.buffer.map((e) => ({ ...e }))), warnings, readOnly: this.isReadOnly(log) };
    });
  }

  private async flushAll(forced: boolean): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => this.exclusive(log, async () => {
      await this.writeOut(log, forced);
      if (forced) await this.writeCheckpoint(log);
    })));
  }

  /**
   * Writes the session's scheduled checkpoint, if any, after its log (so the two usually agree).
   * Only for a log this window owns. Never throws: a checkpoint is a cache.
   */
  private async writeCheckpoint(log: SessionLog): Promise<void> {
    const make = this.checkpoints.get(log.id);
    if (!make) return;
    this.checkpoints.delete(log.id);
    await this.writeOut(log, false);
    if (log.lock !== 'owned' || log.retired || log.abandoned) return;
    try {
      await writeFileAtomic(this.fsx, this.pathFor(log.id, '.checkpoint.json'), serializeCheckpoint(make()));
      this.checkpointFailing = false;
    } catch (e) {
      if (!this.checkpointFailing) this.logger.warn(`Session ${log.id}: could not write its checkpoint (${errnoCode(e) ?? String(e)}); it will be opened from its log.`);
      this.checkpointFailing = true;
    }
  }

  /** Writes the buffer (one write + fdatasync). Never throws: failures keep the buffer and warn. */
  private async writeOut(log: SessionLog, forced: boolean): Promise<void> {
    if (log.buffer.length === 0 || log.retired || log.abandoned) return;
    if (log.failing && !forced && Date.now() < log.nextRetryAt) return;
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
        const n = await this.fsx.write(log.fd as number, data, written, data.length - written, null);
        if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
        written += n;
      }
      log.needsNewline = false;
      await this.fsx.fdatasync(log.fd as number);
      if (log.failing) {
        log.failing = false;
        log.retryDelay = 0;
        this.warn({ sessionId: log.id, code: 'write_recovered', message: 'The session log is being written again.' });
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
  private async ensureWritable(log: SessionLog): Promise<boolean> {
    if (log.fd !== undefined) return true;
    if (log.lock === 'foreign' || log.abandoned || log.retired) return false;
    await this.fsx.mkdir(this.sessionsDir);
    if (log.lock === 'none') {
      const r = await acquireLock(this.fsx, log.lockPath, this.token);
      log.lock = r.kind;
      if (r.kind === 'foreign') {
        this.warn(this.lockedWarning(log, r.owner?.pid));
        return false;
      }
    }
    const fd = await this.fsx.open(log.path, APPEND_FLAGS, 0o600);
    try {
      const size = await this.fsx.fstatSize(fd);
      if (size > 0) {
        const last = Buffer.alloc(1);
        await this.fsx.read(fd, last, 0, 1, size - 1);
        log.needsNewline = last[0] !== 0x0a; // never glue a new line onto a torn fragment
      }
    } catch (e) {
      await this.fsx.close(fd).catch(() => undefined);
      throw e;
    }
    log.fd = fd;
    return true;
  }

  private onWriteError(log: SessionLog, e: unknown): void {
    const code = errnoCode(e) ?? 'error';
    this.logger.warn(`Session ${log.id}: cannot write the log (${code}); keeping ${log.buffer.length} event(s) in memory.`);
    // Reopen on retry: the file's last byte then tells whether a fragment needs terminating.
    void this.closeFd(log);
    if (!log.failing) {
      log.failing = true;
      this.warn({ sessionId: log.id, code: 'write_failed', message: `Could not write the session log (${code}); the session keeps working in memory and writing is retried.` });
    }
    log.retryDelay = Math.min(Math.max(log.retryDelay * 2, this.flushIntervalMs), MAX_RETRY_DELAY_MS);
    log.nextRetryAt = Date.now() + log.retryDelay;
    if (log.buffer.length > this.maxBuffered) { this.abandon(log); return; }
    if (!log.retryTimer && !this.closed) {
      log.retryTimer = setTimeout(() => {
        log.retryTimer = undefined;
        void this.exclusive(log, () => this.writeOut(log, false));
      }, log.retryDelay);
      log.retryTimer.unref();
    }
  }

  private abandon(log: SessionLog): void {
    log.abandoned = true;
    log.buffer = [];
    this.warn({ sessionId: log.id, code: 'write_failed', message: `Session ${log.id}: too many unwritten events; the log is left as it is and the session continues in memory only.` });
  }

  private async closeFd(log: SessionLog): Promise<void> {
    const fd = log.fd;
    log.fd = undefined;
    if (fd !== undefined) await this.fsx.close(fd).catch(() => undefined);
  }

  private isReadOnly(log: SessionLog): boolean {
    return log.lock === 'foreign' || log.failing || log.abandoned;
  }

  private lockedWarning(log: SessionLog, pid?: number): StoreWarning {
    return { sessionId: log.id, code: 'locked', message: `Session ${log.id} is open in another window${pid ? ` (pid ${pid})` : ''}; showing it read-only.` };
  }

  private exclusive<T>(log: SessionLog, fn: () => Promise<T>): Promise<T> {
    const run = log.chain.then(fn);
    log.chain = run.catch(() => undefined);
    return run;
  }

  private logFor(sessionId: string): SessionLog {
    let log = this.logs.get(sessionId);
    if (!log) {
      log = {
        id: sessionId, path: this.pathFor(sessionId, '.jsonl'), lockPath: this.pathFor(sessionId, '.lock'),
        buffer: [], lock: 'none', needsNewline: false, failing: false, nextRetryAt: 0, retryDelay: 0,
        abandoned: false, retired: false, chain: Promise.resolve(),
      };
      this.logs.set(sessionId, log);
    }
    return log;
  }

  /** The only way a path is made from an id: checked id, and the result must sit in sessions/. */
  private pathFor(sessionId: string, ext: '.jsonl' | '.lock' | '.checkpoint.json'): string {
    assertSafeId(sessionId);
    const path = resolve(this.sessionsDir, sessionId + ext);
    if (dirname(path) !== this.sessionsDir) throw new AgentError('invalid_id', 'Session id escapes the storage directory.');
    return path;
  }

  private safe(id: string): boolean {
    try { this.pathFor(id, '.jsonl'); return true; } catch { return false; /* a stray file name, not one of ours */ }
  }

  private warn(w: StoreWarning): void {
    this.logger.warn(`[store] ${w.code}: ${w.message}`);
    this.warnings.fire(w);
  }

  private assertOpen(): void {
    if (this.closed) throw new AgentError('invalid_state', 'The session store is closed.');
  }
}
