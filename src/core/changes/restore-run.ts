/**
 * Runs a restore plan (restore-plan.ts) as the log's intent protocol: `restore.started` with every
 * file's plan (flushed before the first file is touched, so a crash leaves an intent the next open
 * finishes — recovery.ts), then per file under its path lock a fresh check and the write, recorded
 * as a `file.changed` (source restore) or a `restore.file_skipped`, then the conversation's rewind
 * (or, for a redo, its un-rewind), then `restore.completed`. A file is only written when it still
 * holds what the session left there, unless the user chose to overwrite it.
 */
import type { FileChangeKind, FileImage, RestoreFilePlan, RestoreResult } from '../../shared/changes';
import type { Session } from '../session/session';
import type { BlobStore, FileWriter, LedgerEnv } from './types';
import type { RestorePlan } from './restore-plan';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { imageOf, stateOfImage } from './images';
import { isImage, readNow } from './file-now';
import { targetBytes } from './restore-plan';
import { worktreeRefusal } from '../worktree/refusal';

/** How one file of a restore ended. */
export type PutBack =
  | { done: true; before: FileImage; via?: 'editor' | 'disk' }
  | { done: false; reason: string };

/** What putting a file back needs. */
export interface PutBackEnv {
  blobs: BlobStore;
  writer: FileWriter;
  roots: readonly string[];
}

/**
 * Puts one file back to `file.target` (call it under the path's lock). `run`: a file that no
 * longer holds `expected` is a conflict, written only with `file.overwrite`. `recover` (finishing
 * an interrupted restore): a file already at its target is done (what was there before is then
 * `expected`, or unknown when it was an overwrite), one still at `expected` is written, anything
 * else changed meanwhile and is left alone.
 */
export async function putBack(file: RestoreFilePlan, env: PutBackEnv, mode: 'run' | 'recover'): Promise<PutBack> {
  const now = await readNow(file.path, env.roots);
  if (now.kind === 'refused') return { done: false, reason: now.reason };
  if (isImage(now, file.target)) {
    if (mode === 'run') return { done: true, before: file.target };
    return { done: true, before: file.overwrite ? { state: 'unknown', note: 'overwritten by a restore that was interrupted' } : file.expected };
  }
  if (!isImage(now, file.expected)) {
    if (mode === 'recover') return { done: false, reason: 'it changed during the interrupted restore; it was left as it is' };
    if (!file.overwrite) return { done: false, reason: 'it was changed since this session last changed it (by you, another session or a program); it was left as it is' };
  }
  const { bytes, unrestorable } = await targetBytes(file.target, env.blobs);
  if (unrestorable) return { done: false, reason: unrestorable };
  const before = await imageOf(now.kind === 'file' ? now.bytes : undefined, env.blobs);
  try {
    const via = bytes === undefined ? await env.writer.remove(file.path) : await env.writer.write(file.path, bytes);
    return { done: true, before, via };
  } catch (e) {
    const err = toAgentError(e);
    return { done: false, reason: err.code === 'conflict' ? err.message : `it could not be written: ${err.message}` };
  }
}

/** The kind of change going from `before` to `after`. */
export function kindOf(before: FileImage, after: FileImage): FileChangeKind {
  if (before.state === 'absent' && after.state !== 'absent') return 'created';
  return after.state === 'absent' ? 'deleted' : 'modified';
}

/**
 * Puts one file back under its lock and records how it went: a `file.changed` of `source` (with
 * `restoreId` for a restore) and the state the session now knows, or a `restore.file_skipped`.
 */
export async function putBackAndRecord(
  session: Session, ledger: LedgerEnv, file: RestoreFilePlan, mode: 'run' | 'recover', record: { source: 'restore' | 'review'; restoreId?: string },
): Promise<PutBack> {
  const env: PutBackEnv = { blobs: ledger.blobs(session.id), writer: ledger.writer, roots: session.roots };
  return ledger.locks.run(file.path, async () => {
    const outcome = await putBack(file, env, mode);
    if (outcome.done) {
      session.changes.fileChanged({
        path: file.path, label: file.label, kind: kindOf(outcome.before, file.target), before: outcome.before, after: file.target,
        source: record.source, ...(record.restoreId ? { restoreId: record.restoreId } : {}), ...(outcome.via ? { via: outcome.via } : {}),
      });
      const state = stateOfImage(file.target);
      if (state) ledger.known(session.id).set(file.path, state);
    } else if (record.restoreId) {
      session.changes.fileSkipped({ restoreId: record.restoreId, path: file.path, reason: outcome.reason });
    }
    return outcome;
  });
}

/** Throws unless a restore may start now: writable here, no turn running, no other restore open. */
export function assertCanRestore(session: Session): void {
  session.assertWritable();
  if (session.isRunning) throw new AgentError('invalid_state', 'A turn is running in this session: wait for it to finish, or cancel it, then restore.');
  if (session.data.restoring) throw new AgentError('invalid_state', 'A restore is already running in this session.');
  const why = worktreeRefusal(session.data.worktree, 'restore again');
  if (why) throw new AgentError('invalid_state', why); // never into a main tree, nor into a folder made anew
}

/** Records and runs `plan`; `overwrite`: conflicting paths the user chose to overwrite. */
export async function runRestore(session: Session, ledger: LedgerEnv, plan: RestorePlan, overwrite: ReadonlySet<string>): Promise<RestoreResult> {
  assertCanRestore(session);
  const restoreId = newId('r');
  const files: RestoreFilePlan[] = plan.files.map((f) => ({
    path: f.path, label: f.label, expected: f.expected, target: f.target, ...(overwrite.has(f.path) ? { overwrite: true as const } : {}),
  }));
  session.changes.restoreStarted({ restoreId, key: plan.key, checkpointSeq: plan.seq, scope: plan.scope, files, ...(plan.redoOf ? { redoOf: plan.redoOf } : {}) });
  // The intent is on disk before any file is touched: a crash from here on is finished at the next open.
  await session.flush();
  const result: RestoreResult = { restoreId, restored: [], skipped: [], rewound: false };
  for (const file of files) {
    const outcome = await putBackAndRecord(session, ledger, file, 'run', { source: 'restore', restoreId });
    if (outcome.done) result.restored.push(file.path);
    else result.skipped.push({ path: file.path, reason: outcome.reason });
  }
  if (plan.rewind) {
    session.changes.rewound({ restoreId, fromSeq: plan.rewind.fromSeq, meter: plan.rewind.meter });
    result.rewound = true;
  }
  if (plan.unrewind) session.changes.unrewound({ restoreId: plan.unrewind.restoreId, meter: plan.unrewind.meter });
  session.changes.restoreCompleted({ restoreId, restored: result.restored.length, skipped: result.skipped.length });
  await session.flush();
  // The restore's marker says what was done; the conversation part a redo could not do is said here.
  if (plan.conversationNote) result.skipped.push({ path: 'conversation', reason: plan.conversationNote });
  return result;
}
