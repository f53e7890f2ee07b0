import type { Event } from '../base/emitter';
import type { SessionEvent } from '../session/events';

import type { SessionIndexEntry, SessionWriterInfo } from '../../shared/session';

/** One row of the session index (defined in shared: the protocol lists sessions with it). */
export type { SessionIndexEntry, SessionWriterInfo };

export interface StoreWarning {
  sessionId?: string;
  /** 'torn_tail' | 'corrupt_line' | 'write_failed' | 'read_only' | 'index_rebuilt' | 'locked' | ... */
  code: string;
  message: string;
  /** 1-based line number in the log, where it applies. */
  line?: number;
}

/**
 * A small record of a session's state as of `lastSeq`, kept next to its log so a session can be
 * shown without reading its whole history. Stores only check this envelope; `data` belongs to the
 * session layer, which validates it. A checkpoint is a cache: losing or damaging one only costs a
 * full load, so callers must never trust it unless the log's last event has exactly `lastSeq`.
 */
export interface SessionCheckpoint {
  version: 1;
  sessionId: string;
  /** Seq of the last event the checkpoint reflects. */
  lastSeq: number;
  /** JSON-safe state; never an API key. */
  data: unknown;
}

export interface LoadResult {
  events: SessionEvent[];
  warnings: StoreWarning[];
  /** True when another writer owns this log (opened read-only) or the disk refused writes. */
  readOnly: boolean;
  /** Set when another window writes this log (this store shows it read-only until a take-over). */
  lockedBy?: SessionWriterInfo;
  /**
   * Set when the log is damaged (empty, zeroed, foreign, damaged records): `events` are what could
   * be read, and a 'damaged' warning comes first. The same as the session's index row says.
   */
  damaged?: SessionIndexEntry['damaged'];
}

/**
 * Persistence of session event logs. Contract (one conformance suite runs against every
 * implementation):
 * - `append` is O(1) in the session's length and never blocks on disk; events become durable
 *   at the next flush, which happens at least every 100 ms and on `flush()`.
 * - Consecutive coalescible events (see COALESCIBLE_TYPES) may be merged on disk; all others
 *   are written as they are, in order.
 * - `load` never throws on a damaged log: a torn last line is dropped, a corrupt middle line
 *   skipped, each with a warning; a damaged log is never rewritten. Stores that can see damage
 *   (the JSONL store: checksums per record) say so in `LoadResult.damaged` and the index row.
 * - A write failure (full or read-only disk) is reported through `onWarning` ('write_failed',
 *   then 'write_recovered' once a retry succeeds; retries back off up to a bound) and the session
 *   keeps working in memory; no data already on disk is truncated.
 * - Nothing stored ever contains an API key (callers never pass one; stores don't add one).
 */
export interface SessionStore {
  readonly onWarning: Event<StoreWarning>;
  append(sessionId: string, event: SessionEvent): void;
  /** Makes everything appended so far durable (fdatasync). */
  flush(sessionId?: string): Promise<void>;
  load(sessionId: string): Promise<LoadResult>;
  /** The last `maxEvents` events (for showing a session's tail before the full restore). */
  loadTail(sessionId: string, maxEvents: number): Promise<LoadResult>;
  /**
   * Optional. Schedules writing the session's checkpoint, batched like the index: `make` is called
   * when it is written (so it reflects the state at that moment, O(checkpoint) never O(history)).
   * Written atomically (temp file + rename); `flush(sessionId)`, `flush()` and `close()` write
   * pending checkpoints after the log. Never written for a log this store may not write.
   */
  saveCheckpoint?(sessionId: string, make: () => SessionCheckpoint): void;
  /** Optional. The session's last written (or pending) checkpoint; undefined when missing, damaged or not this session's. */
  loadCheckpoint?(sessionId: string): Promise<SessionCheckpoint | undefined>;
  /** Listing from the index (rebuilt from logs if missing or damaged). */
  list(): Promise<SessionIndexEntry[]>;
  /** Updates a session's index row (batched; cheap to call after every turn). */
  updateIndex(entry: SessionIndexEntry): void;
  /** Deletes the log, its checkpoint and its index row. */
  delete(sessionId: string): Promise<void>;
  /** Flushes and releases files/locks. */
  close(): Promise<void>;
  /**
   * Optional (stores shared between windows). Makes this store the writer of the session's log:
   * at once when its lock is free or stale, else by asking the window that writes it, which writes
   * out everything it has and lets go (store/lock-handover.ts). AgentError('read_only') when that
   * window refuses or does not answer.
   */
  takeOver?(sessionId: string): Promise<void>;
  /** Optional. Fires when this store starts (`owner` undefined) or stops writing a log through a take-over. */
  readonly onWriterChanged?: Event<{ sessionId: string; owner?: SessionWriterInfo }>;
  /**
   * Optional. Called before this store hands a log to another window: the session stops and stops
   * recording; throwing refuses. `undo` runs if the handover fails after that.
   */
  setHandoverHandler?(handler: ((sessionId: string, to: SessionWriterInfo) => Promise<{ undo(): void } | void>) | undefined): void;
}
