/**
 * The user's review of one changed file: keep it (its baseline moves to what the session left),
 * undo it (back to its baseline, same conflict rule as a restore), and the same per hunk. An undo
 * is recorded as the session's `file.changed` with source `review` (no restore events: it is not
 * a checkpoint restore and leaves no transcript marker; each file is written atomically on its own).
 */
import type { ChangedFile, RestoreResult } from '../../shared/changes';
import type { Session } from '../session/session';
import type { ChangeHunk, HunkOps, LedgerEnv } from './types';
import { AgentError } from '../base/errors';
import { newId } from '../base/ids';
import { imageOf, stateOf, stateOfImage } from './images';
import { readNow, textOf } from './file-now';
import { imageText } from './change-list';
import { putBackAndRecord } from './restore-run';

/** A changed row of one session (the session that recorded it). */
export interface OwnedRow {
  session: Session;
  row: ChangedFile;
}

/** Keeps the file as the session left it: it leaves the Changes view. */
export function keepFile(o: OwnedRow): void {
  o.session.changes.kept({ path: o.row.path, baseline: o.row.current });
}

/** Puts files back to their baselines; conflicting ones are skipped unless in `overwrite`. */
export async function undoFiles(rows: readonly OwnedRow[], ledger: LedgerEnv, overwrite: (path: string) => boolean): Promise<RestoreResult> {
  const result: RestoreResult = { restoreId: newId('review'), restored: [], skipped: [], rewound: false };
  for (const { session, row } of rows) {
    const file = { path: row.path, label: row.label, expected: row.current, target: row.baseline, ...(overwrite(row.path) ? { overwrite: true as const } : {}) };
    const outcome = await putBackAndRecord(session, ledger, file, 'run', { source: 'review' });
    if (outcome.done) result.restored.push(row.path);
    else result.skipped.push({ path: row.path, reason: outcome.reason });
  }
  return result;
}

/** The baseline's text and the file's text now (AgentError when either is not text or cannot be read). */
async function texts(o: OwnedRow, ledger: LedgerEnv): Promise<{ base: string; now: string; bytes?: Buffer; nowState: string }> {
  const base = await imageText(o.row.baseline, ledger.blobs(o.session.id));
  if (base === undefined) {
    throw new AgentError('bad_request', `${o.row.label}: its baseline is not text that was kept, so it has no line hunks.`);
  }
  const now = await readNow(o.row.path, o.session.roots);
  if (now.kind === 'refused') throw new AgentError('bad_request', `${o.row.label}: ${now.reason}.`);
  const bytes = now.kind === 'file' ? now.bytes : undefined;
  const text = textOf(bytes);
  if (text === undefined) throw new AgentError('bad_request', `${o.row.label} is binary now: it has no line hunks.`);
  return { base, now: text, ...(bytes ? { bytes } : {}), nowState: stateOf(bytes) };
}

/** The hunks between the row's baseline and the file now. */
export async function fileHunks(o: OwnedRow, ledger: LedgerEnv, ops: HunkOps): Promise<ChangeHunk[]> {
  const { base, now } = await texts(o, ledger);
  return ops.diffHunks(base, now);
}

function checkIndex(hunks: ChangeHunk[], index: number, label: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= hunks.length) {
    throw new AgentError('bad_request', `${label} has no hunk ${String(index)} (it has ${hunks.length}); look at it again.`);
  }
}

/** Keeps one hunk: the baseline takes it (recorded as a keep with the new baseline's blob). */
export async function keepHunk(o: OwnedRow, ledger: LedgerEnv, ops: HunkOps, index: number): Promise<void> {
  await ledger.locks.run(o.row.path, async () => {
    const { base, now } = await texts(o, ledger);
    checkIndex(ops.diffHunks(base, now), index, o.row.label);
    const baseline = await ledger.blobs(o.session.id).put(Buffer.from(ops.keepHunk(base, now, index), 'utf8'));
    o.session.changes.kept({ path: o.row.path, baseline });
  });
}

/**
 * Undoes one hunk in the file, written through the ledger's writer (in the editor when open),
 * refused (AgentError('conflict')) when the file changed since this session last read or wrote it.
 */
export async function undoHunk(o: OwnedRow, ledger: LedgerEnv, ops: HunkOps, index: number): Promise<void> {
  const sid = o.session.id;
  await ledger.locks.run(o.row.path, async () => {
    const { base, now, bytes, nowState } = await texts(o, ledger);
    const known = ledger.known(sid).get(o.row.path) ?? stateOfImage(o.row.current);
    if (known !== nowState) {
      throw new AgentError('conflict', `${o.row.label} was changed since this session last read or wrote it: look at it again before undoing a part of it.`);
    }
    checkIndex(ops.diffHunks(base, now), index, o.row.label);
    const blobs = ledger.blobs(sid);
    const next = Buffer.from(ops.revertHunk(base, now, index), 'utf8');
    const before = await imageOf(bytes, blobs);
    const after = await imageOf(next, blobs);
    const via = await ledger.writer.write(o.row.path, next);
    o.session.changes.fileChanged({ path: o.row.path, label: o.row.label, kind: before.state === 'absent' ? 'created' : 'modified', before, after, source: 'review', via });
    ledger.known(sid).set(o.row.path, stateOf(next));
  });
}
