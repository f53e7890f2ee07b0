/**
 * Feeds the Context panel: asks the host for the session's rules files and skills
 * (`knowledge.get`) and the MCP overview (`mcp.list`), then follows the host's `mcp` pushes and
 * the session's `knowledge.loaded` events. Subscribes on hostConnected, unsubscribes on
 * hostDisconnected (Lit's reactive-controller pattern).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { McpOverview, SkillDiagnosticInfo } from '../../../../src/shared/protocol';
import type { SessionKnowledge } from '../../../../src/shared/session';
import type { HostClient } from '../../host-client';

export interface KnowledgeData {
  knowledge?: SessionKnowledge;
  diagnostics: SkillDiagnosticInfo[];
  mcp?: McpOverview;
  loading: boolean;
  error?: string;
}

export class KnowledgeController implements ReactiveController {
  data: KnowledgeData = { diagnostics: [], loading: false };
  private sessionId: string | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Bumped per load, so an answer for a tab we already left is dropped. */
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost, private readonly client: () => HostClient | undefined) {
    host.addController(this);
  }

  hostConnected(): void {
    const client = this.client();
    if (!client || this.unsubscribe) return;
    this.unsubscribe = client.subscribe((m) => {
      if (m.kind === 'mcp') {
        this.data = { ...this.data, mcp: { servers: m.servers, problems: m.problems } };
        this.host.requestUpdate();
      } else if (m.kind === 'event' && m.event.type === 'knowledge.loaded' && m.event.sessionId === this.sessionId) {
        this.data = { ...this.data, knowledge: m.event.knowledge };
        this.host.requestUpdate();
      }
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.sessionId = undefined;
  }

  /** Loads for `sessionId` unless it is already shown (or `force`). */
  load(sessionId: string, force = false): void {
    if (!force && sessionId === this.sessionId) return;
    const client = this.client();
    if (!client) return;
    this.hostConnected(); // no-op when subscribed; covers a client that arrived after connect
    const changed = sessionId !== this.sessionId;
    this.sessionId = sessionId;
    const gen = ++this.generation;
    this.data = { ...this.data, ...(changed ? { knowledge: undefined, diagnostics: [] } : {}), loading: true, error: undefined };
    this.host.requestUpdate();
    void Promise.all([
      client.request('knowledge.get', { sessionId }),
      client.request('mcp.list', {}),
    ]).then(([k, mcp]) => {
      if (gen !== this.generation) return;
      this.data = { knowledge: k.knowledge, diagnostics: k.diagnostics, mcp, loading: false };
    }, (err: unknown) => {
      if (gen !== this.generation) return;
      this.data = { ...this.data, loading: false, error: err instanceof Error ? err.message : String(err) };
    }).finally(() => this.host.requestUpdate());
  }
}
