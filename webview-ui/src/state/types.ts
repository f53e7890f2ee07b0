import type { SerializedError } from '../../../src/shared/errors';
import type { SessionIndexEntry, SessionSnapshot, SessionState, SessionWriterInfo } from '../../../src/shared/session';
import type { Row } from './rows';

/** The badge a tab shows. */
export type Activity = 'streaming' | 'waiting' | 'paused' | 'error' | 'done' | 'idle';

/** Everything the webview knows about one session. */
export interface SessionView {
  id: string;
  title: string;
  parentId?: string;
  state: SessionState;
  providerId: string;
  model: string;
  /** Present once the session was opened in this webview (header, queue, approvals need it). */
  snapshot?: SessionSnapshot;
  /** True once rows reflect the transcript up to `lastSeq`. */
  loaded: boolean;
  rows: Row[];
  hasMore: boolean;
  lastSeq: number;
  unread: boolean;
  /** How the last turn ended, for the badge of an idle session. */
  outcome?: 'done' | 'error';
  streamingMessageId?: string;
  lastError?: SerializedError;
  /** Its log is damaged (from the session list): the tab says so and offers export / delete / open what can be read. */
  damaged?: SessionIndexEntry['damaged'];
  /** Another window writes it: read-only here (the composer offers "Take over here"). */
  readOnlyBy?: SessionWriterInfo;
  /** A take-over of it is under way. */
  takingOver?: boolean;
}

export function activityOf(view: SessionView): Activity {
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
