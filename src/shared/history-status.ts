/**
 * Whether a session's history is being saved, folded from its storage warnings. One pure step
 * used by both folds (core's reducer and the webview's), so a live view and a reopened one say
 * the same. No Node, no DOM.
 */
import type { SessionEvent } from './events';
import type { HistorySaving } from './session';

export type { HistorySaving } from './session';

/** A live write of the log failed; the store keeps the events in memory and retries. */
export const HISTORY_NOT_SAVED = 'history_not_saved';
/** A retry succeeded: everything kept in memory is on disk again. */
export const HISTORY_SAVED_AGAIN = 'history_saved_again';

/** The status after `event` (the same object when the event does not change it). */
export function nextHistorySaving(current: HistorySaving | undefined, event: SessionEvent): HistorySaving | undefined {
  if (event.type === 'warning') {
    if (event.code === HISTORY_NOT_SAVED) return { state: 'failing', message: event.message, since: event.ts };
    if (event.code === HISTORY_SAVED_AGAIN) return { state: 'recovered', message: event.message, since: event.ts };
  }
  if (event.type === 'turn.started' && current?.state === 'recovered') return undefined;
  return current;
}
