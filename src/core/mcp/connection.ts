import { AgentError } from '../base/errors';
import type { ToolResult } from '../tools/types';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { clientCapabilities, installClientRequestHandlers, type McpCallsInFlight } from './client-capabilities';
import { limitedFetch } from './http-limit';
import { ProcessTransport } from './process-transport';
import { mcpResultToText } from './result';
import { loadMcpSdk } from './sdk';
import type { McpToolListing } from './tool';
import type { McpServerConfig } from './types';

export interface ConnectionOptions {
  /** Initialize + tools/list; also bounds each later tools/list re-fetch. */
  connectTimeoutMs: number;
  /** Largest single message accepted: a stdio line, an HTTP JSON body or one SSE event. */
  maxMessageBytes: number;
  stderrLines: number;
  /** Base environment for stdio servers (the server's own `env` is layered on top). */
  env: NodeJS.ProcessEnv;
  /** Called once when the connection ends without close() (crash, server exit, network). */
  onUnexpectedClose: (error: AgentError) => void;
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

/** One live client connection to one server (already-resolved config). */
export class McpConnection {
  private closing = false;
  /** initialize and the first tools/list succeeded. */
  private established = false;
  private refreshing = false;
  private refreshAgain = false;
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

  /** Starts the transport, runs initialize and lists tools, all within `connectTimeoutMs`. */
  static async open(config: McpServerConfig, opts: ConnectionOptions): Promise<McpConnection> {
    const sdk = await loadMcpSdk();
    const attempt = async (transport: Transport, kind: McpTransportKind): Promise<McpConnection> => {
      const client = new sdk.Client({ name: 'agent-sessions', version: '0.1.0' }, { capabilities: clientCapabilities() });
      installClientRequestHandlers(client, sdk, config.name, opts.calls, opts.onLog);
      const conn = new McpConnection(config.name, client, transport, kind, opts);
      client.onerror = (e) => {
        opts.onLog?.(`[mcp ${config.name}] ${e.message}`);
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
        opts.onUnexpectedClose(new AgentError('tool_failed', `MCP server "${config.name}" ${how}.`, { retryable: true }));
      };
      return conn;
    };

    if (config.type === 'stdio') {
      return attempt(new ProcessTransport({
        command: config.command, args: config.args, cwd: config.cwd, env: { ...opts.env, ...config.env },
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
   * Calls a tool. Cancellation (the caller's signal) throws AgentError('cancelled'); timeouts,
   * a crashed server and server errors return an error result written for the model.
   */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number, maxResultChars: number): Promise<ToolResult> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const result = await this.client.callTool({ name: tool, arguments: args }, undefined, {
        signal: AbortSignal.any([signal, timeout.signal]), timeout: timeoutMs + 1000,
      });
      return { content: mcpResultToText(result as { content?: unknown; structuredContent?: unknown }, maxResultChars), ...(result.isError ? { isError: true } : {}) };
    } catch (e) {
      if (signal.aborted) throw new AgentError('cancelled', `MCP call ${this.name}/${tool} was cancelled.`, { cause: e });
      if (timeout.signal.aborted) return { content: `MCP tool ${this.name}/${tool} timed out after ${timeoutMs} ms.`, isError: true };
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
