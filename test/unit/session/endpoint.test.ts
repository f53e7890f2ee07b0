/**
 * A session's provider endpoint is resolved in one place (session/endpoint.ts), for turns,
 * compaction and side questions alike (issue 12).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectProvider, resolveEndpoint, type ProviderAccess } from '../../../src/core/session/endpoint';
import type { ModelProvider, ProviderEndpoint } from '../../../src/core/providers/types';
import { createProvider } from '../../../src/core/providers/factory';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, FAKE_KEY } from './harness';

function access(keys: Record<string, string | undefined>, profiles: Record<string, string>): ProviderAccess & { made: ProviderEndpoint[] } {
  const made: ProviderEndpoint[] = [];
  return {
    made,
    secrets: { getApiKey: async (id) => keys[id] },
    profileEndpoint: (id) => (profiles[id] ? { baseUrl: profiles[id] } : undefined),
    createProvider: (endpoint) => { made.push(endpoint); return { kind: endpoint.kind } as unknown as ModelProvider; },
  };
}

void describe('resolveEndpoint', () => {
  void test("the config's own base URL wins over the profile's; the profile's key goes with it", async () => {
    const a = access({ lab: 'sk-lab' }, { lab: 'http://127.0.0.1:1/profile' });
    assert.deepEqual(await resolveEndpoint(a, { providerId: 'lab', providerKind: 'openai', baseUrl: 'http://127.0.0.1:1/own' }),
      { kind: 'openai', baseUrl: 'http://127.0.0.1:1/own', apiKey: 'sk-lab' });
  });

  void test("without a base URL in the config the profile's is used; without either, none (the provider's default)", async () => {
    const a = access({}, { lab: 'http://127.0.0.1:1/profile' });
    assert.deepEqual(await resolveEndpoint(a, { providerId: 'lab', providerKind: 'anthropic' }), { kind: 'anthropic', baseUrl: 'http://127.0.0.1:1/profile' });
    // No key set: no apiKey field at all (not `apiKey: undefined`), so the SDK's own lookup stays off.
    assert.deepEqual(await resolveEndpoint(a, { providerId: 'other', providerKind: 'openai' }), { kind: 'openai' });
  });

  void test('the key is looked up on every call: a key changed in the secret store applies to the next request', async () => {
    const keys: Record<string, string | undefined> = { lab: 'sk-old' };
    const a = access(keys, {});
    await connectProvider(a, { providerId: 'lab', providerKind: 'openai' });
    keys.lab = 'sk-new';
    await connectProvider(a, { providerId: 'lab', providerKind: 'openai' });
    assert.deepEqual(a.made.map((e) => e.apiKey), ['sk-old', 'sk-new']);
  });

  void test("the profile's endpoint settings travel with it; the secret source is told where the key would go", async () => {
    const targets: unknown[] = [];
    const a: ProviderAccess = {
      secrets: { getApiKey: async (_id, target) => { targets.push(target); return 'sk-az'; } },
      profileEndpoint: () => ({ baseUrl: 'http://127.0.0.1:1/az', api: 'responses', authHeader: 'api-key', query: { 'api-version': '2025-04-01-preview' } }),
      createProvider: () => { throw new Error('unused'); },
    };
    assert.deepEqual(await resolveEndpoint(a, { providerId: 'az', providerKind: 'openai' }), {
      api: 'responses', authHeader: 'api-key', query: { 'api-version': '2025-04-01-preview' }, kind: 'openai', baseUrl: 'http://127.0.0.1:1/az', apiKey: 'sk-az',
    });
    await resolveEndpoint(a, { providerId: 'az', providerKind: 'openai', baseUrl: 'http://127.0.0.1:2/elsewhere' });
    assert.deepEqual(targets, [{ kind: 'openai', baseUrl: 'http://127.0.0.1:1/az' }, { kind: 'openai', baseUrl: 'http://127.0.0.1:2/elsewhere' }]);
  });

  void test('no file of the session engine but endpoint.ts works out an endpoint itself', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'core', 'session');
    const copies = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'endpoint.ts')
      .filter((f) => /\.getApiKey\(|\.profileEndpoint\(/.test(readFileSync(join(dir, f), 'utf8')));
    assert.deepEqual(copies, []);
  });
});

void describe('turns, compaction and side questions reach the same endpoint', () => {
  let fake: FakeLlm;
  before(async () => { fake = await startFakeLlm(); });
  after(async () => { await fake.close(); });

  void test('each request of a session without its own base URL goes to its profile, with its key', async () => {
    fake.reset();
    const endpoints: ProviderEndpoint[] = [];
    const h = await startHarness({ fake, deps: { createProvider: (e) => { endpoints.push(e); return createProvider(e); } } });
    try {
      fake.setResponder(() => script.text('an answer'));
      const s = await h.manager.create({ title: 'endpoints' });
      for (const text of ['one', 'two', 'three']) {
        await h.manager.send(s.id, text);
        await h.manager.whenIdle(s.id);
      }
      await h.manager.compact(s.id);
      await h.manager.ask(s.id, 'what happened?');
      assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted' && e.method === 'llm').length, 1);
      // Three turns, one compaction summary, one side question.
      assert.equal(endpoints.length, 5);
      for (const e of endpoints) assert.deepEqual(e, { kind: 'openai', baseUrl: fake.openaiBaseUrl, apiKey: FAKE_KEY });
      assert.equal(fake.requests.length, 5);
    } finally {
      await h.close();
    }
  });
});
