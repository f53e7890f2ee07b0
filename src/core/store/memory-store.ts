import { Emitter } from '../base/emitter';
import { AgentError } from '../base/errors';
import { assertSafeId } from '../base/ids';
import type { SessionEvent } from '../session/events';
import { indexEntryFromEvents, pushCoalesced } from './events-util';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint-file';
import type { LoadResult, SessionCheckpoint, SessionIndexEntry, SessionStore, StoreWarning } from './types';

/**
 * The backing data of a {@link MemorySessionStore}. Share one between two store instances to
 * simulate a restart in tests ("close, open a new store on the same data, load").
 */
export class MemoryStoreData {
  readonly logs = new Map<string, SessionEvent[]>();
  readonly index = new Map<string, SessionIndexEntry>();
  /** Checkpoints as stored text (tests may damage them). */
  readonly checkpoints = new Map<string, string>();
}

/** Events go through JSON, as they would on disk, so tests catch non-JSON values early. */
function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A {@link SessionStore} kept in memory: for engine tests and for hosts without a storage
 * directory. Passes the same conformance suite as the JSONL store (ids checked, coalescing,
 * tail, index rebuilt from logs), but nothing survives the process.
 */
export class MemorySessionStore implements SessionStore {
  private readonly warnings = new Emitter<StoreWarning>();
  readonly onWarning = this.warnings.event;
  private closed = false;
  /** Scheduled, not yet "written" checkpoints (made on flush, close or load, like on disk). */
  private readonly pendingCheckpoints = new Map<string, () => SessionCheckpoint>();

  constructor(readonly data: MemoryStoreData = new MemoryStoreData()) {}

  append(sessionId: string, event: SessionEvent): void {
    assertSafeId(sessionId);
    this.assertOpen();
    let log = this.data.logs.get(sessionId);
    if (!log) { log = []; this.data.logs.set(sessionId, log); }
    pushCoalesced(log, viaJson(event));
  }

  async flush(sessionId?: string): Promise<void> {
    if (sessionId !== undefined) assertSafeId(sessionId);
    for (const id of sessionId === undefined ? [...this.pendingCheckpoints.keys()] : [sessionId]) this.writeCheckpoint(id);
  }

  saveCheckpoint(sessionId: string, make: () => SessionCheckpoint): void {
    assertSafeId(sessionId);
    this.assertOpen();
    this.pendingCheckpoints.set(sessionId, make);
  }

  async loadCheckpoint(sessionId: string): Promise<SessionCheckpoint | undefined> {
    assertSafeId(sessionId);
    this.assertOpen();
    this.writeCheckpoint(sessionId);
    const text = this.data.checkpoints.get(sessionId);
    return text === undefined ? undefined : parseCheckpoint(text, sessionId);
  }

  private writeCheckpoint(sessionId: string): void {
    const make = this.pendingCheckpoints.get(sessionId);
    if (!make) return;
    this.pendingCheckpoints.delete(sessionId);
    this.data.checkpoints.set(sessionId, serializeCheckpoint(make()));
  }

  async load(sessionId: string): Promise<LoadResult> {
    assertSafeId(sessionId);
    return { events: viaJson(this.data.logs.get(sessionId) ?? []), warnings: [], readOnly: false };
  }

  async loadTail(sessionId: string, maxEvents: number): Promise<LoadResult> {
    assertSafeId(sessionId);
    const log = this.data.logs.get(sessionId) ?? [];
    const n = Math.max(0, Math.floor(maxEvents));
    return { events: viaJson(n === 0 ? [] : log.slice(-n)), warnings: [], readOnly: false };
  }

  async list(): Promise<SessionIndexEntry[]> {
    const rows = new Map<string, SessionIndexEntry>();
    for (const [id, row] of this.data.index) rows.set(id, viaJson(row));
    for (const [id, log] of this.data.logs) {
      if (rows.has(id)) continue;
      const derived = indexEntryFromEvents(id, log);
      if (derived) rows.set(id, derived);
    }
    return [...rows.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  updateIndex(entry: SessionIndexEntry): void {
    assertSafeId(entry.id);
    this.assertOpen();
    this.data.index.set(entry.id, viaJson(entry));
  }

  async delete(sessionId: string): Promise<void> {
    assertSafeId(sessionId);
    this.data.logs.delete(sessionId);
    this.data.index.delete(sessionId);
    this.data.checkpoints.delete(sessionId);
    this.pendingCheckpoints.delete(sessionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const id of [...this.pendingCheckpoints.keys()]) this.writeCheckpoint(id);
    this.closed = true;
    this.warnings.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new AgentError('invalid_state', 'The session store is closed.');
  }
}
