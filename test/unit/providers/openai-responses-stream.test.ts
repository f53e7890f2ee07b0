/** The Responses stream parser on event sequences real servers send that the fake's happy path does not. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponsesStreamParser } from '../../../src/core/providers/openai-responses-stream';
import { isReasoningModel } from '../../../src/core/providers/openai-responses';
import type { StreamEvent } from '../../../src/core/providers/types';

const completed = (extra: Record<string, unknown> = {}): ResponseStreamEvent =>
  ({ type: 'response.completed', sequence_number: 99, response: { id: 'resp_1', object: 'response', status: 'completed', output: [], ...extra } }) as unknown as ResponseStreamEvent;
const run = (events: unknown[]): StreamEvent[] => {
  const p = new ResponsesStreamParser();
  return [...events.flatMap((e) => p.push(e as ResponseStreamEvent)), ...p.finish()];
};

void describe('responses stream parser', () => {
  void test('a function call sent whole at output_item.done (no added, no deltas) still completes', () => {
    const out = run([
      { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'read', arguments: '{"p":1}' } },
      completed(),
    ]);
    assert.deepEqual(out, [
      { type: 'tool_call_start', id: 'call_1', name: 'read' },
      { type: 'tool_call_delta', id: 'call_1', argsDelta: '{"p":1}' },
      { type: 'tool_call_end', id: 'call_1', name: 'read', args: { p: 1 } },
      { type: 'stop', reason: 'tool_use' },
    ]);
  });

  void test('a call whose done event never came is completed at the end from its deltas', () => {
    const out = run([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'read', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"a":' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '2}' },
      completed(),
    ]);
    assert.deepEqual(out.filter((e) => e.type === 'tool_call_end'), [{ type: 'tool_call_end', id: 'call_1', name: 'read', args: { a: 2 } }]);
  });

  void test('summary parts read as paragraphs; raw reasoning_text (local servers) is thinking too; closed before text', () => {
    const out = run([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } },
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'One.' },
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'Two.' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'enc' } },
      { type: 'response.reasoning_text.delta', item_id: 'rs_2', output_index: 1, content_index: 0, delta: 'raw' },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 2, content_index: 0, delta: 'Hi', logprobs: [] },
      completed(),
    ]);
    assert.deepEqual(out, [
      { type: 'thinking_delta', text: 'One.' },
      { type: 'thinking_delta', text: '\n\n' },
      { type: 'thinking_delta', text: 'Two.' },
      { type: 'thinking_end', itemId: 'rs_1', encrypted: 'enc' },
      { type: 'thinking_delta', text: 'raw' },
      { type: 'thinking_end', itemId: 'rs_2' },
      { type: 'text_delta', text: 'Hi' },
      { type: 'stop', reason: 'end_turn' },
    ]);
  });

  void test('a reasoning item with its summary only at done still shows it', () => {
    const out = run([
      { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thought.' }], encrypted_content: 'e' } },
      completed({ usage: { input_tokens: 10, output_tokens: 2, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 12 } }),
    ]);
    assert.deepEqual(out, [
      { type: 'thinking_delta', text: 'Thought.' },
      { type: 'thinking_end', itemId: 'rs_1', encrypted: 'e' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 2 } },
      { type: 'stop', reason: 'end_turn' },
    ]);
  });

  void test('response.incomplete for content_filter is a refusal; error events name their code', () => {
    const out = run([{ type: 'response.incomplete', sequence_number: 1, response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] } }]);
    assert.deepEqual(out.at(-1), { type: 'stop', reason: 'refusal' });
    const p = new ResponsesStreamParser();
    assert.throws(() => p.push({ type: 'error', code: 'context_length_exceeded', message: 'Too long.', param: null, sequence_number: 3 }), (e: { code?: string }) => e.code === 'context_overflow');
    assert.throws(() => p.push({ type: 'response.failed', sequence_number: 4, response: { status: 'failed', error: { code: 'server_error', message: 'oops' } } } as unknown as ResponseStreamEvent), (e: { code?: string; retryable?: boolean }) => e.code === 'network' && e.retryable === true);
  });

  void test('which models count as reasoning models', () => {
    for (const m of ['o3', 'o4-mini', 'gpt-5', 'gpt-5.1', 'gpt-5-mini', 'gpt-5.1-codex', 'codex-mini-latest', 'openai/gpt-5']) assert.equal(isReasoningModel(m), true, m);
    for (const m of ['gpt-4o', 'gpt-4.1-mini', 'gpt-5-chat-latest', 'gpt-oss:20b', 'qwen3']) assert.equal(isReasoningModel(m), false, m);
  });
});
