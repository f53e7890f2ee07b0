/**
 * What a restore would do, worked out before anything is written: which checkpoint a record key
 * names, which files go back to what (and which of them someone else changed since, or cannot be
 * put back), how far the conversation goes back; also the plan of a redo. Reads files and blobs,
 * writes nothing. The plan is then recorded and run by restore-run.ts.
 */
import type { FileImage, RestoreFilePlan, RestorePreview, RestorePreviewFile, RestoreScope } from '../../shared/changes';
import type { MeterState } from '../../shared/session';
import type { SessionData } from '../session/reducer';
import type { BlobStore, HunkOps } from './types';
import { sameContent } from '../../shared/changes';
import { AgentError, toAgentError } from '../base/errors';
import { findRecord } from '../session/reducer';
import { isImage, readNow, textOf } from './file-now';

/** A path, what the session last left there (`expected`) and what it goes back to (`target`). */
export type FileTarget = Omit<RestoreFilePlan, 'overwrite'>;

/** One file of a plan, with what the preview says about it. */
export interface PlannedFile extends FileTarget, Omit<RestorePreviewFile, 'path' | 'label'> {}

/** A restore (or redo) ready to be recorded and run. */
export interface RestorePlan {
  key: string;
  seq: number;
  scope: RestoreScope;
  files: PlannedFile[];
  /** Records the conversation part rewinds (or, for a redo, brings back). */
  rewoundRecords: number;
  /** Rewind the conversation to before `fromSeq`, the meter then being `meter`. */
  rewind?: { fromSeq: number; meter: MeterState };
  /** Redo: take back restore `restoreId`'s rewind. */
  unrewind?: { restoreId: string; meter: MeterState };
  redoOf?: string;
  /** Why a redo leaves the conversation as it is. */
  conversationNote?: string;
}

/** What planning reads: the session's blobs, line counts, the workspace folders. */
export interface PlanContext {
  blobs: BlobStore;
  hunks?: HunkOps;
  roots: readonly string[];
  /**
   * Look at the files and blobs now (conflicts, unrestorable, counts) — for a preview. A restore
   * leaves it off: it checks every file again under its lock anyway.
   */
  inspect?: boolean;
}

const hasConversation = (scope: RestoreScope): boolean => scope !== 'files';

/**
 * The seq of checkpoint `key`: a user message (its `turn.started`) or the marker of a compaction
 * between turns. AgentError('bad_request') for anything else, and for a rewound record when the
 * conversation is to go back (its place in the history is already gone).
 */
export function checkpointSeq(d: SessionData, key: string, scope: RestoreScope): number {
  const r = typeof key === 'string' ? findRecord(d, key) : undefined;
  if (!r) throw new AgentError('bad_request', `There is no record ${JSON.stringify(key)} in this session to restore.`);
  const isCheckpoint = (r.kind === 'user' || (r.kind === 'marker' && r.variant === 'compacted')) && d.ledger.checkpoints.has(r.seq);
  if (!isCheckpoint) {
    throw new AgentError('bad_request', 'That record is not a checkpoint: restore a message you sent, or a compaction made between turns.');
  }
  if (r.rewound !== undefined && hasConversation(scope)) {
    throw new AgentError('bad_request', 'That message was rewound by a restore: redo that restore first, or restore only the files.');
  }
  return r.seq;
}

/** Every path the session changed after seq `s`: back to before its first change after `s`. */
export function targetsAfter(d: SessionData, s: number): FileTarget[] {
  const out: FileTarget[] = [];
  for (const [path, changes] of d.ledger.paths) {
    const first = changes.findIndex((c) => c.seq > s);
    if (first < 0) continue;
    const last = changes[changes.length - 1];
    const target = changes[first].before;
    if (sameContent(target, last.after)) continue; // changed and changed back: nothing to put back
    out.push({ path, label: last.label, expected: last.after, target });
  }
  return out;
}

/** Why `target` cannot be written back, or undefined; its bytes (verified) when it can and is a file. */
export async function targetBytes(target: FileImage, blobs: BlobStore): Promise<{ bytes?: Buffer; unrestorable?: string }> {
  if (target.state === 'absent') return {};
  if (target.state === 'unknown') return { unrestorable: `its earlier content is unknown: ${target.note}` };
  if (!target.stored) return { unrestorable: `its earlier content was not kept: ${target.note ?? 'not stored'}` };
  if (!await blobs.has(target.hash)) return { unrestorable: "its earlier content is missing from the session's store" };
  try {
    return { bytes: await blobs.get(target.hash) };
  } catch (e) {
    return { unrestorable: `its earlier content is damaged: ${toAgentError(e).message}` };
  }
}

function actionOf(f: FileTarget): PlannedFile['action'] {
  if (f.target.state === 'absent') return 'delete';
  return f.expected.state === 'absent' ? 'recreate' : 'revert';
}

/** Each file's action; with `inspect`, also conflict (someone else changed it since), unrestorable, and the lines going back changes. */
export async function planFiles(targets: readonly FileTarget[], ctx: PlanContext): Promise<PlannedFile[]> {
  if (!ctx.inspect) return targets.map((f) => ({ ...f, action: actionOf(f) }));
  const out: PlannedFile[] = [];
  for (const f of targets) {
    const planned: PlannedFile = { ...f, action: actionOf(f) };
    const now = await readNow(f.path, ctx.roots);
    const { bytes, unrestorable } = await targetBytes(f.target, ctx.blobs);
    if (now.kind === 'refused') planned.unrestorable = now.reason;
    else if (unrestorable && !isImage(now, f.target)) planned.unrestorable = unrestorable;
    else if (!isImage(now, f.expected) && !isImage(now, f.target)) {
      planned.conflict = f.expected.state === 'unknown'
        ? 'the session does not know what it left there, so it cannot tell whether someone changed it since'
        : 'it was changed since this session last changed it (by you, another session or a program)';
    }
    if (ctx.hunks && now.kind !== 'refused' && !planned.unrestorable) {
      const from = textOf(now.kind === 'file' ? now.bytes : undefined);
      const to = textOf(bytes);
      if (from !== undefined && to !== undefined) Object.assign(planned, ctx.hunks.lineCounts(from, to));
    }
    out.push(planned);
  }
  return out;
}

function rewoundCount(d: SessionData, fromSeq: number): number {
  let n = 0;
  for (const r of d.records) if (r.seq >= fromSeq && r.rewound === undefined) n++;
  return n;
}

/** The plan of restoring checkpoint `key` with `scope`. */
export async function planRestore(d: SessionData, key: string, scope: RestoreScope, ctx: PlanContext): Promise<RestorePlan> {
  if (scope !== 'files' && scope !== 'conversation' && scope !== 'both') throw new AgentError('bad_request', `Unknown restore scope ${JSON.stringify(scope)}.`);
  const seq = checkpointSeq(d, key, scope);
  const files = scope === 'conversation' ? [] : await planFiles(targetsAfter(d, seq), ctx);
  const cp = d.ledger.checkpoints.get(seq);
  const plan: RestorePlan = { key, seq, scope, files, rewoundRecords: hasConversation(scope) ? rewoundCount(d, seq) : 0 };
  if (hasConversation(scope) && cp) plan.rewind = { fromSeq: seq, meter: cp.meter };
  return plan;
}

/**
 * The plan of redoing restore `restoreId`: its files back to what it found (same conflict rule),
 * and its rewind taken back while the conversation has not moved on since (no turn, compaction or
 * other restore after it); otherwise only the files, with `conversationNote` saying why.
 */
export async function planRedo(d: SessionData, restoreId: string, ctx: PlanContext): Promise<RestorePlan> {
  const r = typeof restoreId === 'string' ? d.ledger.restores.get(restoreId) : undefined;
  if (!r) throw new AgentError('not_found', `There is no restore ${JSON.stringify(restoreId)} in this session.`);
  if (!r.completed) throw new AgentError('invalid_state', 'That restore has not finished yet.');
  if (r.redoneBy) throw new AgentError('invalid_state', 'That restore was already undone by a redo.');
  const labels = new Map(r.files.map((f) => [f.path, f.label]));
  const targets: FileTarget[] = [];
  for (const [path, c] of r.done) {
    if (!sameContent(c.before, c.after)) targets.push({ path, label: labels.get(path) ?? path, expected: c.after, target: c.before });
  }
  const plan: RestorePlan = { key: r.key, seq: r.checkpointSeq ?? 0, scope: 'files', files: await planFiles(targets, ctx), rewoundRecords: 0, redoOf: restoreId };
  const saved = d.ledger.rewinds.get(restoreId);
  if (r.rewoundAt !== undefined && !r.unrewound) {
    if (saved && d.ledger.conversationSeq === r.rewoundAt) {
      plan.unrewind = { restoreId, meter: saved.meter };
      plan.scope = plan.files.length > 0 ? 'both' : 'conversation';
      plan.rewoundRecords = d.records.filter((x) => x.rewound === restoreId).length;
    } else {
      plan.conversationNote = 'The conversation was not put back: it moved on after that restore (a message was sent, or it was compacted or restored again).';
    }
  }
  if (plan.files.length === 0 && !plan.unrewind) {
    throw new AgentError('invalid_state', plan.conversationNote ?? 'That restore changed nothing that could be put back.');
  }
  return plan;
}

/** The preview the user sees before a restore. */
export function toPreview(plan: RestorePlan): RestorePreview {
  return {
    key: plan.key, scope: plan.scope, seq: plan.seq, rewoundRecords: plan.rewoundRecords,
    files: plan.files.map((f) => ({
      path: f.path, label: f.label, action: f.action,
      ...(f.conflict ? { conflict: f.conflict } : {}), ...(f.unrestorable ? { unrestorable: f.unrestorable } : {}),
      ...(f.added !== undefined ? { added: f.added } : {}), ...(f.removed !== undefined ? { removed: f.removed } : {}),
    })),
  };
}
