import { randomBytes } from 'node:crypto';
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
import { acquireLock, readLock, releaseLock } from './lock';
import { LockHandover, writerInfo, type HandoverOptions } from './lock-handover';
import { LogWriter, exclusive, isReadOnly, lockedWarning, newSessionLog, type SessionLog } from './log-writer';
import { readLog, readLogTail, type ReadResult } from './log-reader';
import { DamageLedger, damagedRow, damageWarning, looksDamaged, removeCopies } from './damage';
import { FlushPacer } from './flush-pacer';
import { removeStaleTempFiles } from './temp-files';
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
  /** Who this window is in its locks, and the take-over timings (store/lock-handover.ts). */
  handover?: HandoverOptions;
}

/**
 * The session store on disk: `<dir>/sessions/<id>.jsonl` (one event per line, append-only),
 * `<dir>/sessions/<id>.lock` (single writer), `<dir>/sessions/<id>.checkpoint.json` (the state as of
 * a seq, a cache for fast opening; replaced atomically) and `<dir>/index.json` (rebuildable listing).
 *
 * Invariants: an existing log is never rewritten or truncated; a line is only ever appended
 * after a '\n'; every path derives from an id that passed {@link assertSafeId} and is checked
 * to stay in the directory. `append` is synchronous and O(1); a timer writes each session's
 * buffer with one write(2) + fdatasync, paced (flush-pacer.ts) so that an event is durable within
 * `flushIntervalMs` of its append. Each line carries a checksum (record.ts). A damaged log
 * (empty, zeroed, foreign, damaged records) is kept as it is, copied to
 * `<id>.jsonl.corrupt-<timestamp>` before anything is appended to it, and reported in its index
 * row (`damaged`). Temp files left by a crashed writer are removed when the store opens.
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
  private readonly writer: LogWriter;
  private timer?: NodeJS.Timeout;
  /** Scheduled checkpoints by session id; `make` runs when written. */
  private readonly checkpoints = new Map<string, () => SessionCheckpoint>();
  private readonly checkpointDebounceMs: number;
  private checkpointTimer?: NodeJS.Timeout;
  private checkpointFailing = false;
  private closed = false;
  private readonly handover: LockHandover;
  private readonly damage: DamageLedger;
  private readonly pacer: FlushPacer;
  /** Opening the store: removing temp files of writers that died. */
  private readonly opening: Promise<void>;

  constructor(options: JsonlSessionStoreOptions) {
    this.dir = resolve(options.directory);
    this.sessionsDir = join(this.dir, 'sessions');
    this.fsx = options.fs ?? nodeStoreFs;
    this.logger = options.logger ?? nullLogger;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBuffered = options.maxBufferedEvents ?? 100_000;
    this.checkpointDebounceMs = options.checkpointDebounceMs ?? 250;
    this.writer = new LogWriter({
      fsx: this.fsx, sessionsDir: this.sessionsDir, token: this.token, logger: this.logger, flushIntervalMs: this.flushIntervalMs,
      maxBuffered: this.maxBuffered, warn: (w) => this.warn(w), isClosed: () => this.closed,
      mayWrite: () => this.handover.mayWrite(),
      inspect: async (log) => { await this.inspect(log); },
    });
    this.index = new IndexFile(this.fsx, join(this.dir, 'index.json'), this.logger, (w) => this.warn(w), options.indexDebounceMs ?? 250);
    this.handover = new LockHandover({
      fsx: this.fsx, token: this.token, sessionsDir: this.sessionsDir, handoverDir: join(this.dir, 'handover'), logger: this.logger,
      logFor: (id) => this.logFor(id), logs: () => this.logs.values(), exclusive, closeFd: (log) => this.writer.closeFd(log),
      drain: async (log) => { await this.writer.writeOut(log, true); await this.writeCheckpoint(log); return log.buffer.length === 0 && !log.failing; },
      warn: (w) => this.warn(w), resumeWrites: () => { void this.flushAll(false); },
    }, options.handover);
    this.damage = new DamageLedger(this.fsx, (w) => this.warn(w), this.logger);
    this.pacer = new FlushPacer(this.flushIntervalMs);
    this.opening = removeStaleTempFiles(this.fsx, this.dir, this.sessionsDir).then((names) => {
      if (names.length > 0) this.logger.info(`Removed ${names.length} temp file(s) left by a crashed writer: ${names.join(', ')}`);
    });
  }

  get onWriterChanged() { return this.handover.onWriterChanged; }

  async takeOver(sessionId: string): Promise<void> {
    this.assertOpen();
    assertSafeId(sessionId);
    await this.handover.takeOver(sessionId);
  }

  setHandoverHandler(handler: Parameters<LockHandover['setHandler']>[0]): void { this.handover.setHandler(handler); }

  /** The file of a session's log (a raw export of it, e.g. a damaged one). Throws invalid_id for a hostile id. */
  logPathOf(sessionId: string): string { return this.pathFor(sessionId, '.jsonl'); }

  append(sessionId: string, event: SessionEvent): void {
    this.assertOpen();
    const log = this.logFor(sessionId);
    if (log.abandoned) return;
    pushCoalesced(log.buffer, { ...event });
    if (log.buffer.length > this.maxBuffered && (log.failing || log.lock === 'foreign')) this.writer.abandon(log);
    if (!this.timer) {
      // The deadline runs from this, the first unflushed append; the pacer leaves room for the write itself.
      const delay = this.pacer.delay();
      const due = performance.now() + delay;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flushAll(false).then(() => this.pacer.record(due, performance.now()));
      }, delay);
    }
  }

  async flush(sessionId?: string): Promise<void> {
    if (sessionId === undefined) return this.flushAll(true);
    assertSafeId(sessionId);
    const log = this.logs.get(sessionId);
    if (log) {
      await exclusive(log, async () => {
        await this.writer.writeOut(log, true);
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
        return l ? exclusive(l, () => this.writeCheckpoint(l)) : undefined;
      }));
    }, this.checkpointDebounceMs);
  }

  async loadCheckpoint(sessionId: string): Promise<SessionCheckpoint | undefined> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    return exclusive(log, async () => {
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
    return this.read(sessionId, (path) => readLog(this.fsx, path, sessionId), (disk, buffered) => [...disk, ...buffered], true);
  }

  async loadTail(sessionId: string, maxEvents: number): Promise<LoadResult> {
    const n = Math.max(0, Math.floor(maxEvents));
    return this.read(
      sessionId,
      (path) => readLogTail(this.fsx, path, sessionId, n - (this.logs.get(sessionId)?.buffer.length ?? 0)),
      (disk, buffered) => (n === 0 ? [] : [...disk, ...buffered].slice(-n)),
      false,
    );
  }

  async list(): Promise<SessionIndexEntry[]> {
    this.assertOpen();
    await this.opening;
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
      const known = rows.get(id);
      const path = this.pathFor(id, '.jsonl');
      const damage = this.damage.get(id);
      if (known && damage) { result.set(id, { ...known, damaged: damage }); continue; }
      // A log this store writes was looked at when it opened it.
      if (known && (this.logs.get(id)?.lock === 'owned' || !(await looksDamaged(this.fsx, path)))) continue;
      // A log the index does not know (crash before the index was written, index lost), or one that
      // looks damaged (power loss): read it once.
      const disk = await readLog(this.fsx, path, id).catch(() => undefined);
      if (!disk) continue;
      const damaged = disk.damage ? await this.damage.note(id, path, disk.damage) : undefined;
      const derived = indexEntryFromEvents(id, [...disk.events, ...(this.logs.get(id)?.buffer ?? [])]);
      const mtime = async () => (await this.fsx.stat(path).catch(() => undefined))?.mtimeMs ?? 0;
      const row = damaged ? { ...(known ?? derived ?? damagedRow(id, disk.events, await mtime())), damaged } : known ?? derived;
      if (row) { this.index.set(row); result.set(id, row); if (!known) added++; }
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
    const damaged = entry.damaged ?? this.damage.get(entry.id);
    this.index.set({ ...entry, ...(damaged ? { damaged } : {}) }); // the index keeps a damage once noted (the bytes stay)
  }

  async delete(sessionId: string): Promise<void> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    await exclusive(log, async () => {
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
      await this.writer.closeFd(log);
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
      await removeCopies(this.fsx, log.path); // the user deleted the session: copies of its damaged log go with it
      this.damage.forget(sessionId);
      await releaseLock(this.fsx, log.lockPath, this.token).catch((e: unknown) => this.logger.warn(`Could not release lock: ${String(e)}`));
    });
    this.index.remove(sessionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening;
    this.handover.dispose();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await Promise.all([...this.logs.values()].map((log) => exclusive(log, async () => {
      await this.writer.writeOut(log, true);
      await this.writeCheckpoint(log);
      log.retired = true;
      if (log.retryTimer) clearTimeout(log.retryTimer);
      if (log.buffer.length > 0) this.logger.warn(`Session ${log.id}: ${log.buffer.length} event(s) could not be written before close.`);
      await this.writer.closeFd(log);
      if (log.lock === 'owned') await releaseLock(this.fsx, log.lockPath, this.token).catch((e: unknown) => this.logger.warn(`Could not release lock: ${String(e)}`));
      log.lock = 'none';
    })));
    this.logs.clear();
    await this.index.writeNow();
    this.index.dispose();
    this.warnings.dispose();
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Reads the log (the lock taken first, so the result says whether this window may write), notes
   * its damage — copied before anything buffered is appended — then writes what was buffered.
   */
  private async read(
    sessionId: string,
    readDisk: (path: string) => Promise<ReadResult>,
    combine: (disk: SessionEvent[], buffered: SessionEvent[]) => SessionEvent[],
    whole: boolean,
  ): Promise<LoadResult> {
    this.assertOpen();
    const log = this.logFor(sessionId);
    return exclusive(log, async () => {
      if (log.fd === undefined && (await this.fsx.stat(log.path)) !== undefined) {
        await this.writer.ensureWritable(log).catch((e: unknown) => this.writer.onWriteError(log, e));
      }
      const disk = await readDisk(log.path);
      // Once noted, a damage stays (its index row keeps it), even when appends made the log look whole.
      const damaged = disk.damage ? await this.damage.note(sessionId, log.path, disk.damage)
        : this.damage.get(sessionId) ?? (await this.index.load()).rows.get(sessionId)?.damaged;
      if (whole) log.checked = true;
      const buffered = log.buffer.map((e) => ({ ...e }));
      await this.writer.writeOut(log, true);
      const warnings = [...(damaged ? [damageWarning(sessionId, damaged)] : []), ...disk.warnings];
      if (log.lock === 'foreign') warnings.push(lockedWarning(log));
      if (log.failing || log.abandoned) warnings.push({ sessionId, code: 'write_failed', message: log.failMessage ?? 'History is not being saved: the session log cannot be written.' });
      const owner = log.lock === 'foreign' ? await readLock(this.fsx, log.lockPath).catch(() => undefined) : undefined;
      return {
        events: combine(disk.events, buffered), warnings, readOnly: isReadOnly(log),
        ...(owner ? { lockedBy: writerInfo(owner) } : {}), ...(damaged ? { damaged } : {}),
      };
    });
  }

  /**
   * Before the first write to an existing log that looks damaged (writer's glance): read it, so
   * the damage is noted and copied while the log is still as the disk left it.
   */
  private async inspect(log: SessionLog): Promise<void> {
    const disk = await readLog(this.fsx, log.path, log.id).catch(() => undefined);
    if (disk?.damage) await this.damage.note(log.id, log.path, disk.damage);
  }

  private async flushAll(forced: boolean): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => exclusive(log, async () => {
      await this.writer.writeOut(log, forced);
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
    await this.writer.writeOut(log, false);
    if (log.lock !== 'owned' || log.retired || log.abandoned) return;
    try {
      await writeFileAtomic(this.fsx, this.pathFor(log.id, '.checkpoint.json'), serializeCheckpoint(make()));
      this.checkpointFailing = false;
    } catch (e) {
      if (!this.checkpointFailing) this.logger.warn(`Session ${log.id}: could not write its checkpoint (${errnoCode(e) ?? String(e)}); it will be opened from its log.`);
      this.checkpointFailing = true;
    }
  }

  private logFor(sessionId: string): SessionLog {
    let log = this.logs.get(sessionId);
    if (!log) {
      log = newSessionLog(sessionId, this.pathFor(sessionId, '.jsonl'), this.pathFor(sessionId, '.lock'));
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
