/**
 * An Azure OpenAI preset profile on the wire, as the real OpenAI SDK sends it: the deployment path,
 * `?api-version=…` and the key in `api-key` (not `Authorization`). A small recording proxy in
 * front of the fake LLM keeps the Azure path and query (the fake routes only `/v1/chat/completions`)
 * and forwards to the fake, which answers in the real wire format.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';
import { presetById, profileFromPreset } from '../../../src/vscode/presets';
import { mergeProfiles, runtimeProfileOf } from '../../../src/vscode/providers';
import { readSettings, type SettingKey } from '../../../src/vscode/settings';

const KEY = 'azure-test-key-0123456789';

interface Seen { url: string; headers: Record<string, string | string[] | undefined> }

/** Records each request's full URL and headers, then forwards it to `fake` as `/v1/chat/completions`. */
function recordingProxy(fake: FakeLlm): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const target = new URL(fake.url);
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: { ...req.headers } });
    const path = (req.url ?? '').split('?')[0]!.endsWith('/chat/completions') ? '/v1/chat/completions' : (req.url ?? '/');
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => { res.writeHead(502).end(); });
    req.pipe(out);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, seen });
  }));
}

void describe('Azure OpenAI preset on the wire', () => {
  let fake: FakeLlm;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  before(async () => { fake = await startFakeLlm(); proxy = await recordingProxy(fake); });
  after(async () => { proxy.server.close(); await fake.close(); });

  void test('deployment URL + api-version query + api-key header reach the server', async () => {
    const made = profileFromPreset(presetById('azure-openai')!, { resource: 'contoso', style: 'deployment', deployment: 'gpt-4.1', apiVersion: '2024-10-21' }, 'azure-contoso');
    // The same profile, pointed at the loopback proxy instead of contoso.openai.azure.com.
    const local = { ...made, baseUrl: made.baseUrl!.replace('https://contoso.openai.azure.com', proxy.url) };
    const read = readSettings((k: SettingKey) => (k === 'providers' ? { globalValue: [local] } : undefined));
    const runtime = runtimeProfileOf(mergeProfiles(read.settings.providers).find((p) => p.id === 'azure-contoso')!);
    const h = await startHarness({ fake, deps: { secrets: { getApiKey: async () => KEY }, providerProfiles: { 'azure-contoso': runtime } } });
    const s = await h.manager.create({ config: { providerId: 'azure-contoso', providerKind: 'openai', model: 'gpt-4.1' } });
    await h.manager.send(s.id, 'hello');
    await h.manager.whenIdle(s.id);
    await h.close();
    const req = proxy.seen.find((r) => r.url.includes('/chat/completions'));
    assert.ok(req, 'the request went through the proxy');
    const url = new URL(req.url, proxy.url);
    assert.equal(url.pathname, '/openai/deployments/gpt-4.1/chat/completions');
    assert.equal(url.searchParams.get('api-version'), '2024-10-21');
    assert.equal(req.headers['api-key'], KEY);
    assert.ok(!String(req.headers.authorization ?? '').includes(KEY), 'the key is not also sent as a Bearer token');
  });
});
