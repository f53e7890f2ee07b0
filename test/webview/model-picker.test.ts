/**
 * The model picker and the reasoning control in the session header and the new-session form:
 * opening the picker asks `models.list` for the session's provider and lists its answer with
 * context window, capability badges and price; typing filters and any typed id can be used;
 * Refresh asks again with `refresh: true`; a listing error is said quietly. Choosing sends
 * `sessions.updateConfig {model}`; the effort select sends `reasoningEffort`, the thinking
 * select `thinking` (null clears either); vscode-lm sessions have neither.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ModelListing } from '../../src/shared/protocol';
import type { SessionConfig } from '../../src/shared/session';
import { config, launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const LISTING: ModelListing = {
  source: 'server', fetchedAt: 1,
  models: [
    { id: 'gpt-5.1', contextWindow: 400_000, capabilities: { tools: true, images: true, reasoning: true }, price: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 } },
    { id: 'gpt-4.1-mini', contextWindow: 1_047_576, capabilities: { tools: true, images: true, reasoning: false }, price: { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0.4 } },
    { id: 'o4-mini', label: 'o4 mini', contextWindow: 200_000, capabilities: { tools: true, images: false, reasoning: true } },
  ],
};

/** Opens one session "a" with `over` in its config. */
async function openSession(over: Partial<SessionConfig> = {}): Promise<WebviewPage> {
  const w = await openWebview(browser);
  const s = snapshot('a', { title: 'Alpha', config: { ...config, ...over } });
  await w.push(snapshotMessage([s], [opened(s)], 'a'));
  await w.page.locator('as-session-header').getByRole('combobox', { name: 'Model' }).waitFor();
  return w;
}

/** Params of every request `method` posted so far. */
async function paramsOf(w: WebviewPage, method: string): Promise<unknown[]> {
  return (await w.posted()).flatMap((m) => (m.kind === 'request' && m.method === method ? [m.params] : []));
}

/** Waits until the n-th `sessions.updateConfig` is posted and returns its patch. */
async function nthPatch(w: WebviewPage, n: number): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const all = await paramsOf(w, 'sessions.updateConfig');
    if (all.length >= n) return (all[n - 1] as { patch: unknown }).patch;
    await w.page.waitForTimeout(20);
  }
  throw new Error(`no updateConfig #${n}: ${JSON.stringify(await paramsOf(w, 'sessions.updateConfig'))}`);
}

async function openPicker(w: WebviewPage, listing: ModelListing = LISTING) {
  const header = w.page.locator('as-session-header');
  await header.getByRole('combobox', { name: 'Model' }).click();
  const req = await w.waitForRequest('models.list');
  assert.deepEqual(req.params, { providerId: 'openai' });
  await w.reply(req.id, listing);
  return header;
}

void describe('model picker', () => {
  void test('lists the models.list answer with context window, badges and prices', async () => {
    const w = await openSession();
    const header = await openPicker(w);
    await header.getByRole('status').filter({ hasText: '3 models from the server' }).waitFor();
    const row = header.getByRole('option', { name: /gpt-5\.1/ });
    assert.match(await row.innerText(), /gpt-5\.1\s+400k\s+tools\s+images\s+reasoning\s+\$1\.25 \/ \$10 per M/);
    const mini = header.getByRole('option', { name: /gpt-4\.1-mini/ });
    assert.deepEqual(await mini.locator('[data-badge]').allInnerTexts(), ['tools', 'images']);
    assert.equal(await mini.locator('[data-window]').innerText(), '1M');
    assert.equal(await mini.locator('[data-price]').innerText(), '$0.4 / $1.6 per M');
    const o4 = header.getByRole('option', { name: /o4-mini/ });
    assert.equal(await o4.locator('[data-price]').count(), 0, 'no price when unknown');
    // The session's own model (not listed) stays choosable, first.
    assert.deepEqual(await header.locator('[role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))), ['gpt-test', 'gpt-5.1', 'gpt-4.1-mini', 'o4-mini']);
    await w.page.close();
  });

  void test('typing filters the list; choosing sends updateConfig {model}; a typed id can be used', async () => {
    const w = await openSession();
    const header = await openPicker(w);
    const box = header.getByRole('combobox', { name: 'Model' });
    await box.fill('mini');
    await header.getByRole('option', { name: /o4-mini/ }).waitFor();
    assert.deepEqual(await header.locator('[role=option][data-model]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))), ['gpt-4.1-mini', 'o4-mini']);
    await box.fill('o4 MINI');
    assert.deepEqual(await header.locator('[role=option][data-model]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))), ['o4-mini'], 'words, any case, label too');
    await header.getByRole('option', { name: /o4-mini/ }).click();
    assert.deepEqual(await nthPatch(w, 1), { model: 'o4-mini' });
    assert.equal(await box.getAttribute('aria-expanded'), 'false');

    await box.click();
    await box.fill('my-org/custom-model');
    await header.getByRole('option', { name: 'Use “my-org/custom-model”' }).waitFor();
    await box.press('Enter');
    assert.deepEqual(await nthPatch(w, 2), { model: 'my-org/custom-model' });
    assert.equal((await paramsOf(w, 'models.list')).length, 1, 'the listing is asked once per provider');

    // The keyboard alone: open, move down, choose; Escape closes without choosing.
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await box.press('Enter');
    assert.deepEqual(await nthPatch(w, 3), { model: 'gpt-5.1' });
    await box.press('ArrowDown');
    await box.press('Escape');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    assert.equal((await paramsOf(w, 'sessions.updateConfig')).length, 3);
    await w.page.close();
  });

  void test('Refresh asks with refresh: true; a listing error is said quietly over the suggestions', async () => {
    const w = await openSession();
    const header = await openPicker(w);
    await header.getByRole('button', { name: 'Refresh models' }).click();
    const again = (await w.posted()).filter((m) => m.kind === 'request' && m.method === 'models.list');
    assert.equal(again.length, 2);
    const second = again[1];
    if (second.kind !== 'request') throw new Error('fixture');
    assert.deepEqual(second.params, { providerId: 'openai', refresh: true });
    await w.reply(second.id, { source: 'suggested', models: [{ id: 'gpt-test' }, { id: 'gpt-other' }], error: { code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:11434', retryable: true } } satisfies ModelListing);
    const status = header.locator('[data-listing-status]');
    await status.filter({ hasText: "Couldn't reach the server: showing suggestions" }).waitFor();
    assert.equal(await status.getAttribute('title'), 'connect ECONNREFUSED 127.0.0.1:11434', 'the reason on hover');
    assert.deepEqual(await header.locator('[role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))), ['gpt-test', 'gpt-other']);
    await w.page.close();
  });

  void test('the new-session form picks from the listing and creates with it', async () => {
    const w = await openSession();
    await w.page.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
    const form = w.page.getByRole('form', { name: 'New session' });
    await form.getByRole('combobox', { name: 'Model' }).click();
    const req = await w.waitForRequest('models.list');
    await w.reply(req.id, LISTING);
    await form.getByRole('option', { name: /gpt-5\.1/ }).click();
    await form.getByRole('button', { name: 'Create session' }).click();
    const create = await w.waitForRequest('sessions.create');
    assert.equal((create.params as { model?: string }).model, 'gpt-5.1');
    assert.equal((await paramsOf(w, 'sessions.updateConfig')).length, 0, 'the form does not change the open session');
    await w.page.close();
  });
});

void describe('reasoning effort and thinking budget in the header', () => {
  void test('OpenAI: the effort select sends reasoningEffort; Default clears it; hidden for a model that does not reason', async () => {
    const w = await openSession();
    const header = w.page.locator('as-session-header');
    const effort = header.getByRole('combobox', { name: 'Reasoning effort' });
    assert.deepEqual(await effort.locator('option').allInnerTexts(), ['Default effort', 'Effort: minimal', 'Effort: low', 'Effort: medium', 'Effort: high'], 'unknown capabilities: offered');
    await effort.selectOption('high');
    assert.deepEqual(await nthPatch(w, 1), { reasoningEffort: 'high' });
    await w.page.close();

    const set = await openSession({ reasoningEffort: 'high' });
    const effort2 = set.page.locator('as-session-header').getByRole('combobox', { name: 'Reasoning effort' });
    assert.equal(await effort2.inputValue(), 'high');
    await effort2.selectOption({ label: 'Default effort' });
    assert.deepEqual(await nthPatch(set, 1), { reasoningEffort: null });
    await set.page.close();

    const plain = await openSession({ model: 'gpt-4.1-mini' });
    const h = await openPicker(plain);
    await h.getByRole('combobox', { name: 'Model' }).press('Escape');
    await h.getByRole('combobox', { name: 'Reasoning effort' }).waitFor({ state: 'detached' });
    await plain.page.close();
  });

  void test('Anthropic: the thinking select sends a budget and "No thinking" clears it; vscode-lm has no control', async () => {
    const w = await openSession({ providerId: 'anthropic', providerKind: 'anthropic', model: 'claude-sonnet-4-6' });
    const header = w.page.locator('as-session-header');
    assert.equal(await header.getByRole('combobox', { name: 'Reasoning effort' }).count(), 0);
    const thinking = header.getByRole('combobox', { name: 'Thinking budget' });
    assert.deepEqual(await thinking.locator('option').allInnerTexts(), ['No thinking', 'Think 4k', 'Think 16k', 'Think 32k']);
    await thinking.selectOption({ label: 'Think 16k' });
    assert.deepEqual(await nthPatch(w, 1), { thinking: { budgetTokens: 16_384 } });
    await w.page.close();

    const on = await openSession({ providerId: 'anthropic', providerKind: 'anthropic', model: 'claude-sonnet-4-6', thinking: { budgetTokens: 10_000 } });
    const t2 = on.page.locator('as-session-header').getByRole('combobox', { name: 'Thinking budget' });
    assert.equal(await t2.inputValue(), '10000', 'its own budget is kept and shown');
    await t2.selectOption({ label: 'No thinking' });
    assert.deepEqual(await nthPatch(on, 1), { thinking: null });
    await on.page.close();

    const lm = await openSession({ providerId: 'vscode-lm', providerKind: 'vscode-lm', model: 'copilot-gpt-4o' });
    const h = lm.page.locator('as-session-header');
    assert.equal(await h.getByRole('combobox', { name: 'Reasoning effort' }).count(), 0);
    assert.equal(await h.getByRole('combobox', { name: 'Thinking budget' }).count(), 0);
    await lm.page.close();
  });
});
