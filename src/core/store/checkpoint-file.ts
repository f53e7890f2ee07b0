import { randomBytes } from 'node:crypto';
import { writeFully, type StoreFs } from './fs-seam';
import type { SessionCheckpoint } from './types';

/** Serialised form of a checkpoint (one JSON document). */
export function serializeCheckpoint(checkpoint: SessionCheckpoint): string {
  return JSON.stringify(checkpoint);
}

/**
 * Parses a stored checkpoint and checks its envelope: version, the expected session id, a sane
 * `lastSeq`, and some `data`. Anything else (garbage, another session's file, a future version)
 * is undefined: the caller then reads the whole log, which is always right.
 */
export function parseCheckpoint(text: string, sessionId: string): SessionCheckpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // damaged: the full log is read instead
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || v.sessionId !== sessionId) return undefined;
  if (typeof v.lastSeq !== 'number' || !Number.isSafeInteger(v.lastSeq) || v.lastSeq < 1) return undefined;
  if (typeof v.data !== 'object' || v.data === null) return undefined;
  return { version: 1, sessionId, lastSeq: v.lastSeq, data: v.data };
}

/**
 * Replaces `path` with `text` atomically: a temp file beside it, then rename. No fsync: a
 * checkpoint is a cache, one lost or garbled by a crash only makes the next open read the log.
 */
export async function writeFileAtomic(fsx: StoreFs, path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const data = Buffer.from(text);
  try {
    const fd = await fsx.open(tmp, 'w', 0o600);
    try {
      await writeFully(fsx, fd, data);
    } finally {
      await fsx.close(fd);
    }
    await fsx.rename(tmp, path);
  } catch (e) {
    await fsx.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
