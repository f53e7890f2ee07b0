// Issue 6, end-to-end flows 8a, 1, 4 and 5 in one real VS Code (code-server + Chromium) with
// the packaged extension and the fake LLM server: the palette's New Session, two sessions on
// two wire formats streaming at once, pause/resume and cancel, and compaction.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { ANTHROPIC_LABEL, AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme, pacedText } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

void describe('e2e flows: sessions, streaming, pause/cancel, compaction', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  before(async () => {
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({ name: 'flows-sessions', vsix: repoVsix(), settings: fakeProviderSettings(fake) });
    ui = new AgentUi(vs);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  void test('flow 8a: "Agent Sessions: New Session" from the palette creates and shows a session', async () => {
    await vs!.guard(async () => {
      const web = await ui.openByCommand();
      await vs!.waitForActivation(EXTENSION_ID);
      await ui.widenSideBar(560);
      const selected = web.locator('[role="tab"][aria-selected="true"]');
      await selected.waitFor();
      assert.equal(await web.locator('[role="tab"]').count(), 1, 'exactly one session, the new one');
      await web.getByRole('textbox', { name: 'Prompt' }).waitFor();
      await vs!.screenshot('palette-new-session');
    });
  });

  void test('flow 1: an OpenAI-format and an Anthropic-format session stream at the same time into their own tabs', async () => {
    await vs!.guard(async () => {
      const alpha = 'Alpha answers from the OpenAI-format endpoint, one small chunk after another, until the very end. ALPHA-END';
      const bravo = 'Bravo answers from the Anthropic-format endpoint, one small chunk after another, until the very end. BRAVO-END';
      router.add('alpha', pacedText(alpha, 80, 100));
      router.add('bravo', pacedText(bravo, 80, 100));
      await ui.setApiKey(ANTHROPIC_LABEL, 'sk-ant-test-e2e');
      await ui.createSession(OPENAI_LABEL, 'Alpha');
      await ui.createSession(ANTHROPIC_LABEL, 'Bravo');
      await ui.select('Alpha');
      await ui.send('Explain greet.js [[alpha]]');
      await ui.waitForText(/Alpha answers/);
      await ui.select('Bravo');
      await ui.send('Review greet.test.js [[bravo]]');
      // Both mid-stream at one moment: both badges say streaming.
      await waitFor(async () => (await ui.activity('Alpha')) === 'streaming' && (await ui.activity('Bravo')) === 'streaming', 15_000, 'both tabs streaming');
      await ui.waitForText(/Bravo answers/);
      assert.equal(await (await ui.transcript()).getByText(/Alpha answers/).count(), 0, 'Bravo\'s tab shows only Bravo\'s text');
      keepForReadme(await vs!.screenshot('two-sessions-streaming'), 'two-sessions-streaming.png');
      await ui.select('Alpha');
      await ui.waitForText(/Alpha answers/);
      assert.equal(await (await ui.transcript()).getByText(/Bravo answers/).count(), 0, 'Alpha\'s tab shows only Alpha\'s text');
      assert.equal(await ui.activity('Bravo'), 'streaming', 'Bravo still streams while Alpha is shown');
      await ui.waitForText(/ALPHA-END/);
      await ui.waitForActivity('Alpha', 'done');
      await ui.waitForActivity('Bravo', 'done');
      await ui.select('Bravo');
      await ui.waitForText(/BRAVO-END/);
      const [a] = router.requests('alpha');
      const [b] = router.requests('bravo');
      assert.equal(a?.format, 'openai');
      assert.equal(b?.format, 'anthropic');
      assert.ok(b.receivedAt - a.receivedAt < 8_000, 'Bravo\'s request started before Alpha\'s 8-second stream could end');
      await vs!.screenshot('both-done');
    });
  });

  void test('flow 4: Pause during a multi-step turn starts no new step; Resume finishes it; Cancel stops a stream and the next prompt works', async () => {
    await vs!.guard(async () => {
      router.add('pause',
        script.paced(script.of(script.text('Reading the file first, then I will summarise it.', 20), script.toolCall('read_file', { path: 'src/greet.js' })), 100),
        script.text('Finished after resume: greet.js exports greet(name).'));
      await ui.createSession(OPENAI_LABEL, 'Pauser');
      await ui.send('Summarise greet.js in two steps [[pause]]');
      await ui.waitForText(/Reading the file/);
      await (await ui.headerButton('Pause')).click();
      await ui.waitForActivity('Pauser', 'paused');
      await vs!.screenshot('paused');
      // The first step's stream (~2 s) ends while paused; watching 3 s proves no second step starts.
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline) {
        assert.equal(router.requests('pause').length, 1, 'no new model request while paused');
        await new Promise((r) => setTimeout(r, 100));
      }
      await (await ui.headerButton('Resume')).click();
      await ui.waitForText(/Finished after resume/);
      await ui.waitForActivity('Pauser', 'done');
      assert.equal(router.requests('pause').length, 2);
      await vs!.screenshot('resumed');

      router.add('cancel', pacedText('A long answer that will be cancelled long before it reaches its end. '.repeat(4) + 'CANCEL-END', 150, 100));
      router.add('cancel', script.text('The next prompt works after cancel.'));
      await ui.createSession(ANTHROPIC_LABEL, 'Canceller');
      await ui.send('Write a long essay [[cancel]]');
      await ui.waitForText(/A long answer/);
      await ui.waitForActivity('Canceller', 'streaming');
      await (await ui.headerButton('Cancel')).click();
      await waitFor(async () => (await ui.activity('Canceller')) !== 'streaming', 10_000, 'streaming to stop');
      const web = await ui.web();
      await (await ui.transcript()).locator('.assistant.streaming').waitFor({ state: 'detached' });
      await vs!.screenshot('cancelled');
      await ui.send('Now something short [[cancel]]');
      await ui.waitForText(/The next prompt works after cancel/);
      await ui.waitForActivity('Canceller', 'done');
      assert.equal(await (await ui.transcript()).getByText(/CANCEL-END/).count(), 0, 'the cancelled stream never reached its end');
      assert.ok(await web.getByRole('textbox', { name: 'Prompt' }).isEnabled());
      assert.equal(router.requests('cancel').length, 2);
      await vs!.screenshot('after-cancel');
    });
  });

  void test('flow 5: Compact drops the context meter and the transcript marks the compaction', async () => {
    await vs!.guard(async () => {
      for (let i = 1; i <= 3; i++) router.add('compact', script.of(script.text(`Answer ${i}: noted [[compact]].`), script.usage(20_000 + i * 1_000, 50)));
      router.add('compact', script.text('Summary: the user asked three questions; each was answered briefly.'));
      await ui.createSession(OPENAI_LABEL, 'Compactor');
      for (let i = 1; i <= 3; i++) {
        await ui.send(`Question ${i} [[compact]]`);
        await ui.waitForText(`Answer ${i}: noted [[compact]].`);
        await ui.waitForActivity('Compactor', 'done');
      }
      const web = await ui.web();
      const meter = web.locator('as-session-header').getByRole('meter', { name: 'Context used' });
      const tokens = async () => Number(await meter.getAttribute('aria-valuenow'));
      await waitFor(async () => (await tokens()) >= 23_000, 10_000, 'the meter to show the last reported usage');
      const before = await tokens();
      await vs!.screenshot('before-compact');
      await (await ui.headerButton('Compact')).click();
      const marker = (await ui.transcript()).locator('[data-variant="compacted"]');
      await marker.waitFor();
      await waitFor(async () => (await tokens()) < before / 4, 15_000, 'the context meter to drop');
      assert.equal(router.requests('compact').length, 4, 'the summary was asked of the model');
      await vs!.screenshot('after-compact');
    });
  });
});
