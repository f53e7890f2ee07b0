import { initialProjection, toSnapshot } from '../../../src/shared/fold';
/** Hand-written fakes for the host tests: a scripted session manager, a webview and host services. */
import { Emitter } from '../../../src/core/base/emitter';
import { AgentError } from '../../../src/core/base/errors';
import { nullLogger, type Logger } from '../../../src/core/ports';
import type { CreateSessionOptions, SessionManagerApi, TranscriptPage } from '../../../src/core/session/api';
import type { SessionIndexEntry } from '../../../src/core/store/types';
import type { SessionEvent, SessionEventBody } from '../../../src/shared/events';
import type { AskOptions, AskResult } from '../../../src/core/session/side-question';
import type { HostInfo, HostMessage, McpActionId, McpOverview, ProviderProfileInfo, SkillDiagnosticInfo } from '../../../src/shared/protocol';
import type { ApprovalResolution, PendingApprovalInfo, SessionConfig, SessionKnowledge, SessionSnapshot } from '../../../src/shared/session';
import type { HostServices, KnowledgePort, WebviewPort, WorkspaceRulesPort } from '../../../src/vscode/webview/ports';

export const baseConfig: SessionConfig = {
  providerId: 'openai', providerKind: 'openai', model: 'gpt-test', autoCompact: true, autoCompactThreshold: 0.8,
  mode: 'ask', rules: [], maxToolRounds: 50,
};

interface FakeSession { snapshot: SessionSnapshot; events: SessionEvent[] }

/** A SessionManagerApi that records calls and lets the test emit events. */
export class FakeManager implements SessionManagerApi {
  private readonly emitter = new Emitter<SessionEvent>();
  readonly onEvent = this.emitter.event;
  readonly sessions = new Map<string, FakeSession>();
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  /** When set, `open` waits for this before reading (to test races). */
  openGate: Promise<void> | undefined;
  private n = 0;

  add(id: string, title = id): SessionSnapshot {
    const snapshot: SessionSnapshot = {
      ...toSnapshot(initialProjection(id)), title, createdAt: 1, updatedAt: 1, config: { ...baseConfig }, context: { tokens: 0, window: 1000, fraction: 0 },
      totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null },
    };
    this.sessions.set(id, { snapshot, events: [] });
    this.emit(id, { type: 'session.created', title, config: snapshot.config });
    return snapshot;
  }

  emit(sessionId: string, body: SessionEventBody): SessionEvent {
    const s = this.must(sessionId);
    const event = { ...body, seq: s.snapshot.lastSeq + 1, ts: 1000 + s.snapshot.lastSeq, sessionId } as SessionEvent;
    s.snapshot.lastSeq = event.seq;
    s.events.push(event);
    if (body.type === 'approval.requested') s.snapshot.pendingApprovals.push(body.approval);
    if (body.type === 'session.state') s.snapshot.state = body.state;
    this.emitter.fire(event);
    return event;
  }

  private must(id: string): FakeSession {
    const s = this.sessions.get(id);
    if (!s) throw new AgentError('not_found', `No session ${id}`);
    return s;
  }

  private record(method: string, ...args: unknown[]): void { this.calls.push({ method, args }); }

  async create(options?: CreateSessionOptions): Promise<SessionSnapshot> {
    this.record('create', options);
    const id = `s${++this.n}-new`;
    const snap = this.add(id, options?.title ?? 'New session');
    Object.assign(snap.config, options?.config ?? {});
    return structuredClone(snap);
  }
  list(): SessionIndexEntry[] {
    return [...this.sessions.values()].map(({ snapshot: s, events }) => ({
      id: s.id, title: s.title, createdAt: s.createdAt, updatedAt: s.updatedAt, lastSeq: s.lastSeq, eventCount: events.length,
      messageCount: s.messageCount, state: s.state, providerId: s.config.providerId, model: s.config.model,
    }));
  }
  async open(id: string): Promise<SessionSnapshot> {
    this.record('open', id);
    if (this.openGate) await this.openGate;
    return structuredClone(this.must(id).snapshot);
  }
  get(id: string): SessionSnapshot | undefined { const s = this.sessions.get(id); return s ? structuredClone(s.snapshot) : undefined; }
  async transcript(id: string, options?: { limit?: number; beforeSeq?: number }): Promise<TranscriptPage> {
    this.record('transcript', id, options);
    this.must(id);
    return { entries: [{ kind: 'user', key: 'm1', text: 'hello', seq: 1 }], hasMore: false };
  }
  async eventsSince(id: string, afterSeq: number): Promise<SessionEvent[]> {
    this.record('eventsSince', id, afterSeq);
    return this.must(id).events.filter((e) => e.seq > afterSeq);
  }
  async rename(id: string, title: string): Promise<void> { this.record('rename', id, title); this.must(id).snapshot.title = title; }
  async delete(id: string, options?: { children?: 'delete' | 'keep' }): Promise<void> { this.record('delete', id, options); this.must(id); this.sessions.delete(id); }
  async updateConfig(id: string, patch: Partial<SessionConfig>): Promise<SessionSnapshot> {
    this.record('updateConfig', id, patch);
    Object.assign(this.must(id).snapshot.config, patch);
    return structuredClone(this.must(id).snapshot);
  }
  setDefaults(patch: Partial<SessionConfig>): void { this.record('setDefaults', patch); }
  async send(id: string, text: string): Promise<{ promptId: string; queued: boolean }> { this.record('send', id, text); this.must(id); return { promptId: 'p1', queued: false }; }
  async removeQueued(id: string, promptId: string): Promise<boolean> { this.record('removeQueued', id, promptId); return promptId === 'p1'; }
  async pause(id: string): Promise<void> { this.record('pause', id); this.must(id); }
  async resume(id: string): Promise<void> { this.record('resume', id); this.must(id); }
  async cancel(id: string): Promise<void> { this.record('cancel', id); this.must(id); }
  async compact(id: string): Promise<void> { this.record('compact', id); this.must(id); }
  async retry(id: string, action: 'now' | 'wait'): Promise<void> { this.record('retry', id, action); this.must(id); }
  async resolveApproval(id: string, approvalId: string, resolution: ApprovalResolution): Promise<void> {
    this.record('resolveApproval', id, approvalId, resolution);
    const s = this.must(id);
    s.snapshot.pendingApprovals = s.snapshot.pendingApprovals.filter((a) => a.id !== approvalId);
  }
  /** What `ask` answers; `askGate` (when set) is awaited first, so a test can cancel mid-answer. */
  askAnswer = 'It is fixing the tests.';
  askGate: Promise<void> | undefined;
  askAborted = false;
  async ask(id: string, question: string, options?: AskOptions): Promise<AskResult> {
    this.record('ask', id, question);
    this.must(id);
    if (!question.trim()) throw new AgentError('bad_request', 'The side question is empty.');
    if (this.askGate) {
      const signal = options?.signal;
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => { this.askAborted = true; reject(new AgentError('cancelled', 'The side question was cancelled.')); }, { once: true });
        void this.askGate?.then(resolve);
      });
    }
    return { answer: this.askAnswer };
  }
  knowledgeResult: SessionKnowledge = { rules: [], skills: [] };
  async knowledge(id: string): Promise<SessionKnowledge> {
    this.record('knowledge', id);
    this.must(id);
    return structuredClone(this.knowledgeResult);
  }
  async dispose(): Promise<void> { this.emitter.dispose(); }
}

/** A KnowledgePort with scripted MCP servers; `change()` fires onDidChange. */
export class FakeKnowledge implements KnowledgePort {
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;
  readonly actions: Array<{ name: string; action: McpActionId }> = [];
  overview: McpOverview = { servers: [], problems: [] };
  diagnostics: SkillDiagnosticInfo[] = [];
  overviewCalls = 0;
  workspaceRules: WorkspaceRulesPort | undefined;
  change(): void { this.emitter.fire(); }
  async mcpOverview(): Promise<McpOverview> { this.overviewCalls++; return structuredClone(this.overview); }
  async mcpAction(name: string, action: McpActionId): Promise<void> {
    if (!this.overview.servers.some((s) => s.name === name)) throw new AgentError('not_found', `No MCP server named "${name}".`);
    this.actions.push({ name, action });
  }
  async skillDiagnostics(): Promise<SkillDiagnosticInfo[]> { return structuredClone(this.diagnostics); }
}

/** A webview: records posted messages; `send` delivers a raw message as the webview would. */
export class FakeWebview implements WebviewPort {
  readonly posted: HostMessage[] = [];
  private readonly listeners = new Set<(m: unknown) => void>();
  private waiters: Array<{ pred: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void; from: number }> = [];

  postMessage(message: HostMessage): PromiseLike<boolean> {
    // Structured clone, like the real postMessage: later mutation must not leak into what was sent.
    this.posted.push(structuredClone(message));
    const idx = this.posted.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (idx >= w.from && w.pred(this.posted[idx]!)) { w.resolve(this.posted[idx]!); return false; }
      return true;
    });
    return Promise.resolve(true);
  }
  onDidReceiveMessage(listener: (m: unknown) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  send(raw: unknown): void { for (const l of this.listeners) l(raw); }

  /** Resolves with the first message (posted at or after index `from`) matching `pred`. */
  waitFor(pred: (m: HostMessage) => boolean, from = 0, timeoutMs = 2000): Promise<HostMessage> {
    const found = this.posted.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting; posted: ${JSON.stringify(this.posted.map((m) => m.kind))}`)), timeoutMs);
      this.waiters.push({ pred, from, resolve: (m) => { clearTimeout(t); resolve(m); } });
    });
  }
  /** Sends a request and waits for its reply. */
  async request(method: string, params: unknown, id = `r${Math.random().toString(36).slice(2)}`): Promise<Extract<HostMessage, { kind: 'reply' }>> {
    const from = this.posted.length;
    this.send({ kind: 'request', id, method, params });
    return await this.waitFor((m) => m.kind === 'reply' && m.id === id, from) as Extract<HostMessage, { kind: 'reply' }>;
  }
  events(sessionId?: string): SessionEvent[] {
    return this.posted.flatMap((m) => (m.kind === 'event' && (sessionId === undefined || m.event.sessionId === sessionId) ? [m.event] : []));
  }
  get listenerCount(): number { return this.listeners.size; }
}

export class FakeServices implements HostServices {
  readonly logger: Logger = nullLogger;
  private readonly hostEmitter = new Emitter<void>();
  readonly onDidChangeHost = this.hostEmitter.event;
  trusted = true;
  readonly opened: string[] = [];
  readonly diffs: PendingApprovalInfo[] = [];
  readonly actions: string[] = [];
  readonly visible = new Map<string, string | null>();
  providerList: ProviderProfileInfo[] = [{ id: 'openai', label: 'OpenAI', kind: 'openai', models: [{ id: 'gpt-test' }], requiresKey: true, hasKey: true }];

  hostInfo(): HostInfo { return { protocolVersion: 1, workspaceTrusted: this.trusted, notices: [] }; }
  fireHostChanged(): void { this.hostEmitter.fire(); }
  async providers(): Promise<ProviderProfileInfo[]> { return this.providerList; }
  newSessionConfig(p: { providerId?: string; model?: string; mode?: SessionConfig['mode'] }): Partial<SessionConfig> {
    return { ...(p.providerId ? { providerId: p.providerId } : {}), ...(p.model ? { model: p.model } : {}), ...(p.mode ? { mode: p.mode } : {}) };
  }
  expandConfigPatch(patch: Partial<SessionConfig>): Partial<SessionConfig> { return { ...patch }; }
  async viewDiff(a: PendingApprovalInfo): Promise<void> { this.diffs.push(a); }
  async openExternal(href: string): Promise<boolean> { this.opened.push(href); return true; }
  async runAction(action: string, providerId?: string): Promise<void> { this.actions.push(`${action}:${providerId ?? ''}`); }
  setVisible(connectionId: string, sessionId: string | null): void { this.visible.set(connectionId, sessionId); }
  forget(connectionId: string): void { this.visible.delete(connectionId); }
}
