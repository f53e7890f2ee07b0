/**
 * The host side of the webview protocol: owns every attached webview (Connection), fans the
 * manager's events out to them, and broadcasts session-list and host-state changes. Any
 * number of webviews (sidebar + editor tabs) show the same live sessions.
 * Handlers live one namespace per file under ./handlers and only delegate to the manager.
 */
import { Disposable, toDisposable, type IDisposable } from '../../core/base/disposable';
import { toAgentError } from '../../core/base/errors';
import type { SessionManagerApi } from '../../core/session/api';
import type { SessionEvent, SessionEventType } from '../../shared/events';
import type { HostMessage, MethodName } from '../../shared/protocol';
import { Connection } from './connection';
import type { HostServices, KnowledgePort, WebviewPort } from './ports';
import { approvalHandlers } from './handlers/approvals';
import { changeHandlers } from './handlers/changes';
import { eventHandlers } from './handlers/events';
import { hostHandlers } from './handlers/host';
import { knowledgeHandlers } from './handlers/knowledge';
import { linkHandlers } from './handlers/links';
import { mcpHandlers } from './handlers/mcp';
import { providerHandlers } from './handlers/providers';
import { sessionHandlers, toSummary } from './handlers/sessions';
import { workspaceRulesHandlers } from './handlers/workspace-rules';
import { worktreeHandlers } from './handlers/worktrees';
import { agentHandlers } from './handlers/agents';
import { memoryHandlers } from './handlers/memory';
import { mcpClientHandlers } from './handlers/mcp-client';
import type { Handler } from './handlers/types';

export const handlers: { [M in MethodName]: Handler<M> } = {
  ...sessionHandlers, ...approvalHandlers, ...eventHandlers, ...linkHandlers, ...providerHandlers, ...hostHandlers,
  ...knowledgeHandlers, ...mcpHandlers, ...workspaceRulesHandlers, ...changeHandlers, ...worktreeHandlers,
  ...agentHandlers, ...memoryHandlers, ...mcpClientHandlers,
};

export interface WebviewRouterOptions {
  /** MCP servers and skill diagnostics for the Context panel. */
  knowledge?: KnowledgePort;
}

/** Events after which the session list (state, title, model, counts) is re-sent to every webview. */
const LIST_EVENTS: ReadonlySet<SessionEventType> = new Set([
  'session.created', 'session.renamed', 'session.config_changed', 'session.state', 'session.paused', 'session.resumed',
  'turn.started', 'turn.completed', 'turn.failed', 'turn.cancelled', 'approval.requested', 'approval.resolved',
  // The tab's branch and worktree state; a file change can add an overlap marker (sharedFiles) on two tabs.
  'worktree.created', 'worktree.checked', 'worktree.applied', 'worktree.committed', 'worktree.discarded', 'file.changed',
]);

/** How long list updates are coalesced, ms (a burst of state events sends one list). */
const LIST_DEBOUNCE_MS = 30;
/** How long MCP status changes are coalesced, ms (a restart is starting → connected in quick succession). */
export const MCP_DEBOUNCE_MS = 50;

/**
 * How long a reveal waits for a webview that is still loading, ms. "New Session" on first open
 * reveals before the view has said `ready`; the view must still switch to the new tab.
 */
export const REVEAL_WAIT_MS = 10_000;

export class WebviewRouter extends Disposable {
  private readonly connections = new Map<string, Connection>();
  private nextId = 1;
  private listTimer: ReturnType<typeof setTimeout> | undefined;
  private mcpTimer: ReturnType<typeof setTimeout> | undefined;
  private subscribed = false;
  private managerRef: SessionManagerApi | undefined;
  /** The last reveal, delivered to every webview that becomes ready before `until`. */
  private pendingReveal: { message: HostMessage; until: number; delivered: Set<string> } | undefined;

  /** `getManager` is called on the first attach (the manager is created lazily). */
  constructor(
    private readonly getManager: () => Promise<SessionManagerApi>,
    private readonly services: HostServices,
    private readonly options: WebviewRouterOptions = {},
  ) {
    super();
    this._register(services.onDidChangeHost(() => this.broadcast(() => ({ kind: 'host', host: services.hostInfo() }))));
    if (options.knowledge) this._register(options.knowledge.onDidChange(() => this.mcpChanged()));
    this._register(toDisposable(() => { if (this.listTimer) clearTimeout(this.listTimer); if (this.mcpTimer) clearTimeout(this.mcpTimer); }));
    this._register(toDisposable(() => { for (const c of [...this.connections.values()]) c.dispose(); }));
  }

  /** Attaches a webview; dispose the result when the webview is disposed. */
  attach(port: WebviewPort, label = 'webview'): IDisposable {
    const id = `${label}-${this.nextId++}`;
    const manager = this.getManager();
    void manager.then((m) => this.subscribeOnce(m), () => undefined /* reported per request by the connection */);
    const conn = new Connection({
      id, port, manager, services: this.services, handlers,
      ...(this.options.knowledge ? { knowledge: this.options.knowledge } : {}),
      sessionsChanged: () => this.sessionsChanged(),
      onReady: (c) => this.deliverPendingReveal(c),
      onDispose: () => this.connections.delete(id),
    });
    this.connections.set(id, conn);
    return conn;
  }

  get connectionCount(): number { return this.connections.size; }

  private subscribeOnce(manager: SessionManagerApi): void {
    if (this.subscribed || this._store.isDisposed) return;
    this.subscribed = true;
    this.managerRef = manager;
    this._register(manager.onEvent((e) => this.onEvent(e)));
    // Another window took a session (read-only here now), or this one took it over (views reopen it).
    if (manager.onDidChangeWriter) {
      this._register(manager.onDidChangeWriter((c) => this.broadcast(() => ({
        kind: 'writer', sessionId: c.sessionId, ...(c.readOnlyBy ? { readOnlyBy: c.readOnlyBy } : {}),
      }))));
    }
  }

  private onEvent(e: SessionEvent): void {
    for (const c of this.connections.values()) c.onSessionEvent(e);
    if (LIST_EVENTS.has(e.type)) this.sessionsChanged();
  }

  /** Coalesced: every ready webview gets the fresh session list. */
  sessionsChanged(): void {
    if (this.listTimer) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      const m = this.managerRef;
      if (!m) return;
      const sessions = m.list().map(toSummary);
      this.broadcast(() => ({ kind: 'sessions', sessions }));
    }, LIST_DEBOUNCE_MS);
  }

  /** Coalesced: every webview that asked `mcp.list` gets the fresh MCP overview. */
  private mcpChanged(): void {
    const port = this.options.knowledge;
    if (this.mcpTimer || !port) return;
    this.mcpTimer = setTimeout(() => {
      this.mcpTimer = undefined;
      const watchers = [...this.connections.values()].filter((c) => c.watchesMcp);
      if (watchers.length === 0) return;
      port.mcpOverview().then((overview) => {
        for (const c of watchers) if (c.watchesMcp) c.post({ kind: 'mcp', ...overview });
      }, (err: unknown) => this.services.logger.warn(`MCP overview unavailable: ${toAgentError(err).message}`));
    }, MCP_DEBOUNCE_MS);
  }

  /**
   * Asks the webviews to show a session (e.g. the status-bar click, "New Session"). Ready webviews
   * get it now; a webview that is still loading (the view was just revealed) gets it right after
   * its snapshot, if that comes within REVEAL_WAIT_MS. A newer reveal replaces a waiting one.
   */
  reveal(sessionId: string, approvalId?: string): void {
    const message: HostMessage = { kind: 'reveal', sessionId, ...(approvalId !== undefined ? { approvalId } : {}) };
    const delivered = new Set<string>();
    this.pendingReveal = { message, until: Date.now() + REVEAL_WAIT_MS, delivered };
    for (const c of this.connections.values()) {
      if (!c.isReady) continue;
      delivered.add(c.id);
      c.post(message);
    }
  }

  private deliverPendingReveal(c: Connection): void {
    const p = this.pendingReveal;
    if (!p) return;
    if (Date.now() > p.until) { this.pendingReveal = undefined; return; }
    // A webview that re-sends `ready` (reconnect) already had it and may have moved on since.
    if (p.delivered.has(c.id)) return;
    p.delivered.add(c.id);
    c.post(p.message);
  }

  private broadcast(make: () => HostMessage): void {
    let msg: HostMessage | undefined;
    for (const c of this.connections.values()) {
      if (!c.isReady) continue;
      msg ??= make();
      c.post(msg);
    }
  }
}
