/**
 * Feeds the Context panel: asks the host for the session's rules files and skills
 * (`knowledge.get`), the MCP overview (`mcp.list`) and the workspace permission rules
 * (`workspaceRules.get`), then follows the host's `mcp` pushes, the session's `knowledge.loaded`
 * events and `host` messages (settings or trust changed: the workspace rules are read again).
 * Subscribes on hostConnected, unsubscribes on hostDisconnected (Lit's reactive-controller pattern).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { McpOverview, SkillDiagnosticInfo, WorkspaceRulesInfo } from '../../../../src/shared/protocol';
import type { SessionKnowledge } from '../../../../src/shared/session';
import type { HostClient } from '../../host-client';

export interface KnowledgeData {
  knowledge?: SessionKnowledge;
  diagnostics: SkillDiagnosticInfo[];
  mcp?: McpOverview;
  loading: boolean;
  error?: string;
  /** Workspace-settings allow rules waiting for the user, and rules saved for this workspace. */
  rules?: WorkspaceRulesInfo;
  /** A failed workspaceRules request (shown in that section only). */
  rulesError?: string;
}

export class KnowledgeController implements ReactiveController {
  data: KnowledgeData = { diagnostics: [], loading: false };
  private sessionId: string | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Bumped per load, so an answer for a tab we already left is dropped. */
  private generation = 0;
  /** Bumped per workspaceRules request: only the newest answer is shown. */
  private rulesGeneration = 0;

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
      } else if (m.kind === 'host' && this.sessionId !== undefined) {
        this.loadRules();
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
      this.data = { ...this.data, knowledge: k.knowledge, diagnostics: k.diagnostics, mcp, loading: false, error: undefined };
    }, (err: unknown) => {
      if (gen !== this.generation) return;
      this.data = { ...this.data, loading: false, error: err instanceof Error ? err.message : String(err) };
    }).finally(() => this.host.requestUpdate());
    this.loadRules();
  }

  /** Separate from the listing above: a host without workspace rules must not hold the panel back. */
  loadRules(): void {
    const client = this.client();
    if (!client) return;
    this.settle(client.request('workspaceRules.get', {}));
  }

  /** "Allow these rules" / "Ignore" / "Stop allowing": answers the list the panel shows (its hash). */
  decideRules(decision: 'allow' | 'ignore'): void {
    const client = this.client();
    const hash = this.data.rules?.hash;
    if (!client || !hash) return;
    this.settle(client.request('workspaceRules.decide', { hash, decision }), true);
  }

  forgetRule(action: 'allow' | 'deny' | 'ask', pattern: string): void {
    const client = this.client();
    if (!client) return;
    this.settle(client.request('workspaceRules.forget', { action, pattern }));
  }

  /** Shows the answer (the newest request wins); a decision refused because the list changed reloads it. */
  private settle(request: Promise<WorkspaceRulesInfo>, reloadOnError = false): void {
    const gen = ++this.rulesGeneration;
    request.then((rules) => {
      if (gen !== this.rulesGeneration) return;
      this.data = { ...this.data, rules, rulesError: undefined };
    }, (err: unknown) => {
      if (gen !== this.rulesGeneration) return;
      this.data = { ...this.data, rulesError: err instanceof Error ? err.message : String(err) };
      if (reloadOnError) {
        const client = this.client();
        if (client) void client.request('workspaceRules.get', {}).then((rules) => {
          if (gen !== this.rulesGeneration) return;
          this.data = { ...this.data, rules };
          this.host.requestUpdate();
        }, () => undefined /* the error above is already shown */);
      }
    }).finally(() => this.host.requestUpdate());
  }
}
