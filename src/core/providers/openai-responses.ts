/**
 * OpenAI Responses API provider (`endpoint.api === 'responses'`): streaming text, function calls,
 * reasoning summaries as thinking. Stateless by design: every request carries our own history as
 * input items with `store: false`, never `previous_response_id`; a reasoning model's encrypted
 * reasoning items are kept on thinking parts and echoed back so it keeps its chain of thought.
 */
import type {
  FunctionTool, ResponseCreateParamsStreaming, ResponseInputItem, ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import type { HistoryMessage, ModelProvider, ModelRequest, ProviderEndpoint, StreamEvent, StreamOptions, ToolSpec } from './types';
import { ResponsesStreamParser } from './openai-responses-stream';
import { openAIClientOptions } from './openai-client';
import { withRetry } from './retry';
import { assertKeyForOfficialEndpoint, streamThroughSdk } from './sdk-stream';

type Vendor = typeof import('./openai.vendor');
let vendor: Promise<Vendor> | undefined;
const loadVendor = (): Promise<Vendor> => (vendor ??= import('./openai.vendor'));

/**
 * OpenAI models that reason (o-series, gpt-5 family but its chat variant, codex). For these the
 * request asks for summaries and encrypted reasoning even without an explicit effort. Local
 * reasoning models (gpt-oss, qwen3 …) get it only when the session sets an effort: their servers
 * differ in what they accept.
 */
export function isReasoningModel(model: string): boolean {
  const m = model.toLowerCase().replace(/^.*\//, '');
  if (/^gpt-5(\.\d+)?-chat/.test(m)) return false;
  return /^(o\d|gpt-5|codex)/.test(m) || m.includes('codex');
}

/** An assistant output message as input (no id: with `store: false` the server could not look one up). */
type OutputMessageInput = { type: 'message'; role: 'assistant'; content: { type: 'output_text'; text: string; annotations: [] }[]; status: 'completed' };

/**
 * Our history as Responses input items: user messages, assistant text as output messages, tool
 * calls as `function_call` (call_id), results as `function_call_output`, and reasoning items
 * (only those with their encrypted content: an id alone cannot be resolved under `store: false`).
 */
export function toResponsesInput(messages: readonly HistoryMessage[]): ResponseInputItem[] {
  const out: ResponseInputItem[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      out.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: m.content }] });
    } else if (m.role === 'tool') {
      out.push({ type: 'function_call_output', call_id: m.toolCallId, output: m.content });
    } else {
      let text = '';
      const flushText = (): void => {
        if (!text) return;
        const msg: OutputMessageInput = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }], status: 'completed' };
        out.push(msg as unknown as ResponseInputItem);
        text = '';
      };
      for (const p of m.content) {
        if (p.type === 'text') {
          text += p.text;
        } else if (p.type === 'thinking') {
          if (p.itemId === undefined || p.encrypted === undefined) continue; // another API's thinking: nothing to echo
          flushText();
          out.push({ type: 'reasoning', id: p.itemId, summary: p.text ? [{ type: 'summary_text', text: p.text }] : [], encrypted_content: p.encrypted });
        } else {
          flushText();
          out.push({ type: 'function_call', call_id: p.id, name: p.name, arguments: JSON.stringify(p.args) });
        }
      }
      flushText();
    }
  }
  return out;
}

export function toResponsesTools(tools: readonly ToolSpec[]): FunctionTool[] {
  return tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.inputSchema, strict: false }));
}

/** The request body. Key order is fixed so identical prefixes serialise identically (prompt caching). */
export function buildResponsesParams(request: ModelRequest): ResponseCreateParamsStreaming {
  const tools = toResponsesTools(request.tools);
  const reasons = request.reasoningEffort !== undefined || isReasoningModel(request.model);
  return {
    model: request.model,
    ...(request.system ? { instructions: request.system } : {}),
    ...(tools.length ? { tools } : {}),
    ...(request.maxOutputTokens !== undefined ? { max_output_tokens: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined && !reasons ? { temperature: request.temperature } : {}),
    ...(reasons ? { reasoning: { ...(request.reasoningEffort ? { effort: request.reasoningEffort } : {}), summary: 'auto' as const } } : {}),
    ...(reasons ? { include: ['reasoning.encrypted_content' as const] } : {}),
    store: false,
    stream: true,
    input: toResponsesInput(request.messages),
  };
}

export class OpenAIResponsesProvider implements ModelProvider {
  readonly kind = 'openai' as const;

  constructor(private readonly endpoint: ProviderEndpoint) {}

  /** Streams one request with retries (before any output), the idle watchdog and cancellation. */
  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    return withRetry(() => this.attempt(request, options), request.signal, options);
  }

  private async *attempt(request: ModelRequest, options: StreamOptions): AsyncGenerator<StreamEvent> {
    assertKeyForOfficialEndpoint(this.endpoint, 'OpenAI');
    const sdk = await loadVendor();
    yield* streamThroughSdk<ResponseStreamEvent>({
      request, options,
      classify: (e) => ({ abort: e instanceof sdk.APIUserAbortError, connection: e instanceof sdk.APIConnectionError }),
      parser: new ResponsesStreamParser(),
      open: (scope) => new sdk.OpenAI(openAIClientOptions(this.endpoint, scope.wrapFetch()))
        .responses.create(buildResponsesParams(request), { signal: scope.signal }),
    });
  }
}
