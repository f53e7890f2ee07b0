/** What the status-bar item says, from the session list. Pure (tested in plain Node). */
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
