/**
 * Both providers, through the real SDKs, against the fake LLM server: the same scripts, the same
 * normalised results.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { ProviderKind, StreamEvent } from '../../../src/core/providers/types';
import { collect, fast, providerFor, request, TEST_KEY } from './helpers';

const KINDS: ProviderKind[] = ['openai', 'anthropic'];

for (const kind of KINDS) {
  void describe(`${kind} provider`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await startFakeLlm()));
    after(async () => fake.close());
    beforeEach(() => fake.reset());
    const stream = (overrides = {}, options = fast): AsyncIterable<StreamEvent> => providerFor(fake, kind).stream(request(kind, overrides), options);

    void test('streams text deltas and ends with one stop', async () => {
      fake.enqueue(script.text('Hello streaming world', 4));
      const r = await collect(stream());
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'Hello streaming world');
      assert.ok(r.events.filter((e) => e.type === 'text_delta').length >= 4);
      assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'end_turn' });
      assert.equal(r.events.filter((e) => e.type === 'stop').length, 1);
    });

    void test('tool calls with arguments split across chunks', async () => {
      fake.enqueue(script.of(script.text('Reading.'), script.toolCall('read_file', { path: 'src/a.ts', lines: [1, 20] }, { id: 'call_A', chunks: 7 }), script.toolCall('list', {}, { id: 'call_B' })));
      const tools = [{ name: 'read_file', description: 'Read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
      const r = await collect(stream({ tools }));
      assert.equal(r.error, undefined);
      const deltas = r.events.flatMap((e) => (e.type === 'tool_call_delta' && e.id === 'call_A' ? [e.argsDelta] : []));
      assert.ok(deltas.length >= 5, `args arrived in ${deltas.length} deltas`);
      assert.deepEqual(JSON.parse(deltas.join('')), { path: 'src/a.ts', lines: [1, 20] });
      const ends = r.events.filter((e) => e.type === 'tool_call_end');
      assert.deepEqual(ends, [
        { type: 'tool_call_end', id: 'call_A', name: 'read_file', args: { path: 'src/a.ts', lines: [1, 20] } },
        { type: 'tool_call_end', id: 'call_B', name: 'list', args: {} },
      ]);
      assert.ok(r.events.findIndex((e) => e.type === 'tool_call_start') < r.events.findIndex((e) => e.type === 'tool_call_end'));
      assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
      assert.ok(Array.isArray(fake.requests[0]!.body!.tools));
    });

    void test('usage includes cached tokens', async () => {
      fake.enqueue(script.of(script.text('ok'), script.usage(1000, 50, 600, kind === 'anthropic' ? 100 : undefined)));
      const r = await collect(stream());
      const usage = r.events.find((e) => e.type === 'usage');
      const expected = kind === 'anthropic'
        ? { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 600, cacheWriteTokens: 100 }
        : { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 600 };
      assert.deepEqual(usage, { type: 'usage', usage: expected });
    });

    void test('429 with retry-after is retried (visible retry event), then succeeds', async () => {
      fake.enqueue(script.error(429, { headers: { 'retry-after': '0.05' } }), script.text('after retry'));
      const r = await collect(stream({}, { maxBackoffMs: 5_000 }));
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'after retry');
      const retry = r.events.find((e) => e.type === 'retry');
      assert.ok(retry && retry.type === 'retry');
      assert.equal(retry.error.code, 'rate_limited');
      assert.equal(retry.delayMs, 50);
      assert.equal(retry.attempt, 1);
      assert.equal(fake.requests.length, 2);
    });

    void test('500 and 529 are retried', async () => {
      fake.enqueue(script.error(500), script.error(529), script.text('finally'));
      const r = await collect(stream());
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'finally');
      assert.deepEqual(r.events.flatMap((e) => (e.type === 'retry' ? [e.error.code] : [])), ['network', 'overloaded']);
    });

    void test('retries are bounded', async () => {
      fake.enqueue(script.error(503), script.error(503), script.error(503));
      const r = await collect(stream({}, { maxRetries: 2, maxBackoffMs: 5 }));
      assert.equal(r.error?.code, 'overloaded');
      assert.equal(fake.requests.length, 3);
    });

    void test('401 is an auth error with a hint, not retried', async () => {
      fake.enqueue(script.error(401), script.text('must not be used'));
      const r = await collect(stream());
      assert.equal(r.error?.code, 'auth');
      assert.equal(r.error?.retryable, false);
      assert.ok(r.error?.hint);
      assert.equal(fake.requests.length, 1);
    });

    void test('context-length errors are context_overflow', async () => {
      fake.enqueue(script.contextOverflow());
      const r = await collect(stream());
      assert.equal(r.error?.code, 'context_overflow');
      assert.equal(fake.requests.length, 1);
    });

    void test('mid-stream disconnect: network error, partial text kept, no retry after output', async () => {
      fake.enqueue(script.of(script.text('partial answer', 3), script.disconnect()), script.text('never'));
      const r = await collect(stream());
      assert.equal(r.error?.code, 'network');
      assert.equal(r.text, 'partial answer');
      assert.ok(!r.events.some((e) => e.type === 'stop'));
      assert.equal(fake.requests.length, 1);
    });

    void test('a malformed chunk is an error, never a stop', async () => {
      fake.enqueue(script.of(script.text('before'), script.malformed(), script.text('after')));
      const r = await collect(stream());
      assert.ok(r.error);
      assert.equal(r.text, 'before');
      assert.ok(!r.events.some((e) => e.type === 'stop'));
    });

    void test('a stream that ends without its end marker is an error', async () => {
      fake.enqueue(script.of(script.text('cut short'), script.missingEnd()));
      const r = await collect(stream({}, { ...fast, maxRetries: 0 }));
      assert.equal(r.error?.code, 'network');
      assert.equal(r.text, 'cut short');
      assert.ok(!r.events.some((e) => e.type === 'stop'));
    });

    void test('invalid tool-call arguments complete as an invalid call (never with parsed args); the stream goes on', async () => {
      fake.enqueue(script.of({ type: 'toolCall', id: 'call_bad', name: 'write', rawArgs: '{"path": "a.txt", "content": ', chunks: 3 }));
      const r = await collect(stream());
      assert.equal(r.error, undefined);
      const end = r.events.find((e) => e.type === 'tool_call_end');
      assert.ok(end?.type === 'tool_call_end' && end.invalid !== undefined && Object.keys(end.args).length === 0);
      assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
    });

    void test('a stalled stream trips the idle watchdog; partial output kept', async () => {
      fake.enqueue(script.of(script.text('thinking so far'), script.stall()));
      const r = await collect(stream({}, { idleTimeoutMs: 300, maxRetries: 0 }));
      assert.equal(r.error?.code, 'network');
      assert.match(r.error!.message, /stalled/);
      assert.equal(r.text, 'thinking so far');
      assert.ok(r.ms >= 250 && r.ms < 2_000, `took ${r.ms} ms`);
    });

    void test('a stall before any output is retried', async () => {
      fake.enqueue(script.stall(), script.text('second try'));
      const r = await collect(stream({}, { idleTimeoutMs: 300, maxBackoffMs: 5 }));
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'second try');
      assert.equal(r.events.find((e) => e.type === 'retry')?.type, 'retry');
    });

    void test('keep-alive pings keep a slow but alive stream going', async () => {
      fake.enqueue(script.of(script.text('a'), script.keepAlive(1_000, 100), script.text('b')));
      const r = await collect(stream({}, { idleTimeoutMs: 300 }));
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'ab');
      assert.ok(r.ms >= 900);
    });

    void test('cancel via AbortSignal stops the stream promptly', async () => {
      fake.enqueue(script.of(script.text('first'), script.delay(10_000), script.text('never')));
      const ac = new AbortController();
      let abortedAt = 0;
      const r = await collect(providerFor(fake, kind).stream(request(kind, { signal: ac.signal }), fast), (e) => {
        if (e.type === 'text_delta' && !abortedAt) {
          abortedAt = Date.now();
          ac.abort();
        }
      });
      assert.equal(r.error?.code, 'cancelled');
      assert.equal(r.text, 'first');
      assert.ok(Date.now() - abortedAt < 500, `cancel took ${Date.now() - abortedAt} ms`);
    });

    void test('cancel during a retry backoff is prompt', async () => {
      fake.enqueue(script.rateLimited(20));
      const ac = new AbortController();
      const started = Date.now();
      const r = await collect(providerFor(fake, kind).stream(request(kind, { signal: ac.signal }), { maxBackoffMs: 60_000 }), (e) => {
        if (e.type === 'retry') ac.abort();
      });
      assert.equal(r.error?.code, 'cancelled');
      assert.ok(Date.now() - started < 1_000);
    });

    void test('the API key travels only in the auth header', async () => {
      fake.enqueue(script.text('ok'));
      await collect(stream());
      const [req] = fake.requests;
      const carrying = Object.entries(req!.headers).filter(([, v]) => v.includes(TEST_KEY)).map(([k]) => k);
      assert.equal(carrying.length, 1);
      assert.ok(['authorization', 'x-api-key'].includes(carrying[0]!));
      assert.ok(!req!.rawBody.includes(TEST_KEY));
      assert.ok(!req!.path.includes(TEST_KEY));
    });

    void test('the SDK sees a real SSE stream (content-type and shape)', async () => {
      fake.enqueue(script.text('x'));
      await collect(stream());
      const body = fake.requests[0]!.body!;
      assert.equal(body.stream, true);
      assert.equal(body.model, request(kind).model);
    });
  });
}
