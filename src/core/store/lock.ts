import { hostname, uptime } from 'node:os';
import { errnoCode, type StoreFs } from './fs-seam';

/** What a lock file holds: who writes the log. */
export interface LockInfo {
  pid: number;
  /** When the owning store took the lock (ms since epoch). */
  startedAt: number;
  /** Random per store instance: tells two stores in one process apart. */
  token: string;
  host: string;
}

export type LockResult = { kind: 'owned' } | { kind: 'foreign'; owner?: LockInfo };

/** Tokens of locks held by live stores in this process (a pid check cannot tell them apart). */
const liveTokens = new Set<string>();

/** A lock file being written right now may be empty for a moment; only older unreadable files are stale. */
const UNREADABLE_GRACE_MS = 5_000;

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.token === 'string' && typeof v.startedAt === 'number') {
      return { pid: v.pid, token: v.token, startedAt: v.startedAt, host: typeof v.host === 'string' ? v.host : '' };
    }
  } catch {
    // unreadable: decided by age below
  }
  return undefined;
}

function isLive(owner: LockInfo): boolean {
  // Another machine on a shared disk: we cannot check its pid, so respect the lock.
  if (owner.host && owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return liveTokens.has(owner.token);
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
    await fsx.write(fd, data, 0, data.length, 0);
    await fsx.close(fd);
  } catch (e) {
    await fsx.close(fd).catch(() => undefined);
    await fsx.unlink(lockPath).catch(() => undefined);
    throw e;
  }
  return true;
}

/**
 * Takes the single-writer lock of one log: creates `lockPath` exclusively ('wx') with pid,
 * start time and a token. A lock held by a live owner (another process, or another store in
 * this process) yields `foreign`; a stale lock (dead pid, or an unreadable file older than a
 * few seconds) is taken over: renamed aside, re-checked (so two stores racing for the same
 * stale lock cannot remove a fresh one), removed, then created again.
 * Filesystem errors other than EEXIST/ENOENT propagate (the caller treats them as write failures).
 */
export async function acquireLock(fsx: StoreFs, lockPath: string, token: string): Promise<LockResult> {
  const info: LockInfo = { pid: process.pid, startedAt: Date.now(), token, host: hostname() };
  let owner: LockInfo | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await tryCreate(fsx, lockPath, info)) {
      liveTokens.add(token);
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
    if (owner?.token === token) { liveTokens.add(token); return { kind: 'owned' }; }
    if (owner ? isLive(owner) : Date.now() - ((await fsx.stat(lockPath))?.mtimeMs ?? 0) < UNREADABLE_GRACE_MS) {
      return { kind: 'foreign', owner };
    }
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
  return { kind: 'foreign', owner };
}

/** Releases a lock we own (only if the file still carries our token). */
export async function releaseLock(fsx: StoreFs, lockPath: string, token: string): Promise<void> {
  liveTokens.delete(token);
  try {
    const owner = parseLock(await fsx.readFile(lockPath));
    if (owner?.token === token) await fsx.unlink(lockPath);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}
