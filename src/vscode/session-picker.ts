/** "Which session?" for commands: the focused one when it fits, else a QuickPick. */
import * as vscode from 'vscode';
import type { SessionManagerApi } from '../core/session/api';
import type { SessionIndexEntry } from '../core/store/types';
import type { FocusTracker } from './focus';

const STATE_LABEL: Record<SessionIndexEntry['state'], string> = {
  idle: 'idle', running: 'running', awaiting_approval: 'waiting for approval', paused: 'paused', error: 'error',
};

export async function pickSession(
  manager: SessionManagerApi, focus: FocusTracker, title: string,
  filter: (s: SessionIndexEntry) => boolean = () => true,
): Promise<string | undefined> {
  const sessions = manager.list().filter(filter);
  const focused = focus.focused;
  if (focused !== undefined && sessions.some((s) => s.id === focused)) return focused;
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage('Agent Sessions: no session fits this command.');
    return undefined;
  }
  if (sessions.length === 1) return sessions[0]!.id;
  const pick = await vscode.window.showQuickPick(
    sessions.sort((a, b) => b.updatedAt - a.updatedAt).map((s) => ({ label: s.title, description: `${s.model} · ${STATE_LABEL[s.state]}`, id: s.id })),
    { title, placeHolder: 'Pick a session' },
  );
  return pick?.id;
}
