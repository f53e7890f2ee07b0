/**
 * Whether a session's worktree can be worked in, and what to tell the user when not (the problem
 * and the way out). Plain functions over the folded state: Session.send refuses with them, the
 * worktree service before every turn.
 */
import type { SessionWorktree, WorktreeState } from '../../shared/worktree';
import { AgentError } from '../base/errors';

/** States a session may run in: `moved` means its path now names the folder git knows and that works; `locked` still works. */
const USABLE: ReadonlySet<WorktreeState> = new Set<WorktreeState>(['ok', 'moved', 'locked']);

/** Whether a session in this worktree state may run. */
export function worktreeUsable(state: WorktreeState): boolean {
  return USABLE.has(state);
}

/** Why a session in `w` cannot run, with the way out (`retry`: what to do once it is back); undefined when it can. */
export function worktreeRefusal(w: SessionWorktree | undefined, retry = 'send again'): string | undefined {
  if (!w || worktreeUsable(w.state)) return undefined;
  if (w.state === 'discarded') {
    return `This session's worktree (branch ${w.branch}) was discarded, so it can no longer run; its history stays. Start a new session, or fork this one, to go on.`;
  }
  const what = w.problem ?? (w.state === 'missing' ? `Its worktree folder ${w.path} is missing.` : `Its worktree ${w.path} is damaged.`);
  return `This session works only in its worktree, and that cannot be used now: ${what.replace(/\.?$/, '.')} `
    + `Nothing runs in the main tree instead. Bring the folder back (or run \`git worktree repair\` in the repository) and ${retry}, or delete the session.`;
}

/** Throws AgentError('invalid_state') when a session in `w` cannot run. */
export function assertWorktreeUsable(w: SessionWorktree | undefined): void {
  const why = worktreeRefusal(w);
  if (why) throw new AgentError('invalid_state', why);
}
