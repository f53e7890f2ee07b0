/**
 * A key is bound to the host it was set for: end to end with the real SessionManager, the real
 * OpenAI SDK and two fake LLM servers on different loopback ports. A session pointed at the
 * second one asks first; "Don't send" → that server gets no request with the key and the turn
 * fails with an auth error; "Send once" → it gets it; "Always" rebinds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialOf, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { SecretRegistry } from '../../../src/vscode/logger';
import { SecretStorageSecretSource, type KeyPresenceMemento, type SecretStoragePort } from '../../../src/vscode/secrets';
import { hostLabel, KEY_HOSTS_KEY, targetOrigin, type KeyHostAnswer, type KeyHostQuestion } from '../../../src/vscode/key-binding';
import { mergeProfiles, runtimeProfileOf } from '../../../src/vscode/providers';
import { readSettings, type SettingInspection } from '../../../src/vscode/settings';

const KEY = 'sk-test-bound-0123456789abcdefghij';

class MemoryStorage implements SecretStoragePort {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async store(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { this.map.delete(k); }
}

class MemoryMemento implements KeyPresenceMemento {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return structuredClone(this.map.get(key)) as T | undefined; }
  async update(key: string, value: unknown) { this.map.set(key, structuredClone(value)); }
}

/** Every credential header a request carried (Bearer, x-api-key, api-key). */
function credentials(reqs: readonly RecordedRequest[]): string[] {
  return reqs.flatMap((r) => [credentialOf(r), r.headers['api-key'] ?? '']).filter((c) => c !== '');
}

interface World {
  h: Harness;
  secrets: SecretStorageSecretSource;
  storage: MemoryStorage;
  memento: MemoryMemento;
  questions: KeyHostQuestion[];
  answers: Array<KeyHostAnswer | undefined>;
}

void describe('keys bound to their host', () => {
  let fake1: FakeLlm;
  let fake2: FakeLlm;
  before(async () => { fake1 = await startFakeLlm(); fake2 = await startFakeLlm(); });
  after(async () => { await fake1.close(); await fake2.close(); });

  /** The user's OpenAI profile points at fake1; the key is set while it does. */
  async function world(options: { setKey?: boolean; storedKey?: boolean } = {}): Promise<World> {
    fake1.reset(); fake2.reset();
    const storage = new MemoryStorage();
    const memento = new MemoryMemento();
    const questions: KeyHostQuestion[] = [];
    const answers: Array<KeyHostAnswer | undefined> = [];
    const profile = { label: 'OpenAI', kind: 'openai' as const, baseUrl: fake1.openaiBaseUrl };
    const secrets = new SecretStorageSecretSource(storage, new SecretRegistry(), memento, {
      profileOf: (id) => (id === 'openai' ? profile : undefined),
      prompt: async (q) => { questions.push(q); await new Promise((r) => setTimeout(r, 20)); return answers.shift(); },
    });
    if (options.storedKey) storage.map.set('agentSessions.apiKey.openai', KEY); // set by an older version: no binding
    if (options.setKey ?? !options.storedKey) await secrets.setApiKey('openai', KEY);
    const h = await startHarness({ fake: fake1, deps: { secrets, providerProfiles: { openai: { kind: 'openai', baseUrl: fake1.openaiBaseUrl } } } });
    return { h, secrets, storage, memento, questions, answers };
  }

  async function turn(w: World, baseUrl?: string): Promise<{ id: string; failed?: { code: string; message: string; hint?: string } }> {
    const s = await w.h.manager.create({ config: baseUrl ? { baseUrl } : {} });
    const from = w.h.events.length;
    await w.h.manager.send(s.id, 'hello');
    await w.h.manager.whenIdle(s.id);
    const failed = w.h.events.slice(from).find((e) => e.type === 'turn.failed' && e.sessionId === s.id);
    return { id: s.id, ...(failed?.type === 'turn.failed' ? { failed: failed.error } : {}) };
  }

  void test('the profile host gets the key without a question', async () => {
    const w = await world();
    const r = await turn(w);
    assert.equal(r.failed, undefined);
    assert.deepEqual(credentials(fake1.requests), [KEY]);
    assert.deepEqual(w.questions, []);
    assert.equal(w.secrets.keyOrigin('openai'), new URL(fake1.url).origin);
    await w.h.close();
  });

  void test('a session config pointing at another port asks; "Don\'t send" → that server gets no key and the turn fails with auth', async () => {
    const w = await world();
    w.answers.push('deny');
    const r = await turn(w, fake2.openaiBaseUrl);
    assert.equal(w.questions.length, 1);
    assert.deepEqual(w.questions[0], { providerId: 'openai', label: 'OpenAI', keyHost: hostLabel(new URL(fake1.url).origin), targetHost: hostLabel(new URL(fake2.url).origin) });
    assert.deepEqual(credentials(fake2.requests), [], 'the second server never saw the key');
    assert.ok(!fake2.requests.some((q) => JSON.stringify(q.headers).includes(KEY)));
    assert.equal(r.failed?.code, 'auth');
    assert.match(r.failed?.message ?? '', /OpenAI key was not sent to http:\/\/127\.0\.0\.1:\d+: it was set for http:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.failed?.hint ?? '', /Always for this host/);
    assert.equal(w.secrets.keyOrigin('openai'), new URL(fake1.url).origin, 'still bound to the first host');
    assert.equal(w.secrets.withheld('openai'), true, 'KeyNotices can tell the auth failure is ours, not a refusal');
    // Dismissing the modal is "Don't send" too.
    const again = await turn(w, fake2.openaiBaseUrl);
    assert.equal(again.failed?.code, 'auth');
    assert.deepEqual(credentials(fake2.requests), []);
    await w.h.close();
  });

  void test('"Send once" → the other server gets the key, in this window only, and the binding stays', async () => {
    const w = await world();
    w.answers.push('once');
    const r = await turn(w, fake2.openaiBaseUrl);
    assert.equal(r.failed, undefined);
    assert.deepEqual(credentials(fake2.requests), [KEY]);
    assert.equal(w.secrets.withheld('openai'), false);
    await turn(w, fake2.openaiBaseUrl);
    assert.equal(w.questions.length, 1, 'not asked again in this window');
    assert.equal(w.secrets.keyOrigin('openai'), new URL(fake1.url).origin);
    // A new window (same globalState) asks again.
    const reloaded = new SecretStorageSecretSource(w.storage, new SecretRegistry(), w.memento, { prompt: async () => 'deny' });
    await assert.rejects(reloaded.getApiKey('openai', { kind: 'openai', baseUrl: fake2.openaiBaseUrl }), (e: { code?: string }) => e.code === 'auth');
    await w.h.close();
  });

  void test('"Always for this host" rebinds: the new host is silent, the old one now asks', async () => {
    const w = await world();
    w.answers.push('always', 'deny');
    assert.equal((await turn(w, fake2.openaiBaseUrl)).failed, undefined);
    assert.equal(w.secrets.keyOrigin('openai'), new URL(fake2.url).origin);
    assert.equal((await turn(w, fake2.openaiBaseUrl)).failed, undefined);
    assert.equal(w.questions.length, 1);
    const back = await turn(w);
    assert.equal(back.failed?.code, 'auth', 'the first host is now the other one');
    assert.equal(w.questions.length, 2);
    await w.h.close();
  });

  void test('parallel sessions to the new host share one question', async () => {
    const w = await world();
    w.answers.push('deny');
    const results = await Promise.all([turn(w, fake2.openaiBaseUrl), turn(w, fake2.openaiBaseUrl), turn(w, fake2.openaiBaseUrl)]);
    assert.equal(w.questions.length, 1);
    assert.ok(results.every((r) => r.failed?.code === 'auth'));
    assert.deepEqual(credentials(fake2.requests), []);
    await w.h.close();
  });

  void test('a key stored before bindings binds on first use to the profile URL, so a redirect still asks', async () => {
    const w = await world({ storedKey: true });
    assert.equal(w.memento.map.get(KEY_HOSTS_KEY), undefined);
    w.answers.push('deny');
    const r = await turn(w, fake2.openaiBaseUrl);
    assert.equal(r.failed?.code, 'auth');
    assert.deepEqual(credentials(fake2.requests), []);
    assert.equal(w.secrets.keyOrigin('openai'), new URL(fake1.url).origin, 'bound to the profile URL, not to where the request went');
    assert.equal((await turn(w)).failed, undefined);
    assert.deepEqual(credentials(fake1.requests), [KEY]);
    await w.h.close();
  });

  void test('no key set: keyless loopback servers are used without a question', async () => {
    const w = await world({ setKey: false });
    const r = await turn(w, fake2.openaiBaseUrl);
    assert.equal(r.failed, undefined);
    assert.deepEqual(w.questions, []);
    assert.ok(!credentials(fake2.requests).includes(KEY));
    await w.h.close();
  });

  void test('a workspace value of agentSessions.providers cannot move the profile; a session config that does still asks', async () => {
    const inspect = (key: string): SettingInspection | undefined => (key === 'providers'
      ? { globalValue: [{ id: 'openai', kind: 'openai', baseUrl: fake1.openaiBaseUrl }], workspaceValue: [{ id: 'openai', kind: 'openai', baseUrl: fake2.openaiBaseUrl }] }
      : undefined);
    const read = readSettings(inspect as never, { trusted: true });
    const table = Object.fromEntries(mergeProfiles(read.settings.providers).map((p) => [p.id, runtimeProfileOf(p)]));
    assert.equal(table.openai?.baseUrl, fake1.openaiBaseUrl);
    assert.ok(read.problems.some((p) => p.setting === 'agentSessions.providers' && p.scope === 'workspace'));
    const w = await world();
    w.answers.push(undefined); // the modal dismissed
    const r = await turn(w, fake2.openaiBaseUrl);
    assert.equal(r.failed?.code, 'auth');
    assert.deepEqual(credentials(fake2.requests), []);
    await w.h.close();
  });

  void test('setting the key again binds it to where the profile points now; deleting it drops the binding', async () => {
    const storage = new MemoryStorage();
    const memento = new MemoryMemento();
    let baseUrl: string | undefined = 'http://127.0.0.1:5001/v1';
    const s = new SecretStorageSecretSource(storage, new SecretRegistry(), memento, { profileOf: () => ({ label: 'X', kind: 'openai', ...(baseUrl ? { baseUrl } : {}) }) });
    await s.setApiKey('x', KEY);
    assert.equal(s.keyOrigin('x'), 'http://127.0.0.1:5001');
    baseUrl = undefined; // the profile now uses the official endpoint
    await assert.rejects(s.getApiKey('x'), (e: { code?: string }) => e.code === 'auth', 'no prompt port: a changed host is refused');
    await s.setApiKey('x', KEY);
    assert.equal(s.keyOrigin('x'), 'https://api.openai.com');
    assert.equal(await s.getApiKey('x', { kind: 'openai' }), KEY);
    assert.equal(await s.getApiKey('x', { kind: 'vscode-lm' }), undefined, 'VS Code models never get our key');
    await s.deleteApiKey('x');
    assert.equal(s.keyOrigin('x'), undefined);
    assert.ok(!JSON.stringify([...memento.map.values()]).includes(KEY), 'globalState holds no key');
  });

  void test('origins: scheme, host and port; the official endpoints per kind', () => {
    assert.equal(targetOrigin({ kind: 'openai' }), 'https://api.openai.com');
    assert.equal(targetOrigin({ kind: 'anthropic' }), 'https://api.anthropic.com');
    assert.equal(targetOrigin({ kind: 'openai', baseUrl: 'https://API.example.com:443/v1' }), 'https://api.example.com');
    assert.notEqual(targetOrigin({ kind: 'openai', baseUrl: 'http://api.example.com/v1' }), targetOrigin({ kind: 'openai', baseUrl: 'https://api.example.com/v1' }));
    assert.notEqual(targetOrigin({ kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }), targetOrigin({ kind: 'openai', baseUrl: 'http://127.0.0.1:2/v1' }));
    assert.equal(targetOrigin({ kind: 'openai', baseUrl: 'not a url' }), undefined);
    assert.equal(hostLabel('https://api.openai.com'), 'api.openai.com');
    assert.equal(hostLabel('http://127.0.0.1:4000'), 'http://127.0.0.1:4000');
  });
});
