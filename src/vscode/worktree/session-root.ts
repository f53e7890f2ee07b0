/** Where a session's terminal opens and what it is called. No vscode import (unit-tested). */
import { AgentError } from '../../core/base/errors';
import type { SessionSnapshot } from '../../shared/session';
import { worktreeRoot } from '../../shared/worktree';

/**
 * The session's root: its worktree's copy of the workspace folder (`worktreeRoot`), else the first
 * workspace folder. A worktree that is
 * gone (discarded, missing) is refused: a shell in the main tree instead would edit the wrong files.
 */
export function sessionRoot(snapshot: Pick<SessionSnapshot, 'title' | 'worktree'>, workspaceRoot: string | undefined): string {
  const w = snapshot.worktree;
  if (w) {
    if (w.state === 'discarded') throw new AgentError('invalid_state', `The worktree of "${snapshot.title}" was discarded: it has no folder to open a terminal in.`);
    if (w.state === 'missing') throw new AgentError('invalid_state', `The worktree folder of "${snapshot.title}" is missing (${w.path})${w.problem ? `: ${w.problem}` : ''}.`);
    return worktreeRoot(w);
  }
  if (!workspaceRoot) throw new AgentError('invalid_state', 'No folder is open: open a folder to give the session a terminal.');
  return workspaceRoot;
}

/** Longest title kept in a terminal's name. */
const MAX_TITLE = 40;

/** "Agent: ‹title›" (the shell) or "Agent: ‹title› — commands" (the one that follows run_command). */
export function terminalName(title: string, follow: boolean): string {
  // eslint-disable-next-line no-control-regex -- a title is shown, never interpreted
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim() || 'session';
  const short = clean.length > MAX_TITLE ? `${clean.slice(0, MAX_TITLE - 1)}…` : clean;
  return `Agent: ${short}${follow ? ' — commands' : ''}`;
}
