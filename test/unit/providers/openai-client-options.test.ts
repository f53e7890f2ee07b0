/** How the OpenAI client is built, for both APIs: the key's header (Azure api-key), the api-version query, Chat reasoning_effort. */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { OpenAIApi, ProviderEndpoint } from '../../../src/core/providers/types';
import { buildOpenAIParams } from '../../../src/core/providers/openai';
import { createProvider } from '../../../src/core/providers/factory';
import { collect, fast, request, TEST_KEY } from './helpers';

void describe('openai client options', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  const send = async (endpoint: Omit<ProviderEndpoint, 'kind' | 'baseUrl'>, baseUrl = fake.openaiBaseUrl): Promise<void> => {
    fake.enqueue(script.text('ok'));
    const r = await collect(createProvider({ kind: 'openai', baseUrl, ...endpoint }).stream(request('openai'), fast));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'ok');
  };

  for (const api of ['chat', 'responses'] as const satisfies readonly OpenAIApi[]) {
    void test(`${api}: Azure style: the key only in api-key (no Authorization), api-version on the URL`, async () => {
      await send({ api, apiKey: TEST_KEY, authHeader: 'api-key', query: { 'api-version': '2025-04-01-preview' }, headers: { 'x-extra': 'yes' } });
      const req = fake.requests[0]!;
      assert.equal(req.path, api === 'chat' ? '/v1/chat/completions' : '/v1/responses');
      assert.equal(req.headers['api-key'], TEST_KEY);
      assert.equal(req.headers.authorization, undefined);
      assert.equal(req.headers['x-extra'], 'yes');
      assert.equal(new URL(req.url!, 'http://x').searchParams.get('api-version'), '2025-04-01-preview');
    });

    void test(`${api}: x-api-key gateways get the key there; the default is Authorization: Bearer`, async () => {
      await send({ api, apiKey: TEST_KEY, authHeader: 'x-api-key' });
      assert.equal(fake.requests[0]!.headers['x-api-key'], TEST_KEY);
      assert.equal(fake.requests[0]!.headers.authorization, undefined);
      await send({ api, apiKey: TEST_KEY });
      assert.equal(fake.requests[1]!.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.equal(fake.requests[1]!.headers['api-key'], undefined);
      assert.equal(fake.requests[1]!.url, fake.requests[1]!.path, 'no query without one configured');
    });

    void test(`${api}: a profile header cannot replace how the key is sent`, async () => {
      await send({ api, apiKey: TEST_KEY, authHeader: 'api-key', headers: { 'api-key': 'from-settings', Authorization: 'Bearer from-settings' } });
      assert.equal(fake.requests[0]!.headers['api-key'], TEST_KEY);
      assert.equal(fake.requests[0]!.headers.authorization, undefined);
    });
  }

  void test('keyless api-key endpoint sends no credential at all', async () => {
    await send({ api: 'responses', authHeader: 'api-key' });
    assert.equal(fake.requests[0]!.headers['api-key'], undefined);
    assert.equal(fake.requests[0]!.headers.authorization, undefined);
  });

  void test('Chat Completions: reasoning_effort when the session sets it, absent otherwise', async () => {
    assert.equal(buildOpenAIParams(request('openai', { reasoningEffort: 'high' }), true).reasoning_effort, 'high');
    assert.equal('reasoning_effort' in buildOpenAIParams(request('openai'), true), false);
    fake.enqueue(script.text('ok'));
    await collect(createProvider({ kind: 'openai', baseUrl: fake.openaiBaseUrl, apiKey: TEST_KEY }).stream(request('openai', { reasoningEffort: 'minimal' }), fast));
    assert.equal(fake.requests[0]!.body?.reasoning_effort, 'minimal');
    assert.equal(fake.requests[0]!.format, 'openai');
  });
});
