// The real extension (the packaged VSIX) in a real VS Code: the palette's "New Session" command
// activates it, reveals the Agent Sessions view with its webview, and the status-bar item is
// there; the extension host logs no error of ours. The fake LLM server is the configured provider.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { startFakeLlm, type FakeLlm } from '../fake-llm';

const EXTENSION_ID = 'agent-sessions.agent-sessions';

void describe('Agent Sessions in a real VS Code', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  before(async () => {
    fake = await startFakeLlm();
    vs = await launchVsCode({
      name: 'extension-smoke',
      vsix: repoVsix(),
      settings: {
        'agentSessions.providers': [{ id: 'fake', label: 'Fake LLM', kind: 'openai', baseUrl: fake.openaiBaseUrl, models: ['fake-gpt'], requiresKey: false }],
        'agentSessions.defaultProvider': 'fake',
      },
    });
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  void test('"Agent Sessions: New Session" from the palette opens the view; the status-bar item shows', async () => {
    const v = vs!;
    await v.guard(async () => {
      await v.runCommand('Agent Sessions: New Session');
      await v.waitForActivation(EXTENSION_ID);
      await v.page.locator('.pane-header', { hasText: /Sessions/i }).or(v.page.locator('.composite.title', { hasText: /Agent Sessions/i })).first().waitFor();
      const web = await v.webview({ containing: 'as-app' });
      assert.ok((await web.locator('as-app').count()) >= 1, 'the webview hosts the Lit app');
      const status = v.page.locator(`[id="${EXTENSION_ID}.agentSessions.status"]`);
      await status.waitFor({ state: 'visible' });
      await v.screenshot('new-session');
      const ours = v.exthostLogs().flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => /\[error\]/.test(l) && /agent-?sessions/i.test(l));
      assert.deepEqual(ours, [], 'no extension-host errors from Agent Sessions');
    });
  });
});
