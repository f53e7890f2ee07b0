/**
 * One attached webview (sidebar view or editor panel). Validates every inbound message,
 * dispatches requests to the namespace handlers, sends the snapshot after `ready` and then
 * only events: live events of the sessions this webview opened (or replayed), each at most
 * once and in seq order. Owns one DisposableStore, cleared when the webview goes away.
 */
import { DisposableStore, toDisposable } from '../../core/base/disposable';
import { AgentError, toAgentError } from '../../core/base/errors';
import type { SessionManagerApi } from '../../core/session/api';
import type { SessionEvent } from '../../shared/events';
import { parseWebviewMessage } from '../../shared/protocol-schema';
import {
  DEFAULT_TAIL_ENTRIES, PROTOCOL_VERSION,
  type HostMessage, type MethodName, type OpenedSession, type RequestMessage, type WebviewMessage,
} from '../../shared/protocol';
import type { SerializedError } from '../../shared/errors';
import type { HostServices, KnowledgePort, WebviewPort } from './ports';
import { toSummary } from './handlers/sessions';
import { loadOpened, type ConnectionHandle, type Handler, type HandlerContext } from './handlers/types';

interface Subscription {
  /** Highest seq this webview has (from a reply or a posted event). */
  lastSent: number;
  /** While > 0 a load is in flight: live events wait in `held`. */
  loading: number;
  held: SessionEvent[];
}

export interface ConnectionOptions {
  id: string;
  port: WebviewPort;
  manager: Promise<SessionManagerApi>;
  services: HostServices;
  knowledge?: KnowledgePort;
  handlers: { [M in MethodName]: Handler<M> };
  sessionsChanged(): void;
  /** After the snapshot went out: the router delivers what was waiting for a ready webview (a reveal). */
  onReady?(connection: Connection): void;
  onDispose(): void;
}

export class Connection implements ConnectionHandle {
  readonly id: string;
  private readonly store = new DisposableStore();
  private readonly subs = new Map<string, Subscription>();
  private readonly inflight = new Map<string, AbortController>();
  /**
   * True from the moment the snapshot was posted until the next `ready` (a reloaded webview).
   * Never earlier: a reveal, list or event posted before the snapshot reaches a webview that does
   * not know the session yet and is dropped there.
   */
  private ready = false;
  /** Counts `ready` messages: only the latest handshake may mark the connection ready. */
  private handshakes = 0;
  private disposed = false;
  private mcpWatched = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.id = opts.id;
    // Subscribed synchronously: a `ready` posted before the manager exists is queued, not lost.
    this.store.add(opts.port.onDidReceiveMessage((raw) => { void this.receive(raw); }));
    this.store.add(toDisposable(() => { for (const c of this.inflight.values()) c.abort(); this.inflight.clear(); }));
  }

  get isReady(): boolean { return this.ready && !this.disposed; }

  /** True once this webview asked `mcp.list` (it shows MCP status and wants `mcp` pushes). */
  get watchesMcp(): boolean { return this.mcpWatched && this.isReady; }

  watchMcp(): void { this.mcpWatched = true; }

  /** Messages are handled in arrival order of their start; requests may then run concurrently. */
  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.opts.services.logger.warn(`Webview ${this.id}: ${parsed.error.message}`);
      if (parsed.id !== undefined) this.post({ kind: 'reply', id: parsed.id, ok: false, error: parsed.error });
      return;
    }
    let manager: SessionManagerApi;
    try {
      manager = await this.opts.manager;
    } catch (err) {
      const error = toAgentError(err).toJSON();
      this.opts.services.logger.error(`Session manager failed to start: ${error.message}`);
      if (parsed.message.kind === 'request') this.post({ kind: 'reply', id: parsed.message.id, ok: false, error });
      return;
    }
    if (this.disposed) return;
    await this.handle(parsed.message, manager);
  }

  private async handle(message: WebviewMessage, manager: SessionManagerApi): Promise<void> {
    switch (message.kind) {
      case 'ready': return this.onReady(message, manager);
      case 'request': return this.onRequest(message, manager);
      case 'cancel': {
        const c = this.inflight.get(message.id);
        if (c) {
          c.abort();
          this.inflight.delete(message.id);
          this.post({ kind: 'reply', id: message.id, ok: false, error: { code: 'cancelled', message: 'Request cancelled.', retryable: false } });
        }
        return;
      }
      case 'visible':
        this.opts.services.setVisible(this.id, message.sessionId);
        return;
    }
  }

  private async onReady(message: Extract<WebviewMessage, { kind: 'ready' }>, manager: SessionManagerApi): Promise<void> {
    const services = this.opts.services;
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      services.logger.warn(`Webview ${this.id} speaks protocol ${message.protocolVersion}, host ${PROTOCOL_VERSION}`);
      const host = services.hostInfo();
      this.post({ kind: 'host', host: { ...host, notices: [...host.notices, { id: 'protocol-mismatch', severity: 'error', message: 'The view is out of date. Reload the window to update it.' }] } });
      return;
    }
    // A reconnect starts from a clean slate: the webview re-subscribes through the snapshot or events.since.
    // Until its snapshot is posted the webview is not ready: broadcasts skip it and a reveal waits
    // (the router delivers it from onReady), while the visible session's events are held below.
    const handshake = ++this.handshakes;
    this.ready = false;
    this.subs.clear();
    const sessions = manager.list();
    const visible = message.visibleSessionId !== undefined && sessions.some((s) => s.id === message.visibleSessionId)
      ? message.visibleSessionId : undefined;
    const opened: OpenedSession[] = [];
    if (visible !== undefined) {
      const sub = this.beginLoad(visible);
      try {
        const o = await loadOpened(manager, visible, DEFAULT_TAIL_ENTRIES);
        opened.push(o);
        sub.lastSent = Math.max(sub.lastSent, o.lastSeq);
      } catch (err) {
        services.logger.warn(`Could not open session ${visible} for the snapshot: ${toAgentError(err).message}`);
        if (this.subs.get(visible) === sub) this.subs.delete(visible);
      }
    }
    let providers;
    try { providers = await services.providers(); } catch (err) {
      services.logger.warn(`Provider list unavailable: ${toAgentError(err).message}`);
    }
    // A newer `ready` arrived while this one awaited: that handshake answers (its own snapshot).
    if (handshake !== this.handshakes || this.disposed) return;
    this.post({
      kind: 'snapshot', protocolVersion: PROTOCOL_VERSION,
      sessions: manager.list().map(toSummary), opened, host: services.hostInfo(),
      ...(providers ? { providers } : {}),
      ...(visible !== undefined ? { visibleSessionId: visible } : {}),
    });
    this.ready = true;
    if (visible !== undefined) {
      services.setVisible(this.id, visible);
      this.endLoad(visible);
    }
    this.opts.onReady?.(this);
  }

  private async onRequest(message: RequestMessage, manager: SessionManagerApi): Promise<void> {
    if (this.inflight.has(message.id)) {
      this.post({ kind: 'reply', id: message.id, ok: false, error: { code: 'bad_request', message: `Request id ${message.id} is already in flight.`, retryable: false } });
      return;
    }
    const controller = new AbortController();
    this.inflight.set(message.id, controller);
    const after: Array<() => void> = [];
    const ctx: HandlerContext = {
      manager, services: this.opts.services, knowledge: this.opts.knowledge, connection: this, signal: controller.signal,
      afterReply: (fn) => { after.push(fn); },
      sessionsChanged: () => this.opts.sessionsChanged(),
    };
    const handler = this.opts.handlers[message.method] as Handler<MethodName>;
    let reply: HostMessage;
    try {
      const result = await handler(message.params as never, ctx);
      reply = { kind: 'reply', id: message.id, ok: true, result };
    } catch (err) {
      const error: SerializedError = toAgentError(err).toJSON();
      if (!(err instanceof AgentError)) this.opts.services.logger.error(`Request ${message.method} failed`, err);
      reply = { kind: 'reply', id: message.id, ok: false, error };
    }
    // A cancelled request already got its (cancelled) reply.
    if (this.inflight.get(message.id) === controller) {
      this.inflight.delete(message.id);
      this.post(reply);
    }
    for (const fn of after) fn();
  }

  // --- subscriptions -------------------------------------------------------------------------

  private beginLoad(sessionId: string): Subscription {
    let sub = this.subs.get(sessionId);
    if (!sub) {
      sub = { lastSent: 0, loading: 0, held: [] };
      this.subs.set(sessionId, sub);
    }
    sub.loading++;
    return sub;
  }

  private endLoad(sessionId: string): void {
    const sub = this.subs.get(sessionId);
    if (!sub || --sub.loading > 0) return;
    const held = sub.held;
    sub.held = [];
    for (const e of held) this.forward(sub, e);
  }

  async subscribe<T>(sessionId: string, load: () => Promise<{ value: T; upTo: number }>, ctx: HandlerContext): Promise<T> {
    const fresh = !this.subs.has(sessionId);
    const sub = this.beginLoad(sessionId);
    try {
      const { value, upTo } = await load();
      sub.lastSent = Math.max(sub.lastSent, upTo);
      ctx.afterReply(() => this.endLoad(sessionId));
      return value;
    } catch (err) {
      if (fresh && sub.loading === 1) this.subs.delete(sessionId); // never subscribed: drop what was held
      else ctx.afterReply(() => this.endLoad(sessionId));
      throw err;
    }
  }

  unsubscribe(sessionId: string): void {
    this.subs.delete(sessionId);
  }

  /**
   * Called by the router for every event of every session. Only subscribed sessions get events;
   * during a handshake the only subscription is the visible session's, whose events are held
   * (it is loading) and forwarded right after the snapshot.
   */
  onSessionEvent(e: SessionEvent): void {
    if (this.disposed) return;
    const sub = this.subs.get(e.sessionId);
    if (!sub) return; // not shown here: the `sessions` list message carries its state
    if (sub.loading > 0) sub.held.push(e);
    else this.forward(sub, e);
  }

  private forward(sub: Subscription, e: SessionEvent): void {
    if (e.seq <= sub.lastSent) return;
    sub.lastSent = e.seq;
    this.post({ kind: 'event', event: e });
  }

  /**
   * Posts now, whatever the handshake state: replies must always go out. Whatever must follow the
   * snapshot (events, session lists, host changes, reveals) is gated by the caller on `isReady`.
   */
  post(message: HostMessage): void {
    if (this.disposed) return;
    this.opts.port.postMessage(message).then(undefined, (err: unknown) => {
      // The webview may be gone between our check and the post; nothing to recover.
      this.opts.services.logger.debug(`postMessage to ${this.id} failed: ${toAgentError(err).message}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.store.dispose();
    this.subs.clear();
    this.opts.services.forget(this.id);
    this.opts.onDispose();
  }
}
