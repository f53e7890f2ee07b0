/**
 * Model discovery against a loopback HTTP server answering real-shaped listings (OpenAI, OpenRouter,
 * vLLM, LM Studio, Ollama, Anthropic in two pages); the cache; timeouts and bad bodies; the host's
 * models.list with its fallback to the suggestions.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentError } from '../../../src/core/base/errors';
import { discoverModels, flavorOf, isChatModelId } from '../../../src/core/providers/discovery';
import { ModelDiscoveryCache } from '../../../src/core/providers/discovery-cache';
import { ModelsService, type ListableProfile } from '../../../src/vscode/models-service';
import type { KeyTarget } from '../../../src/core/ports';

interface Seen { method: string; path: string; headers: IncomingMessage['headers']; body: string }
type Route = (req: Seen) => { status?: number; json?: unknown; raw?: string; delayMs?: number };

let server: Server;
let base = '';
let routes: Record<string, Route> = {};
let seen: Seen[] = [];
const KEY = 'sk-test-DISCOVERY42';

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const s: Seen = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body };
      seen.push(s);
      const route = routes[`${s.method} ${url.pathname}`];
      const out = route ? route(s) : { status: 404, json: { error: { message: `no route ${url.pathname}` } } };
      const send = (): void => {
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
        res.end(out.raw ?? JSON.stringify(out.json ?? {}));
      };
      if (out.delayMs) setTimeout(send, out.delayMs); else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
beforeEach(() => { routes = {}; seen = []; });

const OPENAI_LIST = {
  object: 'list',
  data: [
    { id: 'gpt-5.1', object: 'model', created: 1_763_000_000, owned_by: 'system' },
    { id: 'text-embedding-3-small', object: 'model', created: 1_705_948_997, owned_by: 'system' },
    { id: 'whisper-1', object: 'model', created: 1_677_532_384, owned_by: 'openai-internal' },
    { id: 'o1-mini', object: 'model', created: 1_725_649_008, owned_by: 'system' },
    { object: 'model' }, // no id: skipped
  ],
};

void describe('discoverModels', () => {
  void test('OpenAI: /models with a bearer key; non-chat models and entries without id dropped', async () => {
    routes['GET /v1/models'] = () => ({ json: OPENAI_LIST });
    const models = await discoverModels('openai', { kind: 'openai', baseUrl: `${base}/v1/`, apiKey: KEY });
    assert.deepEqual(models.map((m) => m.id), ['gpt-5.1', 'o1-mini']);
    assert.equal(seen[0]?.headers.authorization, `Bearer ${KEY}`);
  });

  void test('OpenRouter: context_length, pricing per token → per million, tools from supported_parameters, images from modalities', async () => {
    routes['GET /api/v1/models'] = () => ({
      json: {
        data: [
          {
            id: 'anthropic/claude-sonnet-4.6', canonical_slug: 'anthropic/claude-sonnet-4.6', name: 'Anthropic: Claude Sonnet 4.6', created: 1_771_000_000,
            context_length: 1_000_000, architecture: { modality: 'text+image->text', input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'Claude' },
            pricing: { prompt: '0.000003', completion: '0.000015', input_cache_read: '0.0000003', input_cache_write: '0.00000375', request: '0', image: '0.0048' },
            top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000, is_moderated: false },
            supported_parameters: ['max_tokens', 'temperature', 'tools', 'tool_choice', 'reasoning', 'include_reasoning'],
          },
          {
            id: 'some/tiny-chat', name: 'Tiny', context_length: 8192,
            architecture: { input_modalities: ['text'], output_modalities: ['text'] },
            pricing: { prompt: '-1', completion: '-1' }, supported_parameters: ['temperature', 'max_tokens'],
          },
          { id: 'some/image-gen', architecture: { input_modalities: ['text'], output_modalities: ['image'] }, pricing: { prompt: '0', completion: '0' } },
        ],
      },
    });
    const models = await discoverModels('openrouter', { kind: 'openai', baseUrl: `${base}/api/v1`, apiKey: KEY });
    assert.deepEqual(models.map((m) => m.id), ['anthropic/claude-sonnet-4.6', 'some/tiny-chat']);
    const [sonnet, tiny] = models;
    assert.equal(sonnet?.label, 'Anthropic: Claude Sonnet 4.6');
    assert.equal(sonnet?.contextWindow, 1_000_000);
    assert.deepEqual(sonnet?.capabilities, { tools: true, images: true, reasoning: true });
    assert.deepEqual(sonnet?.price, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    assert.deepEqual(tiny?.capabilities, { tools: false, images: false, reasoning: false });
    assert.equal(tiny?.price, undefined, 'a variable price ("-1") is no price');
  });

  void test('vLLM: max_model_len', async () => {
    routes['GET /v1/models'] = () => ({
      json: { object: 'list', data: [{ id: 'Qwen/Qwen2.5-Coder-32B-Instruct', object: 'model', created: 1, owned_by: 'vllm', root: 'Qwen/Qwen2.5-Coder-32B-Instruct', parent: null, max_model_len: 32_768, permission: [{ id: 'modelperm-1', object: 'model_permission' }] }] },
    });
    const [m] = await discoverModels('vllm', { kind: 'openai', baseUrl: `${base}/v1` });
    assert.equal(m?.contextWindow, 32_768);
    assert.equal(seen[0]?.headers.authorization, undefined, 'no key, no header');
  });

  void test('LM Studio: /api/v0/models (type, max_context_length, tool_use), embeddings dropped; an old one falls back to /v1/models', async () => {
    routes['GET /api/v0/models'] = () => ({
      json: {
        object: 'list',
        data: [
          { id: 'qwen2.5-7b-instruct', object: 'model', type: 'llm', publisher: 'lmstudio-community', arch: 'qwen2', compatibility_type: 'gguf', quantization: 'Q4_K_M', state: 'loaded', max_context_length: 32_768, capabilities: ['tool_use'] },
          { id: 'gemma-3-4b-it', object: 'model', type: 'vlm', publisher: 'google', arch: 'gemma3', state: 'not-loaded', max_context_length: 131_072, capabilities: [] },
          { id: 'text-embedding-nomic-embed-text-v1.5', object: 'model', type: 'embeddings', state: 'not-loaded', max_context_length: 2048 },
        ],
      },
    });
    const models = await discoverModels('lmstudio', { kind: 'openai', baseUrl: `${base}/v1` });
    assert.deepEqual(models.map((m) => [m.id, m.contextWindow, m.capabilities?.tools, m.capabilities?.images]), [
      ['qwen2.5-7b-instruct', 32_768, true, false],
      ['gemma-3-4b-it', 131_072, undefined, true], // no tool_use: LM Studio still runs tools in its default format
    ]);
    routes = { 'GET /v1/models': () => ({ json: { object: 'list', data: [{ id: 'local-model', object: 'model', owned_by: 'organization_owner' }] } }) };
    assert.deepEqual((await discoverModels('lmstudio', { kind: 'openai', baseUrl: `${base}/v1` })).map((m) => m.id), ['local-model']);
  });

  void test('Ollama: /v1/models, then /api/show for capabilities and num_ctx; embedding models dropped; a failing show keeps the model', async () => {
    routes['GET /v1/models'] = () => ({
      json: { object: 'list', data: ['qwen2.5-coder:7b', 'gemma3:4b', 'nomic-embed-text:latest', 'broken:1b'].map((id) => ({ id, object: 'model', created: 1_733_000_000, owned_by: 'library' })) },
    });
    routes['POST /api/show'] = (req) => {
      const model = (JSON.parse(req.body) as { model: string }).model;
      if (model === 'broken:1b') return { status: 500, json: { error: 'boom' } };
      const caps: Record<string, string[]> = { 'qwen2.5-coder:7b': ['completion', 'tools', 'insert'], 'gemma3:4b': ['completion', 'vision'], 'nomic-embed-text:latest': ['embedding'] };
      return { json: { modelfile: '# Modelfile', parameters: model === 'qwen2.5-coder:7b' ? 'num_ctx                        16384\nstop "<|im_end|>"' : 'stop "<end_of_turn>"', template: '{{ .Prompt }}', details: { family: 'x' }, model_info: { 'general.architecture': 'x', 'x.context_length': 131_072 }, capabilities: caps[model] } };
    };
    const models = await discoverModels('ollama', { kind: 'openai', baseUrl: `${base}/v1` });
    assert.deepEqual(models.map((m) => m.id), ['qwen2.5-coder:7b', 'gemma3:4b', 'broken:1b']);
    assert.deepEqual(models[0], { id: 'qwen2.5-coder:7b', contextWindow: 16_384, capabilities: { tools: true, images: false, reasoning: false } });
    assert.deepEqual(models[1]?.capabilities, { tools: false, images: true, reasoning: false });
    assert.equal(models[1]?.contextWindow, undefined, 'the trained length is not the served window');
    assert.equal(models[2]?.capabilities, undefined);
  });

  void test('Anthropic: x-api-key and anthropic-version, two pages by after_id, display_name and max_input_tokens', async () => {
    routes['GET /v1/models'] = (req) => {
      const after = new URL(req.path, 'http://x').searchParams.get('after_id');
      if (!after) {
        return { json: { data: [
          { type: 'model', id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: '2026-02-05T00:00:00Z', max_input_tokens: 200_000, max_tokens: 128_000, capabilities: { image_input: { supported: true }, thinking: { supported: true, types: {} }, batch: { supported: true } } },
          { type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
        ], has_more: true, first_id: 'claude-opus-4-6', last_id: 'claude-sonnet-4-6' } };
      }
      assert.equal(after, 'claude-sonnet-4-6');
      return { json: { data: [{ type: 'model', id: 'claude-3-haiku-20240307', display_name: 'Claude Haiku 3', created_at: '2024-03-07T00:00:00Z' }], has_more: false, first_id: 'claude-3-haiku-20240307', last_id: 'claude-3-haiku-20240307' } };
    };
    const models = await discoverModels('anthropic', { kind: 'anthropic', baseUrl: base, apiKey: KEY });
    assert.deepEqual(models.map((m) => m.id), ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-3-haiku-20240307']);
    assert.deepEqual(models[0], { id: 'claude-opus-4-6', label: 'Claude Opus 4.6', contextWindow: 200_000, capabilities: { tools: true, images: true, reasoning: true } });
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.headers['x-api-key'], KEY);
    assert.equal(seen[0]?.headers['anthropic-version'], '2023-06-01');
    assert.equal(seen[0]?.headers.authorization, undefined);
    // A gateway that wants a bearer token.
    seen = [];
    await discoverModels('gw', { kind: 'anthropic', baseUrl: `${base}/v1`, apiKey: KEY, authHeader: 'authorization' });
    assert.equal(seen[0]?.headers.authorization, `Bearer ${KEY}`);
    assert.equal(seen[0]?.headers['x-api-key'], undefined);
  });

  void test('Azure-style: api-key header and api-version query', async () => {
    routes['GET /openai/models'] = () => ({ json: { data: [{ id: 'gpt-4.1', object: 'model' }] } });
    await discoverModels('azure', { kind: 'openai', baseUrl: `${base}/openai`, apiKey: KEY, authHeader: 'api-key', query: { 'api-version': '2025-04-01-preview' } });
    assert.equal(seen[0]?.headers['api-key'], KEY);
    assert.equal(seen[0]?.headers.authorization, undefined);
    assert.match(seen[0]?.path ?? '', /api-version=2025-04-01-preview/);
  });

  void test('errors: 401 → auth, 404 → not_found, bad JSON and wrong shape → unsupported, slow → network timeout, abort → cancelled, refused → network; no key in messages', async () => {
    const ask = (path: string, extra: { timeoutMs?: number; signal?: AbortSignal; baseUrl?: string } = {}) =>
      discoverModels('x', { kind: 'openai', baseUrl: extra.baseUrl ?? `${base}${path}`, apiKey: KEY }, { timeoutMs: extra.timeoutMs ?? 2_000, ...(extra.signal ? { signal: extra.signal } : {}) });
    const codeOf = async (p: Promise<unknown>): Promise<AgentError> => {
      try { await p; } catch (e) { assert.ok(e instanceof AgentError); assert.ok(!e.message.includes(KEY), e.message); return e; }
      assert.fail('expected an error');
    };
    routes['GET /a/models'] = () => ({ status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
    routes['GET /b/models'] = () => ({ raw: '<html>Welcome to nginx</html>' });
    routes['GET /c/models'] = () => ({ json: { models: [] } });
    routes['GET /d/models'] = () => ({ json: { data: [] }, delayMs: 500 });
    assert.equal((await codeOf(ask('/a'))).code, 'auth');
    assert.equal((await codeOf(ask('/nothing'))).code, 'not_found');
    const notJson = await codeOf(ask('/b'));
    assert.equal(notJson.code, 'unsupported');
    assert.match(notJson.message, /not JSON/);
    assert.match((await codeOf(ask('/c'))).message, /not a model list/);
    const slow = await codeOf(ask('/d', { timeoutMs: 100 }));
    assert.equal(slow.code, 'network');
    assert.match(slow.message, /did not answer/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    assert.equal((await codeOf(ask('/d', { signal: ac.signal }))).code, 'cancelled');
    assert.equal((await codeOf(ask('', { baseUrl: 'http://127.0.0.1:9/v1' }))).code, 'network');
  });

  void test('flavor from profile id or port; chat-model filter', () => {
    assert.equal(flavorOf('ollama', { kind: 'openai' }), 'ollama');
    assert.equal(flavorOf('mine', { kind: 'openai', baseUrl: 'http://localhost:11434/v1' }), 'ollama');
    assert.equal(flavorOf('mine', { kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' }), 'lmstudio');
    assert.equal(flavorOf('mine', { kind: 'anthropic' }), 'anthropic');
    assert.equal(flavorOf('vllm', { kind: 'openai', baseUrl: 'http://10.0.0.2:8000/v1' }), 'openai');
    assert.equal(isChatModelId('gpt-4o-mini-tts'), false);
    assert.equal(isChatModelId('gpt-4o-mini'), true);
  });
});

void describe('ModelDiscoveryCache', () => {
  void test('fresh within the TTL, refreshed after it or on refresh; per base URL; failures not cached', async () => {
    let now = 1_000;
    const cache = new ModelDiscoveryCache({ ttlMs: 10_000, clock: { now: () => now } });
    let calls = 0;
    const load = async () => [{ id: `m${++calls}` }];
    assert.equal((await cache.get('p', 'http://a', load)).models[0]?.id, 'm1');
    now += 9_999;
    assert.equal((await cache.get('p', 'http://a', load)).models[0]?.id, 'm1');
    assert.equal((await cache.get('p', 'http://b', load)).models[0]?.id, 'm2', 'another base URL is another listing');
    now += 2;
    const later = await cache.get('p', 'http://a', load);
    assert.equal(later.models[0]?.id, 'm3');
    assert.equal(later.fetchedAt, now);
    assert.equal((await cache.get('p', 'http://a', load, true)).models[0]?.id, 'm4');
    await assert.rejects(cache.get('p', 'http://a', async () => { throw new AgentError('network', 'down'); }, true));
    assert.equal(cache.peek('p', 'http://a')?.models[0]?.id, 'm4', 'a failure leaves the last listing');
    const [x, y] = await Promise.all([cache.get('q', undefined, load), cache.get('q', undefined, load)]);
    assert.equal(x, y, 'concurrent asks share one load');
  });
});

void describe('ModelsService (models.list)', () => {
  const profiles: ListableProfile[] = [];
  const targets: KeyTarget[] = [];
  const keys: Record<string, string> = {};
  const service = (): ModelsService => new ModelsService({
    profiles: () => profiles,
    secrets: { getApiKey: async (id, target) => { if (target) targets.push(target); return keys[id]; } },
    discovery: { timeoutMs: 2_000 },
    vscodeLmModels: async () => [{ id: 'copilot-gpt-5.1', label: 'GPT-5.1 (Copilot)' }],
  });

  void test('server listing with table, listing and override layers; key asked with its target; cached until refresh', async () => {
    profiles.splice(0, profiles.length, {
      id: 'vllm', label: 'vLLM', kind: 'openai', baseUrl: `${base}/v1`, models: ['suggested'], requiresKey: true,
      prices: { 'gpt-4.1': { input: 9, output: 9, cacheRead: 9, cacheWrite: 9 } }, modelOverrides: { 'gpt-4.1': { tools: false } },
    });
    keys.vllm = KEY;
    routes['GET /v1/models'] = () => ({ json: { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', max_model_len: 65_536 }, { id: 'my-model', object: 'model' }] } });
    const svc = service();
    const listing = await svc.listModels('vllm', false);
    assert.equal(listing.source, 'server');
    assert.equal(typeof listing.fetchedAt, 'number');
    assert.deepEqual(listing.models, [
      { id: 'gpt-4.1', contextWindow: 65_536, capabilities: { tools: false, images: true, reasoning: false }, price: { input: 9, output: 9, cacheRead: 9, cacheWrite: 9 } },
      { id: 'my-model' },
    ]);
    assert.deepEqual(targets.at(-1), { kind: 'openai', baseUrl: `${base}/v1` });
    assert.equal(seen.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(svc.listedModel('vllm', 'gpt-4.1'), { contextWindow: 65_536 }, 'vLLM says the window, nothing of capabilities');
    await svc.listModels('vllm', false);
    assert.equal(seen.length, 1, 'served from the cache');
    await svc.listModels('vllm', true);
    assert.equal(seen.length, 2, 'refresh asks again');
  });

  void test('the server cannot be asked: suggestions with the error; no key → no request; unknown profile → not_found; vscode-lm → the hook', async () => {
    profiles.splice(0, profiles.length,
      { id: 'openai', label: 'OpenAI', kind: 'openai', baseUrl: `${base}/v1`, models: ['gpt-5.1', 'o1-mini'], requiresKey: true },
      { id: 'down', label: 'Down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', models: ['local-model'], requiresKey: false },
      { id: 'vscode-lm', label: 'VS Code', kind: 'vscode-lm', models: [], requiresKey: false },
    );
    delete keys.openai;
    const svc = service();
    const noKey = await svc.listModels('openai', false);
    assert.equal(noKey.source, 'suggested');
    assert.equal(noKey.error?.code, 'auth');
    assert.equal(seen.length, 0, 'nothing sent without a key');
    assert.deepEqual(noKey.models[0], { id: 'gpt-5.1', contextWindow: 400_000, capabilities: { tools: true, images: true, reasoning: true }, price: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 } });
    assert.equal(noKey.models[1]?.capabilities?.tools, false);
    const down = await svc.listModels('down', false);
    assert.equal(down.source, 'suggested');
    assert.equal(down.error?.code, 'network');
    await assert.rejects(svc.listModels('nope', false), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    const lm = await svc.listModels('vscode-lm', false);
    assert.equal(lm.source, 'server');
    assert.equal(lm.models[0]?.id, 'copilot-gpt-5.1');
  });

  void test('a listing that says tools: false reaches the session check through listedModel', async () => {
    profiles.splice(0, profiles.length, { id: 'or', label: 'OpenRouter', kind: 'openai', baseUrl: `${base}/api/v1`, models: [], requiresKey: false });
    routes['GET /api/v1/models'] = () => ({ json: { data: [{ id: 'x/no-tools', context_length: 4096, supported_parameters: ['temperature'] }] } });
    const svc = service();
    assert.equal(svc.listedModel('or', 'x/no-tools'), undefined, 'not asked yet: unknown');
    await svc.listModels('or', false);
    assert.deepEqual(svc.listedModel('or', 'x/no-tools'), { tools: false, reasoning: false, contextWindow: 4096 });
  });
});
