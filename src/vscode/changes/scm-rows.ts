/**
 * How a session's changed files read in the Source Control view: which group a row goes in
 * (the session's own "Changes", one "Child ‹title›" group per child session), its tooltip and
 * its diff editor's title. No vscode import (unit-tested).
 */
import type { ChangedFileDetail } from '../../core/changes/types';

export interface RowGroup {
  /** `changes`, or `child:<id>`. */
  id: string;
  label: string;
  /** The session that made these changes (the top-level one, or a child). */
  sessionId: string;
  rows: ChangedFileDetail[];
}

/** The session's own rows first (always, possibly empty), then one group per child in first-seen order. */
export function groupRows(rootId: string, rows: readonly ChangedFileDetail[]): RowGroup[] {
  const own: RowGroup = { id: 'changes', label: 'Changes', sessionId: rootId, rows: [] };
  const children = new Map<string, RowGroup>();
  for (const row of rows) {
    if (row.sessionId === rootId) { own.rows.push(row); continue; }
    let group = children.get(row.sessionId);
    if (!group) {
      group = { id: `child:${row.sessionId}`, label: `Child ${row.childTitle ?? row.sessionId}`, sessionId: row.sessionId, rows: [] };
      children.set(row.sessionId, group);
    }
    group.rows.push(row);
  }
  return [own, ...children.values()];
}

/** "+a −r · modified", and "· cannot be restored: <why>" when its baseline cannot be put back. */
export function rowTooltip(row: ChangedFileDetail): string {
  const parts: string[] = [];
  if (row.added !== undefined || row.removed !== undefined) parts.push(`+${row.added ?? 0} −${row.removed ?? 0}`);
  parts.push(row.kind);
  if (!row.restorable) parts.push(`cannot be restored: ${row.note ?? 'its earlier content was not kept'}`);
  return parts.join(' · ');
}

/** The diff editor's title: "<label> (‹session›: before ↔ now)". */
export function diffTitle(label: string, sessionTitle: string): string {
  return `${label} (${sessionTitle}: before ↔ now)`;
}

/** The SCM input box's placeholder; `darwin` says Cmd. */
export function inputPlaceholder(sessionTitle: string, platform: string): string {
  return `Message to ${sessionTitle} (${platform === 'darwin' ? 'Cmd' : 'Ctrl'}+Enter sends)`;
}
