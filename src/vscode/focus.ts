/**
 * Which session the user is looking at: each webview reports its visible tab; the most recent
 * report wins. Commands ("Approve Pending", "Pause", …) act on it, or ask with a QuickPick.
 */
import { Emitter, type Event } from '../core/base/emitter';

export class FocusTracker {
  private readonly visible = new Map<string, string | null>();
  private lastConnection: string | undefined;
  private readonly changed = new Emitter<string | undefined>();
  readonly onDidChange: Event<string | undefined> = this.changed.event;

  setVisible(connectionId: string, sessionId: string | null): void {
    const before = this.focused;
    this.visible.set(connectionId, sessionId);
    this.lastConnection = connectionId;
    if (this.focused !== before) this.changed.fire(this.focused);
  }

  forget(connectionId: string): void {
    const before = this.focused;
    this.visible.delete(connectionId);
    if (this.lastConnection === connectionId) this.lastConnection = [...this.visible.keys()].at(-1);
    if (this.focused !== before) this.changed.fire(this.focused);
  }

  /** A session was deleted: no webview shows it any more. */
  dropSession(sessionId: string): void {
    for (const [c, s] of this.visible) if (s === sessionId) this.setVisible(c, null);
  }

  get focused(): string | undefined {
    if (this.lastConnection === undefined) return undefined;
    return this.visible.get(this.lastConnection) ?? undefined;
  }

  dispose(): void { this.changed.dispose(); }
}
