// Issue 6, end-to-end flow 7: in Restricted Mode (workspace not trusted) the banner says why
// commands are off, and a run_command call the model makes is refused with that reason, which
// the model receives. Real VS Code (code-server) with trust left on, the packaged extension and
// the fake LLM server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { lastToolResult, script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme } from './agent-ui';

void describe('e2e flow 7: restricted mode', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  before(async () => {
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({ name: 'flows-restricted', vsix: repoVsix(), trust: false, settings: fakeProviderSettings(fake) });
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  void test('flow 7: untrusted workspace → the banner says why and run_command is refused with the trust message', async () => {
    const v = vs!;
    await v.guard(async () => {
      await v.dismissTrustPrompt();
      await v.page.getByText('Restricted Mode').first().waitFor();
      const ui = new AgentUi(v);
      const web = await ui.openByCommand();
      await v.waitForActivation(EXTENSION_ID);
      await ui.widenSideBar(560);
      const banner = web.locator('as-banner [data-notice]').filter({ hasText: /Restricted Mode/ });
      await banner.waitFor();
      assert.equal(await banner.count(), 1, 'one trust banner, not two');
      assert.match(await banner.innerText(), /running commands.* are off/);
      await banner.getByRole('button', { name: /Trust workspace/ }).waitFor();

      router.add('cmd',
        script.of(script.text('Running the tests.'), script.toolCall('run_command', { command: 'npm test' })),
        script.text('Commands are off in this workspace; trust it to let me run the tests.'));
      await ui.createSession(OPENAI_LABEL, 'Tests');
      await ui.send('Run the tests [[cmd]]');
      await ui.waitForText(/trust it to let me run the tests/);
      const [, second] = await router.waitForRequests('cmd', 2);
      const result = lastToolResult(second);
      assert.match(result?.content ?? '', /not trusted/, `the model is told why: ${result?.content}`);
      const card = (await ui.transcript()).locator('as-tool-card').filter({ hasText: 'run_command' });
      await card.getByText(/not trusted, so commands cannot run/).first().waitFor();
      assert.equal(v.readWorkspaceFile('node_modules'), undefined);
      keepForReadme(await v.screenshot('restricted-mode-banner'), 'restricted-mode.png');
    });
  });
});
