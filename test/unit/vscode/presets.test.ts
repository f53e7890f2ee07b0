/**
 * Provider presets: each makes a profile the settings reader accepts; the profile reaches core's
 * endpoint (base URL, api, auth header, api-version query, headers) and its price overrides reach
 * the cost. The add flow writes only the user settings and asks for the key when it needs one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';
import { resolveEndpoint, profileEndpointOf } from '../../../src/core/session/endpoint';
import { isLoopbackUrl, SecretStorageSecretSource, type SecretStoragePort } from '../../../src/vscode/secrets';
import { SecretRegistry, createRedactingLogger } from '../../../src/vscode/logger';
import { addProviderFromPreset, type PresetFlowPort } from '../../../src/vscode/preset-flow';
import { AZURE_GA_API_VERSION, fieldsToAsk, presetById, presetInfos, profileFromPreset, PROVIDER_PRESETS, type PresetAnswers } from '../../../src/vscode/presets';
import { mergeProfiles, profileModelInfo, runtimeProfileOf } from '../../../src/vscode/providers';
import { readSettings, type SettingInspection, type SettingKey } from '../../../src/vscode/settings';
import { VsCodeHostServices } from '../../../src/vscode/host-services';
import { WorkspaceTrustState } from '../../../src/vscode/trust';

/** Answers that fill every field a preset asks (Azure: resource, style, deployment, api-version). */
const SAMPLE: Record<string, PresetAnswers> = {
  'azure-openai': { resource: 'contoso-ai', style: 'deployment', deployment: 'gpt-4.1', apiVersion: AZURE_GA_API_VERSION },
  litellm: { baseUrl: 'http://127.0.0.1:4000' },
  llamacpp: { baseUrl: 'http://127.0.0.1:8080/v1' },
};

const userProviders = (list: unknown[]) => readSettings((key: SettingKey): SettingInspection | undefined => (key === 'providers' ? { globalValue: list } : undefined));

class MemoryStorage implements SecretStoragePort {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async store(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { this.map.delete(k); }
}

/** A scripted PresetFlowPort: answers picks and inputs in order, records what the flow did. */
function fakePort(replies: Array<string | undefined>, initial: unknown[] = []) {
  const log = { written: undefined as unknown[] | undefined, keysAsked: [] as string[], asked: [] as string[], confirms: 0 };
  const next = (what: string) => { log.asked.push(what); return replies.shift(); };
  const port: PresetFlowPort = {
    pick: async (title) => next(`pick:${title}`),
    input: async (o) => {
      const v = next(`input:${o.title}`);
      assert.equal(v === undefined ? undefined : o.validate?.(v), undefined, `the scripted answer for ${o.title} is valid`);
      return v;
    },
    readUserProfiles: () => structuredClone(initial),
    writeUserProfiles: async (p) => { log.written = structuredClone(p); },
    setKey: async (id) => { log.keysAsked.push(id); },
    confirm: async () => { log.confirms++; return replies.shift() === 'yes'; },
    info: () => undefined,
  };
  return { port, log };
}

void describe('provider presets', () => {
  void test('the catalogue: every preset the issue names, described, keyless only where the server allows', () => {
    const infos = presetInfos();
    assert.deepEqual(infos.map((p) => p.id), ['openrouter', 'gemini', 'groq', 'deepseek', 'mistral', 'xai', 'azure-openai', 'litellm', 'llamacpp']);
    for (const p of infos) {
      assert.ok(p.label && p.description.length > 20, p.id);
      assert.equal(p.kind, 'openai');
      assert.equal(p.requiresKey, !isLoopbackUrl(p.baseUrl), `${p.id}: a key exactly for the hosted ones`);
    }
    assert.equal(presetById('gemini')?.baseUrl, 'https://generativelanguage.googleapis.com/v1beta/openai/');
    assert.equal(presetById('llamacpp')?.baseUrl, 'http://127.0.0.1:8080/v1');
    assert.equal(presetById('litellm')?.baseUrl, 'http://127.0.0.1:4000');
  });

  void test('every preset makes a profile the settings reader accepts, with its models and preset id', () => {
    for (const preset of PROVIDER_PRESETS) {
      const profile = profileFromPreset(preset, SAMPLE[preset.id] ?? {}, preset.id);
      const r = userProviders([profile]);
      assert.deepEqual(r.problems, [], preset.id);
      const merged = mergeProfiles(r.settings.providers).find((p) => p.id === preset.id)!;
      assert.equal(merged.preset, preset.id);
      assert.ok(merged.models.length > 0, `${preset.id} suggests models`);
      assert.equal(merged.requiresKey, preset.requiresKey);
      assert.ok(merged.baseUrl && !merged.baseUrl.includes('<'), `${preset.id}: the template is filled`);
    }
  });

  void test('Azure, deployment URL: base URL, api-key header and api-version reach core\'s endpoint', async () => {
    const azure = presetById('azure-openai')!;
    const profile = profileFromPreset(azure, SAMPLE['azure-openai']!, 'azure-contoso-ai');
    const runtime = runtimeProfileOf(mergeProfiles(userProviders([profile]).settings.providers).find((p) => p.id === 'azure-contoso-ai')!);
    const endpoint = await resolveEndpoint(
      { secrets: { getApiKey: async () => 'azure-test-key' }, profileEndpoint: () => profileEndpointOf(runtime) },
      { providerId: 'azure-contoso-ai', providerKind: 'openai' },
    );
    assert.deepEqual(endpoint, {
      kind: 'openai', baseUrl: 'https://contoso-ai.openai.azure.com/openai/deployments/gpt-4.1',
      authHeader: 'api-key', query: { 'api-version': '2024-10-21' }, apiKey: 'azure-test-key',
    });
    assert.deepEqual(runtime.models, ['gpt-4.1'], 'the deployment is the model');
  });

  void test('Azure, v1 API: /openai/v1/, api-key header, no dated api-version', () => {
    const azure = presetById('azure-openai')!;
    const answers: PresetAnswers = { resource: 'contoso-ai', style: 'v1' };
    assert.deepEqual(fieldsToAsk(azure, answers).map((f) => f.id), ['deployment'], 'no api-version question for v1');
    const p = profileFromPreset(azure, { ...answers, deployment: 'my-gpt5' }, 'azure-contoso-ai');
    assert.equal(p.baseUrl, 'https://contoso-ai.openai.azure.com/openai/v1/');
    assert.equal(p.authHeader, 'api-key');
    assert.equal(p.apiVersion, undefined);
    assert.deepEqual(p.models, ['my-gpt5']);
  });

  void test('bad answers are refused with what is wrong', () => {
    const azure = presetById('azure-openai')!;
    assert.throws(() => profileFromPreset(azure, { ...SAMPLE['azure-openai'], resource: 'evil.example.com/x' }, 'a'), /Letters, digits and hyphens/);
    assert.throws(() => profileFromPreset(azure, { resource: 'r', style: 'v1' }, 'a'), /Deployment name.*missing/);
    assert.throws(() => profileFromPreset(presetById('litellm')!, { baseUrl: 'file:///etc/passwd' }, 'a'), /http\(s\)/);
  });

  void test('a profile\'s headers and price override reach the request and the cost (real SDK, fake server)', async () => {
    const fake = await startFakeLlm();
    const profile = { ...profileFromPreset(presetById('openrouter')!, {}, 'openrouter'), baseUrl: fake.openaiBaseUrl, prices: { 'house-model': { input: 10, output: 20 } } };
    const merged = mergeProfiles(userProviders([profile]).settings.providers).find((p) => p.id === 'openrouter')!;
    const h2 = await startHarness({ fake, deps: { providerProfiles: { openrouter: runtimeProfileOf(merged) } } });
    h2.fake.enqueue(script.of(script.text('hi'), script.usage(1_000_000, 100_000)));
    const s = await h2.manager.create({ config: { providerId: 'openrouter', providerKind: 'openai', model: 'house-model' } });
    await h2.manager.send(s.id, 'hello');
    const usage = await h2.waitFor('usage.updated', (e) => e.sessionId === s.id);
    await h2.manager.whenIdle(s.id);
    assert.equal(h2.fake.requests[0]?.headers['x-title'], 'Agent Sessions');
    assert.ok(usage.requestCostUsd !== null && Math.abs(usage.requestCostUsd - 12) < 1e-9, `1M in × $10 + 0.1M out × $20 = $12 (got ${usage.requestCostUsd})`);
    await h2.close();
    await fake.close();
  });
});

void describe('add provider from preset (flow)', () => {
  void test('Azure: asks resource, API, deployment, api-version; writes the user profile; then asks for the key', async () => {
    const { port, log } = fakePort(['azure-openai', 'contoso-ai', 'deployment', 'gpt-4.1', '2024-10-21'], [{ id: 'mine', kind: 'openai', bogus: true }]);
    const r = await addProviderFromPreset(port);
    assert.deepEqual(r, { providerId: 'azure-contoso-ai', replaced: false });
    assert.equal(log.written?.length, 2);
    assert.deepEqual(log.written?.[0], { id: 'mine', kind: 'openai', bogus: true }, 'other entries are kept as they were');
    assert.deepEqual(log.written?.[1], {
      id: 'azure-contoso-ai', kind: 'openai', label: 'Azure OpenAI (contoso-ai)', models: ['gpt-4.1'], requiresKey: true, preset: 'azure-openai',
      authHeader: 'api-key', baseUrl: 'https://contoso-ai.openai.azure.com/openai/deployments/gpt-4.1', apiVersion: '2024-10-21',
    });
    assert.deepEqual(log.keysAsked, ['azure-contoso-ai']);
  });

  void test('llama.cpp: keyless, no key question; the same preset and URL again updates instead of adding a twin', async () => {
    const first = fakePort(['http://127.0.0.1:8080/v1']);
    assert.deepEqual(await addProviderFromPreset(first.port, 'llamacpp'), { providerId: 'llamacpp', replaced: false });
    assert.deepEqual(first.log.keysAsked, []);
    const again = fakePort(['http://127.0.0.1:8080/v1'], first.log.written);
    assert.deepEqual(await addProviderFromPreset(again.port, 'llamacpp'), { providerId: 'llamacpp', replaced: true });
    assert.equal(again.log.written?.length, 1);
    const other = fakePort(['http://127.0.0.1:9090/v1'], first.log.written);
    assert.deepEqual(await addProviderFromPreset(other.port, 'llamacpp'), { providerId: 'llamacpp-2', replaced: false });
  });

  void test('LiteLLM: the key is optional and asked only if the user wants one', async () => {
    const no = fakePort(['http://127.0.0.1:4000', 'no']);
    await addProviderFromPreset(no.port, 'litellm');
    assert.equal(no.log.confirms, 1);
    assert.deepEqual(no.log.keysAsked, []);
    const yes = fakePort(['http://127.0.0.1:4000', 'yes']);
    await addProviderFromPreset(yes.port, 'litellm');
    assert.deepEqual(yes.log.keysAsked, ['litellm']);
  });

  void test('dismissing any step writes nothing; an unknown preset id is an error', async () => {
    const dismissed = fakePort(['azure-openai', 'contoso-ai', undefined]);
    assert.equal(await addProviderFromPreset(dismissed.port), undefined);
    assert.equal(dismissed.log.written, undefined);
    assert.deepEqual(dismissed.log.keysAsked, []);
    await assert.rejects(addProviderFromPreset(fakePort([]).port, 'nope'), /no provider preset "nope"/);
  });

  void test('host services: presets listed; a profile says its API and the host its key is for (never the key)', async () => {
    const settings = userProviders([{ ...profileFromPreset(presetById('groq')!, {}, 'groq'), api: 'responses' }]);
    const logger = createRedactingLogger({ trace() {}, debug() {}, info() {}, warn() {}, error() {} }, new SecretRegistry());
    const profiles = () => mergeProfiles(settings.settings.providers);
    const secrets = new SecretStorageSecretSource(new MemoryStorage(), new SecretRegistry(), undefined, { profileOf: (id) => profiles().find((p) => p.id === id) });
    await secrets.setApiKey('groq', 'gsk-test-0123456789');
    const services = new VsCodeHostServices({
      logger, settings: () => settings, secrets, trust: new WorkspaceTrustState({ isTrusted: true, onDidGrantWorkspaceTrust: () => ({ dispose() {} }) }),
      openExternal: async () => true, viewDiff: async () => undefined, runAction: async () => undefined, setVisible: () => undefined, forget: () => undefined,
    });
    assert.deepEqual(services.presets().map((p) => p.id), presetInfos().map((p) => p.id));
    const groq = (await services.providers()).find((p) => p.id === 'groq')!;
    assert.equal(groq.api, 'responses');
    assert.equal(groq.keyHost, 'api.groq.com');
    assert.equal(groq.hasKey, true);
    // Switching to a profile without a base URL clears the old one with null (undefined would vanish from the log).
    assert.equal(services.expandConfigPatch({ providerId: 'openai' }).baseUrl, null);
    assert.equal(services.expandConfigPatch({ providerId: 'ollama' }).baseUrl, 'http://127.0.0.1:11434/v1');
    assert.ok(!JSON.stringify(await services.providers()).includes('gsk-test'));
  });

  void test('a profile\'s price and model overrides show in its model list', () => {
    const settings = userProviders([{
      ...profileFromPreset(presetById('llamacpp')!, SAMPLE.llamacpp!, 'llamacpp'), models: ['qwen', 'other'],
      prices: { qwen: { input: 0.5, output: 1 } }, modelOverrides: { qwen: { contextWindow: 32_768, tools: false, images: false, reasoning: true }, other: { tools: true } },
    }]);
    const p = mergeProfiles(settings.settings.providers).find((x) => x.id === 'llamacpp')!;
    assert.deepEqual(profileModelInfo(p, 'qwen'), {
      id: 'qwen', contextWindow: 32_768, capabilities: { tools: false, images: false, reasoning: true }, price: { input: 0.5, output: 1, cacheRead: 0.5, cacheWrite: 0.5 },
    });
    assert.deepEqual(profileModelInfo(p, 'other'), { id: 'other' }, 'a partial override leaves capabilities to the model table');
  });
});
