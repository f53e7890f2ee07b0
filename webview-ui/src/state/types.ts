import type { SessionProjection } from '../../../src/shared/fold';
import type { SessionIndexEntry, SessionState, SessionWriterInfo } from '../../../src/shared/session';
import type { TranscriptRecord } from '../../../src/shared/transcript';
import type { SharedFileOverlap, WorktreeSummary } from '../../../src/shared/worktree';

/** The badge a tab shows. */
export type Activity = 'streaming' | 'waiting' | 'pausing' | 'paused' | 'error' | 'done' | 'idle';

/** Everything the webview knows about one session. */
export interface SessionView {
  id: string;
  title: string;
  parentId?: string;
  /** From the session list until it is opened, then the projection's. */
  state: SessionState;
  providerId: string;
  model: string;
  /**
   * Present once the session was opened in this webview: the one fold's projection (snapshot and
   * the newest transcript records), folded on with every live event by the same function core uses.
   */
  snapshot?: SessionProjection;
  /** True once the projection is current up to `lastSeq`. */
  loaded: boolean;
  hasMore: boolean;
  lastSeq: number;
  unread: boolean;
  /** How the last turn ended, for the badge of an idle session (the list's until opened, then the projection's). */
  outcome?: 'done' | 'error';
  /** Its log is damaged (from the session list): the tab says so and offers export / delete / open what can be read. */
  damaged?: SessionIndexEntry['damaged'];
  /** Another window writes it: read-only here (the composer offers "Take over here"). */
  readOnlyBy?: SessionWriterInfo;
  /** A take-over of it is under way. */
  takingOver?: boolean;
  /** Files it changed that nobody kept yet, from the session list (an opened view counts its projection's rows). */
  changedFiles?: number;
  /** Its own worktree, from the session list (an opened view has the projection's `worktree`, see state/worktree.ts). */
  worktree?: WorktreeSummary;
  /** Other sessions of the shared tree that changed the same files (from the session list). */
  sharedFiles?: SharedFileOverlap[];
}

/** How many files the session changed and nobody kept since (its header's and tab's count). */
export function changedFilesOf(view: SessionView): number {
  return view.snapshot ? view.snapshot.changes.length : view.changedFiles ?? 0;
}

/** The transcript records held for a session (none until it is opened). */
export function recordsOf(view: SessionView): TranscriptRecord[] {
  return view.snapshot?.records ?? [];
}

export function activityOf(view: SessionView): Activity {
  if (view.state === 'paused' && view.snapshot?.pausing) return 'pausing';
  switch (view.state) {
    case 'running': return 'streaming';
    case 'awaiting_approval': return 'waiting';
    case 'paused': return 'paused';
    case 'error': return 'error';
    case 'idle': return view.outcome ?? 'idle';
  }
}

/** Which session actions apply in a state (header buttons are enabled from this). */
export function actionsFor(state: SessionState): { pause: boolean; resume: boolean; cancel: boolean; compact: boolean } {
  return {
    pause: state === 'running' || state === 'awaiting_approval',
    resume: state === 'paused',
    cancel: state === 'running' || state === 'awaiting_approval' || state === 'paused',
    compact: state === 'idle' || state === 'error',
  };
}
