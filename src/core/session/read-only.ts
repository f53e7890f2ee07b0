/**
 * A session another window writes: this window shows it and records nothing. One writer per
 * log is the store's rule (store/lock.ts); these are the words and the error the session layer
 * gives for it. "Take over" (SessionManager.takeOver) is how this window becomes the writer.
 */
import { AgentError } from '../base/errors';
import type { SessionWriterInfo } from '../store/types';

/** "window A (pid 1234)": how the user can find the window that writes a session. */
export function describeWriter(by: SessionWriterInfo): string {
  return `${by.label ?? 'another window'} (pid ${by.pid}${by.host ? ` on ${by.host}` : ''})`;
}

/** The typed refusal of anything that would record into a session another window writes. */
export function readOnlyError(sessionId: string, by: SessionWriterInfo): AgentError {
  return new AgentError('read_only', `Session ${sessionId} is open in ${describeWriter(by)}, which writes its history; it is read-only here.`, {
    hint: 'Continue it in that window, or take it over here (that window then shows it read-only).',
  });
}
