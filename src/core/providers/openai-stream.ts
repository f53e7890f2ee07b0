/**
 * Turns OpenAI Chat Completions stream chunks into the normalised {@link StreamEvent}s.
 * Tool calls arrive split across chunks by `index`; they are completed (parsed; unusable arguments
 * marked `invalid`) only at the end, and a stream without `finish_reason` is an error, never a success.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { StopReason, StreamEvent, Usage } from './types';
import { protocolError } from './errors';
import { readToolArgs } from './tool-args';

interface PendingCall {
  id: string;
  name: string;
  args: string;
  started: boolean;
}

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
  private readonly calls = new Map<number, PendingCall>();
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
    for (const tc of delta.tool_calls ?? []) {
      this.closeThinking(out);
      let call = this.calls.get(tc.index);
      if (!call) {
        call = { id: tc.id || `call_${tc.index}_${this.callSeq++}`, name: '', args: '', started: false };
        this.calls.set(tc.index, call);
      }
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

  /** Call once the SDK stream ended normally: completes tool calls (bad arguments: marked invalid), then usage and stop. Throws on a missing end. */
  finish(): StreamEvent[] {
    if (this.finishReason === undefined) throw protocolError('the stream ended without a finish_reason');
    const out: StreamEvent[] = [];
    this.closeThinking(out);
    const ordered = [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
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
