/**
 * What the change ledger records for a session, said as intents: a file changed, a command's
 * changes could not all be captured, a file was kept, a restore began / skipped a file / rewound
 * the conversation / ended, the session was forked. Only Session constructs one (its `changes`),
 * handing it the closure that records a body; with session.ts and turn-recorder.ts the only code
 * that builds events. A file change is a fact about the disk: it is recorded even after the turn
 * that made it was cancelled.
 */
import type { SessionEventBody, SessionEventType } from './events';
import { newId } from '../base/ids';

type Body<T extends SessionEventType> = Extract<SessionEventBody, { type: T }>;
type Fields<T extends SessionEventType> = Omit<Body<T>, 'type'>;

/** A file change without its id and tag (the recorder gives each one a fresh `changeId`). */
export type FileChangeFields = Omit<Fields<'file.changed'>, 'changeId'>;

export class ChangeRecorder {
  /** @param record records one body (the session's emit; it refuses while the session is read-only here). */
  constructor(private readonly record: (body: SessionEventBody) => void) {}

  /** A file changed; returns the change's id. */
  fileChanged(change: FileChangeFields): string {
    const changeId = newId('fc');
    this.record({ type: 'file.changed', changeId, ...change });
    return changeId;
  }

  /** Some of a command's (or a call's) changes could not be captured: said on the card and in the Changes view. */
  incomplete(message: string, call?: { callId: string; turnId: string }): void {
    this.record({ type: 'changes.incomplete', message, ...(call ? { callId: call.callId, turnId: call.turnId } : {}) });
  }

  /** The user kept `path` (whole, or one hunk): its baseline moves. */
  kept(change: Fields<'changes.kept'>): void {
    this.record({ type: 'changes.kept', ...change });
  }

  restoreStarted(start: Fields<'restore.started'>): void {
    this.record({ type: 'restore.started', ...start });
  }

  fileSkipped(skip: Fields<'restore.file_skipped'>): void {
    this.record({ type: 'restore.file_skipped', ...skip });
  }

  rewound(rewind: Fields<'conversation.rewound'>): void {
    this.record({ type: 'conversation.rewound', ...rewind });
  }

  unrewound(unrewind: Fields<'conversation.unrewound'>): void {
    this.record({ type: 'conversation.unrewound', ...unrewind });
  }

  restoreCompleted(end: Fields<'restore.completed'>): void {
    this.record({ type: 'restore.completed', ...end });
  }

  /**
   * For forks only (session/fork.ts): records another session's event bodies as this session's own,
   * in order, right after its creation; `forked` then closes the copy. The bodies are the source's
   * recorded events (seq, time and session id stripped, ledger events left out), so they fold here
   * as they folded there.
   */
  copied(bodies: readonly SessionEventBody[]): void {
    for (const body of bodies) this.record(body);
  }

  /** Ends a fork's copied history (the bodies `copied` recorded). */
  forked(from: Fields<'session.forked'>): void {
    this.record({ type: 'session.forked', ...from });
  }
}
