/**
 * Anthropic Messages quirks (ping, mid-stream error events, 200 JSON bodies, parallel tool blocks)
 * and the auth header a custom profile chooses, through the real `@anthropic-ai/sdk` against the fake.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm, type Script } from '../../fake-llm';
import type { ProviderEndpoint } from '../../../src/core/providers/types';
import { createProvider } from '../../../src/core/providers/factory';
import { collect, fast, request, TEST_KEY } from './helpers';

void describe('anthropic: real-server quirks', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());
  const run = (endpoint: Partial<ProviderEndpoint> = {}, maxRetries = 0): Promise<Awaited<ReturnType<typeof collect>>> =>
    collect(createProvider({ kind: 'anthropic', baseUrl: fake.anthropicBaseUrl, apiKey: TEST_KEY, ...endpoint }).stream(request('anthropic'), { ...fast, maxRetries }));

  void test('ping events (after message_start and during a pause) are ignored', async () => {
    fake.enqueue(script.of(script.text('before'), script.keepAlive(60, 15), script.sseData({ type: 'ping' }, 'ping'), script.text(' after')));
    const r = await run();
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'before after');
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'end_turn' });
  });

  void test('a mid-stream overloaded_error before any output: overloaded, retried, then the answer', async () => {
    const overloadedEarly: Script = { steps: [{ type: 'keepAlive', durationMs: 20, intervalMs: 10 }, { type: 'error', status: 529, message: 'Overloaded' }] };
    fake.enqueue(overloadedEarly, script.text('second try'));
    const r = await run({}, 2);
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'second try');
    const retries = r.events.filter((e) => e.type === 'retry');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.type === 'retry' && retries[0]!.error.code, 'overloaded');
    assert.equal(fake.requests.length, 2);
  });

  void test('a mid-stream overloaded_error after output: overloaded (retryable) error, partial text kept, no silent retry', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'partial' }, { type: 'error', status: 529, message: 'Overloaded' }] }, script.text('must not be used'));
    const r = await run({}, 2);
    assert.equal(r.text, 'partial');
    assert.equal(r.error?.code, 'overloaded');
    assert.equal(r.error?.retryable, true);
    assert.match(r.error!.message, /Overloaded/);
    assert.equal(fake.requests.length, 1);
  });

  void test('HTTP 200 with a JSON error body (gateway): the gateway\'s message', async () => {
    fake.enqueue(script.okJson({ type: 'error', error: { type: 'invalid_request_error', message: 'LiteLLM: model claude-x not in model_list' } }));
    const r = await run();
    assert.equal(r.error?.code, 'bad_request');
    assert.match(r.error!.message, /not in model_list/);
    assert.doesNotMatch(r.error!.message, /message_stop/);
  });

  void test('several tool_use blocks in one message', async () => {
    fake.enqueue(script.toolCalls([{ id: 'toolu_A', name: 'read_file', args: { path: 'a' } }, { id: 'toolu_B', name: 'read_file', args: { path: 'b' } }], 3));
    const r = await run();
    assert.equal(r.error, undefined);
    assert.deepEqual(r.events.filter((e) => e.type === 'tool_call_end').map((e) => e.type === 'tool_call_end' && e.args), [{ path: 'a' }, { path: 'b' }]);
    assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
  });
});

void describe('anthropic: auth header of a custom profile', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());
  const headersFor = async (endpoint: Partial<ProviderEndpoint>): Promise<Record<string, string>> => {
    fake.enqueue(script.text('ok'));
    const r = await collect(createProvider({ kind: 'anthropic', baseUrl: fake.anthropicBaseUrl, apiKey: TEST_KEY, ...endpoint }).stream(request('anthropic'), fast));
    assert.equal(r.error, undefined);
    return fake.requests.at(-1)!.headers;
  };

  void test('default: what the bundled SDK sends for an apiKey (Authorization: Bearer), no x-api-key', async () => {
    const h = await headersFor({});
    assert.equal(h.authorization, `Bearer ${TEST_KEY}`);
    assert.equal(h['x-api-key'], undefined);
  });

  void test('"authorization": Authorization: Bearer <key> only', async () => {
    const h = await headersFor({ authHeader: 'authorization' });
    assert.equal(h.authorization, `Bearer ${TEST_KEY}`);
    assert.equal(h['x-api-key'], undefined);
  });

  void test('"x-api-key": x-api-key <key> only, no Authorization header at all', async () => {
    const h = await headersFor({ authHeader: 'x-api-key' });
    assert.equal(h['x-api-key'], TEST_KEY);
    assert.equal(h.authorization, undefined);
    assert.equal(Object.values(h).filter((v) => v.includes(TEST_KEY)).length, 1, 'the key travels in one header');
  });

  void test('"x-api-key" keeps the profile\'s other headers', async () => {
    const h = await headersFor({ authHeader: 'x-api-key', headers: { 'x-gateway-team': 'blue' } });
    assert.equal(h['x-gateway-team'], 'blue');
    assert.equal(h['x-api-key'], TEST_KEY);
  });
});
