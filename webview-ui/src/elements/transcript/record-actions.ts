/**
 * Which checkpoint actions a transcript record offers (restore, edit and resend, fork, redo), and
 * how rewound records are grouped into runs the user can collapse. Pure: the transcript renders
 * from it, the host decides (a restore it refuses comes back as an error).
 */
import type { SessionProjection } from '../../../../src/shared/fold';
import type { TranscriptRecord } from '../../../../src/shared/transcript';

export type RecordAction = 'restore' | 'edit' | 'fork' | 'redo';

/** What of the session the actions depend on, computed once per render. */
export interface ActionContext {
  /** A turn runs or a restore is under way: nothing is restored meanwhile. */
  busy: boolean;
  /** Another window writes the session. */
  readOnly: boolean;
  /** Seq of the running turn's user message: records from there on belong to a turn without an end yet. */
  turnStartSeq: number | undefined;
  /** Key of the newest restore marker held, when it is not itself a redo (a redo is not redone). */
  redoableKey: string | undefined;
}

export function actionContext(p: SessionProjection | undefined, readOnly: boolean): ActionContext {
  const records = p?.records ?? [];
  let redoableKey: string | undefined;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r.kind === 'marker' && r.variant === 'restore') {
      if (r.redoOf === undefined && r.restoreId !== undefined && r.rewound === undefined) redoableKey = r.key;
      break;
    }
  }
  const turn = p?.turn;
  let start: number | undefined;
  for (let i = records.length - 1; turn && start === undefined && i >= 0; i--) if (records[i].key === turn.userMessageId) start = records[i].seq;
  return {
    busy: !p || turn !== undefined || p.restoring !== undefined,
    readOnly,
    // A running turn whose message is not held started before every held record.
    turnStartSeq: turn ? (start ?? Number.NEGATIVE_INFINITY) : undefined,
    redoableKey,
  };
}

/** A compaction is a checkpoint when it fell between turns: what follows it is a new prompt (or nothing yet). */
function betweenTurns(records: readonly TranscriptRecord[], i: number): boolean {
  for (let j = i + 1; j < records.length; j++) {
    const r = records[j];
    if (r.kind !== 'marker') return r.kind === 'user';
  }
  return true;
}

/** The actions record `i` offers, in toolbar order. */
export function recordActions(records: readonly TranscriptRecord[], i: number, ctx: ActionContext): RecordAction[] {
  const r = records[i];
  if (!r || ctx.readOnly) return [];
  if (r.kind === 'marker' && r.variant === 'restore') return !ctx.busy && r.key === ctx.redoableKey ? ['redo'] : [];
  if (r.rewound !== undefined) return [];
  const forkable = ctx.turnStartSeq === undefined || r.seq < ctx.turnStartSeq;
  switch (r.kind) {
    case 'user': return ctx.busy ? (forkable ? ['fork'] : []) : ['restore', 'fork', 'edit'];
    case 'assistant': return !r.streaming && !r.partial && forkable ? ['fork'] : [];
    case 'marker': return r.variant === 'compacted' && !ctx.busy && betweenTurns(records, i) ? ['restore'] : [];
    default: return [];
  }
}

/** One row of the transcript as drawn: a record, or the heading of a run of rewound records. */
export type DisplayRow =
  | { kind: 'record'; key: string; record: TranscriptRecord; index: number }
  | { kind: 'rewound'; key: string; count: number; collapsed: boolean };

/** The key of a rewound run: its first record's key. */
export const runKey = (firstKey: string): string => `rewound:${firstKey}`;

/**
 * The records with a heading before each run of consecutive rewound records; the records of a
 * run whose key is in `collapsed` are left out (the heading says how many).
 */
export function displayRows(records: readonly TranscriptRecord[], collapsed: ReadonlySet<string>): DisplayRow[] {
  const out: DisplayRow[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r.rewound === undefined) {
      out.push({ kind: 'record', key: r.key, record: r, index: i });
      continue;
    }
    let end = i;
    while (end + 1 < records.length && records[end + 1].rewound !== undefined) end++;
    const key = runKey(r.key);
    const folded = collapsed.has(key);
    out.push({ kind: 'rewound', key, count: end - i + 1, collapsed: folded });
    if (!folded) for (let j = i; j <= end; j++) out.push({ kind: 'record', key: records[j].key, record: records[j], index: j });
    i = end;
  }
  return out;
}

/** A message's text cut to one short line, for labels. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
