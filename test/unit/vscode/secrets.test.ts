import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactingLogger, redact, SecretRegistry, type LogSink } from '../../../src/vscode/logger';
import { KEY_HOSTS_KEY } from '../../../src/vscode/key-binding';
import { isLoopbackUrl, providerNeedsKey, SecretStorageSecretSource, type KeyPresenceMemento, type SecretStoragePort } from '../../../src/vscode/secrets';
import { VsCodeHostServices } from '../../../src/vscode/host-services';
import { readSettings } from '../../../src/vscode/settings';
import { WorkspaceTrustState } from '../../../src/vscode/trust';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { FakeManager, FakeWebview } from './fakes';

const KEY = 'sk-test-abcdefghijklmnopqrstuvwxyz0123';

class MemoryStorage implements SecretStoragePort {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async store(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { this.map.delete(k); }
}

/** SecretStorage that counts value reads (`get`): what the "no secret read" tests are about. */
class CountingStorage extends MemoryStorage {
  gets = 0;
  override async get(k: string) { this.gets++; return super.get(k); }
}

/** SecretStorage of VS Code ≥ 1.105: lists its keys without reading a value. */
class ListingStorage extends CountingStorage {
  async keys() { return [...this.map.keys()]; }
}

/** globalState: a plain map that survives "window reloads" (new secret sources). */
class MemoryMemento implements KeyPresenceMemento {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return structuredClone(this.map.get(key)) as T | undefined; }
  async update(key: string, value: unknown) { this.map.set(key, structuredClone(value)); }
}

function services(secrets: SecretStorageSecretSource): VsCodeHostServices {
  const trust = new WorkspaceTrustState({ isTrusted: true, onDidGrantWorkspaceTrust: () => ({ dispose() {} }) });
  return new VsCodeHostServices({
    logger: createRedactingLogger(sink(), new SecretRegistry()), settings: () => readSettings(() => undefined), secrets, trust,
    openExternal: async () => true, viewDiff: async () => undefined, runAction: async () => undefined,
    setVisible: () => undefined, forget: () => undefined,
  });
}

/** Opens a webview on a router over `secrets` and returns the key presence of its first snapshot. */
async function snapshotKeys(secrets: SecretStorageSecretSource): Promise<Record<string, boolean>> {
  const manager = new FakeManager();
  manager.add('a');
  const router = new WebviewRouter(async () => manager, services(secrets));
  const web = new FakeWebview();
  router.attach(web);
  web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
  const snap = await web.waitFor((m) => m.kind === 'snapshot');
  const listed = await web.request('providers.list', {});
  router.dispose();
  assert.ok(snap.kind === 'snapshot' && snap.providers && listed.ok);
  return Object.fromEntries(snap.providers.map((p) => [p.id, p.hasKey]));
}

function sink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const w = (m: string) => { lines.push(m); };
  return { lines, trace: w, debug: w, info: w, warn: w, error: w };
}

void describe('secrets', () => {
  void test('keys are stored under a per-provider id and read back', async () => {
    const storage = new MemoryStorage();
    const s = new SecretStorageSecretSource(storage, new SecretRegistry());
    assert.equal(await s.getApiKey('openai'), undefined);
    await s.setApiKey('openai', `  ${KEY}  `);
    assert.equal(await s.getApiKey('openai'), KEY);
    assert.equal(storage.map.get('agentSessions.apiKey.openai'), KEY);
    await s.setApiKey('openai', '');
    assert.equal(await s.hasApiKey('openai'), false);
  });

  void test('local endpoints need no key', () => {
    assert.equal(isLoopbackUrl('http://localhost:11434/v1'), true);
    assert.equal(isLoopbackUrl('http://127.0.0.1:1234/v1'), true);
    assert.equal(isLoopbackUrl('http://[::1]:8000'), true);
    assert.equal(isLoopbackUrl('https://api.openai.com/v1'), false);
    assert.equal(providerNeedsKey({ baseUrl: 'http://localhost:11434/v1' }), false);
    assert.equal(providerNeedsKey({}), true);
    assert.equal(providerNeedsKey({ baseUrl: 'http://localhost:1', requiresKey: true }), true);
  });

  void test('the logger redacts known keys and key-shaped strings', () => {
    const registry = new SecretRegistry();
    registry.add('custom-secret-value-42');
    const out = sink();
    const log = createRedactingLogger(out, registry);
    log.info(`key ${KEY}`, { headers: { Authorization: 'Bearer abcdef123456' } });
    log.error(new Error('failed with custom-secret-value-42'));
    log.warn('x-api-key: sk-ant-api03-zzzzzzzzzzzz and api_key=hunter2hunter2');
    const all = out.lines.join('\n');
    for (const secret of [KEY, 'abcdef123456', 'custom-secret-value-42', 'sk-ant-api03-zzzzzzzzzzzz', 'hunter2hunter2']) assert.ok(!all.includes(secret), secret);
    assert.match(all, /\[redacted\]/);
    assert.equal(redact('nothing secret here: 42 tokens'), 'nothing secret here: 42 tokens');
  });

  void test('keys never reach a webview message or the log', async () => {
    const storage = new MemoryStorage();
    const registry = new SecretRegistry();
    const secrets = new SecretStorageSecretSource(storage, registry);
    await secrets.setApiKey('openai', KEY);
    const out = sink();
    const logger = createRedactingLogger(out, registry);
    const trust = new WorkspaceTrustState({ isTrusted: false, onDidGrantWorkspaceTrust: () => ({ dispose() {} }) });
    const services = new VsCodeHostServices({
      logger, settings: () => readSettings(() => undefined), secrets, trust,
      openExternal: async () => true, viewDiff: async () => undefined, runAction: async () => undefined,
      setVisible: () => undefined, forget: () => undefined,
    });
    const manager = new FakeManager();
    manager.add('a');
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    const snap = await web.waitFor((m) => m.kind === 'snapshot');
    assert.ok(snap.kind === 'snapshot' && snap.providers?.find((p) => p.id === 'openai')?.hasKey === true);
    assert.equal(snap.kind === 'snapshot' && snap.providers?.find((p) => p.id === 'ollama')?.requiresKey, false);
    assert.equal(snap.kind === 'snapshot' && snap.host.workspaceTrusted, false);
    assert.ok(snap.kind === 'snapshot' && snap.host.notices.some((n) => n.action?.action === 'trustWorkspace'), 'untrusted banner with a trust action');
    await web.request('providers.list', {});
    await web.request('host.info', {});
    await web.request('sessions.create', { providerId: 'openai' });
    await web.request('sessions.create', { providerId: 'nope' });
    logger.info(`accidentally logging ${KEY}`);
    assert.ok(!JSON.stringify(web.posted).includes(KEY), 'no key in any posted message');
    assert.ok(!out.lines.join('\n').includes(KEY), 'no key in the log');
    router.dispose();
  });

  void test('opening the view reads no secret: key presence comes from a non-secret record', async () => {
    const storage = new CountingStorage();
    const memento = new MemoryMemento();
    const first = new SecretStorageSecretSource(storage, new SecretRegistry(), memento);
    await snapshotKeys(first); // first start of this version on VS Code < 1.105: the one-time look (see below)
    await first.setApiKey('openai', KEY);
    storage.gets = 0;
    // A window reload: a fresh source (empty cache) over the same SecretStorage and globalState.
    const secrets = new SecretStorageSecretSource(storage, new SecretRegistry(), memento);
    const keys = await snapshotKeys(secrets);
    assert.equal(keys.openai, true);
    assert.equal(keys.anthropic, false);
    assert.equal(storage.gets, 0, 'no SecretStorage.get for the snapshot or providers.list');
    assert.ok(!JSON.stringify([...memento.map.values()]).includes(KEY), 'the record holds no key');
    assert.equal(await secrets.getApiKey('openai'), KEY, 'a request still reads the key');
    assert.equal(storage.gets, 1);
  });

  void test('a key deleted elsewhere is reconciled when a request finds it missing', async () => {
    const storage = new CountingStorage();
    const memento = new MemoryMemento();
    await new SecretStorageSecretSource(storage, new SecretRegistry(), memento).setApiKey('openai', KEY);
    storage.map.clear(); // deleted by another window or an older version of the extension
    const secrets = new SecretStorageSecretSource(storage, new SecretRegistry(), memento);
    assert.equal(await secrets.hasApiKey('openai'), true, 'the record still says so');
    assert.equal(await secrets.getApiKey('openai'), undefined);
    assert.equal(await secrets.hasApiKey('openai'), false);
    const reloaded = new SecretStorageSecretSource(storage, new SecretRegistry(), memento);
    storage.gets = 0;
    assert.equal(await reloaded.hasApiKey('openai'), false, 'the record was corrected');
    assert.equal(storage.gets, 0);
    await reloaded.setApiKey('anthropic', KEY);
    await reloaded.deleteApiKey('anthropic');
    assert.equal(await new SecretStorageSecretSource(storage, new SecretRegistry(), memento).hasApiKey('anthropic'), false);
    assert.equal(storage.gets, 0);
  });

  void test('keys stored before the record existed are found by listing, not reading (VS Code 1.105+)', async () => {
    const storage = new ListingStorage();
    storage.map.set('agentSessions.apiKey.openai', KEY); // an earlier version stored it; no record yet
    const secrets = new SecretStorageSecretSource(storage, new SecretRegistry(), new MemoryMemento());
    const keys = await snapshotKeys(secrets);
    assert.equal(keys.openai, true);
    assert.equal(keys.anthropic, false);
    assert.equal(storage.gets, 0);
  });

  void test('without keys(), a key stored before the record existed is read once, then recorded', async () => {
    const storage = new CountingStorage();
    storage.map.set('agentSessions.apiKey.openai', KEY);
    const memento = new MemoryMemento();
    assert.equal((await snapshotKeys(new SecretStorageSecretSource(storage, new SecretRegistry(), memento))).openai, true);
    storage.gets = 0;
    const keys = await snapshotKeys(new SecretStorageSecretSource(storage, new SecretRegistry(), memento));
    assert.equal(keys.openai, true);
    assert.equal(keys.anthropic, false);
    assert.equal(storage.gets, 0, 'after the one-time migration nothing is read to open the view');
  });
});

void describe('secrets: host binding', () => {
  void test('"has a key?" never asks about the host nor fails, even when the profile moved', async () => {
    const storage = new CountingStorage();
    const memento = new MemoryMemento();
    let asked = 0;
    const s = new SecretStorageSecretSource(storage, new SecretRegistry(), memento, {
      profileOf: () => ({ label: 'X', kind: 'openai', baseUrl: 'http://127.0.0.1:5002/v1' }), prompt: async () => { asked++; return 'deny'; },
    });
    // Set for :5001 in another window; this window has no presence record yet; the profile now says :5002.
    storage.map.set('agentSessions.apiKey.x', KEY);
    await memento.update(KEY_HOSTS_KEY, { x: 'http://127.0.0.1:5001' });
    assert.equal(await s.hasApiKey('x'), true);
    assert.equal(asked, 0);
    await assert.rejects(s.getApiKey('x'), /not sent to http:\/\/127\.0\.0\.1:5002: it was set for http:\/\/127\.0\.0\.1:5001/);
    assert.equal(asked, 1);
  });

  void test('a key from before bindings binds on first use to where its profile points', async () => {
    const storage = new MemoryStorage();
    const s = new SecretStorageSecretSource(storage, new SecretRegistry(), new MemoryMemento(), {
      profileOf: () => ({ label: 'X', kind: 'openai', baseUrl: 'http://127.0.0.1:5002/v1' }),
    });
    storage.map.set('agentSessions.apiKey.x', KEY);
    assert.equal(await s.getApiKey('x', { kind: 'openai', baseUrl: 'https://elsewhere.example/v1' }).catch((e: Error) => e.message), 'Your X key was not sent to elsewhere.example: it was set for http://127.0.0.1:5002.');
    assert.equal(s.keyOrigin('x'), 'http://127.0.0.1:5002');
    assert.equal(await s.getApiKey('x'), KEY);
  });
});
