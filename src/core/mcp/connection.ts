import { AgentError } from '../base/errors';
import type { ToolResult } from '../tools/types';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { clientCapabilities, installClientRequestHandlers, type McpCallsInFlight } from './client-capabilities';
import { limitedFetch } from './http-limit';
import { classifyHttpError, connectionErrorCode, isJsonRpcErrorAnswer, lossText, type HttpStatusError } from './http-session';
import { ProcessTransport } from './process-transport';
import { mcpResultToText } from './result';
import { loadMcpSdk, type McpSdk } from './sdk';
import { serverEnvironment } from './server-env';
import type { McpCallContext, McpToolListing } from './tool';
import type { McpServerConfig } from './types';

export interface ConnectionOptions {
  /** Initialize + tools/list; also bounds each later tools/list re-fetch. */
  connectTimeoutMs: number;
  /** Largest single message accepted: a stdio line, an HTTP JSON body or one SSE event. */
  maxMessageBytes: number;
  stderrLines: number;
  /**
   * Base environment for stdio servers. Only the SDK's safe default variables of it are passed
   * (src/core/mcp/server-env.ts); the server's own `env` is layered on top.
   */
  env: NodeJS.ProcessEnv;
  /**
   * Called once when the connection ends without close(). `exited`: the process/stream ended
   * (crash, server exit). `lost`: a Streamable HTTP server restarted (forgot the session) or became
   * unreachable; in-flight calls have failed and the server should be re-initialised.
   */
  onUnexpectedClose: (error: AgentError, how: 'exited' | 'lost') => void;
  /** Called after the server announced `notifications/tools/list_changed` and the list was re-fetched. */
  onToolsChanged?: (tools: McpToolListing[]) => void;
  onLog?: (message: string) => void;
  /** The calls in flight on this server: roots/list, elicitation and sampling are answered for them (client-capabilities.ts). */
  calls?: McpCallsInFlight;
}

/** Which wire the connection uses (shown in the status). */
export type McpTransportKind = 'stdio' | 'http' | 'sse';

/** The server did not finish initialize in time: no point trying another transport. */
class ConnectTimeoutError extends AgentError {}

/**
 * A call the server refused because it no longer knows the session (it restarted): the tool
 * never ran, so the manager may send it once more on a new session.
 */
export class McpSessionLostError extends AgentError {}

/** Limits of one tool call. */
export interface CallLimits {
  /** Without a response or a progress notification for this long, the call fails. */
  timeoutMs: number;
  maxResultChars: number;
}

/** How long a ping may take to prove an HTTP server still there after an SSE stream dropped. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * The one place the SDK Client is built (identity and client capabilities). Whatever the client
 * offers the server (roots, sampling, elicitation) is installed here.
 */
/** The SDK client, advertising roots, elicitation and sampling (client-capabilities.ts answers them). */
function createClient(sdk: McpSdk): Client {
  return new sdk.Client({ name: 'agent-sessions', version: '0.1.0' }, { capabilities: clientCapabilities() });
}

function isStatusError(sdk: McpSdk): (e: unknown) => e is HttpStatusError {
  return (e): e is HttpStatusError => e instanceof sdk.StreamableHTTPError;
}

/** One live client connection to one server (already-resolved config). */
export class McpConnection {
  private closing = false;
  /** initialize and the first tools/list succeeded. */
  private established = false;
  private refreshing = false;
  private refreshAgain = false;
  private probing = false;
  /** Is this an HTTP status error of the SDK's Streamable HTTP transport? (set in open) */
  private statusError: (e: unknown) => e is HttpStatusError = (_e): _e is HttpStatusError => false;
  /** Why a Streamable HTTP connection was given up (session lost / unreachable). */
  private lost: { kind: 'session_lost' | 'unreachable'; error: AgentError } | undefined;
  tools: McpToolListing[] = [];

  private constructor(
    private readonly name: string,
    private readonly client: Client,
    private readonly transport: Transport,
    /** Which transport ended up connected (after any SSE fallback). */
    readonly kind: McpTransportKind,
    private readonly opts: ConnectionOptions,
  ) {}

  get pid(): number | undefined { return this.transport instanceof ProcessTransport ? this.transport.pid : undefined; }
  get stderrTail(): string[] { return this.transport instanceof ProcessTransport ? this.transport.stderrTail : []; }
  /** The Streamable HTTP session id (`Mcp-Session-Id`), if the server gave one. */
  get sessionId(): string | undefined { return (this.transport as { sessionId?: string }).sessionId; }

  /** Starts the transport, runs initialize and lists tools, all within `connectTimeoutMs`. */
  static async open(config: McpServerConfig, opts: ConnectionOptions): Promise<McpConnection> {
    const sdk = await loadMcpSdk();
    const attempt = async (transport: Transport, kind: McpTransportKind): Promise<McpConnection> => {
      const client = createClient(sdk);
      installClientRequestHandlers(client, sdk, config.name, opts.calls, opts.onLog);
      const conn = new McpConnection(config.name, client, transport, kind, opts);
      conn.statusError = isStatusError(sdk);
      client.onerror = (e) => {
        opts.onLog?.(`[mcp ${config.name}] ${e.message}`);
        if (kind === 'http' && conn.established && !conn.closing) conn.watchHttpError(e);
        // The old SSE transport's stream broke (server gone or restarted). EventSource would
        // reconnect into a new, uninitialised server session, so every later call would fail:
        // close instead and let the manager restart (re-initialize) with backoff.
        if (kind === 'sse' && conn.established && !conn.closing && e instanceof sdk.SseError) void transport.close().catch(() => undefined);
      };
      // Handled whether or not the server advertised tools.listChanged (some send it anyway).
      client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, () => conn.toolsChanged());
      const timer = new AbortController();
      const t = setTimeout(() => timer.abort(), opts.connectTimeoutMs);
      try {
        await client.connect(transport, { signal: timer.signal, timeout: opts.connectTimeoutMs + 1000 });
        await conn.refreshTools(timer.signal, opts.connectTimeoutMs + 1000);
        conn.established = true;
      } catch (e) {
        const stderr = conn.stderrTail;
        await conn.close();
        if (timer.signal.aborted) {
          throw new ConnectTimeoutError('network', `MCP server "${config.name}" did not finish initialize within ${opts.connectTimeoutMs} ms.`, { retryable: true, hint: stderr.slice(-5).join('\n') || undefined });
        }
        throw new AgentError('network', `MCP server "${config.name}" failed to start: ${e instanceof Error ? e.message : String(e)}`, { retryable: true, cause: e });
      } finally {
        clearTimeout(t);
      }
      client.onclose = () => {
        if (conn.closing) return;
        conn.closing = true;
        const exit = transport instanceof ProcessTransport ? transport.exit : undefined;
        const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'closed the connection';
        opts.onUnexpectedClose(new AgentError('tool_failed', `MCP server "${config.name}" ${how}.`, { retryable: true }), 'exited');
      };
      return conn;
    };

    if (config.type === 'stdio') {
      return attempt(new ProcessTransport({
        command: config.command, args: config.args, cwd: config.cwd, env: serverEnvironment(opts.env, sdk.DEFAULT_INHERITED_ENV_VARS, config.env),
        maxMessageBytes: opts.maxMessageBytes, stderrLines: opts.stderrLines,
        deserialize: sdk.deserializeMessage, serialize: sdk.serializeMessage,
      }), 'stdio');
    }
    const url = new URL(config.url);
    const requestInit = { headers: config.headers };
    // Both HTTP transports read responses through this fetch, which caps each message.
    const fetch = limitedFetch(opts.maxMessageBytes, (m) => opts.onLog?.(`[mcp ${config.name}] ${m}`));
    if (config.type === 'sse') return attempt(new sdk.SSEClientTransport(url, { requestInit, fetch }), 'sse');
    try {
      return await attempt(new sdk.StreamableHTTPClientTransport(url, { requestInit, fetch }), 'http');
    } catch (e) {
      if (e instanceof ConnectTimeoutError) throw e;
      opts.onLog?.(`[mcp ${config.name}] Streamable HTTP failed (${e instanceof Error ? e.message : String(e)}); trying SSE.`);
      try {
        return await attempt(new sdk.SSEClientTransport(url, { requestInit, fetch }), 'sse');
      } catch {
        throw e; // the Streamable HTTP error is the more useful one
      }
    }
  }

  /**
   * A Streamable HTTP transport error after the session was established. A lost session (404) or
   * an unreachable server gives the connection up at once; a dropped SSE stream is checked with a
   * ping first (a proxy may cut an idle stream while the server is fine; the SDK re-opens it).
   */
  private watchHttpError(e: Error): void {
    const kind = classifyHttpError(e, this.statusError, this.sessionId !== undefined);
    if (kind === 'session_lost' || kind === 'unreachable') this.giveUp(kind, connectionErrorCode(e));
    else if (kind === 'stream_dropped') this.probe();
  }

  private probe(): void {
    if (this.probing || this.closing) return;
    this.probing = true;
    this.client.ping({ timeout: PROBE_TIMEOUT_MS }).then(
      () => { this.probing = false; },
      (e: unknown) => {
        this.probing = false;
        if (this.closing) return; // the ping's own transport error already gave up
        if (isJsonRpcErrorAnswer(e, this.statusError)) return; // it answered (with an error): alive
        const kind = classifyHttpError(e, this.statusError, this.sessionId !== undefined);
        this.giveUp(kind === 'session_lost' ? 'session_lost' : 'unreachable', connectionErrorCode(e) ?? (e instanceof Error ? e.message : String(e)).slice(0, 200));
      },
    );
  }

  /**
   * Gives the HTTP connection up: every in-flight call fails at once (closing the client rejects
   * them) and the manager re-initialises. The close waits one macrotask so a request whose own
   * POST was refused for the lost session sees that error (and may be retried) rather than
   * "connection closed".
   */
  private giveUp(kind: 'session_lost' | 'unreachable', detail?: string): void {
    if (this.closing) return;
    this.closing = true;
    const error = new AgentError('network', `MCP server "${this.name}" ${lossText(kind, detail)}.`, { retryable: true });
    this.lost = { kind, error };
    this.opts.onLog?.(`[mcp ${this.name}] ${error.message} Re-initialising.`);
    setImmediate(() => {
      void this.client.close().catch(() => undefined);
      this.opts.onUnexpectedClose(error, 'lost');
    });
  }

  /**
   * `notifications/tools/list_changed`: re-fetch the list, then tell the manager. Announcements
   * that arrive during a re-fetch are coalesced into one more re-fetch after it.
   */
  private toolsChanged(): void {
    if (this.closing) return;
    if (this.refreshing) { this.refreshAgain = true; return; }
    this.refreshing = true;
    void (async () => {
      do {
        this.refreshAgain = false;
        try {
          const tools = await this.refreshTools(undefined, this.opts.connectTimeoutMs);
          if (!this.closing) this.opts.onToolsChanged?.(tools);
        } catch (e) {
          // Keep the previous list; the next announcement (or a restart) tries again.
          this.opts.onLog?.(`[mcp ${this.name}] re-listing tools after list_changed failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      } while (this.refreshAgain && !this.closing);
      this.refreshing = false;
    })();
  }

  /** Re-lists tools (all pages). */
  async refreshTools(signal?: AbortSignal, timeout?: number): Promise<McpToolListing[]> {
    const out: McpToolListing[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : {}, { signal, timeout });
      for (const t of page.tools) out.push({ name: t.name, description: t.description, inputSchema: t.inputSchema as McpToolListing['inputSchema'], annotations: t.annotations });
      cursor = page.nextCursor;
    } while (cursor && out.length < 10_000);
    this.tools = out;
    return out;
  }

  /**
   * Calls a tool. A progress token is always sent; each progress notification goes to
   * `call.onProgress` and restarts the timeout (ours and the SDK's). Cancellation (the caller's
   * signal) throws AgentError('cancelled'); a request the server refused because it forgot the
   * session throws {@link McpSessionLostError} (the tool never ran); timeouts, a crashed or lost
   * server and server errors return an error result written for the model.
   */
  async call(tool: string, args: Record<string, unknown>, call: McpCallContext, limits: CallLimits): Promise<ToolResult> {
    const { signal } = call;
    const { timeoutMs } = limits;
    const timeout = new AbortController();
    let timer = setTimeout(() => timeout.abort(), timeoutMs);
    let progressed = false;
    const onprogress = (p: { progress: number; total?: number; message?: string }): void => {
      progressed = true;
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(), timeoutMs);
      try {
        call.onProgress?.({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) });
      } catch (e) {
        this.opts.onLog?.(`[mcp ${this.name}] progress listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    try {
      const result = await this.client.callTool({ name: tool, arguments: args }, undefined, {
        signal: AbortSignal.any([signal, timeout.signal]), timeout: timeoutMs + 1000, resetTimeoutOnProgress: true, onprogress,
      });
      return { content: mcpResultToText(result as { content?: unknown; structuredContent?: unknown }, limits.maxResultChars), ...(result.isError ? { isError: true } : {}) };
    } catch (e) {
      if (signal.aborted) throw new AgentError('cancelled', `MCP call ${this.name}/${tool} was cancelled.`, { cause: e });
      if (timeout.signal.aborted) return { content: `MCP tool ${this.name}/${tool} timed out after ${timeoutMs} ms${progressed ? ' without progress' : ''}.`, isError: true };
      if (this.lost) {
        const { kind, error } = this.lost;
        // This request's own POST was answered "unknown session": the server never ran it.
        if (kind === 'session_lost' && !progressed && classifyHttpError(e, this.statusError, true) === 'session_lost') {
          throw new McpSessionLostError('network', `${error.message} The call to ${tool} was refused before it ran.`, { retryable: true, cause: e });
        }
        return { content: `${error.message.replace(/\.$/, '')} while ${tool} was running; the call did not finish (it may have partly run). The connection is being re-established: call it again.`, isError: true };
      }
      if (this.closing) {
        const tail = this.stderrTail.slice(-10).join('\n');
        return { content: `MCP server "${this.name}" stopped while ${tool} was running; the call failed.${tail ? `\nLast server output:\n${tail}` : ''}`, isError: true };
      }
      return { content: `MCP tool ${this.name}/${tool} failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 4000), isError: true };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the client and (for stdio) kills the process group; resolves when it is gone. */
  async close(): Promise<void> {
    this.closing = true;
    try { await this.client.close(); } catch { /* already closed */ }
    await this.transport.close().catch(() => undefined);
  }

  /** Synchronous best-effort kill (window close). */
  killNow(): void {
    this.closing = true;
    if (this.transport instanceof ProcessTransport) this.transport.killNow();
    else void this.transport.close().catch(() => undefined);
  }
}
