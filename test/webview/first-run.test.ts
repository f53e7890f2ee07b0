import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage, ProviderProfileInfo } from '../../src/shared/protocol';
import type { SerializedError } from '../../src/shared/errors';
import { launch, openWebview, opened, snapshot, summary, withState, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const openai: ProviderProfileInfo = { id: 'openai', label: 'OpenAI', kind: 'openai', models: [{ id: 'gpt-test' }], requiresKey: true, hasKey: false };
const ollama: ProviderProfileInfo = { id: 'ollama', label: 'Ollama (local)', kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', models: [{ id: 'llama3.2' }], requiresKey: false, hasKey: false };

function firstRun(providers: ProviderProfileInfo[], sessions: ReturnType<typeof snapshot>[] = [], visible?: string, entries: Parameters<typeof opened>[1] = []): HostMessage {
  return {
    kind: 'snapshot', protocolVersion: 1, sessions: sessions.map(summary), opened: sessions.map((s) => opened(s, entries)), visibleSessionId: visible,
    host: { protocolVersion: 1, workspaceTrusted: true, notices: [], defaults: { providerId: 'openai', mode: 'ask' } },
    providers,
  };
}

type Req = Extract<Awaited<ReturnType<WebviewPage['posted']>>[number], { kind: 'request' }>;
const isAction = (action: string) => (m: Awaited<ReturnType<WebviewPage['posted']>>[number]): m is Req =>
  m.kind === 'request' && m.method === 'host.runAction' && (m.params as { action: string }).action === action;

void describe('first run', () => {
  void test('start page: provider with "Set key" in place, local servers that answer, presets, start session', async () => {
    const w = await openWebview(browser);
    await w.push(firstRun([openai, ollama]));
    const presets = await w.waitForRequest('providers.presets');
    const probe = await w.waitForRequest('providers.probe');
    await w.reply(presets.id, { presets: [{ id: 'openrouter', label: 'OpenRouter', kind: 'openai', requiresKey: true, description: 'Many models, one key' }] });
    await w.page.getByText('Looking for local servers…').waitFor();
    await w.reply(probe.id, { found: [{ providerId: 'ollama', label: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1', models: ['qwen3:4b', 'llama3.2'] }] });
    const page = w.page.locator('as-start-page');
    await page.getByText('Ollama (local) (2 models)').waitFor();
    assert.equal(await page.getByText('No API key for OpenAI.').count(), 1);
    assert.equal(await w.page.getByText('No sessions yet').count(), 0);

    // "Set key": the host asks in VS Code's password box; then the profiles are read again.
    await page.getByRole('button', { name: 'Set key' }).click();
    const setKey = await w.waitForPosted(isAction('setApiKey'));
    assert.deepEqual(setKey.params, { action: 'setApiKey', providerId: 'openai' });
    await w.reply(setKey.id, {});
    const list = await w.waitForRequest('providers.list');
    await w.reply(list.id, { providers: [{ ...openai, hasKey: true }, ollama] });
    await page.getByText('No API key for OpenAI.').waitFor({ state: 'detached' });
    assert.equal(await w.page.locator('input[type="password"]').count(), 0, 'the key is never typed into the webview');

    // A preset: the host adds the profile.
    await page.getByRole('combobox', { name: 'Add a provider' }).selectOption('openrouter');
    assert.deepEqual((await w.waitForPosted(isAction('addPreset'))).params, { action: 'addPreset', presetId: 'openrouter' });

    // The running local server: "Use" picks it with its first model; "Start session" creates it.
    await page.locator('[data-found="ollama"]').getByRole('button', { name: 'Use' }).click();
    assert.equal(await page.getByRole('combobox', { name: 'Provider', exact: true }).inputValue(), 'ollama');
    await page.getByRole('button', { name: 'Start session' }).click();
    assert.deepEqual((await w.waitForRequest('sessions.create')).params, { providerId: 'ollama', model: 'qwen3:4b' });
    await w.page.close();
  });

  void test('start page: nothing running is said as such, no server is listed; the demo providers get their line', async () => {
    const w = await openWebview(browser);
    const demo: ProviderProfileInfo = { id: 'demo-openai', label: 'Demo (fake OpenAI format)', kind: 'openai', models: [{ id: 'fake-gpt' }], requiresKey: false, hasKey: false };
    await w.push(firstRun([openai, ollama, demo]));
    await w.reply((await w.waitForRequest('providers.presets')).id, { presets: [] });
    await w.reply((await w.waitForRequest('providers.probe')).id, { found: [] });
    const page = w.page.locator('as-start-page');
    await page.getByText('None running.').waitFor();
    assert.equal(await page.locator('[data-found]').count(), 0);
    assert.equal(await page.getByRole('combobox', { name: 'Add a provider' }).count(), 0, 'no presets, no picker');
    assert.match(await page.locator('[data-demo]').innerText(), /Demo \(fake OpenAI format\) answers from a fake model/);
    // Started a server meanwhile: "Look again" probes once more.
    const before = (await w.posted()).filter((m) => m.kind === 'request' && m.method === 'providers.probe').length;
    await page.getByRole('button', { name: 'Look again' }).click();
    assert.equal(before, 1);
    for (let i = 0; i < 100 && (await w.posted()).filter((m) => m.kind === 'request' && m.method === 'providers.probe').length < 2; i++) await w.page.waitForTimeout(20);
    const again = (await w.posted()).filter((m): m is Req => m.kind === 'request' && m.method === 'providers.probe');
    assert.equal(again.length, 2);
    await w.reply(again[1].id, { found: [{ providerId: 'ollama', label: 'Ollama (local)', models: ['qwen3:4b'] }] });
    await page.getByText('Ollama (local) (1 model)').waitFor();
    // Start on the default provider with its own model.
    await page.getByRole('button', { name: 'Start session' }).click();
    assert.deepEqual((await w.waitForRequest('sessions.create')).params, { providerId: 'openai' });
    await w.page.close();
  });

  const failed = (error: SerializedError) => {
    const s = withState(snapshot('a', { title: 'First', lastError: error }), 'error');
    const entries = [
      { kind: 'user' as const, key: 'u1', seq: 2, text: 'hello' },
      { kind: 'marker' as const, key: 'fail:t1', seq: 3, variant: 'failed' as const, text: `Turn failed: ${error.message}`, error },
    ];
    return { s, entries };
  };

  void test('a missing key is said once, on the failed turn\'s card, with "Set API key" and "Choose provider"', async () => {
    const w = await openWebview(browser);
    const { s, entries } = failed({ code: 'auth', message: 'No API key is set for OpenAI.', retryable: false, hint: 'Set an API key for this provider.' });
    await w.push(firstRun([openai, ollama], [s], 'a', entries));
    const card = w.page.locator('as-transcript .marker[data-variant="failed"]');
    await card.waitFor();
    // Banner, header, tab and transcript together: the message appears exactly once.
    assert.equal(await w.page.getByText(/No API key/).count(), 1);
    assert.equal(await w.page.locator('as-session-header').getByText(/No API key/).count(), 0);
    assert.equal(await w.page.locator('as-banner').getByText(/No API key/).count(), 0);
    await card.getByRole('button', { name: 'Set API key' }).click();
    assert.deepEqual((await w.waitForPosted(isAction('setApiKey'))).params, { action: 'setApiKey', providerId: 'openai', sessionId: 'a' });
    await card.getByRole('combobox', { name: 'Choose provider' }).selectOption('ollama');
    assert.deepEqual((await w.waitForRequest('sessions.updateConfig')).params, { sessionId: 'a', patch: { providerId: 'ollama' } });
    await w.page.close();
  });

  void test('quota and unsupported errors carry their own action; other failures none', async () => {
    for (const [error, label, action] of [
      [{ code: 'quota_exceeded', message: 'You exceeded your current quota.', retryable: false }, 'Use another API key', 'setApiKey'],
      [{ code: 'unsupported', message: 'llama3.2 does not support tools.', retryable: false }, 'Open settings', 'openSettings'],
    ] as const) {
      const w = await openWebview(browser);
      const { s, entries } = failed(error);
      await w.push(firstRun([{ ...openai, hasKey: true }, ollama], [s], 'a', entries));
      const card = w.page.locator('as-transcript .marker[data-variant="failed"]');
      await card.getByRole('button', { name: label }).click();
      assert.equal(((await w.waitForPosted(isAction(action))).params as { providerId?: string }).providerId, 'openai');
      assert.equal(await w.page.getByText(error.message).count(), 1);
      await w.page.close();
    }
    const w = await openWebview(browser);
    const { s, entries } = failed({ code: 'network', message: 'Connection failed', retryable: true });
    await w.push(firstRun([openai], [s], 'a', entries));
    await w.page.locator('as-transcript .marker[data-variant="failed"]').waitFor();
    assert.equal(await w.page.locator('as-error-actions button').count(), 0);
    await w.page.close();
  });
});
