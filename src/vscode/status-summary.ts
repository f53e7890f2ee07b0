/** What the status-bar items say, from the session list. Pure (tested in plain Node). */
import type { SessionIndexEntry } from '../core/store/types';

export interface StatusSummary {
  running: number;
  waiting: number;
  /** The session to jump to on click: the first waiting for approval, else the first running. */
  target?: string;
  text: string;
  tooltip: string;
}

export function summarize(sessions: readonly SessionIndexEntry[]): StatusSummary {
  const running = sessions.filter((s) => s.state === 'running').length;
  const waitingList = sessions.filter((s) => s.state === 'awaiting_approval').sort((a, b) => a.updatedAt - b.updatedAt);
  const waiting = waitingList.length;
  const target = waitingList[0]?.id ?? sessions.find((s) => s.state === 'running')?.id;
  const parts = [`$(hubot) ${running}`];
  if (waiting > 0) parts.push(`$(bell-dot) ${waiting}`);
  return {
    running, waiting, ...(target !== undefined ? { target } : {}),
    text: parts.join(' '),
    tooltip: `Agent Sessions: ${running} running, ${waiting} waiting for approval${waiting > 0 ? ' — click to go to the first one' : ''}`,
  };
}

export interface ChangesSummary {
  /** Sessions with changed files nobody reviewed yet. */
  sessions: number;
  files: number;
  /** The one such session (a click opens its changes), when there is exactly one. */
  target?: string;
  text: string;
  tooltip: string;
}

/**
 * Sessions with unreviewed changes. `changedFiles(s)`: an opened session's count from its
 * snapshot (live), else the index row's `changedFiles` (no log is read for the status bar).
 */
export function summarizeChanges(sessions: readonly SessionIndexEntry[], changedFiles: (s: SessionIndexEntry) => number): ChangesSummary {
  const counted = sessions.map((s) => ({ id: s.id, files: changedFiles(s) })).filter((c) => c.files > 0);
  const files = counted.reduce((n, c) => n + c.files, 0);
  const n = counted.length;
  const target = n === 1 ? counted[0]!.id : undefined;
  return {
    sessions: n, files, ...(target !== undefined ? { target } : {}),
    text: `$(diff) ${n}`,
    tooltip: `Agent Sessions: ${n} ${n === 1 ? 'session has' : 'sessions have'} unreviewed changes (${files} ${files === 1 ? 'file' : 'files'}) — click to review`,
  };
}
