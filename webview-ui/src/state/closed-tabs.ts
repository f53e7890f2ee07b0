/**
 * Tabs the user closed (their sessions keep running). Kept in the webview state (setState), so
 * a hidden/revived view or a window reload keeps them closed; a closed tab comes back on its own
 * when its session has new activity (a new turn, a finished message, an approval, a turn's end).
 */
import type { SessionEvent } from '../../../src/shared/events';
import type { SessionSummary } from '../../../src/shared/protocol';
import type { HostClient } from '../host-client';
import { marksUnread } from './unread';

/** Events that bring a closed tab back. */
function isActivity(event: SessionEvent): boolean {
  return marksUnread(event) || event.type === 'turn.started';
}

/** Frequent events: they move the mark in memory only (a completed message always follows). */
const CHATTY = new Set<SessionEvent['type']>(['message.delta', 'tool.output']);

export class ClosedTabs {
  /** Session id → the newest seq seen for it while closed. */
  private readonly marks: Map<string, number>;
  private snapshot: ReadonlySet<string>;

  constructor(private readonly client: HostClient) {
    this.marks = new Map(Object.entries(client.state.closedTabs ?? {}));
    this.snapshot = new Set(this.marks.keys());
  }

  /** The closed ids (a new set after every change, so elements see the change). */
  get ids(): ReadonlySet<string> {
    return this.snapshot;
  }

  has(sessionId: string): boolean {
    return this.marks.has(sessionId);
  }

  /** Closes a tab; `seq` is the newest event seen for its session. */
  close(sessionId: string, seq: number): void {
    this.marks.set(sessionId, seq);
    this.save();
  }

  /** Brings one tab back. Returns whether it was closed. */
  reopen(sessionId: string): boolean {
    if (!this.marks.delete(sessionId)) return false;
    this.save();
    return true;
  }

  /** "Show closed tabs". Returns whether anything changed. */
  reopenAll(): boolean {
    if (this.marks.size === 0) return false;
    this.marks.clear();
    this.save();
    return true;
  }

  /** A live event. Returns true when it brought its tab back. */
  onEvent(event: SessionEvent): boolean {
    const mark = this.marks.get(event.sessionId);
    if (mark === undefined) return false;
    if (isActivity(event)) {
      this.marks.delete(event.sessionId);
      this.save();
      return true;
    }
    if (event.seq > mark) {
      this.marks.set(event.sessionId, event.seq);
      if (!CHATTY.has(event.type)) this.save();
    }
    return false;
  }

  /**
   * The host's session list. Deleted sessions are forgotten. With `reopenChanged` (a snapshot
   * after a reload or reconnect, when events may have been missed) a session whose log moved on
   * since it was closed comes back. Returns whether any tab came back or was forgotten.
   */
  reconcile(sessions: readonly SessionSummary[], reopenChanged: boolean): boolean {
    const byId = new Map(sessions.map((s) => [s.id, s]));
    let changed = false;
    for (const [id, mark] of [...this.marks]) {
      const s = byId.get(id);
      if (!s || (reopenChanged && s.lastSeq > mark)) {
        this.marks.delete(id);
        changed = true;
      }
    }
    if (changed) this.save();
    return changed;
  }

  private save(): void {
    this.snapshot = new Set(this.marks.keys());
    this.client.setClosedTabs(Object.fromEntries(this.marks));
  }
}
