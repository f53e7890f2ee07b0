/**
 * Our side of the MCP requests a server sends to the client: `roots/list`, `elicitation/create`
 * and `sampling/createMessage`. A server asks while one of its tools runs, so each request is
 * routed to the call in flight on that connection (the most recent one when several run): its
 * session's folders answer roots/list, its session's handlers (McpCallContext.serverRequests)
 * answer elicitation and sampling. With no call in flight the manager's workspace roots answer,
 * and questions are declined with a message saying why.
 */
import { pathToFileURL } from 'node:url';
import { basename } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitValue } from '../../shared/knowledge-types';
import type { SampleRequest } from '../tools/types';
import type { McpSdk } from './sdk';
import type { McpCallContext } from './tool';
import { elicitContentProblem, elicitSchemaProblem } from './elicitation-schema';

/** What we advertise in `initialize`: roots (with list_changed), form-mode elicitation, sampling. */
export function clientCapabilities(): ClientCapabilities {
  return { roots: { listChanged: true }, elicitation: { form: {} }, sampling: {} };
}

/** The JSON-RPC error code servers get for a refused sampling request (the spec's example uses -1). */
const REFUSED = -1;
/** Longest text of one sampling message shown and sent, characters. */
const MAX_SAMPLING_TEXT = 100_000;

/**
 * The calls in flight on one server's connection, and the folders to answer when none is. The
 * manager keeps one per server (it survives restarts) and enters each tool call into it.
 */
export class McpCallsInFlight {
  private readonly calls: McpCallContext[] = [];
  private announced: string | undefined;
  private notify: (() => void) | undefined;
  /** The live connection's client (resources and prompts use it while the server is connected). */
  client: Client | undefined;

  constructor(private readonly fallbackRoots: () => readonly string[]) {}

  /** Registers a running call; the returned function removes it (call it when the call settles). */
  enter(call: McpCallContext): () => void {
    this.calls.push(call);
    this.rootsMayHaveChanged();
    return () => {
      const i = this.calls.indexOf(call);
      if (i >= 0) this.calls.splice(i, 1);
    };
  }

  /** The most recent call still in flight, if any. */
  current(): McpCallContext | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) if (!this.calls[i].signal.aborted) return this.calls[i];
    return undefined;
  }

  /** The folders roots/list answers now: the current call's session's, else the workspace's. */
  roots(): readonly string[] {
    const roots = this.current()?.roots;
    return roots && roots.length > 0 ? roots : this.fallbackRoots();
  }

  /** A connection attaches its `roots/list_changed` sender; a new connection replaces the old one. */
  attach(notify: () => void): void { this.notify = notify; this.announced = undefined; }

  /** Records what roots/list answered (list_changed is sent when later calls would answer otherwise). */
  answered(roots: readonly string[]): void { this.announced = JSON.stringify(roots); }

  private rootsMayHaveChanged(): void {
    if (this.announced === undefined || !this.notify) return;
    if (JSON.stringify(this.roots()) !== this.announced) this.notify();
  }
}

/** An MCP root for a folder: a file:// URI and the folder's name. */
export function rootOf(folder: string): { uri: string; name: string } {
  return { uri: pathToFileURL(folder).href, name: basename(folder) || folder };
}

/** Installs the roots, elicitation and sampling handlers on a client (before it connects). */
export function installClientRequestHandlers(client: Client, sdk: McpSdk, server: string, given: McpCallsInFlight | undefined, log?: (m: string) => void): void {
  const calls = given ?? new McpCallsInFlight(() => []);
  calls.client = client;
  calls.attach(() => { void client.sendRootsListChanged().catch((e: unknown) => log?.(`[mcp ${server}] roots/list_changed failed: ${String(e)}`)); });

  client.setRequestHandler(sdk.ListRootsRequestSchema, () => {
    const roots = calls.roots();
    calls.answered(roots);
    return { roots: roots.map(rootOf) };
  });

  client.setRequestHandler(sdk.ElicitRequestSchema, async (request, extra) => {
    const parsed = sdk.ElicitRequestSchema.safeParse(request);
    if (!parsed.success) throw new sdk.McpError(-32602, `Invalid elicitation request: ${parsed.error.message}`);
    const params = parsed.data.params;
    if (params.mode === 'url') throw new sdk.McpError(-32602, 'This client supports form-mode elicitation only.');
    const call = calls.current();
    if (!call?.serverRequests) {
      log?.(`[mcp ${server}] declined an elicitation request: no tool call of this server is running, so there is no session to ask.`);
      return { action: 'decline' as const };
    }
    const schema = params.requestedSchema as Record<string, unknown>;
    const problem = elicitSchemaProblem(schema);
    if (problem) throw new sdk.McpError(-32602, `Invalid elicitation request: ${problem}.`);
    const answer = await call.serverRequests.elicit({ server, message: params.message, schema }, AbortSignal.any([call.signal, extra.signal]));
    if (answer.action !== 'accept') return { action: answer.action };
    const content: Record<string, ElicitValue> = answer.content ?? {};
    const bad = elicitContentProblem(schema, content);
    // The session validated the answer already; a mismatch here is a bug, not the user's.
    if (bad) throw new sdk.McpError(-32603, `The answer did not fit the requested schema: ${bad}`);
    return { action: 'accept' as const, content };
  });

  client.setRequestHandler(sdk.CreateMessageRequestSchema, async (request, extra) => {
    const parsed = sdk.CreateMessageRequestSchema.safeParse(request);
    if (!parsed.success) throw new sdk.McpError(-32602, `Invalid sampling request: ${parsed.error.message}`);
    const p = parsed.data.params;
    const call = calls.current();
    if (!call?.serverRequests) {
      log?.(`[mcp ${server}] declined a sampling request: no tool call of this server is running.`);
      throw new sdk.McpError(REFUSED, 'Sampling is only available while one of this server\'s tools runs for a session; the request was declined.');
    }
    if (p.tools || p.toolChoice) throw new sdk.McpError(-32602, 'This client does not support tool use in sampling requests.');
    const req: SampleRequest = {
      server,
      messages: p.messages.map((m) => ({ role: m.role, text: contentText(m.content).slice(0, MAX_SAMPLING_TEXT) })),
      maxTokens: p.maxTokens,
      ...(p.systemPrompt ? { systemPrompt: p.systemPrompt.slice(0, MAX_SAMPLING_TEXT) } : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.stopSequences ? { stopSequences: p.stopSequences } : {}),
    };
    const answer = await call.serverRequests.sample(req, AbortSignal.any([call.signal, extra.signal]));
    if (answer.action !== 'accept') throw new sdk.McpError(REFUSED, answer.action === 'decline' ? 'The user declined the sampling request.' : 'The sampling request was cancelled.');
    return { role: 'assistant' as const, content: { type: 'text' as const, text: answer.text }, model: answer.model, stopReason: answer.stopReason };
  });
}

/** Text of a sampling message's content (one block or several); other media are named, not sent. */
function contentText(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks.map((b: { type?: string; text?: string; mimeType?: string }) => {
    if (b.type === 'text') return b.text ?? '';
    return `[${b.type ?? 'unknown'} content${b.mimeType ? ` (${b.mimeType})` : ''} not supported by this client]`;
  }).join('\n');
}
