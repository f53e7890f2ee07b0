/**
 * Handing a session log's single-writer lock from one window to another ("Take over here"),
 * through the storage folder only: windows share nothing else (two VS Code windows, two
 * code-server tabs, each its own extension host).
 *
 * The handshake, per session, with a rename as the compare-and-swap:
 * 1. The taker writes `handover/<id>~<token>.req` (its LockInfo), atomically (tmp + rename).
 * 2. The owner polls the folder (one readdir per `pollMs`); it claims a request by renaming it to
 *    `.claimed`. The taker may withdraw an unclaimed request by renaming it to `.withdrawn`; only
 *    one of the two renames can succeed, so the owner never hands a lock to a taker that gave up.
 * 3. The owner lets its session stop (the handler: a running turn is interrupted, one waiting for
 *    an approval is left open in the log), writes out everything buffered, closes the log, and
 *    replaces the lock file with the taker's LockInfo in one rename: there is an owner at every
 *    moment and never two writers. The taker sees its own token in the lock file and writes.
 *    If anything is left unwritten the owner refuses instead (`.refused` with the reason).
 * 4. An owner that is dead (stale pid) is taken over at once, as any stale lock. One that does not
 *    answer within `answerTimeoutMs` keeps the lock, unless its heartbeat (the lock file's mtime,
 *    touched every `heartbeatMs`) is older than `staleHeartbeatMs`: then it is hung or gone (its
 *    pid reused) and the lock is taken as stale. An owner that wakes up after that finds the lock
 *    not its own before it writes again (see `mayWrite`) and turns read-only.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Emitter } from '../base/emitter';
import { AgentError, toAgentError } from '../base/errors';
import type { Logger } from '../ports';
import { errnoCode, writeFully, type StoreFs } from './fs-seam';
import {
  acquireLock, handLockTo, isLockLive, lockInfoFor, markHeld, markReleased, parseLock, readLock, setLockIdentity, type LockInfo,
} from './lock';
import type { SessionLog } from './log-writer';
import type { SessionWriterInfo, StoreWarning } from './types';

/** Which store writes a session's log now. `owner` undefined: this store does. */
export interface WriterChange {
  sessionId: string;
  owner?: SessionWriterInfo;
}

/** What a lock says about its window, for the session layer and the UI (no token). */
export function writerInfo(lock: LockInfo): SessionWriterInfo {
  return {
    pid: lock.pid, host: lock.host, since: lock.startedAt,
    ...(lock.windowId !== undefined ? { windowId: lock.windowId } : {}),
    ...(lock.label !== undefined ? { label: lock.label } : {}),
  };
}

/**
 * Called on the owner before it lets a session go: stop the session (interrupt its turn, flush)
 * and stop recording. Throwing refuses the handover with that message. The result's `undo` runs
 * when the handover fails after that (the session may record again).
 */
export type HandoverHandler = (sessionId: string, to: SessionWriterInfo) => Promise<{ undo(): void } | void>;

export interface HandoverOptions {
  /** This window, written into every lock this store takes (VS Code's `env.sessionId`). */
  windowId?: string;
  /** How a person recognises this window ("VS Code window opened 14:02"). */
  label?: string;
  /** How often the owner looks for requests, ms. Default 200. */
  pollMs?: number;
  /** How often the owner touches its lock files, ms. Default 2 000. */
  heartbeatMs?: number;
  /** How long a taker waits for the owner to claim its request, ms. Default 5 000. */
  answerTimeoutMs?: number;
  /** How long a taker waits for a claimed handover to finish, ms. Default 30 000. */
  handoverTimeoutMs?: number;
  /** A heartbeat older than this (and no answer) means the owner is hung or gone, ms. Default 30 000. */
  staleHeartbeatMs?: number;
}

/** What the handover needs from the store that owns it. */
export interface HandoverPort {
  fsx: StoreFs;
  token: string;
  sessionsDir: string;
  /** `<storage>/handover`. */
  handoverDir: string;
  logger: Logger;
  /** The store's state of a log, created when missing. */
  logFor(sessionId: string): SessionLog;
  /** Every log the store has open. */
  logs(): Iterable<SessionLog>;
  exclusive<T>(log: SessionLog, fn: () => Promise<T>): Promise<T>;
  /** Writes out the buffer and pending checkpoint (inside `exclusive`); true when nothing is left unwritten. */
  drain(log: SessionLog): Promise<boolean>;
  closeFd(log: SessionLog): Promise<void>;
  warn(w: StoreWarning): void;
  /** Writes held back by a freeze (see LockHandover.mayWrite) may go now. */
  resumeWrites(): void;
}

const REQ = '.req';
const CLAIMED = '.claimed';
const REFUSED = '.refused';
const WITHDRAWN = '.withdrawn';

/** A person's description of the window that holds a lock. */
export function describeOwner(owner: SessionWriterInfo | LockInfo | undefined): string {
  if (!owner) return 'another window';
  const where = owner.label ?? 'another window';
  return `${where} (pid ${owner.pid}${owner.host ? ` on ${owner.host}` : ''})`;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One store's side of the handshake: answering requests for the logs it owns, and asking for others'. */
export class LockHandover {
  private readonly changes = new Emitter<WriterChange>();
  /** Fires when this store starts or stops writing a log because of a handover (not on plain open/close). */
  readonly onWriterChanged = this.changes.event;
  private handler: HandoverHandler | undefined;
  private readonly o: Required<Omit<HandoverOptions, 'windowId' | 'label'>>;
  private timer: NodeJS.Timeout | undefined;
  private lastBeat = 0;
  /** When the last tick ran: a late one means this process was frozen (see mayWrite). */
  private lastTick = Date.now();
  private readonly busy = new Set<string>();
  private disposed = false;

  constructor(private readonly port: HandoverPort, options: HandoverOptions = {}) {
    const staleHeartbeatMs = options.staleHeartbeatMs ?? 30_000;
    this.o = {
      // A tick at least 10 times per stale period, so a normal delay never looks like a freeze.
      pollMs: Math.min(options.pollMs ?? 200, staleHeartbeatMs / 10), heartbeatMs: options.heartbeatMs ?? 2_000,
      answerTimeoutMs: options.answerTimeoutMs ?? 5_000, handoverTimeoutMs: options.handoverTimeoutMs ?? 30_000, staleHeartbeatMs,
    };
    setLockIdentity(port.token, {
      ...(options.windowId !== undefined ? { windowId: options.windowId } : {}),
      ...(options.label !== undefined ? { label: options.label } : {}),
      heartbeatMs: this.o.heartbeatMs,
    });
    this.schedule();
  }

  /** The session layer's part of letting a log go (one per store; the manager sets it). */
  setHandler(handler: HandoverHandler | undefined): void { this.handler = handler; }

  /**
   * False while this process has just woken from a freeze longer than half the stale-heartbeat
   * time: another window may have taken the lock meanwhile, so nothing is written until the
   * next tick has checked the lock files.
   */
  mayWrite(): boolean {
    return Date.now() - this.lastTick < this.o.staleHeartbeatMs / 2;
  }



  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changes.dispose();
  }

  // ---- taker -------------------------------------------------------------------------------

  /**
   * Makes this store the writer of `sessionId`'s log: at once when the lock is free or stale,
   * else by asking its owner (see the file comment). Resolves once this store owns the lock;
   * anything this store had buffered for the log while read-only is dropped (it was never the
   * log's history). Throws AgentError('read_only') when the owner refuses or does not answer.
   */
  async takeOver(sessionId: string): Promise<void> {
    const log = this.port.logFor(sessionId);
    await this.port.exclusive(log, async () => {
      if (log.retired) throw new AgentError('invalid_state', `Session ${sessionId} was deleted here.`);
      if (log.lock === 'owned') return;
      const { fsx, token } = this.port;
      await fsx.mkdir(this.port.sessionsDir);
      const first = await acquireLock(fsx, log.lockPath, token);
      if (first.kind === 'owned') { this.adopt(log); return; }
      await fsx.mkdir(this.port.handoverDir);
      const base = join(this.port.handoverDir, `${sessionId}~${token}`);
      await this.writeAtomic(`${base}${REQ}`, JSON.stringify(lockInfoFor(token)));
      try {
        await this.waitForHandover(log, base, first.owner);
      } finally {
        for (const ext of [REQ, WITHDRAWN, REFUSED]) await fsx.unlink(`${base}${ext}`).catch(() => undefined);
      }
    });
  }

  private async waitForHandover(log: SessionLog, base: string, firstOwner: LockInfo | undefined): Promise<void> {
    const { fsx, token } = this.port;
    let claimed = false;
    let deadline = Date.now() + this.o.answerTimeoutMs;
    const step = Math.max(10, Math.min(50, this.o.pollMs / 2));
    for (;;) {
      await sleep(step);
      const lock = await readLock(fsx, log.lockPath);
      if (lock?.token === token) { markHeld(token, log.lockPath); this.adopt(log); return; }
      if (!lock || !isLockLive(lock, log.lockPath)) {
        // Released (its window closed) or its process died, possibly mid-handover: a plain acquire.
        if ((await acquireLock(fsx, log.lockPath, token)).kind === 'owned') { this.adopt(log); return; }
        continue;
      }
      const refused = await fsx.readFile(`${base}${REFUSED}`).catch(() => undefined);
      if (refused !== undefined) {
        throw new AgentError('read_only', `${describeOwner(lock)} could not hand session ${log.id} over: ${refused.slice(0, 500) || 'no reason given'}`);
      }
      if (!claimed && (await fsx.stat(`${base}${REQ}`)) === undefined) {
        claimed = true; // the owner renamed it: it is writing out and will hand the lock over
        deadline = Date.now() + this.o.handoverTimeoutMs;
      }
      if (Date.now() < deadline) continue;
      if (claimed) throw new AgentError('read_only', `${describeOwner(lock)} started handing session ${log.id} over but did not finish; it stays read-only here.`);
      if (!(await this.withdraw(base))) { claimed = true; deadline = Date.now() + this.o.handoverTimeoutMs; continue; }
      const mtime = (await fsx.stat(log.lockPath))?.mtimeMs ?? Date.now();
      if (this.heartbeatStopped(lock, mtime)) {
        const r = await acquireLock(fsx, log.lockPath, token, { treatAsStale: (o) => o.token === lock.token });
        if (r.kind === 'owned') {
          this.port.warn({ sessionId: log.id, code: 'lock_taken', message: `${describeOwner(lock)} did not answer and has not shown a sign of life for ${Math.round((Date.now() - mtime) / 1000)} s; took session ${log.id} over.` });
          this.adopt(log);
          return;
        }
      }
      throw new AgentError('read_only', `${describeOwner(lock ?? firstOwner)} did not answer. It may be busy or frozen; try again, or close the session there.`);
    }
  }

  private heartbeatStopped(lock: LockInfo, mtimeMs: number): boolean {
    if (lock.heartbeatMs === undefined) return false; // a store without heartbeats: its mtime says nothing
    return Date.now() - mtimeMs > Math.max(this.o.staleHeartbeatMs, 5 * lock.heartbeatMs);
  }

  /** Takes back an unclaimed request. False when the owner claimed it first. */
  private async withdraw(base: string): Promise<boolean> {
    try {
      await this.port.fsx.rename(`${base}${REQ}`, `${base}${WITHDRAWN}`);
      return true;
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return false;
      throw e;
    }
  }

  /** This store writes the log from now on: what it buffered while read-only is not the log's history. */
  private adopt(log: SessionLog): void {
    log.lock = 'owned';
    if (log.buffer.length > 0) {
      this.port.logger.warn(`Session ${log.id}: dropped ${log.buffer.length} event(s) recorded while it was read-only here.`);
      log.buffer = [];
    }
    log.abandoned = false;
    log.failing = false;
    log.retryDelay = 0;
    log.nextRetryAt = 0;
    this.changes.fire({ sessionId: log.id });
  }

  // ---- owner -------------------------------------------------------------------------------

  private schedule(): void {
    if (this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick().then(() => this.schedule(), (e: unknown) => {
        this.port.logger.warn(`Lock handover check failed: ${toAgentError(e).message}`);
        this.schedule();
      });
    }, this.o.pollMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const frozen = !this.mayWrite();
    if (frozen || Date.now() - this.lastBeat >= this.o.heartbeatMs) await this.beat();
    this.lastTick = Date.now();
    if (frozen) this.port.resumeWrites();
    await this.answerRequests();
  }

  /** Touches every lock this store owns (its heartbeat) and notices any it has lost meanwhile. */
  private async beat(): Promise<void> {
    this.lastBeat = Date.now();
    const { fsx, token } = this.port;
    for (const log of [...this.port.logs()]) {
      if (log.lock !== 'owned' || log.retired || this.busy.has(log.id)) continue;
      const lock = await readLock(fsx, log.lockPath).catch(() => undefined);
      if (lock && lock.token !== token) { await this.lost(log, lock); continue; }
      if (fsx.touch) await fsx.touch(log.lockPath).catch(() => undefined); // no heartbeat only means a slower take-over
    }
  }

  /** Another store took this log's lock as stale while this process was frozen: stop writing it. */
  private async lost(log: SessionLog, owner: LockInfo): Promise<void> {
    await this.port.exclusive(log, async () => {
      if (log.lock !== 'owned') return;
      log.lock = 'foreign';
      await this.port.closeFd(log);
      markReleased(this.port.token, log.lockPath);
      const dropped = log.buffer.length;
      log.buffer = [];
      this.port.warn({ sessionId: log.id, code: 'lock_lost', message: `${describeOwner(owner)} took session ${log.id} over while this window was not responding${dropped ? `; ${dropped} event(s) recorded here were not saved` : ''}.` });
    });
    this.changes.fire({ sessionId: log.id, owner: writerInfo(owner) });
  }

  private async answerRequests(): Promise<void> {
    const { fsx } = this.port;
    let names: string[];
    try {
      names = await fsx.readdir(this.port.handoverDir);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return;
      throw e;
    }
    const owned = new Map<string, SessionLog>();
    for (const log of this.port.logs()) if (log.lock === 'owned' && !log.retired) owned.set(log.id, log);
    for (const name of names) {
      if (!name.endsWith(REQ)) continue;
      const [sessionId, takerToken] = name.slice(0, -REQ.length).split('~');
      const log = sessionId ? owned.get(sessionId) : undefined;
      if (!log || !takerToken || this.busy.has(log.id)) continue;
      const base = join(this.port.handoverDir, name.slice(0, -REQ.length));
      try {
        await fsx.rename(`${base}${REQ}`, `${base}${CLAIMED}`);
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') continue; // withdrawn, or another store of ours claimed it
        throw e;
      }
      const to = parseLock(await fsx.readFile(`${base}${CLAIMED}`).catch(() => ''));
      if (!to || to.token !== takerToken) { await fsx.unlink(`${base}${CLAIMED}`).catch(() => undefined); continue; }
      this.busy.add(log.id);
      void this.handOver(log, to, base).finally(() => this.busy.delete(log.id));
    }
  }

  private async handOver(log: SessionLog, to: LockInfo, base: string): Promise<void> {
    const { fsx, token } = this.port;
    let undo: (() => void) | undefined;
    try {
      undo = (await this.handler?.(log.id, writerInfo(to)))?.undo;
      await this.port.exclusive(log, async () => {
        if (log.lock !== 'owned' || log.retired) throw new AgentError('invalid_state', 'this window no longer writes it');
        if (!(await this.port.drain(log))) {
          throw new AgentError('storage', `this window could not save its history (${log.buffer.length} event(s) unwritten); it keeps the session`);
        }
        await this.port.closeFd(log);
        await handLockTo(fsx, log.lockPath, token, to);
        log.lock = 'foreign';
      });
    } catch (e) {
      undo?.();
      const reason = toAgentError(e).message;
      this.port.logger.warn(`Session ${log.id}: not handed over to ${describeOwner(to)}: ${reason}`);
      await this.writeAtomic(`${base}${REFUSED}`, reason).catch(() => undefined);
      await fsx.unlink(`${base}${CLAIMED}`).catch(() => undefined);
      return;
    }
    await fsx.unlink(`${base}${CLAIMED}`).catch(() => undefined);
    this.port.logger.info(`Session ${log.id}: handed over to ${describeOwner(to)}; read-only here.`);
    this.changes.fire({ sessionId: log.id, owner: writerInfo(to) });
  }

  private async writeAtomic(path: string, text: string): Promise<void> {
    const { fsx } = this.port;
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = await fsx.open(tmp, 'wx');
    try {
      const data = Buffer.from(text);
      await writeFully(fsx, fd, data, 0);
    } finally {
      await fsx.close(fd).catch(() => undefined);
    }
    await fsx.rename(tmp, path);
  }
}
