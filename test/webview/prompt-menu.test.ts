/** MCP prompts as slash commands: `/` lists /mcp.<server>.<prompt>; arguments asked inline; the text lands in the composer. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { McpPromptInfo } from '../../src/shared/protocol';
import { launch, openWebview, opened, snapshot, snapshotMessage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const prompts: McpPromptInfo[] = [
  { server: 'everything', name: 'simple-prompt', title: 'Simple Prompt', arguments: [] },
  { server: 'everything', name: 'args-prompt', title: 'Arguments Prompt', arguments: [{ name: 'city', description: 'Name of the city', required: true }, { name: 'state', required: false }] },
];

void describe('MCP prompt menu', () => {
  void test('typing / lists the prompts; choosing one with arguments asks for them and puts the prompt\'s text in the box', async () => {
    const w = await openWebview(browser);
    const s = snapshot('a', { lastSeq: 1 });
    await w.push(snapshotMessage([s], [opened(s, [])], 'a'));
    const box = w.page.getByRole('textbox', { name: 'Prompt' });
    await box.waitFor();
    await box.pressSequentially('/');
    const list = await w.waitForRequest('mcp.prompts');
    assert.deepEqual(list.params, { sessionId: 'a' });
    await w.reply(list.id, { prompts });
    const menu = w.page.getByRole('listbox', { name: 'MCP prompts' });
    await menu.getByRole('option', { name: /\/mcp\.everything\.args-prompt/ }).waitFor();
    await box.pressSequentially('mcp.everything.arg');
    assert.equal(await menu.getByRole('option').count(), 1, 'narrowed as the user types');
    await box.press('Enter');
    const form = w.page.getByRole('form', { name: 'Arguments of /mcp.everything.args-prompt' });
    await form.getByRole('button', { name: 'Insert' }).click();
    await form.getByRole('alert').getByText('Required: city.').waitFor();
    await form.getByRole('textbox', { name: 'city' }).fill('Lyon');
    await form.getByRole('button', { name: 'Insert' }).click();
    const get = await w.waitForRequest('mcp.prompt');
    assert.deepEqual(get.params, { sessionId: 'a', server: 'everything', name: 'args-prompt', args: { city: 'Lyon' } });
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.send').length, 0, 'Enter picked, it did not send');
    await w.reply(get.id, { text: 'What\'s weather in Lyon?' });
    for (let i = 0; i < 100 && (await box.inputValue()) === '/mcp.everything.arg'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await box.inputValue(), 'What\'s weather in Lyon?');
    assert.equal(await menu.count(), 0, 'the menu closed');
    await w.page.close();
  });
});
