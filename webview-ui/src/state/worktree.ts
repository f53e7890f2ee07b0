/**
 * What the webview says about where a session works: its own git worktree (the branch chip, the
 * header's worktree row, the composer's lock) or the shared workspace (the overlap marker).
 * Pure functions over the view; the texts are the ones tabs, header and composer show.
 */
import type { SharedFileOverlap, WorktreeState, WorktreeSummary } from '../../../src/shared/worktree';
import type { SessionView } from './types';

/** The session's worktree as the tab needs it: the projection's once opened, else the list row's. */
export interface WorktreeFacts extends WorktreeSummary {
  /** A child working in its parent's worktree (known once opened): the parent's id. */
  inheritedFrom?: string;
  problem?: string;
}

/** Its worktree (absent: it works in the shared workspace). */
export function worktreeOf(view: SessionView): WorktreeFacts | undefined {
  const w = view.snapshot?.worktree;
  if (w) {
    return {
      branch: w.branch, path: w.path, state: w.state,
      ...(w.inheritedFrom ? { inheritedFrom: w.inheritedFrom } : {}), ...(w.problem ? { problem: w.problem } : {}),
    };
  }
  return view.worktree;
}

/** "agent/fix-login-1a2b3c" → "fix-login-1a2b3c" (the prefix every session branch shares says nothing). */
export function shortBranch(branch: string): string {
  return branch.replace(/^agent\//, '');
}

const STATE_WORDS: Record<WorktreeState, string> = {
  ok: '', missing: 'missing', moved: 'moved', locked: 'locked', broken: 'damaged', discarded: 'discarded',
};

/** One word for a worktree that is not ok ("missing", "damaged"…), empty when ok. */
export function stateWord(state: WorktreeState): string {
  return STATE_WORDS[state];
}

/** The branch chip's tooltip: branch and folder (and what is wrong). */
export function worktreeTooltip(w: WorktreeFacts): string {
  return [
    `Works in its own worktree on branch ${w.branch}`,
    `Folder: ${w.path}`,
    w.inheritedFrom ? 'Its parent session\'s worktree' : '',
    w.state !== 'ok' ? `Worktree ${stateWord(w.state)}${w.problem ? `: ${w.problem}` : ''}` : '',
  ].filter(Boolean).join('\n');
}

/** What the banner says when the worktree is not ok (its `problem`, or the state in words). */
export function problemText(w: WorktreeFacts): string {
  if (w.problem) return w.problem;
  switch (w.state) {
    case 'missing': return `Its worktree folder ${w.path} is gone and could not be brought back from branch ${w.branch}.`;
    case 'moved': return `Git knows its worktree at another folder than ${w.path}.`;
    case 'locked': return `Its worktree is locked (git worktree lock): it works, but cannot be removed until you run git worktree unlock "${w.path}".`;
    case 'broken': return `Its worktree at ${w.path} is damaged: git does not take it as a worktree any more.`;
    case 'discarded': return `Its worktree was discarded: it can no longer run. Its history stays; branch ${w.branch} may still hold its work.`;
    case 'ok': return '';
  }
}

/** Why nothing can be sent (a worktree missing, damaged or discarded), or undefined when it can. */
export function composerBlock(view: SessionView): string | undefined {
  const w = worktreeOf(view);
  if (!w || (w.state !== 'missing' && w.state !== 'broken' && w.state !== 'discarded')) return undefined;
  if (w.state === 'discarded') return 'Its worktree was discarded: this session can no longer run';
  return `Its worktree is ${stateWord(w.state)}: ${w.problem ?? 'the session cannot run until it is back'}`;
}

/** The overlap marker's tooltip: "Also changed by ‹title›: a.ts, b.ts" per other session. */
export function overlapText(shared: readonly SharedFileOverlap[]): string {
  return shared.map((o) => `Also changed by “${o.title || 'Untitled'}”: ${o.files.join(', ')}`).join('\n');
}

/** "2 commits ahead · 3 uncommitted" (the parts that are not 0; "no changes yet" when both are). */
export function statusText(ahead: number, uncommitted: number): string {
  const parts = [
    ahead > 0 ? `${ahead} commit${ahead === 1 ? '' : 's'} ahead` : '',
    uncommitted > 0 ? `${uncommitted} uncommitted` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'no changes yet';
}
