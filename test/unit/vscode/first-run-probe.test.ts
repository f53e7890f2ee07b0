import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { LLAMA_CPP_TARGET, probeProviders, probeTargets, type ProbeTarget } from '../../../src/vscode/first-run/probe';
import { mergeProfiles } from '../../../src/vscode/providers';
import { VsCodeHostServices } from '../../../src/vscode/host-services';
import { readSettings } from '../../../src/vscode/settings';
import { WorkspaceTrustState } from '../../../src/vscode/trust';
import { SecretStorageSecretSource } from '../../../src/vscode/secrets';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { nullLogger } from '../../../src/core/ports';
import { SecretRegistry } from '../../../src/vscode/logger';
import { FakeManager, FakeWebview } from './fakes';

/** A loopback server answering every request with `handler`; `hang` never answers. */
async function serve(handler: 'hang' | ((path: string) => { status: number; body: unknown })): Promise<{ url: string; server: Server; paths: string[]; auth: Array<string | undefined> }> {
  const paths: string[] = [];
  const auth: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    auth.push(req.headers.authorization ?? req.headers['x-api-key'] as string | undefined);
    if (handler === 'hang') return;
    const { status, body } = handler(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, paths, auth };
}

async function closedPort(): Promise<string> {
  const s = await serve(() => ({ status: 200, body: {} }));
  await new Promise((r) => s.server.close(r));
  return s.url;
}

let fake: FakeLlm;
const servers: Server[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); for (const s of servers) { s.closeAllConnections(); s.close(); } });

void describe('first run: probing local servers', () => {
  void test('lists only the servers that answer with a model list, in parallel within the timeout', async () => {
    const hang = await serve('hang');
    const garbage = await serve(() => ({ status: 200, body: { hello: 'not a model list' } }));
    const refused = await serve(() => ({ status: 401, body: { error: 'key please' } }));
    servers.push(hang.server, garbage.server, refused.server);
    const targets: ProbeTarget[] = [
      { providerId: 'up', label: 'Up', kind: 'openai', baseUrl: fake.openaiBaseUrl },
      { providerId: 'closed', label: 'Closed', kind: 'openai', baseUrl: `${await closedPort()}/v1` },
      { providerId: 'hang', label: 'Hangs', kind: 'openai', baseUrl: `${hang.url}/v1` },
      { providerId: 'garbage', label: 'Garbage', kind: 'openai', baseUrl: `${garbage.url}/v1` },
      { providerId: 'refused', label: 'Refused', kind: 'openai', baseUrl: `${refused.url}/v1` },
      { providerId: 'claude-gw', label: 'Anthropic format', kind: 'anthropic', baseUrl: fake.anthropicBaseUrl },
    ];
    const t0 = Date.now();
    const found = await probeProviders(targets, { timeoutMs: 300 });
    const took = Date.now() - t0;
    assert.deepEqual(found.map((f) => f.providerId), ['up', 'claude-gw']);
    assert.deepEqual(found[0]?.models, ['fake-model']);
    assert.equal(found[0]?.baseUrl, fake.openaiBaseUrl);
    assert.ok(took < 1_000, `parallel, bounded by the timeout (took ${took} ms)`);
    assert.deepEqual(hang.paths, ['/v1/models']);
    // No credentials go to a probed server.
    assert.deepEqual([...garbage.auth, ...refused.auth, ...hang.auth], [undefined, undefined, undefined]);
  });

  void test('Ollama without /v1/models: its own /api/tags listing', async () => {
    const ollamaLike = await serve((path) => (path === '/api/tags' ? { status: 200, body: { models: [{ name: 'llama3.2:3b', size: 1 }] } } : { status: 404, body: {} }));
    servers.push(ollamaLike.server);
    // The fallback is only for Ollama's port; emulate it by asking a target whose URL names port 11434 through a fetch that redirects there.
    const port = new URL(ollamaLike.url).port;
    const viaOllamaPort: typeof fetch = (input, init) => fetch(String(input).replace(':11434', `:${port}`), init);
    const found = await probeProviders([{ providerId: 'ollama', label: 'Ollama', kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' }], { fetch: viaOllamaPort });
    assert.deepEqual(found, [{ providerId: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3.2:3b'] }]);
    assert.deepEqual(ollamaLike.paths, ['/v1/models', '/api/tags']);
  });

  void test('targets: loopback profiles (built-ins and settings) plus llama.cpp, never a remote one', () => {
    const targets = probeTargets(mergeProfiles([
      { id: 'corp', kind: 'openai', baseUrl: 'https://llm.corp.example/v1', models: ['big'] },
      { id: 'vllm', kind: 'openai', baseUrl: 'http://localhost:8000/v1', models: [] },
    ]));
    assert.deepEqual(targets.map((t) => t.providerId), ['ollama', 'lmstudio', 'vllm', LLAMA_CPP_TARGET.providerId]);
    assert.equal(targets.find((t) => t.providerId === 'ollama')?.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(targets.find((t) => t.providerId === 'lmstudio')?.baseUrl, 'http://127.0.0.1:1234/v1');
  });

  void test('extra sources (VS Code models) are appended; their failure drops only their part', async () => {
    const up: ProbeTarget = { providerId: 'up', label: 'Up', kind: 'openai', baseUrl: fake.openaiBaseUrl };
    const lm = { providerId: 'vscode-lm', label: 'VS Code language models', models: ['copilot-gpt-4o'] };
    assert.deepEqual((await probeProviders([up], { extra: async () => [lm] })).map((f) => f.providerId), ['up', 'vscode-lm']);
    assert.deepEqual((await probeProviders([up], { extra: async () => { throw new Error('no lm'); } })).map((f) => f.providerId), ['up']);
  });

  void test('providers.probe through the router: a settings profile on loopback that answers, plus the extra source', async () => {
    const trust = new WorkspaceTrustState({ isTrusted: true, onDidGrantWorkspaceTrust: () => ({ dispose() {} }) });
    const storage = { get: async () => undefined, store: async () => undefined, delete: async () => undefined };
    const services = new VsCodeHostServices({
      logger: nullLogger, trust, secrets: new SecretStorageSecretSource(storage, new SecretRegistry()),
      settings: () => readSettings((key) => (key === 'providers' ? { globalValue: [{ id: 'my-vllm', kind: 'openai', baseUrl: fake.openaiBaseUrl, models: [] }] } : undefined)),
      openExternal: async () => true, viewDiff: async () => undefined, runAction: async () => undefined, setVisible: () => undefined, forget: () => undefined,
      probeExtra: async () => [{ providerId: 'vscode-lm', label: 'VS Code language models', models: ['gpt-4o'] }],
    });
    const manager = new FakeManager();
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1 });
    await web.waitFor((m) => m.kind === 'snapshot');
    const reply = await web.request('providers.probe', {});
    router.dispose();
    assert.ok(reply.ok);
    const found = (reply.result as { found: Array<{ providerId: string; models: string[] }> }).found;
    // Ollama, LM Studio and llama.cpp are not running on this machine's test ports; the fake answers.
    assert.deepEqual(found.filter((f) => f.providerId === 'my-vllm' || f.providerId === 'vscode-lm').map((f) => [f.providerId, f.models]), [['my-vllm', ['fake-model']], ['vscode-lm', ['gpt-4o']]]);
  });
});
