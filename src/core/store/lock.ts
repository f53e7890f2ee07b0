import { randomBytes } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { errnoCode, writeFully, type StoreFs } from './fs-seam';

/** What a lock file holds: who writes the log. */
export interface LockInfo {
  pid: number;
  /** When the owning store took the lock (ms since epoch). */
  startedAt: number;
  /** Random per store instance: tells two stores in one process apart. */
  token: string;
  host: string;
  /** The owning window (VS Code's `env.sessionId`), when the store was told. */
  windowId?: string;
  /** A few words a person can recognise the owning window by ("VS Code window opened 14:02"). */
  label?: string;
  /**
   * Milliseconds between the owner's heartbeats (it touches the lock file's mtime). Absent in
   * locks written before heartbeats existed: their mtime says nothing about the owner.
   */
  heartbeatMs?: number;
}

export type LockResult = { kind: 'owned' } | { kind: 'foreign'; owner?: LockInfo };

/** Who a store says it is in the locks it writes (set once per store token). */
export interface LockIdentity {
  windowId?: string;
  label?: string;
  heartbeatMs?: number;
}

/**
 * Locks held by live stores in this process, by token (a pid check cannot tell them apart).
 * Per lock path: a store that releases one log still holds the others.
 */
const liveLocks = new Map<string, Set<string>>();
const identities = new Map<string, LockIdentity>();

/** A lock file being written right now may be empty for a moment; only older unreadable files are stale. */
const UNREADABLE_GRACE_MS = 5_000;

/** Says who the store with this token is, in every lock it writes from now on. */
export function setLockIdentity(token: string, identity: LockIdentity): void {
  identities.set(token, identity);
}

/** The lock this process would write for `token`. */
export function lockInfoFor(token: string, pid = process.pid, host = hostname()): LockInfo {
  const id = identities.get(token);
  return {
    pid, startedAt: Date.now(), token, host,
    ...(id?.windowId !== undefined ? { windowId: id.windowId } : {}),
    ...(id?.label !== undefined ? { label: id.label } : {}),
    ...(id?.heartbeatMs !== undefined ? { heartbeatMs: id.heartbeatMs } : {}),
  };
}

/** Records that this process's store `token` holds the lock at `lockPath`. */
export function markHeld(token: string, lockPath: string): void {
  let paths = liveLocks.get(token);
  if (!paths) { paths = new Set(); liveLocks.set(token, paths); }
  paths.add(lockPath);
}

/** The store `token` no longer holds `lockPath` (released or handed over). */
export function markReleased(token: string, lockPath: string): void {
  const paths = liveLocks.get(token);
  if (!paths) return;
  paths.delete(lockPath);
  if (paths.size === 0) liveLocks.delete(token);
}

/** Parses a lock file; undefined when it is not one (empty, torn, foreign). */
export function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.token === 'string' && typeof v.startedAt === 'number') {
      return {
        pid: v.pid, token: v.token, startedAt: v.startedAt, host: typeof v.host === 'string' ? v.host : '',
        ...(typeof v.windowId === 'string' ? { windowId: v.windowId.slice(0, 200) } : {}),
        ...(typeof v.label === 'string' ? { label: v.label.slice(0, 200) } : {}),
        ...(typeof v.heartbeatMs === 'number' && v.heartbeatMs > 0 ? { heartbeatMs: v.heartbeatMs } : {}),
      };
    }
  } catch {
    // unreadable: decided by age below
  }
  return undefined;
}

/** The lock at `lockPath`, or undefined when there is none or it is unreadable. */
export async function readLock(fsx: StoreFs, lockPath: string): Promise<LockInfo | undefined> {
  try {
    return parseLock(await fsx.readFile(lockPath));
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Whether the owner of a lock is still running (on this machine: by pid; elsewhere: assumed).
 * In this process: whether that store still holds `lockPath` (any of its locks when not given).
 */
export function isLockLive(owner: LockInfo, lockPath?: string): boolean {
  // Another machine on a shared disk: we cannot check its pid, so respect the lock.
  if (owner.host && owner.host !== hostname()) return true;
  if (owner.pid === process.pid) {
    const held = liveLocks.get(owner.token);
    return held !== undefined && (lockPath === undefined || held.has(lockPath));
  }
  // Taken before the last boot: its pid may now belong to an unrelated process (pids restart small).
  const bootedAt = Date.now() - uptime() * 1000;
  if (owner.startedAt < bootedAt - 60_000) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM'; // exists but belongs to someone else
  }
}

async function tryCreate(fsx: StoreFs, lockPath: string, info: LockInfo): Promise<boolean> {
  let fd: number;
  try {
    fd = await fsx.open(lockPath, 'wx');
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    const data = Buffer.from(JSON.stringify(info));
    await writeFully(fsx, fd, data, 0);
    await fsx.close(fd);
  } catch (e) {
    await fsx.close(fd).catch(() => undefined);
    await fsx.unlink(lockPath).catch(() => undefined);
    throw e;
  }
  return true;
}

export interface AcquireOptions {
  /**
   * Also treat this live-looking owner as gone (a take-over whose owner did not answer and whose
   * heartbeat stopped long ago: a hung window, or a dead one whose pid was reused).
   */
  treatAsStale?(owner: LockInfo): boolean;
}

/**
 * Takes the single-writer lock of one log: creates `lockPath` exclusively ('wx') with pid,
 * start time and a token. A lock held by a live owner (another process, or another store in
 * this process) yields `foreign`; a stale lock (dead pid, or an unreadable file older than a
 * few seconds) is taken over: renamed aside, re-checked (so two stores racing for the same
 * stale lock cannot remove a fresh one), removed, then created again.
 * Filesystem errors other than EEXIST/ENOENT propagate (the caller treats them as write failures).
 */
export async function acquireLock(fsx: StoreFs, lockPath: string, token: string, options: AcquireOptions = {}): Promise<LockResult> {
  const info = lockInfoFor(token);
  let owner: LockInfo | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await tryCreate(fsx, lockPath, info)) {
      markHeld(token, lockPath);
      return { kind: 'owned' };
    }
    let text: string;
    try {
      text = await fsx.readFile(lockPath);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') continue; // released meanwhile: try again
      throw e;
    }
    owner = parseLock(text);
    if (owner?.token === token) { markHeld(token, lockPath); return { kind: 'owned' }; }
    const live = owner
      ? isLockLive(owner, lockPath) && !(options.treatAsStale?.(owner) ?? false)
      : Date.now() - ((await fsx.stat(lockPath))?.mtimeMs ?? 0) < UNREADABLE_GRACE_MS;
    if (live) return { kind: 'foreign', ...(owner ? { owner } : {}) };
    const aside = `${lockPath}.stale-${token}`;
    try {
      await fsx.rename(lockPath, aside);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') continue;
      throw e;
    }
    const moved = await fsx.readFile(aside).catch(() => '');
    if (moved !== text) {
      // Someone replaced the stale lock between our read and rename: put theirs back.
      await fsx.link(aside, lockPath).catch(() => undefined);
    }
    await fsx.unlink(aside).catch(() => undefined);
  }
  return { kind: 'foreign', ...(owner ? { owner } : {}) };
}

/**
 * Hands a lock we own to another store: replaces the file in one rename, so the log has an owner
 * at every moment (no gap a third window could slip into). Refuses unless the file still carries
 * `token`. The caller has stopped writing the log and made everything durable first.
 */
export async function handLockTo(fsx: StoreFs, lockPath: string, token: string, next: LockInfo): Promise<void> {
  const current = await readLock(fsx, lockPath);
  if (current?.token !== token) throw Object.assign(new Error('the lock is no longer ours'), { code: 'ENOTOWNER' });
  const tmp = `${lockPath}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = await fsx.open(tmp, 'wx');
  try {
    const data = Buffer.from(JSON.stringify(next));
    await writeFully(fsx, fd, data, 0);
    await fsx.fsync(fd);
  } finally {
    await fsx.close(fd).catch(() => undefined);
  }
  try {
    await fsx.rename(tmp, lockPath);
  } catch (e) {
    await fsx.unlink(tmp).catch(() => undefined);
    throw e;
  }
  markReleased(token, lockPath);
  // A store in this process: held from this moment, so a third store here cannot see a stale lock.
  if (next.pid === process.pid) markHeld(next.token, lockPath);
}

/** Releases a lock we own (only if the file still carries our token). */
export async function releaseLock(fsx: StoreFs, lockPath: string, token: string): Promise<void> {
  markReleased(token, lockPath);
  try {
    const owner = parseLock(await fsx.readFile(lockPath));
    if (owner?.token === token) await fsx.unlink(lockPath);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}
