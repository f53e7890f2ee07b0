import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactingLogger, redact, SecretRegistry, type LogSink } from '../../../src/vscode/logger';
import { isLoopbackUrl, providerNeedsKey, SecretStorageSecretSource, type SecretStoragePort } from '../../../src/vscode/secrets';
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
});
