/**
 * Anthropic Messages provider: streaming, tool_use / tool_result, extended thinking (signatures
 * and redacted blocks echoed back verbatim) and prompt caching. The SDK is loaded on the first
 * request only.
 *
 * Prompt caching: `cache_control: ephemeral` marks the system block, the last tool and the last
 * block of the last message. Serialisation is deterministic (fixed key order, `messages` last),
 * so request N+1 starts with the same bytes as request N up to N's last message — the cached prefix.
 */
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { HistoryMessage, ModelProvider, ModelRequest, ProviderEndpoint, StreamEvent, StreamOptions, ToolSpec } from './types';
import { AnthropicStreamParser } from './anthropic-stream';
import { withRetry } from './retry';
import { assertKeyForOfficialEndpoint, streamThroughSdk } from './sdk-stream';

type Vendor = typeof import('./anthropic.vendor');
let vendor: Promise<Vendor> | undefined;
const loadVendor = (): Promise<Vendor> => (vendor ??= import('./anthropic.vendor'));

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** max_tokens when the request does not say (the API requires one). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 16_384;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Maps the normalised history to Messages API turns: consecutive `tool` messages (and a user
 * message right after them) become one user message whose tool_result blocks come first;
 * unsigned thinking (e.g. from another provider) is dropped because the API would reject it.
 */
export function toAnthropicMessages(messages: readonly HistoryMessage[]): MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]): void => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') {
      push('user', m.content ? [{ type: 'text', text: m.content }] : []);
    } else if (m.role === 'tool') {
      push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
    } else {
      const blocks: ContentBlockParam[] = [];
      for (const p of m.content) {
        if (p.type === 'thinking') {
          if (p.redacted !== undefined) blocks.push({ type: 'redacted_thinking', data: p.redacted });
          else if (p.signature) blocks.push({ type: 'thinking', thinking: p.text, signature: p.signature });
        } else if (p.type === 'text') {
          if (p.text) blocks.push({ type: 'text', text: p.text });
        } else {
          blocks.push({ type: 'tool_use', id: p.id, name: p.name, input: p.args });
        }
      }
      push('assistant', blocks);
    }
  }
  const lastBlock = out.at(-1)?.content.at(-1);
  // Thinking blocks cannot carry cache_control; the breakpoint then stays on the tools/system.
  if (lastBlock && lastBlock.type !== 'thinking' && lastBlock.type !== 'redacted_thinking') {
    (lastBlock as { cache_control?: typeof EPHEMERAL }).cache_control = EPHEMERAL;
  }
  return out;
}

export function toAnthropicTools(tools: readonly ToolSpec[]): Tool[] {
  return tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: { ...t.inputSchema, type: 'object' } as Tool['input_schema'],
    ...(i === tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
}

/** The request body, keys in a fixed order with `messages` last (see the file comment). */
export function buildAnthropicParams(request: ModelRequest): MessageCreateParamsStreaming {
  const system: TextBlockParam[] | undefined = request.system ? [{ type: 'text', text: request.system, cache_control: EPHEMERAL }] : undefined;
  const tools = toAnthropicTools(request.tools);
  const budget = request.thinking?.budgetTokens;
  const requestedMax = request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  return {
    model: request.model,
    // The thinking budget must be below max_tokens.
    max_tokens: budget !== undefined ? Math.max(requestedMax, budget + 1024) : requestedMax,
    ...(system ? { system } : {}),
    ...(tools.length ? { tools } : {}),
    ...(budget !== undefined ? { thinking: { type: 'enabled' as const, budget_tokens: budget } } : {}),
    // The API rejects a temperature together with extended thinking.
    ...(request.temperature !== undefined && budget === undefined ? { temperature: request.temperature } : {}),
    stream: true,
    messages: toAnthropicMessages(request.messages),
  };
}

/**
 * The SDK's credential options and extra headers for an endpoint's `authHeader`. The bundled SDK
 * sends an `apiKey` as `Authorization: Bearer` (so do its `authToken`s): `authorization` (and the
 * default) passes the key that way. Any other header name (`x-api-key` for gateways that accept
 * only Anthropic's own header) carries the key in that header and suppresses `Authorization`, so
 * the key travels in exactly one header. Keyless endpoints send a placeholder (the SDK insists on one).
 */
export function anthropicAuth(endpoint: ProviderEndpoint): { apiKey?: string; authToken?: string; headers: Record<string, string | null> } {
  const key = endpoint.apiKey || 'no-key';
  const extra = { ...endpoint.headers };
  if (endpoint.authHeader === undefined) return { apiKey: key, headers: extra };
  if (endpoint.authHeader === 'authorization') return { authToken: key, headers: extra };
  // Still an explicit credential, or the SDK would read env variables and credential files; the header null drops what it would send.
  return { apiKey: key, headers: { ...extra, Authorization: null, [endpoint.authHeader]: key } };
}

export class AnthropicProvider implements ModelProvider {
  readonly kind = 'anthropic' as const;

  constructor(private readonly endpoint: ProviderEndpoint) {}

  /** Streams one request with retries (before any output), the idle watchdog and cancellation. */
  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    return withRetry(() => this.attempt(request, options), request.signal, options);
  }

  private async *attempt(request: ModelRequest, options: StreamOptions): AsyncGenerator<StreamEvent> {
    assertKeyForOfficialEndpoint(this.endpoint, 'Anthropic');
    const sdk = await loadVendor();
    yield* streamThroughSdk({
      request, options,
      classify: (e) => ({ abort: e instanceof sdk.APIUserAbortError, connection: e instanceof sdk.APIConnectionError }),
      parser: new AnthropicStreamParser(),
      open: (scope) => {
        // Always an explicit credential: the SDK would otherwise read env variables and credential files.
        const auth = anthropicAuth(this.endpoint);
        return new sdk.Anthropic({
          ...(auth.authToken !== undefined ? { authToken: auth.authToken } : { apiKey: auth.apiKey }),
          baseURL: this.endpoint.baseUrl || ANTHROPIC_DEFAULT_BASE_URL,
          maxRetries: 0, // retries are ours (retry.ts): only before output, visible to the user
          fetch: scope.wrapFetch(),
          logLevel: 'off',
          defaultHeaders: auth.headers,
        }).messages.create(buildAnthropicParams(request), { signal: scope.signal });
      },
    });
  }
}
