/**
 * Turns the OpenAI Responses API's stream events (as the `openai` SDK yields them from
 * `responses.create({ stream: true })`) into the normalised {@link StreamEvent}s.
 * Function calls arrive as `function_call` output items with argument deltas and complete at
 * their `output_item.done`; reasoning summaries stream as thinking and a reasoning item's
 * `output_item.done` seals it with its id and encrypted content (to echo back). Only
 * `response.completed` / `response.incomplete` end a stream well; `response.failed` and `error`
 * events are errors, and a stream that just stops is a protocol error.
 */
import type {
  Response, ResponseFunctionToolCall, ResponseReasoningItem, ResponseStreamEvent, ResponseUsage,
} from 'openai/resources/responses/responses';
import type { AgentError } from '../base/errors';
import type { StopReason, StreamEvent, Usage } from './types';
import type { SdkStreamParser } from './sdk-stream';
import { normalizeProviderError, protocolError } from './errors';
import { readToolArgs } from './tool-args';

interface PendingCall {
  callId: string;
  name: string;
  args: string;
  ended: boolean;
}

/** Usage of a Responses request: `input_tokens` is the whole prompt, cached tokens included. */
export function responsesUsage(u: ResponseUsage): Usage {
  const cached = u.input_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, ...(cached > 0 ? { cacheReadTokens: cached } : {}) };
}

/** HTTP statuses that make a stream error code classify like the same failure as an HTTP response. */
const STATUS_OF_CODE: Record<string, number> = {
  server_error: 500, rate_limit_exceeded: 429, insufficient_quota: 429, invalid_prompt: 400,
  invalid_request_error: 400, context_length_exceeded: 400, overloaded: 503, service_unavailable: 503,
};

/** An `error` event or a failed response's error, normalised like an HTTP error of the same kind. */
export function responsesStreamError(code: string | null | undefined, message: string | undefined): AgentError {
  const status = code ? STATUS_OF_CODE[code] : undefined;
  return normalizeProviderError({
    ...(status !== undefined ? { status } : {}),
    error: { ...(code ? { code } : {}), message: message || `The model stream failed${code ? ` (${code})` : ''}.` },
  });
}

export class ResponsesStreamParser implements SdkStreamParser<ResponseStreamEvent> {
  /** By output item id (deltas name the item, not the call). */
  private readonly calls = new Map<string, PendingCall>();
  /** The reasoning item being streamed, and whether thinking text is open. */
  private reasoning: { id: string; summaryIndex: number; sawText: boolean } | undefined;
  private thinkingOpen = false;
  private final: Response | undefined;
  private refused = false;

  push(ev: ResponseStreamEvent): StreamEvent[] {
    const out: StreamEvent[] = [];
    switch (ev.type) {
      case 'response.output_text.delta':
        this.closeThinking(out);
        if (ev.delta) out.push({ type: 'text_delta', text: ev.delta });
        break;
      case 'response.refusal.delta':
        this.closeThinking(out);
        this.refused = true;
        if (ev.delta) out.push({ type: 'text_delta', text: ev.delta });
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.thinking(ev.item_id, 'summary_index' in ev ? ev.summary_index : 0, ev.delta, out);
        break;
      case 'response.output_item.added':
        if (ev.item.type === 'function_call') this.startCall(ev.item, ev.output_index, out);
        else if (ev.item.type === 'reasoning') this.openReasoning(ev.item.id, out);
        break;
      case 'response.function_call_arguments.delta': {
        const call = this.calls.get(ev.item_id);
        if (!call || !ev.delta) break;
        call.args += ev.delta;
        out.push({ type: 'tool_call_delta', id: call.callId, argsDelta: ev.delta });
        break;
      }
      case 'response.function_call_arguments.done': {
        const call = this.calls.get(ev.item_id);
        if (call) call.args = ev.arguments;
        break;
      }
      case 'response.output_item.done':
        if (ev.item.type === 'function_call') this.endCall(ev.item, ev.output_index, out);
        else if (ev.item.type === 'reasoning') this.sealReasoning(ev.item, out);
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.final = ev.response;
        break;
      case 'response.failed':
        throw responsesStreamError(ev.response.error?.code, ev.response.error?.message);
      case 'error':
        throw responsesStreamError(ev.code, ev.message);
      default:
        break; // created / in_progress / content parts / done events carry nothing new
    }
    return out;
  }

  /** Call once the SDK stream ended: completes open calls, then usage and stop. Throws without a final response. */
  finish(): StreamEvent[] {
    const final = this.final;
    if (!final) throw protocolError('the stream ended without response.completed');
    const out: StreamEvent[] = [];
    this.closeThinking(out);
    for (const [itemId, call] of this.calls) if (!call.ended) this.endCall({ id: itemId, arguments: call.args }, -1, out);
    if (final.usage) out.push({ type: 'usage', usage: responsesUsage(final.usage) });
    out.push({ type: 'stop', reason: this.stopReason(final) });
    return out;
  }

  private stopReason(final: Response): StopReason {
    if (final.status === 'incomplete') return final.incomplete_details?.reason === 'content_filter' ? 'refusal' : 'max_tokens';
    if (this.calls.size > 0) return 'tool_use';
    if (this.refused) return 'refusal';
    return final.status === 'completed' || final.status === undefined ? 'end_turn' : 'other';
  }

  private startCall(item: ResponseFunctionToolCall, outputIndex: number, out: StreamEvent[]): void {
    this.closeThinking(out);
    const key = item.id ?? `fc_${outputIndex}`;
    if (this.calls.has(key)) return;
    const call: PendingCall = { callId: item.call_id || key, name: item.name, args: item.arguments ?? '', ended: false };
    if (!call.name) throw protocolError('a function call arrived without a name');
    this.calls.set(key, call);
    out.push({ type: 'tool_call_start', id: call.callId, name: call.name });
    if (call.args) out.push({ type: 'tool_call_delta', id: call.callId, argsDelta: call.args });
  }

  private endCall(item: Partial<ResponseFunctionToolCall>, outputIndex: number, out: StreamEvent[]): void {
    const key = item.id ?? `fc_${outputIndex}`;
    let call = this.calls.get(key);
    if (!call && item.name && item.call_id !== undefined) {
      // Sent whole at done, never announced: start it now.
      this.startCall(item as ResponseFunctionToolCall, outputIndex, out);
      call = this.calls.get(key);
    }
    if (!call || call.ended) return;
    call.ended = true;
    if (typeof item.arguments === 'string' && item.arguments !== '') call.args = item.arguments;
    const { args, invalid } = readToolArgs(call.args, call.name);
    out.push({ type: 'tool_call_end', id: call.callId, name: call.name, args, ...(invalid !== undefined ? { invalid } : {}) });
  }

  private openReasoning(id: string, out: StreamEvent[]): void {
    if (this.reasoning?.id === id) return;
    this.closeThinking(out);
    this.reasoning = { id, summaryIndex: 0, sawText: false };
  }

  private thinking(itemId: string, summaryIndex: number, delta: string, out: StreamEvent[]): void {
    if (!delta) return;
    if (this.reasoning?.id !== itemId) this.openReasoning(itemId, out);
    const r = this.reasoning!;
    // Summary parts of one item read as paragraphs of one thinking block.
    if (r.sawText && summaryIndex !== r.summaryIndex) out.push({ type: 'thinking_delta', text: '\n\n' });
    r.summaryIndex = summaryIndex;
    r.sawText = true;
    this.thinkingOpen = true;
    out.push({ type: 'thinking_delta', text: delta });
  }

  /** The reasoning item is complete: its summary (if no deltas came), then the seal to echo back. */
  private sealReasoning(item: ResponseReasoningItem, out: StreamEvent[]): void {
    if (this.reasoning?.id !== item.id) this.openReasoning(item.id, out);
    if (!this.reasoning!.sawText) {
      const text = item.summary.map((s) => s.text).filter((t) => t !== '').join('\n\n');
      if (text) out.push({ type: 'thinking_delta', text });
    }
    out.push({ type: 'thinking_end', itemId: item.id, ...(item.encrypted_content ? { encrypted: item.encrypted_content } : {}) });
    this.thinkingOpen = false;
    this.reasoning = undefined;
  }

  /** Text or a call after thinking without its item's done event (lenient servers): close the block. */
  private closeThinking(out: StreamEvent[]): void {
    if (this.thinkingOpen) out.push({ type: 'thinking_end', ...(this.reasoning ? { itemId: this.reasoning.id } : {}) });
    this.thinkingOpen = false;
    this.reasoning = undefined;
  }
}
