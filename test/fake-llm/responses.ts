/**
 * The OpenAI Responses API streaming format (`POST /v1/responses`, `stream: true`): the same
 * script steps rendered as typed SSE events (`event: <type>` + `data: {…, sequence_number}`), as
 * the official `openai` SDK reads them. Text → a `message` output item with `output_text` deltas;
 * thinking → a `reasoning` item with summary deltas and, when the request includes
 * `reasoning.encrypted_content`, an encrypted payload; a tool call → a `function_call` item with
 * argument deltas; the end → `response.completed` (or `response.incomplete` for max_tokens /
 * refusal) carrying usage. A mid-stream error is `response.failed` for a 5xx status, else an
 * `error` event.
 */
import type { Renderer, ScriptUsage } from './render';
import type { StopReason } from './script';

export interface ResponsesRenderOptions {
  model: string;
  /** Unique per response (ids). */
  seq: number;
  /** The request asked for `include: ['reasoning.encrypted_content']`. */
  encryptedReasoning: boolean;
}

/** The renderer for one streamed Responses request. */
export function responsesRenderer(options: ResponsesRenderOptions): Renderer {
  const { model, seq } = options;
  const responseId = `resp_fake_${seq}`;
  const output: Record<string, unknown>[] = [];
  let sequence = 0;
  const ev = (type: string, fields: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`;
  const response = (status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: responseId, object: 'response', created_at: 1_700_000_000, status, model, output: [...output],
    error: null, incomplete_details: null, instructions: null, metadata: {}, parallel_tool_calls: true,
    temperature: null, tool_choice: 'auto', tools: [], top_p: null, store: false, usage: null, ...extra,
  });
  const item = (done: Record<string, unknown>, added: Record<string, unknown>, body: (itemId: string, outputIndex: number) => string[]): string[] => {
    const outputIndex = output.length;
    output.push(done);
    const id = String(done.id);
    return [
      ev('response.output_item.added', { output_index: outputIndex, item: added }),
      ...body(id, outputIndex),
      ev('response.output_item.done', { output_index: outputIndex, item: done }),
    ];
  };
  return {
    start: () => [ev('response.created', { response: response('in_progress') }), ev('response.in_progress', { response: response('in_progress') })],
    text: (pieces) => {
      const text = pieces.join('');
      const id = `msg_fake_${seq}_${output.length}`;
      const part = (t: string): Record<string, unknown> => ({ type: 'output_text', text: t, annotations: [] });
      return item(
        { id, type: 'message', status: 'completed', role: 'assistant', content: [part(text)] },
        { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
        (itemId, outputIndex) => [
          ev('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: part('') }),
          ...pieces.map((delta) => ev('response.output_text.delta', { item_id: itemId, output_index: outputIndex, content_index: 0, delta, logprobs: [] })),
          ev('response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text, logprobs: [] }),
          ev('response.content_part.done', { item_id: itemId, output_index: outputIndex, content_index: 0, part: part(text) }),
        ],
      );
    },
    thinking: (pieces) => {
      const text = pieces.join('');
      const id = `rs_fake_${seq}_${output.length}`;
      const encrypted = options.encryptedReasoning ? { encrypted_content: fakeEncrypted(id, text) } : {};
      return item(
        { id, type: 'reasoning', summary: [{ type: 'summary_text', text }], ...encrypted },
        { id, type: 'reasoning', summary: [] },
        (itemId, outputIndex) => [
          ev('response.reasoning_summary_part.added', { item_id: itemId, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } }),
          ...pieces.map((delta) => ev('response.reasoning_summary_text.delta', { item_id: itemId, output_index: outputIndex, summary_index: 0, delta })),
          ev('response.reasoning_summary_text.done', { item_id: itemId, output_index: outputIndex, summary_index: 0, text }),
          ev('response.reasoning_summary_part.done', { item_id: itemId, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text } }),
        ],
      );
    },
    redactedThinking: () => [],
    toolCall: (callId, name, pieces) => {
      const args = pieces.join('');
      const id = `fc_fake_${seq}_${output.length}`;
      return item(
        { id, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name },
        { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name },
        (itemId, outputIndex) => [
          ...pieces.map((delta) => ev('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta })),
          ev('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, name, arguments: args }),
        ],
      );
    },
    // The Responses API has no interleaving: output items follow each other.
    toolCalls(calls) { return calls.flatMap((c) => this.toolCall(c.id, c.name, c.pieces)); },
    stop: (reason, usage) => {
      const incomplete = incompleteReason(reason);
      const final = response(incomplete ? 'incomplete' : 'completed', {
        usage: responsesUsage(usage), ...(incomplete ? { incomplete_details: { reason: incomplete } } : {}),
      });
      return [ev(incomplete ? 'response.incomplete' : 'response.completed', { response: final })];
    },
    keepAlive: () => ': keep-alive\n\n',
    malformed: (raw) => `event: response.output_text.delta\ndata: ${raw ?? '{"type":"response.output_text.delta","delta":"oops'}\n\n`,
    midStreamError: (status, message) =>
      status >= 500
        ? ev('response.failed', { response: response('failed', { error: { code: 'server_error', message } }) })
        : ev('error', { code: status === 429 ? 'rate_limit_exceeded' : 'invalid_request_error', message, param: null }),
  };
}

/** A deterministic stand-in for OpenAI's opaque encrypted reasoning (tests compare it byte for byte). */
export function fakeEncrypted(itemId: string, text: string): string {
  return `gAAAAfake.${Buffer.from(JSON.stringify({ itemId, text })).toString('base64url')}`;
}

function incompleteReason(reason: StopReason): string | undefined {
  return reason === 'max_tokens' ? 'max_output_tokens' : reason === 'refusal' ? 'content_filter' : undefined;
}

function responsesUsage(u: ScriptUsage): Record<string, unknown> {
  return {
    input_tokens: u.input, input_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    output_tokens: u.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: u.input + u.output,
  };
}
