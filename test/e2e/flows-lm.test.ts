// Issue 16: the vscode.lm provider in a real VS Code (code-server 4.100.3 = VS Code 1.100.3). A
// test-only extension (fixtures/lm-test-extension, installed only in this run's profile)
// contributes a chat model that answers from the fake LLM, so no Copilot is needed. A session on
// the "VS Code language models" profile does a tool round trip and is cancelled mid-stream.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { e2eSkipReason, launchVsCode, repoRoot, type VsCode } from './harness';
import { extensionMissing, packFolder, repoVsix } from './vsix';
import { script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, Router, fakeProviderSettings, pacedText } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

const LM_EXTENSION_ID = 'agent-sessions-test.lm-test-extension';
const LM_LABEL = 'VS Code language models (Copilot, …)';

interface ChatBody { model: string; messages: Array<{ role: string; content: unknown; tool_call_id?: string }>; tools?: Array<{ function: { name: string } }> }

void describe('e2e flows: the vscode.lm provider (a test extension\'s chat model)', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  before(async () => {
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({
      name: 'flows-lm', vsix: repoVsix(), settings: fakeProviderSettings(fake),
      extraVsix: [packFolder(join(repoRoot, 'test/e2e/fixtures/lm-test-extension'))],
      // VS Code 1.100 has no stable LanguageModelChatProvider yet: the test extension uses the proposed chatProvider API.
      serverArgs: ['--enable-proposed-api', LM_EXTENSION_ID],
      // The model asks for VS Code's language-model consent, as Copilot's do.
      env: { AGENT_SESSIONS_FAKE_LM_URL: fake.openaiBaseUrl, AGENT_SESSIONS_FAKE_LM_AUTH: '1' },
    });
    ui = new AgentUi(vs);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  void test('the first request asks for VS Code\'s consent with our justification; declining it fails the turn with the consent hint', async () => {
    await vs!.guard(async () => {
      await ui.openByCommand();
      await vs!.waitForActivation(EXTENSION_ID);
      await ui.widenSideBar(560);
      await ui.createSession(LM_LABEL, 'Copilotish');
      await ui.send('Hello there [[lm]]');
      const dialog = vs!.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      const text = await dialog.innerText();
      assert.match(text, /wants to access the language models provided by Agent Sessions LM Test Models/);
      assert.match(text, /Justification: Agent Sessions sends the prompts/);
      await vs!.screenshot('lm-consent');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      const failed = (await ui.transcript()).locator('.marker[data-variant="failed"]');
      await failed.first().waitFor({ timeout: 20_000 });
      const marker = await failed.first().innerText();
      assert.match(marker, /may not use VS Code's language models/);
      assert.match(marker, /choose "Allow"/);
      assert.equal(router.requests('lm').length, 0, 'nothing reached the model without consent');
      // No key to set: the error is said once, in the transcript, not as a "Set key" notification.
      assert.equal(await vs!.page.locator('.notifications-toasts').getByText(/refused the credentials/).count(), 0);
      await vs!.screenshot('lm-consent-declined');
    });
  });

  void test('a session on VS Code\'s language models calls a read-only tool, gets its result back and shows the answer', async () => {
    await vs!.guard(async () => {
      router.add('lm',
        script.of(script.text('Reading greet.js first.'), script.toolCall('read_file', { path: 'src/greet.js' })),
        script.text('greet.js exports greet(name). LM-ROUND-TRIP-DONE'));
      await ui.send('What does greet.js export? [[lm]]');
      // Declined before, so VS Code asks again; this time the user allows.
      const dialog = vs!.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      await dialog.getByRole('button', { name: 'Allow' }).click();
      await ui.waitForText(/LM-ROUND-TRIP-DONE/, 60_000);
      await ui.waitForActivity('Copilotish', 'done');
      const [first, second] = await router.waitForRequests('lm', 2);
      const body1 = JSON.parse(first!.rawBody) as ChatBody;
      assert.equal(body1.model, 'fake-lm', 'the request came through the test extension\'s chat model');
      const body2 = JSON.parse(second!.rawBody) as ChatBody;
      // No system role through vscode.lm: the system prompt came in the first user message.
      assert.equal(body1.messages.some((m) => m.role === 'system'), false, 'no system message reached the model');
      assert.equal(body1.messages[0]?.role, 'user');
      assert.ok(String(body1.messages[0]?.content).length > String('What does greet.js export? [[lm]]').length + 50, 'the first user message carries the system prompt too');
      assert.ok(body1.tools?.some((t) => t.function.name === 'read_file'), 'our tools were offered as LanguageModelChatTools');
      // The tool call went back as an assistant tool call, its result as a tool result part.
      const result = body2.messages.find((m) => m.role === 'tool');
      assert.ok(result, 'the second request carries the tool result');
      assert.match(String(result.content), /greet/);
      assert.equal(body2.messages.some((m) => m.role === 'assistant'), true);
      assert.equal(await vs!.page.locator('.notifications-toasts').getByText(/refused the credentials/).count(), 0, 'the declined consent raised no "Set key" notification');
      await vs!.screenshot('lm-tool-round-trip');
    });
  });

  void test('a second turn cancelled mid-stream stops, and the session takes the next prompt', async () => {
    await vs!.guard(async () => {
      router.add('lm', pacedText('A long answer from the VS Code model that is cancelled long before its end. '.repeat(4) + 'LM-CANCEL-END', 150, 100));
      await ui.send('Now write a long essay [[lm]]');
      await ui.waitForText(/A long answer from the VS Code model/, 30_000);
      await ui.waitForActivity('Copilotish', 'streaming');
      await (await ui.headerButton('Cancel')).click();
      await waitFor(async () => (await ui.activity('Copilotish')) !== 'streaming', 10_000, 'streaming to stop');
      await (await ui.transcript()).locator('.assistant.streaming').waitFor({ state: 'detached' });
      await (await ui.transcript()).locator('.marker[data-variant="cancelled"]').first().waitFor();
      await vs!.screenshot('lm-cancelled');
      assert.equal(await (await ui.transcript()).getByText(/LM-CANCEL-END/).count(), 0, 'the cancelled stream never reached its end');
      assert.ok(await (await ui.web()).getByRole('textbox', { name: 'Prompt' }).isEnabled(), 'the prompt box takes the next prompt');
      router.add('lm', script.text('Short answer after the cancel. LM-AFTER-CANCEL'));
      await ui.send('Something short [[lm]]');
      await ui.waitForText(/LM-AFTER-CANCEL/, 30_000);
      await ui.waitForActivity('Copilotish', 'done');
      assert.equal(router.requests('lm').length, 4);
    });
  });
});
