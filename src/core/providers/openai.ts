/**
 * OpenAI Chat Completions provider (streaming, tool calls). Also serves OpenAI-compatible servers
 * (Ollama, LM Studio, vLLM, …) through `baseUrl`. The SDK is loaded on the first request only.
 */
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { HistoryMessage, ModelProvider, ModelRequest, ProviderEndpoint, StreamEvent, StreamOptions, ToolSpec } from './types';
import { OpenAIStreamParser } from './openai-stream';
import { withRetry } from './retry';
import { assertKeyForOfficialEndpoint, streamThroughSdk } from './sdk-stream';
import { OPENAI_DEFAULT_BASE_URL, openAIClientOptions } from './openai-client';
import { OpenAIResponsesProvider } from './openai-responses';

type Vendor = typeof import('./openai.vendor');
let vendor: Promise<Vendor> | undefined;
const loadVendor = (): Promise<Vendor> => (vendor ??= import('./openai.vendor'));

export { OPENAI_DEFAULT_BASE_URL };

/** The adapter for an OpenAI-kind endpoint: Responses when the profile says so, else Chat Completions. */
export function createOpenAIProvider(endpoint: ProviderEndpoint): ModelProvider {
  return endpoint.api === 'responses' ? new OpenAIResponsesProvider(endpoint) : new OpenAIProvider(endpoint);
}

/** Maps the normalised history to Chat Completions messages. Thinking is not sent back (the API has no slot for it). */
export function toOpenAIMessages(system: string, messages: readonly HistoryMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const m of messages) {
    if (m.role === 'user') {
      out.push({ role: 'user', content: m.content });
    } else if (m.role === 'tool') {
      out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
    } else {
      const text = m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      const calls = m.content.flatMap((p) =>
        p.type === 'tool_call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: JSON.stringify(p.args) } }] : [],
      );
      if (!text && calls.length === 0) continue; // e.g. an interrupted, empty reply: nothing to replay
      out.push({ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) });
    }
  }
  return out;
}

export function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } }));
}

/** The request body. Key order is fixed so identical prefixes serialise identically (prompt caching). */
export function buildOpenAIParams(request: ModelRequest, official: boolean): ChatCompletionCreateParamsStreaming {
  const tools = toOpenAITools(request.tools);
  return {
    model: request.model,
    ...(tools.length ? { tools } : {}),
    // OpenAI's newer models reject max_tokens; compatible servers widely know only max_tokens.
    ...(request.maxOutputTokens !== undefined ? (official ? { max_completion_tokens: request.maxOutputTokens } : { max_tokens: request.maxOutputTokens }) : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.reasoningEffort !== undefined ? { reasoning_effort: request.reasoningEffort } : {}),
    stream: true,
    stream_options: { include_usage: true },
    messages: toOpenAIMessages(request.system, request.messages),
  };
}

export class OpenAIProvider implements ModelProvider {
  readonly kind = 'openai' as const;

  constructor(private readonly endpoint: ProviderEndpoint) {}

  /** Streams one request with retries (before any output), the idle watchdog and cancellation. */
  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    return withRetry(() => this.attempt(request, options), request.signal, options);
  }

  private async *attempt(request: ModelRequest, options: StreamOptions): AsyncGenerator<StreamEvent> {
    assertKeyForOfficialEndpoint(this.endpoint, 'OpenAI');
    const official = !this.endpoint.baseUrl;
    const sdk = await loadVendor();
    yield* streamThroughSdk({
      request, options,
      classify: (e) => ({ abort: e instanceof sdk.APIUserAbortError, connection: e instanceof sdk.APIConnectionError }),
      parser: new OpenAIStreamParser(),
      open: (scope) => new sdk.OpenAI(openAIClientOptions(this.endpoint, scope.wrapFetch()))
        .chat.completions.create(buildOpenAIParams(request, official), { signal: scope.signal }),
    });
  }
}
