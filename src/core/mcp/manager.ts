import { Disposable } from '../base/disposable';
import { Emitter, type Event } from '../base/emitter';
import { AgentError, toAgentError } from '../base/errors';
import { nullLogger, type Logger } from '../ports';
import type { WorkspaceTrust } from '../skills/workspace-ports';
import type { AnyTool, ToolResult } from '../tools/types';
import { configHash, readWorkspaceConfigs, resolveServerConfig, type McpConfigDiagnostic } from './config';
import { McpConnection, McpSessionLostError, type CallLimits } from './connection';
import { McpCallsInFlight } from './client-capabilities';
import { createResourceTools, type ResourceServer } from './resources';
import { listPrompts, promptText } from './prompts';
import type { McpPromptInfo } from '../../shared/protocol';
import { createMcpTool, type McpCallContext, type McpToolCaller } from './tool';
import type { McpApprovalPort, McpApprovalStore, McpConfigSource, McpInputDefinition, McpInputResolver, McpServerConfig, McpServerInfo, McpServerStatus } from './types';

export interface McpBackoff {
  /** First retry delay, ms. Default 1000; doubles per attempt. */
  initialMs: number;
  /** Largest delay, ms. Default 30 000. */
  maxMs: number;
  /** Restarts after which the server stays failed until restarted by hand. Default 5. */
  maxAttempts: number;
  /** A connection that lived this long resets the attempt count. Default 30 000 ms. */
  stableMs: number;
}

export interface McpManagerOptions {
  workspaceRoot: string;
  trust: WorkspaceTrust;
  approval: McpApprovalPort;
  approvalStore: McpApprovalStore;
  inputs?: McpInputResolver;
  logger?: Logger;
  /** Base environment for stdio servers. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per call, ms. Default 60 000 (a server entry's `timeout` overrides it). */
  callTimeoutMs?: number;
  /** Spawn + initialize + tools/list, ms. Default 30 000. */
  connectTimeoutMs?: number;
  /** Characters of a result the model sees. Default 100 000. */
  maxResultChars?: number;
  /** Largest single message accepted (a stdio line, an HTTP JSON body, one SSE event), bytes. Default 16 MiB. */
  maxMessageBytes?: number;
  backoff?: Partial<McpBackoff>;
  /**
   * The config source approvals are keyed by (default: the server's own). A manager for a
   * session's worktree maps the worktree's `.mcp.json` to the workspace's, so the user's answer
   * for a server holds for the same server in every worktree of the repository (a changed
   * command, folder or environment still asks again: the rest of the key is the config hash).
   */
  approvalSource?: (source: McpConfigSource) => McpConfigSource;
  /**
   * Approval dialogs in flight, by approval key. Managers that share an approval store share
   * this map too, so one dialog answers all of them instead of one dialog each.
   */
  approvalsInFlight?: Map<string, Promise<boolean>>;
  /** The folders roots/list answers when no session's call is in flight. Default: `[workspaceRoot]`. */
  roots?: readonly string[];
}

interface Entry {
  config: McpServerConfig;
  status: McpServerStatus;
  conn?: McpConnection;
  tools: AnyTool[];
  /** Bumped on every start/stop; a start that finds a newer generation discards its result. */
  generation: number;
  attempts: number;
  connectedAt?: number;
  /** JSON of the listing the current tools were built from (skips no-op list_changed). */
  listing?: string;
  retryTimer?: NodeJS.Timeout;
  disabled: boolean;
  /** Set while re-initialising an HTTP server that was lost (restart, network): why it was lost. */
  lostError?: AgentError;
}

/**
 * Runs the configured MCP servers and exposes their tools as `mcp__<server>__<tool>`.
 * Workspace-defined servers never start in an untrusted workspace and, when trusted, start only
 * after the user approved that exact command (asked once per config hash). Crashed servers fail
 * their in-flight calls at once and restart with bounded exponential backoff.
 */
/**
 * What the start dialog shows: everything the approval covers (src/core/mcp/config.ts configHash),
 * so an added `NODE_OPTIONS=--require …` or a changed folder is visible before it runs. Header
 * values are left out (they often hold a token); their names are shown.
 */
export function approvalSummary(c: McpServerConfig): string {
  if (c.type !== 'stdio') {
    const headers = Object.keys(c.headers);
    return `${c.type} ${c.url}${headers.length > 0 ? ` (headers: ${headers.join(', ')})` : ''}`;
  }
  const env = Object.entries(c.env).map(([k, v]) => `${k}=${v}`);
  return [...env, c.command, ...c.args].join(' ').trim() + (c.cwd ? ` (in ${c.cwd})` : '');
}

export class McpManager extends Disposable implements McpToolCaller {
  private readonly entries = new Map<string, Entry>();
  /** Per server: the calls in flight (server requests are answered for the most recent one). */
  private readonly inFlight = new Map<string, McpCallsInFlight>();
  private inputs: McpInputDefinition[] = [];
  private readonly pendingApprovals: Map<string, Promise<boolean>>;
  private readonly logger: Logger;
  private readonly backoff: McpBackoff;
  private readonly _onDidChangeStatus = this._register(new Emitter<{ name: string; status: McpServerStatus }>());
  private readonly _onDidChangeTools = this._register(new Emitter<void>());
  /** Fires on every status change of any server. */
  readonly onDidChangeStatus: Event<{ name: string; status: McpServerStatus }> = this._onDidChangeStatus.event;
  /** Fires when the set of MCP tools changed (connect, crash, remove, …): re-read `tools()`. */
  readonly onDidChangeTools: Event<void> = this._onDidChangeTools.event;

  constructor(private readonly options: McpManagerOptions) {
    super();
    this.logger = options.logger ?? nullLogger;
    this.pendingApprovals = options.approvalsInFlight ?? new Map<string, Promise<boolean>>();
    this.backoff = { initialMs: 1000, maxMs: 30_000, maxAttempts: 5, stableMs: 30_000, ...options.backoff };
    this._register(options.trust.onDidChangeTrust(() => {
      for (const e of this.entries.values()) if (e.config.source.scope === 'workspace') void this.restartEntry(e);
    }));
  }

  /** Reads .vscode/mcp.json and .mcp.json, adds `extra` (settings), and applies the result. */
  async loadWorkspaceConfig(extra: readonly McpServerConfig[] = []): Promise<McpConfigDiagnostic[]> {
    const parsed = await readWorkspaceConfigs(this.options.workspaceRoot);
    const names = new Set(parsed.servers.map((s) => s.name));
    await this.setServers([...parsed.servers, ...extra.filter((s) => !names.has(s.name))], parsed.inputs);
    for (const d of parsed.diagnostics) this.logger.warn(`[mcp] ${d.path}: ${d.message}`);
    return parsed.diagnostics;
  }

  /** Replaces the configured set: removed servers stop, changed ones restart, unchanged ones keep running. */
  async setServers(configs: readonly McpServerConfig[], inputs: readonly McpInputDefinition[] = []): Promise<void> {
    this.inputs = [...inputs];
    const wanted = new Map(configs.map((c) => [c.name, c]));
    await Promise.all([...this.entries.keys()].filter((n) => !wanted.has(n)).map((n) => this.remove(n)));
    await Promise.all([...wanted.values()].map((c) => {
      const e = this.entries.get(c.name);
      if (e && JSON.stringify(e.config) === JSON.stringify(c)) return Promise.resolve();
      return this.add(c);
    }));
  }

  /** Adds (or replaces) a server and starts it unless disabled/blocked. */
  async add(config: McpServerConfig): Promise<void> {
    const old = this.entries.get(config.name);
    if (old) await this.stopEntry(old);
    const e: Entry = { config, status: { state: 'stopped' }, tools: [], generation: 0, attempts: 0, disabled: config.disabled === true };
    this.entries.set(config.name, e);
    await this.startEntry(e);
  }

  async remove(name: string): Promise<void> {
    const e = this.entries.get(name);
    if (!e) return;
    this.entries.delete(name);
    await this.stopEntry(e);
    this._onDidChangeStatus.fire({ name, status: { state: 'stopped' } });
  }

  /** Stops and starts again; resets the backoff (a manual restart also re-checks approval). */
  async restart(name: string): Promise<void> {
    const e = this.require(name);
    e.attempts = 0;
    await this.restartEntry(e);
  }

  async enable(name: string): Promise<void> { const e = this.require(name); e.disabled = false; await this.restartEntry(e); }
  async disable(name: string): Promise<void> { const e = this.require(name); e.disabled = true; await this.stopEntry(e); this.setStatus(e, { state: 'disabled' }); }

  /** Every configured server with its source, status and tool names. */
  list(): McpServerInfo[] {
    return [...this.entries.values()].map((e) => ({ name: e.config.name, type: e.config.type, source: e.config.source, status: e.status, tools: e.tools.map((t) => t.name) }));
  }

  status(name: string): McpServerStatus | undefined { return this.entries.get(name)?.status; }

  /** The configuration of a server as given (unresolved), if it is configured. */
  config(name: string): McpServerConfig | undefined { return this.entries.get(name)?.config; }

  /** Tools of connected servers, minus servers disabled for the calling session (plus the resource tools while a server has resources). */
  tools(disabledForSession: ReadonlySet<string> = new Set()): AnyTool[] {
    const tools = [...this.entries.values()].filter((e) => !disabledForSession.has(e.config.name)).flatMap((e) => e.tools);
    return this.withServers('resources', disabledForSession).length > 0 ? [...tools, ...this.resourceToolsFor(disabledForSession)] : tools;
  }

  /** Connected servers that advertise `capability`, minus the session's disabled ones. */
  private withServers(capability: 'resources' | 'prompts', disabled: ReadonlySet<string> = new Set()): ResourceServer[] {
    return [...this.entries.values()].flatMap((e) => {
      const client = e.conn ? this.inFlight.get(e.config.name)?.client : undefined;
      return client && !disabled.has(e.config.name) && client.getServerCapabilities()?.[capability] ? [{ name: e.config.name, client }] : [];
    });
  }

  private readonly resourceTools = new Map<string, AnyTool[]>();
  private resourceToolsFor(disabled: ReadonlySet<string>): AnyTool[] {
    const key = [...disabled].sort().join('\0');
    let tools = this.resourceTools.get(key);
    if (!tools) {
      if (this.resourceTools.size > 20) this.resourceTools.clear();
      tools = createResourceTools({ resourceServers: () => this.withServers('resources', disabled), callTimeoutMs: (n) => this.callTimeout(n) });
      this.resourceTools.set(key, tools);
    }
    return tools;
  }

  private callTimeout(server: string): number { return this.entries.get(server)?.config.callTimeoutMs ?? this.options.callTimeoutMs ?? 60_000; }

  /** Prompts of the connected servers with the prompts capability (a server that fails to list is skipped and logged). */
  async prompts(disabledForSession: ReadonlySet<string> = new Set()): Promise<McpPromptInfo[]> {
    const lists = await Promise.all(this.withServers('prompts', disabledForSession).map((s) => listPrompts(s.name, s.client, this.callTimeout(s.name)).catch((e: unknown) => {
      this.logger.warn(`[mcp] ${s.name}: prompts/list failed: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    })));
    return lists.flat();
  }

  /** One prompt of `server` with its arguments filled in, as text (not_found when the server has no prompts now). */
  async prompt(server: string, name: string, args: Record<string, string>): Promise<string> {
    const s = this.withServers('prompts').find((x) => x.name === server);
    if (!s) throw new AgentError('not_found', `MCP server "${server}" is not connected or offers no prompts.`);
    try {
      return await promptText(s.client, name, args, this.callTimeout(server));
    } catch (e) {
      throw new AgentError('tool_failed', `MCP prompt ${server}/${name} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** Pid of a connected stdio server (diagnostics and tests). */
  pid(name: string): number | undefined { return this.entries.get(name)?.conn?.pid; }

  /** The Streamable HTTP session id of a connected server (diagnostics and tests). */
  sessionId(name: string): string | undefined { return this.entries.get(name)?.conn?.sessionId; }

  /**
   * Calls a tool on a connected server. When the server refused the call because it forgot the
   * session (it restarted between calls), the server is re-initialised and the call sent once
   * more; a second refusal, or no new session within the connect timeout, returns a clear error.
   */
  async callTool(server: string, tool: string, args: Record<string, unknown>, call: McpCallContext): Promise<ToolResult> {
    const e = this.entries.get(server);
    const first = e?.conn;
    if (!e || !first) return this.notConnected(server, e);
    const leave = this.callsOf(server).enter(call);
    const limits = { timeoutMs: e.config.callTimeoutMs ?? this.options.callTimeoutMs ?? 60_000, maxResultChars: this.options.maxResultChars ?? 100_000 };
    try {
      return await first.call(tool, args, call, limits);
    } catch (err) {
      if (!(err instanceof McpSessionLostError)) throw err;
      return await this.callAgain(e, first, tool, args, call, limits, err);
    } finally {
      leave();
    }
  }

  /** A call the server refused for a lost session (it never ran): once more on the re-initialised connection. */
  private async callAgain(e: Entry, first: McpConnection, tool: string, args: Record<string, unknown>, call: McpCallContext, limits: CallLimits, err: McpSessionLostError): Promise<ToolResult> {
    const conn = await this.waitConnected(e, first, (this.options.connectTimeoutMs ?? 30_000) + 1000, call.signal);
    if (!conn) return { content: `${err.message} Re-initialising the server did not succeed yet (${e.status.state}); call it again later.`, isError: true };
    try {
      return await conn.call(tool, args, call, limits);
    } catch (again) {
      if (!(again instanceof McpSessionLostError)) throw again;
      return { content: `${again.message} (also right after re-initialising); call it again in a moment.`, isError: true };
    }
  }

  private notConnected(server: string, e: Entry | undefined): ToolResult {
    const s = e?.status;
    if (s?.state === 'reconnecting') {
      return { content: `MCP server "${server}" is reconnecting (attempt ${s.attempt} of ${s.maxAttempts}: ${s.error.message}); call it again in a moment.`, isError: true };
    }
    return { content: `MCP server "${server}" is not connected (${s?.state ?? 'removed'}); try again after it restarts.`, isError: true };
  }

  /** The entry's next connection (not `old`) once connected; undefined when it failed, stopped or took too long. */
  private waitConnected(e: Entry, old: McpConnection, timeoutMs: number, signal: AbortSignal): Promise<McpConnection | undefined> {
    return new Promise((resolve, reject) => {
      const done = (v: McpConnection | undefined, error?: AgentError): void => {
        clearTimeout(t); d.dispose(); signal.removeEventListener('abort', onAbort);
        if (error) reject(error); else resolve(v);
      };
      const check = (): void => {
        if (this.entries.get(e.config.name) !== e) done(undefined);
        else if (e.conn === old) return; // the loss is not processed yet
        else if (e.status.state === 'connected' && e.conn) done(e.conn);
        else if (e.status.state !== 'reconnecting' && e.status.state !== 'starting') done(undefined);
      };
      const onAbort = (): void => done(undefined, new AgentError('cancelled', `MCP call to "${e.config.name}" was cancelled.`));
      const t = setTimeout(() => done(undefined), timeoutMs);
      const d = this._onDidChangeStatus.event((ev) => { if (ev.name === e.config.name) check(); });
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort(); else check();
    });
  }

  /** The calls in flight on `server` (kept across its restarts). */
  private callsOf(server: string): McpCallsInFlight {
    let calls = this.inFlight.get(server);
    if (!calls) {
      calls = new McpCallsInFlight(() => this.options.roots ?? (this.options.workspaceRoot ? [this.options.workspaceRoot] : []));
      this.inFlight.set(server, calls);
    }
    return calls;
  }

  /** Stops every server and waits until their processes are gone. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.stopEntry(e)));
  }

  /** Synchronous: kills every server process group (window close). Prefer `shutdown()` when you can await. */
  override dispose(): void {
    for (const e of this.entries.values()) {
      e.generation++;
      clearTimeout(e.retryTimer);
      e.conn?.killNow();
      e.conn = undefined;
    }
    super.dispose();
  }

  private require(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new AgentError('not_found', `No MCP server named "${name}".`);
    return e;
  }

  private setStatus(e: Entry, status: McpServerStatus): void {
    e.status = status;
    if (this.entries.get(e.config.name) === e) this._onDidChangeStatus.fire({ name: e.config.name, status });
  }

  private setTools(e: Entry, tools: AnyTool[]): void {
    if (e.tools.length === 0 && tools.length === 0) return;
    e.tools = tools;
    this._onDidChangeTools.fire();
  }

  private async restartEntry(e: Entry): Promise<void> {
    await this.stopEntry(e);
    await this.startEntry(e);
  }

  private async stopEntry(e: Entry): Promise<void> {
    e.generation++;
    e.lostError = undefined;
    clearTimeout(e.retryTimer);
    const conn = e.conn;
    e.conn = undefined;
    this.setTools(e, []);
    if (conn) await conn.close();
  }

  /** Is this server allowed to start? Sets the blocked status when not. */
  private async mayStart(e: Entry): Promise<boolean> {
    if (e.config.source.scope !== 'workspace') return true;
    if (!this.options.trust.isTrusted()) {
      this.setStatus(e, { state: 'blocked', reason: 'untrusted', message: 'Workspace MCP servers do not start in an untrusted workspace.' });
      return false;
    }
    const keyed = this.options.approvalSource ? { ...e.config, source: this.options.approvalSource(e.config.source) } : e.config;
    const key = `mcp-approval:${e.config.name}:${configHash(keyed)}`;
    let answer = this.options.approvalStore.get(key);
    if (answer === undefined) {
      let pending = this.pendingApprovals.get(key);
      if (!pending) {
        const c = e.config;
        const summary = approvalSummary(c);
        pending = this.options.approval.confirmStart({ name: c.name, source: c.source, summary })
          .then(async (ok) => { await this.options.approvalStore.set(key, ok); return ok; })
          .finally(() => this.pendingApprovals.delete(key));
        this.pendingApprovals.set(key, pending);
      }
      answer = await pending;
    }
    if (!answer) this.setStatus(e, { state: 'blocked', reason: 'not_approved', message: 'Starting this workspace MCP server was not approved.' });
    return answer;
  }

  private async startEntry(e: Entry): Promise<void> {
    if (this._store.isDisposed) return; // disposed: nothing starts any more (a reload may still be settling)
    if (e.disabled) { this.setStatus(e, { state: 'disabled' }); return; }
    const gen = ++e.generation;
    if (!(await this.mayStart(e)) || gen !== e.generation || this._store.isDisposed) return;
    this.setStatus(e, e.lostError
      ? { state: 'reconnecting', attempt: e.attempts, maxAttempts: this.backoff.maxAttempts, error: e.lostError.toJSON() }
      : { state: 'starting', attempt: e.attempts + 1 });
    let conn: McpConnection | undefined;
    try {
      const resolved = await resolveServerConfig(e.config, { workspaceRoot: this.options.workspaceRoot, env: this.options.env ?? process.env, inputs: this.inputs, resolver: this.options.inputs });
      conn = await McpConnection.open(resolved, {
        connectTimeoutMs: this.options.connectTimeoutMs ?? 30_000,
        maxMessageBytes: this.options.maxMessageBytes ?? 16 * 1024 * 1024,
        stderrLines: 40,
        env: this.options.env ?? process.env,
        onLog: (m) => this.logger.debug(m),
        calls: this.callsOf(e.config.name),
        onToolsChanged: () => { if (conn && gen === e.generation && e.conn === conn) this.applyTools(e, conn); },
        onUnexpectedClose: (err, how) => {
          if (gen !== e.generation) return;
          const tail = conn?.stderrTail ?? [];
          e.conn = undefined;
          if (e.connectedAt !== undefined && Date.now() - e.connectedAt >= this.backoff.stableMs) e.attempts = 0;
          this.logger.warn(`[mcp] ${err.message}`);
          if (how === 'lost') {
            // Tools stay listed while it re-initialises (a call meanwhile is told to call again).
            e.lostError = err;
            this.fail(e, err, tail);
            return;
          }
          this.setTools(e, []);
          this.fail(e, err, tail);
        },
      });
    } catch (err) {
      if (gen !== e.generation) return;
      this.fail(e, toAgentError(err, 'network'), []);
      return;
    }
    if (gen !== e.generation || this._store.isDisposed) { await conn.close(); return; }
    e.conn = conn;
    e.lostError = undefined;
    e.connectedAt = Date.now();
    e.listing = undefined;
    this.applyTools(e, conn);
  }

  /** (Re)builds a connected server's tools from its listing; on connect and after list_changed. */
  private applyTools(e: Entry, conn: McpConnection): void {
    const listing = JSON.stringify(conn.tools);
    if (listing === e.listing) return; // a list_changed that changed nothing
    e.listing = listing;
    const taken = new Set([...this.entries.values()].filter((o) => o !== e).flatMap((o) => o.tools.map((t) => t.name)));
    const tools = conn.tools.map((t) => {
      let tool = createMcpTool(e.config.name, t, this);
      for (let i = 2; taken.has(tool.name); i++) tool = createMcpTool(e.config.name, t, this, `${tool.name.slice(0, 60)}_${i}`);
      taken.add(tool.name);
      return tool;
    });
    this.setTools(e, tools);
    this.setStatus(e, { state: 'connected', toolCount: tools.length, transport: conn.kind, ...(conn.pid !== undefined ? { pid: conn.pid } : {}) });
  }

  /**
   * A start failed or a connection ended: schedule the next attempt with exponential backoff, or
   * give up after `maxAttempts`. A lost HTTP server (`e.lostError`) shows `reconnecting`; its
   * first re-initialisation runs at once (a restarted server is usually back already).
   */
  private fail(e: Entry, error: AgentError, stderrTail: string[]): void {
    e.attempts++;
    const canRetry = e.attempts <= this.backoff.maxAttempts;
    if (e.lostError) {
      if (canRetry) {
        const delay = e.attempts === 1 ? 0 : Math.min(this.backoff.initialMs * 2 ** (e.attempts - 2), this.backoff.maxMs);
        this.setStatus(e, { state: 'reconnecting', attempt: e.attempts, maxAttempts: this.backoff.maxAttempts, error: error.toJSON(), ...(delay > 0 ? { retryInMs: delay } : {}) });
        const gen = e.generation;
        e.retryTimer = setTimeout(() => { if (gen === e.generation) void this.startEntry(e); }, delay);
        return;
      }
      e.lostError = undefined;
      this.setTools(e, []);
    }
    const delay = Math.min(this.backoff.initialMs * 2 ** (e.attempts - 1), this.backoff.maxMs);
    this.setStatus(e, { state: 'failed', error: error.toJSON(), stderrTail: stderrTail.slice(-40), attempts: e.attempts, ...(canRetry ? { restartInMs: delay } : {}) });
    if (!canRetry) return;
    const gen = e.generation;
    e.retryTimer = setTimeout(() => { if (gen === e.generation) void this.startEntry(e); }, delay);
  }
}
