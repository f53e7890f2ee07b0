/**
 * Turns Anthropic Messages stream events into the normalised {@link StreamEvent}s.
 * A tool_use block completes at its content_block_stop (arguments parsed then; unusable ones marked `invalid`);
 * a stream without message_stop is an error, never a success.
 */
import type { MessageDeltaUsage, RawMessageStreamEvent, Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages/messages';
import type { StopReason, StreamEvent, Usage } from './types';
import { protocolError } from './errors';
import { readToolArgs } from './tool-args';

type Block =
  | { kind: 'text' }
  | { kind: 'thinking'; signature?: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; args: string }
  | { kind: 'other' };

function stopReason(r: string | null | undefined): StopReason {
  switch (r) {
    case 'end_turn': case 'tool_use': case 'max_tokens': case 'stop_sequence': case 'refusal': return r;
    case 'model_context_window_exceeded': return 'max_tokens';
    default: return 'other';
  }
}

export class AnthropicStreamParser {
  private readonly blocks = new Map<number, Block>();
  private input = 0;
  private cacheRead = 0;
  private cacheWrite = 0;
  private output = 0;
  private started = false;
  private stop: StopReason | undefined;
  private ended = false;

  push(ev: RawMessageStreamEvent): StreamEvent[] {
    switch (ev.type) {
      case 'message_start':
        this.started = true;
        this.takeUsage(ev.message.usage);
        return [];
      case 'content_block_start': {
        const b = ev.content_block;
        if (b.type === 'text') {
          this.blocks.set(ev.index, { kind: 'text' });
          return b.text ? [{ type: 'text_delta', text: b.text }] : [];
        }
        if (b.type === 'thinking') {
          this.blocks.set(ev.index, { kind: 'thinking', signature: b.signature || undefined });
          return b.thinking ? [{ type: 'thinking_delta', text: b.thinking }] : [];
        }
        if (b.type === 'redacted_thinking') {
          this.blocks.set(ev.index, { kind: 'redacted', data: b.data });
          return [];
        }
        if (b.type === 'tool_use') {
          this.blocks.set(ev.index, { kind: 'tool', id: b.id, name: b.name, args: '' });
          return [{ type: 'tool_call_start', id: b.id, name: b.name }];
        }
        this.blocks.set(ev.index, { kind: 'other' }); // server tools etc.: not part of our vocabulary
        return [];
      }
      case 'content_block_delta': {
        const block = this.blocks.get(ev.index);
        if (!block) throw protocolError(`delta for unknown content block ${ev.index}`);
        const d = ev.delta;
        if (d.type === 'text_delta') return [{ type: 'text_delta', text: d.text }];
        if (d.type === 'thinking_delta') return [{ type: 'thinking_delta', text: d.thinking }];
        if (d.type === 'signature_delta' && block.kind === 'thinking') block.signature = (block.signature ?? '') + d.signature;
        if (d.type === 'input_json_delta' && block.kind === 'tool') {
          block.args += d.partial_json;
          return d.partial_json ? [{ type: 'tool_call_delta', id: block.id, argsDelta: d.partial_json }] : [];
        }
        return [];
      }
      case 'content_block_stop': {
        const block = this.blocks.get(ev.index);
        if (!block) throw protocolError(`stop for unknown content block ${ev.index}`);
        this.blocks.delete(ev.index);
        if (block.kind === 'thinking') return [{ type: 'thinking_end', ...(block.signature ? { signature: block.signature } : {}) }];
        if (block.kind === 'redacted') return [{ type: 'thinking_end', redacted: block.data }];
        if (block.kind === 'tool') {
          const { args, invalid } = readToolArgs(block.args, block.name);
          return [{ type: 'tool_call_end', id: block.id, name: block.name, args, ...(invalid !== undefined ? { invalid } : {}) }];
        }
        return [];
      }
      case 'message_delta':
        this.takeUsage(ev.usage);
        if (ev.delta.stop_reason) this.stop = stopReason(ev.delta.stop_reason);
        return [];
      case 'message_stop':
        this.ended = true;
        return [];
      default:
        return [];
    }
  }

  /** Call once the SDK stream ended normally: usage then stop. Throws when the stream was cut short. */
  finish(): StreamEvent[] {
    if (!this.started || !this.ended) throw protocolError('the stream ended without message_stop');
    if (this.blocks.size > 0) throw protocolError('the stream ended inside a content block');
    const usage: Usage = {
      inputTokens: this.input + this.cacheRead + this.cacheWrite,
      outputTokens: this.output,
      ...(this.cacheRead ? { cacheReadTokens: this.cacheRead } : {}),
      ...(this.cacheWrite ? { cacheWriteTokens: this.cacheWrite } : {}),
    };
    return [{ type: 'usage', usage }, { type: 'stop', reason: this.stop ?? 'other' }];
  }

  /** message_start carries the prompt side; message_delta the (cumulative) output and sometimes updated input counts. */
  private takeUsage(u: AnthropicUsage | MessageDeltaUsage): void {
    if (typeof u.input_tokens === 'number') this.input = u.input_tokens;
    if (typeof u.cache_read_input_tokens === 'number') this.cacheRead = u.cache_read_input_tokens;
    if (typeof u.cache_creation_input_tokens === 'number') this.cacheWrite = u.cache_creation_input_tokens;
    if (typeof u.output_tokens === 'number') this.output = u.output_tokens;
  }
}
