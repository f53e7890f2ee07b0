/**
 * The change-ledger half of the one fold (fold.ts): what a session left changed (the snapshot's
 * `changes`, one row per path), restores in progress, rewound records and the markers a restore
 * leaves. Core adds the per-path change history it needs to restore (core/changes); views need
 * only this. Pure, like the rest of the fold.
 */
import type { SessionEvent } from './events';
import type { ChangedFile, FileImage } from './changes';
import type { SessionSnapshot } from './session';
import type { RecordsHolder } from './fold-records';
import { restorableImage, sameContent } from './changes';
import { pushMarker, replaceRecord, updateTool } from './fold-records';

type Ev<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

/** The part of a projection (fold.ts) this half folds. */
type SessionProjection = RecordsHolder & Pick<SessionSnapshot, 'changes' | 'changeNotes' | 'restoring' | 'forkedFrom' | 'meter'>;

/** Most change notes kept in the snapshot. */
const MAX_NOTES = 20;

/** Path → row index of each changes array (rebuilt when the array is not the one indexed). */
const rows = new WeakMap<ChangedFile[], Map<string, number>>();

function rowIndex(changes: ChangedFile[], path: string): number {
  let map = rows.get(changes);
  if (!map || (map.size !== changes.length)) {
    map = new Map();
    for (let i = 0; i < changes.length; i++) map.set(changes[i].path, i);
    rows.set(changes, map);
  }
  const i = map.get(path);
  if (i !== undefined && changes[i]?.path === path) return i;
  if (i !== undefined) rows.delete(changes);
  return i === undefined ? -1 : changes.findIndex((c) => c.path === path);
}

function netKind(baseline: FileImage, current: FileImage): ChangedFile['kind'] {
  if (baseline.state === 'absent') return 'created';
  if (current.state === 'absent') return 'deleted';
  return 'modified';
}

function noteOf(image: FileImage): string | undefined {
  if (image.state === 'unknown') return image.note;
  if (image.state === 'file' && !image.stored) return image.note ?? 'its earlier content was not kept';
  return undefined;
}

/** Sets a row from its baseline and current image, or removes it when nothing is left changed. */
function setRow(p: SessionProjection, at: number, row: Omit<ChangedFile, 'kind' | 'restorable' | 'note'>): void {
  const changes = p.changes;
  if (sameContent(row.baseline, row.current)) {
    if (at >= 0) {
      changes.splice(at, 1);
      rows.delete(changes);
    }
    return;
  }
  const note = noteOf(row.baseline);
  const full: ChangedFile = { ...row, kind: netKind(row.baseline, row.current), restorable: restorableImage(row.baseline), ...(note ? { note } : {}) };
  if (at >= 0) changes[at] = full;
  else {
    changes.push(full);
    rows.get(changes)?.set(full.path, changes.length - 1);
  }
}

/** One path moved from `before` to `after` at `seq`. */
function changePath(p: SessionProjection, path: string, label: string, before: FileImage, after: FileImage, seq: number): void {
  const at = rowIndex(p.changes, path);
  const row = at >= 0 ? p.changes[at] : undefined;
  setRow(p, at, row
    ? { ...row, label, current: after, lastSeq: seq }
    : { path, label, baseline: before, current: after, firstSeq: seq, lastSeq: seq });
}

function fileChanged(p: SessionProjection, ev: Ev<'file.changed'>): void {
  if (ev.kind === 'renamed' && ev.from !== undefined) {
    changePath(p, ev.from, ev.fromLabel ?? ev.from, ev.before, { state: 'absent' }, ev.seq);
    changePath(p, ev.path, ev.label, { state: 'absent' }, ev.after, ev.seq);
  } else {
    changePath(p, ev.path, ev.label, ev.before, ev.after, ev.seq);
  }
  if (ev.callId !== undefined) {
    const labels = ev.kind === 'renamed' ? `${ev.fromLabel ?? ev.from} → ${ev.label}` : ev.label;
    updateTool(p, ev.callId, (r) => ({ ...r, files: [...(r.files ?? []), labels] }));
  }
}

function kept(p: SessionProjection, ev: Ev<'changes.kept'>): void {
  const at = rowIndex(p.changes, ev.path);
  if (at < 0) return;
  setRow(p, at, { ...p.changes[at], baseline: ev.baseline });
}

function incomplete(p: SessionProjection, ev: Ev<'changes.incomplete'>): void {
  p.changeNotes = [...(p.changeNotes ?? []), ev.message].slice(-MAX_NOTES);
  if (ev.callId !== undefined) updateTool(p, ev.callId, (r) => ({ ...r, changeNote: ev.message }));
}

/** Marks held records from `fromSeq` on as rewound by `restoreId` (records already rewound keep their restore). */
function rewind(p: SessionProjection, ev: Ev<'conversation.rewound'>): void {
  for (let i = 0; i < p.records.length; i++) {
    const r = p.records[i];
    if (r.seq >= ev.fromSeq && r.rewound === undefined) replaceRecord(p, i, { ...r, rewound: ev.restoreId });
  }
  p.meter = ev.meter;
}

function unrewind(p: SessionProjection, ev: Ev<'conversation.unrewound'>): void {
  for (let i = 0; i < p.records.length; i++) {
    const r = p.records[i];
    if (r.rewound !== ev.restoreId) continue;
    const { rewound: _gone, ...rest } = r;
    replaceRecord(p, i, rest);
  }
  p.meter = ev.meter;
}

function completed(p: SessionProjection, ev: Ev<'restore.completed'>): void {
  const restoring = p.restoring?.restoreId === ev.restoreId ? p.restoring : undefined;
  delete p.restoring;
  const what = restoring?.redoOf ? 'Redo: undid the restore' : `Restored the checkpoint${restoring ? ` (${restoring.scope === 'both' ? 'files and conversation' : restoring.scope})` : ''}`;
  const files = `${ev.restored} file(s) put back${ev.skipped ? `, ${ev.skipped} skipped` : ''}`;
  const text = `${what}: ${files}${ev.recovered ? ' — finished after a restart' : ''}`;
  pushMarker(p, ev, 'restore', text, { restoreId: ev.restoreId, ...(restoring?.redoOf ? { redoOf: restoring.redoOf } : {}) });
}

/** Folds a change-ledger event; false when `ev` is not one. */
export function foldChangeEvent(p: SessionProjection, ev: SessionEvent): 'rows' | 'meta' | false {
  switch (ev.type) {
    case 'file.changed': fileChanged(p, ev); return 'rows';
    case 'changes.kept': kept(p, ev); return 'meta';
    case 'changes.incomplete': incomplete(p, ev); return 'rows';
    case 'restore.started':
      p.restoring = { restoreId: ev.restoreId, key: ev.key, scope: ev.scope, ...(ev.redoOf ? { redoOf: ev.redoOf } : {}) };
      return 'meta';
    case 'restore.file_skipped': return 'meta';
    case 'conversation.rewound': rewind(p, ev); return 'rows';
    case 'conversation.unrewound': unrewind(p, ev); return 'rows';
    case 'restore.completed': completed(p, ev); return 'rows';
    case 'session.forked':
      p.forkedFrom = { sessionId: ev.fromSessionId, seq: ev.fromSeq, title: ev.fromTitle };
      pushMarker(p, ev, 'note', `Forked from “${ev.fromTitle}”: the history up to here is a copy; changes from here on are this session's own.`);
      return 'rows';
    default: return false;
  }
}
