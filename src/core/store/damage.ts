import { basename, dirname, join } from 'node:path';
import type { Logger } from '../ports';
import type { SessionEvent } from '../session/events';
import { errnoCode, type StoreFs } from './fs-seam';
import type { LogDamage } from './log-reader';
import type { SessionIndexEntry, StoreWarning } from './types';

/** What an index row says about a damaged log (shared with the UI: `SessionIndexEntry.damaged`). */
export type SessionLogDamage = NonNullable<SessionIndexEntry['damaged']>;

const COPY_MARK = '.corrupt-';
/** `<id>.jsonl.corrupt-20260101T120000123Z` (+ `-<n>` when two copies fall in one millisecond). */
const COPY_STAMP = /^\d{8}T\d{9}Z(-\d+)?$/;

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

/** A sentence for people: what is wrong with the log and what it probably means. */
export function damageReason(d: LogDamage): string {
  switch (d.kind) {
    case 'empty': return 'The session log is empty (0 bytes): its history never reached the disk, probably because of a power cut or a full disk.';
    case 'zeroed': return `The session log holds only zero bytes (${d.size} bytes): the disk lost its contents, probably in a power cut.`;
    case 'foreign': return 'The file in place of this session\'s log belongs to another session; nothing of it is loaded here.';
    case 'unreadable': return `None of the session log's records could be read (${records(d.unreadable)} damaged): it is not a session log, or it is damaged throughout.`;
    case 'records': return `${records(d.unreadable)} of the session log could not be read (damaged on disk) and were skipped; the rest of the history is intact.`;
  }
}

/** The index-row form of a damage, with where its copy is. */
export function toSessionDamage(d: LogDamage, copy: string | undefined): SessionLogDamage {
  return { reason: damageReason(d), ...(d.unreadable > 0 ? { unreadableRecords: d.unreadable } : {}), ...(copy ? { copy } : {}) };
}

/** True when `name` (in the log's folder) is a copy made by {@link keepCopy} of `logName`. */
export function isCopyOf(name: string, logName: string): boolean {
  return name.startsWith(logName + COPY_MARK) && COPY_STAMP.test(name.slice(logName.length + COPY_MARK.length));
}

async function sameBytes(fsx: StoreFs, a: string, b: string, length: number): Promise<boolean> {
  const [fa, fb] = [await fsx.open(a, 'r'), await fsx.open(b, 'r').catch(async (e: unknown) => { await fsx.close(fa); throw e; })];
  try {
    const ba = Buffer.allocUnsafe(64 * 1024);
    const bb = Buffer.allocUnsafe(64 * 1024);
    for (let at = 0; at < length; ) {
      const want = Math.min(ba.length, length - at);
      const [na, nb] = [await fsx.read(fa, ba, 0, want, at), await fsx.read(fb, bb, 0, want, at)];
      if (na !== want || nb !== want || !ba.subarray(0, want).equals(bb.subarray(0, want))) return false;
      at += want;
    }
    return true;
  } finally {
    await fsx.close(fa).catch(() => undefined);
    await fsx.close(fb).catch(() => undefined);
  }
}

/**
 * Keeps `<log>.corrupt-<timestamp>`, a copy of a damaged log, before anything else is written to
 * it — unless an earlier copy already holds this damage (the log is append-only, so a copy whose
 * bytes are a prefix of the log and reach past its last damaged line shows the same damage).
 * Returns the copy's path; undefined when it could not be made (the log itself is never touched).
 */
export async function keepCopy(fsx: StoreFs, logPath: string, damage: LogDamage, onError: (e: unknown) => void): Promise<string | undefined> {
  const dir = dirname(logPath);
  const logName = basename(logPath);
  try {
    const names = (await fsx.readdir(dir)).filter((n) => isCopyOf(n, logName)).sort().reverse();
    for (const name of names) {
      const path = join(dir, name);
      const st = await fsx.stat(path);
      if (!st || st.size > damage.size || st.size < damage.damagedUpTo) continue;
      if (await sameBytes(fsx, path, logPath, st.size)) return path;
    }
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    for (let n = 0; ; n++) {
      const path = join(dir, `${logName}${COPY_MARK}${stamp}${n ? `-${n}` : ''}`);
      try {
        await fsx.copyFile(logPath, path);
        return path;
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST' || n >= 20) throw e;
      }
    }
  } catch (e) {
    onError(e);
    return undefined;
  }
}

/** Removes the copies of a deleted session's log (the user deleted the session; they go with it). */
export async function removeCopies(fsx: StoreFs, logPath: string): Promise<void> {
  const dir = dirname(logPath);
  const logName = basename(logPath);
  let names: string[];
  try {
    names = await fsx.readdir(dir);
  } catch {
    return; // no folder, no copies
  }
  for (const name of names) if (isCopyOf(name, logName)) await fsx.unlink(join(dir, name)).catch(() => undefined);
}

/** True when a log looks damaged at a glance: empty, or not starting with '{' (every log does). Cheap: one stat, one byte. */
export async function looksDamaged(fsx: StoreFs, path: string): Promise<boolean> {
  let fd: number | undefined;
  try {
    const st = await fsx.stat(path);
    if (!st) return false;
    if (st.size === 0) return true;
    fd = await fsx.open(path, 'r');
    const first = Buffer.alloc(1);
    return (await fsx.read(fd, first, 0, 1, 0)) === 1 && first[0] !== 0x7b;
  } catch {
    return false; // unreadable now: the full read reports it
  } finally {
    if (fd !== undefined) await fsx.close(fd).catch(() => undefined);
  }
}

/** A listing row for a damaged log whose `session.created` could not be read (`at`: the log's mtime). */
export function damagedRow(id: string, events: readonly SessionEvent[], at: number): SessionIndexEntry {
  const lastSeq = events.reduce((m, e) => Math.max(m, e.seq), 0);
  return { id, title: 'Damaged session', createdAt: at, updatedAt: at, lastSeq, eventCount: events.length, messageCount: 0, state: 'idle', providerId: '', model: '' };
}

/** The warning that says a log is damaged (first among a load's warnings). */
export function damageWarning(sessionId: string, d: SessionLogDamage): StoreWarning {
  return { sessionId, code: 'damaged', message: `${d.reason}${d.copy ? ` A copy of the log as it was is kept at ${d.copy}.` : ''}` };
}

/**
 * The damaged logs this store has seen: each damage is copied once ({@link keepCopy}) and
 * reported once through the store's warnings; loads and listings then say it from here.
 */
export class DamageLedger {
  private readonly known = new Map<string, SessionLogDamage>();

  constructor(private readonly fsx: StoreFs, private readonly warn: (w: StoreWarning) => void, private readonly logger: Logger) {}

  get(sessionId: string): SessionLogDamage | undefined { return this.known.get(sessionId); }

  /** Notes the damage of the log just read: a copy first (unless this damage has one), a warning the first time. */
  async note(sessionId: string, path: string, d: LogDamage): Promise<SessionLogDamage> {
    const prev = this.known.get(sessionId);
    const fresh = toSessionDamage(d, undefined);
    if (prev && prev.reason === fresh.reason && prev.unreadableRecords === fresh.unreadableRecords && prev.copy) return prev;
    const copy = await keepCopy(this.fsx, path, d, (e) => this.logger.warn(`Session ${sessionId}: could not keep a copy of its damaged log (${errnoCode(e) ?? String(e)}).`));
    const damage = toSessionDamage(d, copy);
    this.known.set(sessionId, damage);
    this.warn(damageWarning(sessionId, damage));
    return damage;
  }

  forget(sessionId: string): void { this.known.delete(sessionId); }
}
