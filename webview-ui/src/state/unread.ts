import type { SessionEvent } from '../../../src/shared/events';

/** Events that make a hidden tab "unread". */
const UNREAD_TYPES = new Set<SessionEvent['type']>(['message.completed', 'approval.requested', 'turn.completed', 'turn.failed']);

/** Whether `event` makes a hidden tab "unread". */
export function marksUnread(event: SessionEvent): boolean {
  return UNREAD_TYPES.has(event.type);
}
