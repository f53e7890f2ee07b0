/**
 * Wire renderers: turn script steps into SSE events of the real OpenAI Chat Completions and
 * Anthropic Messages streaming formats. Each returned string is one complete SSE event.
 */
import type { StopReason, WireQuirks } from './script';

export type WireFormat = 'openai' | 'anthropic';

/** Usage as scripted: `input` is the whole prompt, cached parts included (like the engine's Usage). */
export interface ScriptUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface Renderer {
  /** Stream preamble (Anthropic message_start, OpenAI role chunk). */
  start(usage: ScriptUsage): string[];
  text(pieces: string[]): string[];
  thinking(pieces: string[], signature: string | undefined): string[];
  redactedThinking(data: string): string[];
  toolCall(id: string, name: string, pieces: string[]): string[];
  /** Several calls at once (OpenAI: chunks interleaved by index). */
  toolCalls(calls: { id: string; name: string; pieces: string[] }[]): string[];
  /** Stop reason, usage and the end-of-stream marker. */
  stop(reason: StopReason, usage: ScriptUsage): string[];
  keepAlive(): string;
  malformed(raw?: string): string;
  /** An error event after the stream started. */
  midStreamError(status: number, message: string): string;
}

const data = (obj: unknown): string => `data: ${JSON.stringify(obj)}\n\n`;
const event = (name: string, obj: unknown): string => `event: ${name}\ndata: ${JSON.stringify(obj)}\n\n`;

/** One SSE event with an arbitrary JSON payload (`event:` line only when named). */
export const sseEvent = (payload: unknown, name?: string): string => (name !== undefined ? event(name, payload) : data(payload));
/** An SSE comment line; clients must ignore it. */
export const sseComment = (text: string): string => `: ${text}\n\n`;

const OPENAI_FINISH: Record<StopReason, string> = {
  end_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  stop_sequence: 'stop',
  refusal: 'content_filter',
};

export function openaiRenderer(model: string, includeUsage: boolean, id: string, quirks: WireQuirks = {}): Renderer {
  const created = 1_700_000_000;
  let toolIndex = 0;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): string =>
    data({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const usageOf = (usage: ScriptUsage): Record<string, unknown> => ({
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
  });
  /** The chunks of one call: as OpenAI sends them, or as the quirk says. */
  const callChunks = (index: number, callId: string, name: string, pieces: string[]): Record<string, unknown>[] => {
    const style = quirks.toolCalls ?? 'split';
    if (style === 'whole') return [{ index, id: callId, type: 'function', function: { name, arguments: pieces.join('') } }];
    const first = { ...(style === 'noIndex' ? {} : { index }), id: callId, type: 'function', function: { name, arguments: '' } };
    return [first, ...pieces.map((p) => ({ ...(style === 'noIndex' ? {} : { index }), function: { arguments: p } }))];
  };
  return {
    start: () => [chunk({ role: 'assistant', content: '' })],
    text: (pieces) => pieces.map((p) => chunk({ content: p })),
    // OpenAI-compatible servers stream reasoning as `reasoning_content` (DeepSeek, older vLLM) or `reasoning` (OpenRouter, newer vLLM).
    thinking: (pieces) => pieces.map((p) => chunk({ [quirks.reasoningField ?? 'reasoning_content']: p })),
    redactedThinking: () => [],
    toolCall: (callId, name, pieces) => callChunks(toolIndex++, callId, name, pieces).map((tc) => chunk({ tool_calls: [tc] })),
    toolCalls: (calls) => {
      const lists = calls.map((c) => callChunks(toolIndex++, c.id, c.name, c.pieces));
      const out: string[] = [];
      for (let round = 0; lists.some((l) => round < l.length); round++) {
        for (const l of lists) if (round < l.length) out.push(chunk({ tool_calls: [l[round]] }));
      }
      return out;
    },
    stop: (reason, usage) => {
      const mode = quirks.usage ?? 'final';
      const finish = quirks.finishReason ?? OPENAI_FINISH[reason];
      const out = [chunk({}, finish, mode === 'onFinish' ? { usage: usageOf(usage) } : {})];
      if (includeUsage && mode === 'final') {
        out.push(data({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(usage) }));
      }
      out.push('data: [DONE]\n\n');
      return out;
    },
    keepAlive: () => ': keep-alive\n\n',
    malformed: (raw) => `data: ${raw ?? '{"id":"x","choices":[{"delta":{"content":"oops'}\n\n`,
    midStreamError: (status, message) => data({ error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null } }),
  };
}

export function anthropicRenderer(model: string, id: string): Renderer {
  let index = 0;
  const uncached = (u: ScriptUsage): number => Math.max(0, u.input - (u.cacheRead ?? 0) - (u.cacheWrite ?? 0));
  const block = (start: unknown, deltas: unknown[]): string[] => {
    const i = index++;
    return [
      event('content_block_start', { type: 'content_block_start', index: i, content_block: start }),
      ...deltas.map((delta) => event('content_block_delta', { type: 'content_block_delta', index: i, delta })),
      event('content_block_stop', { type: 'content_block_stop', index: i }),
    ];
  };
  return {
    start: (usage) => [
      event('message_start', {
        type: 'message_start',
        message: {
          id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
          usage: {
            input_tokens: uncached(usage),
            cache_creation_input_tokens: usage.cacheWrite ?? 0,
            cache_read_input_tokens: usage.cacheRead ?? 0,
            output_tokens: 1,
          },
        },
      }),
      event('ping', { type: 'ping' }),
    ],
    text: (pieces) => block({ type: 'text', text: '' }, pieces.map((text) => ({ type: 'text_delta', text }))),
    thinking: (pieces, signature) =>
      block({ type: 'thinking', thinking: '', signature: '' }, [
        ...pieces.map((thinking) => ({ type: 'thinking_delta', thinking })),
        ...(signature !== undefined ? [{ type: 'signature_delta', signature }] : []),
      ]),
    redactedThinking: (payload) => block({ type: 'redacted_thinking', data: payload }, []),
    toolCall: (callId, name, pieces) =>
      block({ type: 'tool_use', id: callId, name, input: {} }, pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }))),
    // Anthropic never interleaves content blocks: one after the other.
    toolCalls: (calls) =>
      calls.flatMap((c) => block({ type: 'tool_use', id: c.id, name: c.name, input: {} }, c.pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json })))),
    stop: (reason, usage) => [
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: reason, stop_sequence: null },
        usage: {
          input_tokens: uncached(usage),
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
          output_tokens: usage.output,
        },
      }),
      event('message_stop', { type: 'message_stop' }),
    ],
    keepAlive: () => event('ping', { type: 'ping' }),
    malformed: (raw) => `event: content_block_delta\ndata: ${raw ?? '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"oops'}\n\n`,
    midStreamError: (status, message) => event('error', { type: 'error', error: { type: anthropicErrorType(status), message } }),
  };
}

export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 529: return 'overloaded_error';
    default: return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** A realistic JSON error body for an HTTP error response. */
export function errorBody(format: WireFormat, status: number, message: string | undefined, kind: 'context_overflow' | undefined): unknown {
  if (kind === 'context_overflow') {
    return format === 'openai'
      ? { error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }
      : { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } };
  }
  const msg = message ?? `Fake error ${status}`;
  if (format === 'anthropic') return { type: 'error', error: { type: anthropicErrorType(status), message: msg } };
  const code = status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : null;
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: msg, type, param: null, code } };
}
