/** The shape every namespace handler file exports: one async function per method, delegating to core. */
import type { SessionManagerApi } from '../../../core/session/api';
import type { SessionEvent } from '../../../shared/events';
import type { MethodName, OpenedSession, ParamsOf, ResultOf } from '../../../shared/protocol';
import type { HostServices, KnowledgePort } from '../ports';

/** Per-connection abilities a handler may use. */
export interface ConnectionHandle {
  readonly id: string;
  /**
   * Subscribes this webview to a session's live events, race-free: events emitted while
   * `load` runs are held back, then only those with seq > `upTo` are sent after the reply.
   */
  subscribe<T>(sessionId: string, load: () => Promise<{ value: T; upTo: number }>, ctx: HandlerContext): Promise<T>;
  unsubscribe(sessionId: string): void;
  /** From now on this webview gets `mcp` status messages (it asked for the MCP overview). */
  watchMcp(): void;
}

export interface HandlerContext {
  readonly manager: SessionManagerApi;
  readonly services: HostServices;
  /** MCP servers and skill diagnostics; undefined when the host wired none. */
  readonly knowledge: KnowledgePort | undefined;
  readonly connection: ConnectionHandle;
  /** Aborted when the webview cancels the request or goes away. */
  readonly signal: AbortSignal;
  /** Runs after the reply was posted (success or failure). */
  afterReply(fn: () => void): void;
  /** Tells every webview the session list changed (coalesced). */
  sessionsChanged(): void;
}

export type Handler<M extends MethodName> = (params: ParamsOf<M>, ctx: HandlerContext) => Promise<ResultOf<M>>;
export type HandlerMap<K extends MethodName> = { [M in K]: Handler<M> };

/** Opens a session and reads its transcript tail (shared by `sessions.open` and the snapshot). */
export async function loadOpened(manager: SessionManagerApi, sessionId: string, limit: number): Promise<OpenedSession> {
  const snapshot = await manager.open(sessionId);
  const page = await manager.transcript(sessionId, { limit });
  const readOnlyBy = manager.readOnlyBy?.(sessionId);
  // Conservative: use the snapshot's seq, so an event racing the transcript read is re-sent, never lost.
  return { snapshot, entries: page.entries, hasMore: page.hasMore, lastSeq: snapshot.lastSeq, ...(readOnlyBy ? { readOnlyBy } : {}) };
}

export function maxSeq(events: readonly SessionEvent[], floor: number): number {
  return events.reduce((m, e) => Math.max(m, e.seq), floor);
}
