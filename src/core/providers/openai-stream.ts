/**
 * Turns OpenAI Chat Completions stream chunks into the normalised {@link StreamEvent}s.
 * Tool calls arrive split across chunks by `index`; they are completed (parsed; unusable arguments
 * marked `invalid`) only at the end, and a stream without `finish_reason` is an error, never a success.
 *
 * Compatible servers bend the format; each bend below has a fake-server test (quirks-openai.test.ts):
 * a call sent whole in one chunk; chunks without `index` (a new id opens a call, a chunk with
 * neither id nor index continues the open one); calls interleaved by index; `finish_reason: "stop"`
 * after tool calls; reasoning as `reasoning_content` or `reasoning`; usage missing, on the finish
 * chunk or in a last chunk with `choices: []`; `finish_reason: "error"` (OpenRouter).
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { StopReason, StreamEvent, Usage } from './types';
import { protocolError } from './errors';
import { readToolArgs } from './tool-args';

interface PendingCall {
  id: string;
  /** The chunk `index` the call arrived under (undefined from servers that omit it). */
  index: number | undefined;
  name: string;
  args: string;
  started: boolean;
}

/** A tool-call delta as servers really send it: `index` and `id` may be missing. */
type LooseToolCallDelta = Omit<ChatCompletionChunk.Choice.Delta.ToolCall, 'index'> & { index?: number | null };

/** OpenAI-compatible servers (DeepSeek, vLLM, LM Studio, Ollama) stream reasoning under one of these names. */
type DeltaWithReasoning = ChatCompletionChunk.Choice.Delta & { reasoning_content?: unknown; reasoning?: unknown };

export function openaiUsage(u: CompletionUsage): Usage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens, ...(cached > 0 ? { cacheReadTokens: cached } : {}) };
}

function stopReason(finish: string, hadToolCalls: boolean): StopReason {
  // Some compatible servers report "stop" even when the message ends in tool calls.
  if (hadToolCalls || finish === 'tool_calls' || finish === 'function_call') return 'tool_use';
  switch (finish) {
    case 'stop': return 'end_turn';
    case 'length': return 'max_tokens';
    case 'content_filter': return 'refusal';
    default: return 'other';
  }
}

export class OpenAIStreamParser {
  /** In arrival order (the order they are completed in). */
  private readonly calls: PendingCall[] = [];
  private thinkingOpen = false;
  private finishReason: string | undefined;
  private usage: Usage | undefined;
  private callSeq = 0;

  push(chunk: ChatCompletionChunk): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (chunk.usage) this.usage = openaiUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const delta = (choice.delta ?? {}) as DeltaWithReasoning;
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';
    if (reasoning) {
      this.thinkingOpen = true;
      out.push({ type: 'thinking_delta', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.closeThinking(out);
      out.push({ type: 'text_delta', text: delta.content });
    }
    for (const tc of (delta.tool_calls ?? []) as LooseToolCallDelta[]) {
      this.closeThinking(out);
      const call = this.callFor(tc);
      if (tc.function?.name && !call.started) call.name += tc.function.name;
      const piece = tc.function?.arguments ?? '';
      call.args += piece;
      if (!call.started && call.name) {
        call.started = true;
        out.push({ type: 'tool_call_start', id: call.id, name: call.name });
        if (call.args) out.push({ type: 'tool_call_delta', id: call.id, argsDelta: call.args });
      } else if (call.started && piece) {
        out.push({ type: 'tool_call_delta', id: call.id, argsDelta: piece });
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  /**
   * The call a delta belongs to. With an `index`: the call at that index, unless the delta brings
   * another id (servers that put every call at index 0); a repeated id under a new index is a new
   * call (the session renames duplicates). Without an `index`: the call with its id, a new call for a
   * new id, and — neither id nor index — the open (last) call.
   */
  private callFor(tc: LooseToolCallDelta): PendingCall {
    const index = typeof tc.index === 'number' ? tc.index : undefined;
    const id = typeof tc.id === 'string' && tc.id !== '' ? tc.id : undefined;
    const known = index !== undefined
      ? [...this.calls].reverse().find((c) => c.index === index && (id === undefined || c.id === id))
      : id !== undefined ? this.calls.find((c) => c.id === id) : this.calls.at(-1);
    if (known) return known;
    const call: PendingCall = { id: id ?? `call_${index ?? 'x'}_${this.callSeq++}`, index, name: '', args: '', started: false };
    this.calls.push(call);
    return call;
  }

  /** Call once the SDK stream ended normally: completes tool calls (bad arguments: marked invalid), then usage and stop. Throws on a missing end. */
  finish(): StreamEvent[] {
    if (this.finishReason === undefined) throw protocolError('the stream ended without a finish_reason');
    // OpenRouter ends a stream that failed upstream this way (its error object, when sent, was thrown already).
    if (this.finishReason === 'error') throw protocolError('the server ended the stream with finish_reason "error"');
    const out: StreamEvent[] = [];
    this.closeThinking(out);
    const ordered = this.calls;
    for (const call of ordered) {
      if (!call.started) throw protocolError('a tool call arrived without a function name');
      const { args, invalid } = readToolArgs(call.args, call.name);
      out.push({ type: 'tool_call_end', id: call.id, name: call.name, args, ...(invalid !== undefined ? { invalid } : {}) });
    }
    if (this.usage) out.push({ type: 'usage', usage: this.usage });
    out.push({ type: 'stop', reason: stopReason(this.finishReason, ordered.length > 0) });
    return out;
  }

  private closeThinking(out: StreamEvent[]): void {
    if (!this.thinkingOpen) return;
    this.thinkingOpen = false;
    out.push({ type: 'thinking_end' });
  }
}
