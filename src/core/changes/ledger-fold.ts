/**
 * Core's half of the change-ledger fold: what a restore needs and views do not. Per path, every
 * change the session recorded; per checkpoint, the model's history and the context meter as they
 * were then; per restore, what it planned and did. Called by reducer.applyEvent before the shared
 * fold (so a checkpoint sees the state before its event), it also moves the model's history on a
 * rewind and back on its redo. Pure and deterministic, like the rest of the fold, so the state
 * rebuilt from the log is the state the live session had.
 *
 * Why a checkpoint can keep `{ array, length }` instead of a copy: the history only grows by push,
 * compaction and rewinds replace the array (never edit the old one), and attaching a skill edits
 * the running turn's own message, which lies past every checkpoint on that array.
 */
import type { SessionEvent } from '../../shared/events';
import type { FileChangeSource, FileImage, RestoreFilePlan, RestoreScope } from '../../shared/changes';
import type { HistoryMessage } from '../../shared/model';
import type { MeterState } from '../../shared/session';
import type { RecordsHolder } from '../../shared/fold-records';
import { recordIndex } from '../../shared/fold-records';

/** One recorded change of one path (a rename is a deletion of `from` and a creation of `path`). */
export interface PathChange {
  seq: number;
  changeId: string;
  source: FileChangeSource;
  restoreId?: string;
  label: string;
  before: FileImage;
  after: FileImage;
}

/** The model's history at a checkpoint: `array.slice(0, length)`, and the meter then. */
export interface HistoryCheckpoint {
  array: HistoryMessage[];
  length: number;
  meter: MeterState;
}

/** One restore (or redo) as the log tells it. */
export interface RestoreEntry {
  restoreId: string;
  key: string;
  /**
   * Seq of its checkpoint: the record `key`'s (the event's own `seq` field cannot carry it: the
   * envelope's seq overwrites it), undefined when `key` names no record.
   */
  checkpointSeq?: number;
  scope: RestoreScope;
  redoOf?: string;
  files: RestoreFilePlan[];
  /** Files it wrote (or found already right): path → what was there and what it left. */
  done: Map<string, { before: FileImage; after: FileImage }>;
  skipped: Map<string, string>;
  /** Seq of its `conversation.rewound`. */
  rewoundAt?: number;
  /** Its rewind was taken back (a redo). */
  unrewound?: true;
  completed?: true;
  /** The restore that undid this one. */
  redoneBy?: string;
}

/** The change-ledger state only core keeps (SessionData.ledger). */
export interface LedgerState {
  paths: Map<string, PathChange[]>;
  /** Path → its latest keep. */
  keeps: Map<string, { seq: number; baseline: FileImage }>;
  /** Checkpoint seq (a `turn.started`, a compaction between turns) → the history before it. */
  checkpoints: Map<number, HistoryCheckpoint>;
  /** Restore id → the history and meter its rewind replaced (until taken back). */
  rewinds: Map<string, { history: HistoryMessage[]; meter: MeterState }>;
  restores: Map<string, RestoreEntry>;
  /** Seq of the latest event that changed the conversation (turn, compaction, rewind, un-rewind). */
  conversationSeq: number;
}

/** What of the session's state this fold reads and writes. */
export interface LedgerHolder extends RecordsHolder {
  ledger: LedgerState;
  history: HistoryMessage[];
  meter: MeterState;
  turn?: unknown;
}

/** The ledger state before the first event. */
export function initialLedger(): LedgerState {
  return { paths: new Map(), keeps: new Map(), checkpoints: new Map(), rewinds: new Map(), restores: new Map(), conversationSeq: 0 };
}

function pushChange(l: LedgerState, path: string, change: PathChange): void {
  const list = l.paths.get(path);
  if (list) list.push(change);
  else l.paths.set(path, [change]);
}

type Ev<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

function fileChanged(l: LedgerState, ev: Ev<'file.changed'>): void {
  const base = { seq: ev.seq, changeId: ev.changeId, source: ev.source, ...(ev.restoreId ? { restoreId: ev.restoreId } : {}) };
  if (ev.kind === 'renamed' && ev.from !== undefined) {
    pushChange(l, ev.from, { ...base, label: ev.fromLabel ?? ev.from, before: ev.before, after: { state: 'absent' } });
    pushChange(l, ev.path, { ...base, label: ev.label, before: { state: 'absent' }, after: ev.after });
  } else {
    pushChange(l, ev.path, { ...base, label: ev.label, before: ev.before, after: ev.after });
  }
  const restore = ev.restoreId ? l.restores.get(ev.restoreId) : undefined;
  if (restore) restore.done.set(ev.path, { before: ev.before, after: ev.after });
}

function recordSeq(d: LedgerHolder, key: string): number | undefined {
  const i = recordIndex(d, key);
  return i >= 0 ? d.records[i].seq : undefined;
}

function checkpoint(d: LedgerHolder, seq: number): void {
  d.ledger.checkpoints.set(seq, { array: d.history, length: d.history.length, meter: d.meter });
  d.ledger.conversationSeq = seq;
}

function rewound(d: LedgerHolder, ev: Ev<'conversation.rewound'>): void {
  const l = d.ledger;
  const cp = l.checkpoints.get(ev.fromSeq);
  const restore = l.restores.get(ev.restoreId);
  if (restore) restore.rewoundAt = ev.seq;
  l.conversationSeq = ev.seq;
  if (!cp) return; // not a checkpoint this log knows: the records are marked, the history stays
  l.rewinds.set(ev.restoreId, { history: d.history, meter: d.meter });
  d.history = cp.array.slice(0, cp.length);
}

function unrewound(d: LedgerHolder, ev: Ev<'conversation.unrewound'>): void {
  const l = d.ledger;
  const saved = l.rewinds.get(ev.restoreId);
  const restore = l.restores.get(ev.restoreId);
  if (restore) restore.unrewound = true;
  l.conversationSeq = ev.seq;
  if (!saved) return;
  l.rewinds.delete(ev.restoreId);
  d.history = saved.history;
}

/**
 * Folds one event into the ledger state, before the shared fold and the history see it (a
 * checkpoint is the state just before its event).
 */
export function foldLedger(d: LedgerHolder, ev: SessionEvent): void {
  const l = d.ledger;
  switch (ev.type) {
    case 'turn.started': checkpoint(d, ev.seq); break;
    case 'context.compacted':
      // Only a compaction between turns is a checkpoint; one inside a turn (overflow) is not.
      if (d.turn === undefined) checkpoint(d, ev.seq);
      else l.conversationSeq = ev.seq;
      break;
    case 'file.changed': fileChanged(l, ev); break;
    case 'changes.kept': l.keeps.set(ev.path, { seq: ev.seq, baseline: ev.baseline }); break;
    case 'restore.started': {
      // Logs written before the field was named checkpointSeq lost it (the envelope's seq took its place): the record says it.
      const checkpointSeq = (ev.checkpointSeq as number | undefined) ?? recordSeq(d, ev.key);
      l.restores.set(ev.restoreId, {
        restoreId: ev.restoreId, key: ev.key, scope: ev.scope, files: ev.files, done: new Map(), skipped: new Map(),
        ...(checkpointSeq !== undefined ? { checkpointSeq } : {}), ...(ev.redoOf ? { redoOf: ev.redoOf } : {}),
      });
      const undone = ev.redoOf ? l.restores.get(ev.redoOf) : undefined;
      if (undone) undone.redoneBy = ev.restoreId;
      break;
    }
    case 'restore.file_skipped': l.restores.get(ev.restoreId)?.skipped.set(ev.path, ev.reason); break;
    case 'conversation.rewound': rewound(d, ev); break;
    case 'conversation.unrewound': unrewound(d, ev); break;
    case 'restore.completed': {
      const restore = l.restores.get(ev.restoreId);
      if (restore) restore.completed = true;
      break;
    }
    default: break;
  }
}
