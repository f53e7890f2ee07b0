/** The OpenAI Responses API provider against the fake server's Responses wire format (the real SDK parses it). */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import { fakeEncrypted } from '../../fake-llm/responses';
import type { HistoryMessage, ModelProvider, ProviderEndpoint, StreamEvent } from '../../../src/core/providers/types';
import { buildResponsesParams } from '../../../src/core/providers/openai-responses';
import { createProvider } from '../../../src/core/providers/factory';
import { collect, fast, request, TEST_KEY } from './helpers';

const tools = [{ name: 'read_file', description: 'Reads a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
const ofType = <T extends StreamEvent['type']>(events: StreamEvent[], type: T): Extract<StreamEvent, { type: T }>[] =>
  events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);

void describe('openai responses provider', () => {
  let fake: FakeLlm;
  let provider: ModelProvider;
  const endpoint = (extra: Partial<ProviderEndpoint> = {}): ProviderEndpoint => ({ kind: 'openai', api: 'responses', baseUrl: fake.openaiBaseUrl, apiKey: TEST_KEY, ...extra });
  before(async () => {
    fake = await startFakeLlm();
    provider = createProvider(endpoint());
  });
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  void test('streams output_text deltas; stateless request: store false, instructions, input items, no previous_response_id', async () => {
    fake.enqueue(script.of(script.text('Hello there', 3), script.usage(30, 5)));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.equal(r.error, undefined);
    assert.deepEqual(ofType(r.events, 'text_delta').map((e) => e.text), ['Hell', 'o th', 'ere']);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'end_turn' });
    const req = fake.requests[0]!;
    assert.equal(req.path, '/v1/responses');
    assert.equal(req.format, 'responses');
    assert.equal(req.body?.store, false);
    assert.equal(req.body?.stream, true);
    assert.equal(req.body?.instructions, 'You are a test assistant.');
    assert.equal('previous_response_id' in req.body!, false);
    assert.equal('messages' in req.body!, false);
    assert.deepEqual(req.body?.input, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] }]);
    // gpt-4o does not reason: no reasoning block, no encrypted include.
    assert.equal(req.body?.reasoning, undefined);
    assert.equal(req.body?.include, undefined);
  });

  void test('a function call with argument deltas: start, deltas, end with parsed args, tool_use; tools sent as functions', async () => {
    fake.enqueue(script.of(script.text('Reading.'), script.toolCall('read_file', { path: 'src/a.ts' }, { id: 'call_abc', chunks: 4 })));
    const r = await collect(provider.stream(request('openai', { tools }), fast));
    assert.equal(r.error, undefined);
    assert.deepEqual(ofType(r.events, 'tool_call_start'), [{ type: 'tool_call_start', id: 'call_abc', name: 'read_file' }]);
    const deltas = ofType(r.events, 'tool_call_delta');
    assert.equal(deltas.length, 4);
    assert.equal(deltas.map((d) => d.argsDelta).join(''), '{"path":"src/a.ts"}');
    assert.deepEqual(ofType(r.events, 'tool_call_end'), [{ type: 'tool_call_end', id: 'call_abc', name: 'read_file', args: { path: 'src/a.ts' } }]);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
    assert.deepEqual(fake.requests[0]!.body?.tools, [{ type: 'function', name: 'read_file', description: 'Reads a file.', parameters: tools[0]!.inputSchema, strict: false }]);
  });

  void test('bad function arguments complete the call marked invalid', async () => {
    fake.enqueue(script.of({ type: 'toolCall', id: 'call_bad', name: 'read_file', rawArgs: '{"path": "x', chunks: 2 }));
    const r = await collect(provider.stream(request('openai', { tools }), fast));
    const end = ofType(r.events, 'tool_call_end')[0]!;
    assert.deepEqual(end.args, {});
    assert.match(end.invalid ?? '', /not valid JSON/);
  });

  void test('a reasoning model: summaries stream as thinking, sealed with the item id and its encrypted content', async () => {
    fake.enqueue(script.of(script.thinking('First, look. Then answer.', 'ignored', 3), script.text('Done.')));
    const r = await collect(provider.stream(request('openai', { model: 'gpt-5' }), fast));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.events.slice(0, 5).map((e) => e.type), ['thinking_delta', 'thinking_delta', 'thinking_delta', 'thinking_end', 'text_delta']);
    assert.equal(ofType(r.events, 'thinking_delta').map((e) => e.text).join(''), 'First, look. Then answer.');
    const [end] = ofType(r.events, 'thinking_end');
    assert.match(end?.itemId ?? '', /^rs_fake_\d+_0$/);
    assert.deepEqual(end, { type: 'thinking_end', itemId: end!.itemId, encrypted: fakeEncrypted(end!.itemId!, 'First, look. Then answer.') });
    const body = fake.requests[0]!.body!;
    assert.deepEqual(body.reasoning, { summary: 'auto' });
    assert.deepEqual(body.include, ['reasoning.encrypted_content']);
    assert.equal(body.store, false);
  });

  void test('reasoning effort goes in reasoning.effort, even for a model not known to reason', async () => {
    fake.enqueue(script.text('ok'));
    await collect(provider.stream(request('openai', { reasoningEffort: 'low' }), fast));
    assert.deepEqual(fake.requests[0]!.body?.reasoning, { effort: 'low', summary: 'auto' });
    assert.deepEqual(fake.requests[0]!.body?.include, ['reasoning.encrypted_content']);
  });

  void test('history goes as input items: messages, output messages, function calls and outputs, encrypted reasoning echoed', async () => {
    const messages: HistoryMessage[] = [
      { id: 'u1', role: 'user', content: 'go' },
      { id: 'a1', role: 'assistant', content: [
        { type: 'thinking', text: 'Plan: read.', itemId: 'rs_1', encrypted: 'gAAAA-enc-1' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_call', id: 'call_1', name: 'read_file', args: { path: 'a' } },
      ] },
      { id: 't1', role: 'tool', toolCallId: 'call_1', toolName: 'read_file', content: 'A' },
      // Thinking from another API (Anthropic signature, Chat reasoning_content) has nothing to echo.
      { id: 'a2', role: 'assistant', content: [{ type: 'thinking', text: 'hmm', signature: 'sig' }, { type: 'thinking', text: 'no id' }, { type: 'text', text: 'It says A.' }] },
      { id: 'u2', role: 'user', content: 'thanks' },
    ];
    fake.enqueue(script.text('welcome'));
    const r = await collect(provider.stream(request('openai', { model: 'gpt-5', messages, tools }), fast));
    assert.equal(r.error, undefined);
    const expected = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan: read.' }], encrypted_content: 'gAAAA-enc-1' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Reading.', annotations: [] }], status: 'completed' },
      { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'A' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'It says A.', annotations: [] }], status: 'completed' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'thanks' }] },
    ];
    assert.deepEqual(fake.requests[0]!.body?.input, expected);
    assert.equal(fake.requests[0]!.body?.store, false);
    assert.deepEqual(buildResponsesParams(request('openai', { model: 'gpt-5', messages })).input, expected);
  });

  void test('usage with cached tokens', async () => {
    fake.enqueue(script.of(script.text('hi'), script.usage(1200, 80, 1024)));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.deepEqual(ofType(r.events, 'usage'), [{ type: 'usage', usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 1024 } }]);
  });

  void test('max_output_tokens is sent; an incomplete response stops with max_tokens', async () => {
    fake.enqueue(script.of(script.text('partial'), script.stop('max_tokens')));
    const r = await collect(provider.stream(request('openai', { maxOutputTokens: 64 }), fast));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'partial');
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'max_tokens' });
    assert.equal(fake.requests[0]!.body?.max_output_tokens, 64);
  });

  void test('response.failed mid-stream is a server error (after output: not retried)', async () => {
    fake.enqueue(script.of(script.text('so far'), { type: 'error', status: 500, message: 'The model had an error.' }));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.equal(r.text, 'so far');
    assert.equal(r.error?.code, 'network');
    assert.match(r.error?.message ?? '', /The model had an error/);
    assert.equal(fake.requests.length, 1);
  });

  void test('an error event before any output is retried when retryable (rate limit), then succeeds', async () => {
    fake.enqueue(script.of({ type: 'text', text: '', chunks: 1 }, { type: 'error', status: 429, message: 'Slow down.' }), script.text('second try'));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.equal(r.error, undefined);
    assert.equal(ofType(r.events, 'retry')[0]?.error.code, 'rate_limited');
    assert.equal(r.text, 'second try');
  });

  void test('an invalid_request error event is a bad request, not retried', async () => {
    fake.enqueue(script.of(script.text('x'), { type: 'error', status: 400, message: 'Invalid tool schema.' }));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.equal(r.error?.code, 'bad_request');
    assert.match(r.error?.message ?? '', /Invalid tool schema/);
  });

  void test('HTTP errors keep their meaning: 401 auth, context too long', async () => {
    fake.enqueue(script.error(401));
    assert.equal((await collect(provider.stream(request('openai'), fast))).error?.code, 'auth');
    fake.enqueue(script.contextOverflow());
    assert.equal((await collect(provider.stream(request('openai'), fast))).error?.code, 'context_overflow');
  });

  void test('a stream that ends without response.completed is an error, never a success', async () => {
    fake.enqueue(script.of(script.text('cut'), script.missingEnd()), script.of(script.text('cut'), script.missingEnd()));
    const r = await collect(provider.stream(request('openai'), { ...fast, maxRetries: 0 }));
    assert.equal(r.error?.code, 'network');
    assert.match(r.error?.message ?? '', /response\.completed/);
    assert.ok(!r.events.some((e) => e.type === 'stop'));
  });

  void test('a dropped connection is a network error', async () => {
    fake.enqueue(script.of(script.text('abc'), script.disconnect()));
    const r = await collect(provider.stream(request('openai'), fast));
    assert.equal(r.error?.code, 'network');
  });

  void test('official endpoint without a key: auth error, no request made', async () => {
    const r = await collect(createProvider({ kind: 'openai', api: 'responses' }).stream(request('openai'), fast));
    assert.equal(r.error?.code, 'auth');
    assert.equal(fake.requests.length, 0);
  });
});
