/**
 * Which sessions another window writes (they are read-only here), and handing a session over or
 * taking one over, for SessionManager. The store does the locking (store/lock-handover.ts); the
 * session stops and starts recording (Session.handOver, Session.readOnlyBy).
 */
import type { SessionSnapshot } from './types';
import type { SessionStore, SessionWriterInfo } from '../store/types';
import type { SessionLoader } from './loader';
import { Emitter } from '../base/emitter';
import { AgentError } from '../base/errors';
import { assertSafeId } from '../base/ids';

export class SessionWriters {
  /** Sessions this window handed to another window (or lost to one), with who writes them now. */
  private readonly foreign = new Map<string, SessionWriterInfo>();
  private readonly changes = new Emitter<{ sessionId: string; readOnlyBy?: SessionWriterInfo }>();
  /** Fires when a session becomes read-only here (another window took it) or writable (this window took it over). */
  readonly onDidChange = this.changes.event;

  constructor(private readonly store: SessionStore, private readonly loader: () => SessionLoader) {
    // Another window asks for a session this one writes: stop it (see Session.handOver), then the store lets go.
    store.setHandoverHandler?.(async (id, to) => this.loader().opened(id)?.handOver(to));
    store.onWriterChanged?.((c) => { if (c.owner) this.lost(c.sessionId, c.owner); });
  }

  /** The other window known to write this session's log now (it was handed over), if any. */
  writerOf(sessionId: string): SessionWriterInfo | undefined {
    return this.foreign.get(sessionId);
  }

  /** The other window that writes this session (it is read-only here), or undefined. Opened sessions only. */
  readOnlyBy(sessionId: string): SessionWriterInfo | undefined {
    assertSafeId(sessionId);
    return this.loader().opened(sessionId)?.readOnlyBy;
  }

  /** See SessionManager.takeOver. */
  async takeOver(sessionId: string): Promise<SessionSnapshot> {
    const loader = this.loader();
    const before = await loader.session(sessionId);
    if (!before.readOnlyBy) return before.snapshot();
    if (!this.store.takeOver) throw new AgentError('bad_request', 'This session store is not shared between windows: there is nothing to take over.');
    await this.store.takeOver(sessionId);
    this.foreign.delete(sessionId);
    loader.remove(sessionId);
    const session = await loader.session(sessionId);
    this.changes.fire({ sessionId });
    return session.snapshot();
  }

  private lost(sessionId: string, owner: SessionWriterInfo): void {
    this.foreign.set(sessionId, owner);
    const session = this.loader().opened(sessionId);
    if (session) session.readOnlyBy = owner;
    this.changes.fire({ sessionId, readOnlyBy: owner });
  }

  dispose(): void {
    this.changes.dispose();
  }
}
