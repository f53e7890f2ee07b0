import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isSafeId } from '../base/ids';
import type { Logger } from '../ports';
import { errnoCode, writeFully, type StoreFs } from './fs-seam';
import type { SessionIndexEntry, StoreWarning } from './types';

const entrySchema = z.object({
  id: z.string().refine(isSafeId),
  title: z.string(),
  parentId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastSeq: z.number(),
  eventCount: z.number(),
  messageCount: z.number(),
  state: z.enum(['idle', 'running', 'awaiting_approval', 'paused', 'error']),
  outcome: z.enum(['done', 'error']).optional(),
  changedFiles: z.number().int().min(0).optional(),
  worktree: z.object({
    branch: z.string(), path: z.string(), state: z.enum(['ok', 'missing', 'moved', 'locked', 'broken', 'discarded']),
  }).optional(),
  providerId: z.string(),
  model: z.string(),
  damaged: z.object({ reason: z.string(), unreadableRecords: z.number().optional(), copy: z.string().optional() }).optional(),
});
const fileSchema = z.object({ version: z.literal(1), sessions: z.array(entrySchema) });

export type IndexStatus = 'ok' | 'missing' | 'corrupt';

/** `next`, keeping the damage `prev` recorded (only deleting the session clears it). */
function sticky(next: SessionIndexEntry, prev: SessionIndexEntry | undefined): SessionIndexEntry {
  return next.damaged || !prev?.damaged ? next : { ...next, damaged: prev.damaged };
}

/**
 * `index.json`: one small, rebuildable file listing sessions. Changes are kept in memory and
 * written at most every `debounceMs`, atomically (temp file, fsync, rename), merged with rows
 * another window may have written meanwhile, so listing never needs to open every log.
 */
export class IndexFile {
  private rows?: Map<string, SessionIndexEntry>;
  private loading?: Promise<IndexStatus>;
  private status: IndexStatus = 'ok';
  /** Ids removed by this store: not resurrected from another window's copy of the index. */
  private readonly deleted = new Set<string>();
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly fsx: StoreFs,
    private readonly path: string,
    private readonly logger: Logger,
    private readonly warn: (w: StoreWarning) => void,
    private readonly debounceMs: number,
  ) {}

  /** The rows (loaded once) and how the file looked when loaded. */
  async load(): Promise<{ rows: Map<string, SessionIndexEntry>; status: IndexStatus }> {
    this.loading ??= this.readFromDisk().then((r) => {
      const pending = this.rows; // updates made before the load finished win
      this.rows = r.rows;
      for (const [id, row] of pending ?? []) this.rows.set(id, sticky(row, this.rows.get(id)));
      for (const id of this.deleted) this.rows.delete(id);
      this.status = r.status;
      return r.status;
    });
    await this.loading;
    return { rows: this.rows ?? new Map<string, SessionIndexEntry>(), status: this.status };
  }

  /** Marks a damaged/missing index as repaired (after the caller rebuilt its rows). */
  markRebuilt(): void { this.status = 'ok'; }

  /** Sets a row; a `damaged` the row had stays (the damaged bytes stay in the append-only log). */
  set(entry: SessionIndexEntry): void {
    this.rows ??= new Map();
    this.rows.set(entry.id, sticky(entry, this.rows.get(entry.id)));
    this.deleted.delete(entry.id);
    this.scheduleWrite();
  }

  remove(id: string): void {
    this.rows?.delete(id);
    this.deleted.add(id);
    this.scheduleWrite();
  }

  scheduleWrite(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.writeNow();
    }, this.debounceMs);
  }

  /** Writes pending changes now (also used by close). Never throws: failures become warnings. */
  writeNow(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.writing = this.writing.then(() => this.writeOnce());
    return this.writing;
  }

  private async writeOnce(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const { rows } = await this.load();
    const tmp = `${this.path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      // Another window may have listed sessions we do not know: keep its rows.
      const onDisk = await this.readFromDisk();
      for (const [id, row] of onDisk.rows) if (!rows.has(id) && !this.deleted.has(id)) rows.set(id, row);
      const data = Buffer.from(JSON.stringify({ version: 1, sessions: [...rows.values()] }));
      const fd = await this.fsx.open(tmp, 'w');
      try {
        await writeFully(this.fsx, fd, data, 0);
        await this.fsx.fsync(fd);
      } finally {
        await this.fsx.close(fd);
      }
      await this.fsx.rename(tmp, this.path);
      if (this.failing) this.logger.info('Session index writable again.');
      this.failing = false;
    } catch (e) {
      this.dirty = true;
      await this.fsx.unlink(tmp).catch(() => undefined);
      this.logger.warn(`Could not write the session index: ${errnoCode(e) ?? String(e)}`);
      if (!this.failing) {
        this.failing = true;
        this.warn({ code: 'write_failed', message: `Could not write the session index (${errnoCode(e) ?? 'error'}); it will be rebuilt from the logs if needed.` });
      }
    }
  }

  private async readFromDisk(): Promise<{ rows: Map<string, SessionIndexEntry>; status: IndexStatus }> {
    const rows = new Map<string, SessionIndexEntry>();
    let text: string;
    try {
      text = await this.fsx.readFile(this.path);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return { rows, status: 'missing' };
      this.logger.warn(`Could not read the session index: ${errnoCode(e) ?? String(e)}`);
      return { rows, status: 'corrupt' };
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      return { rows, status: 'corrupt' }; // rebuilt from the logs by the caller
    }
    for (const row of parsed.sessions) rows.set(row.id, row);
    return { rows, status: 'ok' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
