/**
 * Chat Completions quirks of real OpenAI-compatible servers (Ollama, vLLM, llama.cpp, OpenRouter,
 * DeepSeek, LiteLLM, Gemini's compatible endpoint), each reproduced by the fake server and run
 * through the real `openai` SDK.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm, type Script } from '../../fake-llm';
import type { HistoryMessage, StreamEvent } from '../../../src/core/providers/types';
import { openaiRenderer } from '../../fake-llm/render';
import { collect, fast, providerFor, request } from './helpers';

const TOOLS = [{ name: 'read_file', description: 'Read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];

const ends = (events: StreamEvent[]): unknown[] => events.filter((e) => e.type === 'tool_call_end');
const argsOf = (events: StreamEvent[], id: string): string => events.flatMap((e) => (e.type === 'tool_call_delta' && e.id === id ? [e.argsDelta] : [])).join('');

void describe('openai: real-server quirks', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());
  const run = async (s: Script, overrides = {}): Promise<Awaited<ReturnType<typeof collect>>> => {
    fake.enqueue(s);
    return collect(providerFor(fake, 'openai').stream(request('openai', { tools: TOOLS, ...overrides }), { ...fast, maxRetries: 0 }));
  };

  void test('a tool call sent whole in one chunk (id, name and all arguments)', async () => {
    const r = await run(script.quirky(script.toolCall('read_file', { path: 'a.ts' }, { id: 'call_W', chunks: 5 }), { toolCalls: 'whole' }));
    assert.equal(r.error, undefined);
    assert.equal(fake.requests.length, 1);
    const kinds = r.events.map((e) => e.type);
    assert.deepEqual(kinds, ['tool_call_start', 'tool_call_delta', 'tool_call_end', 'usage', 'stop']);
    assert.deepEqual(ends(r.events), [{ type: 'tool_call_end', id: 'call_W', name: 'read_file', args: { path: 'a.ts' } }]);
  });

  void test('tool-call deltas without index, id only on the first chunk: later chunks belong to the open call', async () => {
    const s = script.quirky(script.of(
      script.toolCall('read_file', { path: 'first.ts' }, { id: 'call_1', chunks: 4 }),
      script.toolCall('read_file', { path: 'second.ts' }, { id: 'call_2', chunks: 3 }),
    ), { toolCalls: 'noIndex' });
    const r = await run(s);
    assert.equal(r.error, undefined);
    assert.deepEqual(ends(r.events), [
      { type: 'tool_call_end', id: 'call_1', name: 'read_file', args: { path: 'first.ts' } },
      { type: 'tool_call_end', id: 'call_2', name: 'read_file', args: { path: 'second.ts' } },
    ]);
    assert.equal(argsOf(r.events, 'call_1'), '{"path":"first.ts"}');
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
    // the wire really had no index, and the id only on a call's first chunk
    const wire = openaiRenderer('m', true, 'x', { toolCalls: 'noIndex' }).toolCall('call_1', 'read_file', ['{"a"', ':1}']);
    const calls = wire.map((e) => (JSON.parse(e.slice('data: '.length)) as { choices: { delta: { tool_calls: Record<string, unknown>[] } }[] }).choices[0]!.delta.tool_calls[0]!);
    assert.ok(calls.every((c) => !('index' in c)));
    assert.deepEqual(calls.map((c) => c.id), ['call_1', undefined, undefined]);
  });

  void test('several tool calls interleaved by index', async () => {
    const r = await run(script.toolCalls([
      { id: 'call_A', name: 'read_file', args: { path: 'a.ts' } },
      { id: 'call_B', name: 'read_file', args: { path: 'b.ts' } },
      { id: 'call_C', name: 'list', args: {} },
    ], 4));
    assert.equal(r.error, undefined);
    // the deltas really arrived interleaved
    const order = r.events.flatMap((e) => (e.type === 'tool_call_delta' ? [e.id] : []));
    assert.notDeepEqual(order, [...order].sort());
    assert.deepEqual(ends(r.events), [
      { type: 'tool_call_end', id: 'call_A', name: 'read_file', args: { path: 'a.ts' } },
      { type: 'tool_call_end', id: 'call_B', name: 'read_file', args: { path: 'b.ts' } },
      { type: 'tool_call_end', id: 'call_C', name: 'list', args: {} },
    ]);
  });

  void test('all calls at index 0 but with their own ids stay separate calls', async () => {
    const s = script.of(
      script.sseData({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_X', type: 'function', function: { name: 'read_file', arguments: '{"path":"x"}' } }] }, finish_reason: null }] }),
      script.sseData({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_Y', type: 'function', function: { name: 'read_file', arguments: '{"path":"y"}' } }] }, finish_reason: null }] }),
    );
    const r = await run(s);
    assert.equal(r.error, undefined);
    assert.deepEqual(ends(r.events), [
      { type: 'tool_call_end', id: 'call_X', name: 'read_file', args: { path: 'x' } },
      { type: 'tool_call_end', id: 'call_Y', name: 'read_file', args: { path: 'y' } },
    ]);
  });

  void test('finish_reason "stop" although tool calls were sent: the stop is tool_use', async () => {
    const r = await run(script.quirky(script.toolCall('read_file', { path: 'a' }, { id: 'call_S' }), { finishReason: 'stop' }));
    assert.equal(r.error, undefined);
    assert.equal(ends(r.events).length, 1);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
  });

  void test('SSE comment and keep-alive lines between every event are ignored', async () => {
    const s = script.quirky(script.of(script.comment('OPENROUTER PROCESSING'), script.text('Hello there', 3), script.keepAlive(60, 20), script.toolCall('read_file', { path: 'a' }, { id: 'call_K', chunks: 2 })), { comment: 'OPENROUTER PROCESSING' });
    const r = await run(s);
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'Hello there');
    assert.equal(ends(r.events).length, 1);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
  });

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    void test(`"${field}" deltas are thinking, and thinking is never sent back`, async () => {
      const r = await run(script.quirky(script.of(script.thinking('weigh the options', undefined, 3), script.text('Answer')), { reasoningField: field }));
      assert.equal(r.error, undefined);
      assert.equal(r.events.flatMap((e) => (e.type === 'thinking_delta' ? [e.text] : [])).join(''), 'weigh the options');
      assert.equal(r.text, 'Answer');
      assert.ok(r.events.findIndex((e) => e.type === 'thinking_end') < r.events.findIndex((e) => e.type === 'text_delta'));

      // The next request carries the reply in its history: the reasoning is not in it.
      const messages: HistoryMessage[] = [
        { id: 'u1', role: 'user', content: 'question' },
        { id: 'a1', role: 'assistant', content: [{ type: 'thinking', text: 'weigh the options' }, { type: 'text', text: 'Answer' }] },
        { id: 'u2', role: 'user', content: 'and now?' },
      ];
      const next = await run(script.text('ok'), { messages });
      assert.equal(next.error, undefined);
      const sent = fake.requests.at(-1)!;
      assert.doesNotMatch(sent.rawBody, /weigh the options/);
      assert.doesNotMatch(sent.rawBody, /"reasoning(_content)?"/);
      assert.deepEqual((sent.body!.messages as { role: string; content: unknown }[]).find((m) => m.role === 'assistant'), { role: 'assistant', content: 'Answer' });
    });
  }

  void test('usage missing entirely: a normal stop, no usage event', async () => {
    const r = await run(script.quirky(script.of(script.text('no usage'), script.usage(500, 20)), { usage: 'none' }));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'no usage');
    assert.equal(r.events.some((e) => e.type === 'usage'), false);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'end_turn' });
  });

  void test('usage only in a final chunk with choices: [] (and on the finish chunk) is read', async () => {
    for (const usage of ['final', 'onFinish'] as const) {
      const r = await run(script.quirky(script.of(script.text('counted'), script.usage(500, 20)), { usage }));
      assert.equal(r.error, undefined, usage);
      assert.deepEqual(r.events.find((e) => e.type === 'usage'), { type: 'usage', usage: { inputTokens: 500, outputTokens: 20 } }, usage);
    }
  });

  void test('HTTP 200 with an error JSON body (OpenRouter / LiteLLM): the server\'s message, not "ended without finish_reason"', async () => {
    const r = await run(script.okJson({ error: { message: 'Upstream provider returned 502: model is warming up', code: 502 } }));
    assert.equal(r.error?.code, 'network');
    assert.match(r.error!.message, /model is warming up/);
    assert.doesNotMatch(r.error!.message, /finish_reason/);
    assert.equal(r.error!.status, 502);
    assert.equal(r.error!.retryable, true);

    fake.reset();
    const plain = await run(script.okJson({ error: { message: 'Invalid model name passed in model=gpt-x', type: 'invalid_request_error', code: '400' } }));
    assert.equal(plain.error?.code, 'bad_request');
    assert.match(plain.error!.message, /Invalid model name/);
    assert.equal(plain.error!.retryable, false);
  });

  void test('a 200 JSON body that is not an error (stream ignored): a clear protocol error', async () => {
    const r = await run(script.okJson({ id: 'x', object: 'chat.completion', choices: [] }));
    assert.equal(r.error?.code, 'network');
    assert.match(r.error!.message, /JSON body instead of an event stream/);
  });

  void test('an error object as one SSE data line mid-stream: the server\'s message; after output not retried', async () => {
    const r = await run(script.of(script.text('partial'), script.sseData({ error: { message: 'Provider disconnected unexpectedly', code: 'server_error' } })));
    assert.equal(r.text, 'partial');
    assert.equal(r.error?.code, 'network');
    assert.match(r.error!.message, /Provider disconnected unexpectedly/);
  });

  void test('OpenRouter finish_reason "error" without an error object is an error, not a success', async () => {
    const r = await run(script.quirky(script.text('cut'), { finishReason: 'error' }));
    assert.equal(r.error?.code, 'network');
    assert.match(r.error!.message, /finish_reason "error"/);
  });
});
