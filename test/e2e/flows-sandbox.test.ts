// End-to-end: the OS sandbox in one real VS Code (code-server + Chromium) with the packaged
// extension and the fake LLM server. A session in mode `full` runs a command that cannot be
// analysed (`python3 -c …`); it runs under bubblewrap, which refuses its write to the protected
// `.vscode/settings.json`. The tool card names the refusal, the "Run without the sandbox?" card
// appears, Deny sends the refusal to the model, and the file keeps its content throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eSkipReason, launchVsCode, repoRoot, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { lastToolResult, script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

const SETTINGS = '.vscode/settings.json';
/** Valid workspace settings VS Code may read; the test only cares that they stay byte for byte. */
const ORIGINAL = '{\n  "files.insertFinalNewline": true\n}\n';
const COMMAND = `python3 -c "open('${SETTINGS}','w').write('x')"`;

void describe('e2e flows: the OS sandbox refuses a protected write; "Run without the sandbox?" denied', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  let folder: string | undefined;
  before(async () => {
    // The playground has no .vscode/: a copy of it with known workspace settings (the harness
    // copies this folder again into its own run folder, which lies under /tmp like this one).
    folder = mkdtempSync(join(tmpdir(), 'agent-sessions-e2e-sandbox-src-'));
    cpSync(join(repoRoot, 'playground'), folder, { recursive: true });
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(join(folder, SETTINGS), ORIGINAL);
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({ name: 'flows-sandbox', vsix: repoVsix(), folder, settings: fakeProviderSettings(fake) });
    ui = new AgentUi(vs);
    await ui.openByCommand();
    await vs.waitForActivation(EXTENSION_ID);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  void test('mode full: python3 -c writing .vscode/settings.json is refused by bubblewrap; Deny sends the refusal to the model', async () => {
    const v = vs!;
    await v.guard(async () => {
      assert.equal(v.readWorkspaceFile(SETTINGS), ORIGINAL, 'the workspace starts with the known settings');
      router.add('sandbox',
        script.of(script.text('I will set the editor settings.'), script.toolCall('run_command', { command: COMMAND })),
        script.text('Understood: the editor settings stay as they are.'));

      // A session in mode full, chosen in the "+" form.
      const web = await ui.web();
      await ui.widenSideBar(560);
      await web.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
      const form = web.getByRole('form', { name: 'New session' });
      await form.waitFor();
      await form.locator('#provider').selectOption({ label: OPENAI_LABEL });
      await form.getByRole('combobox', { name: 'Mode', exact: true }).selectOption('full');
      await form.locator('#title').fill('Sandboxed');
      await form.getByRole('button', { name: 'Create session' }).click();
      await form.waitFor({ state: 'hidden' });
      await web.locator('[role="tab"][aria-selected="true"]').filter({ hasText: 'Sandboxed' }).waitFor();
      const mode = web.locator('as-session-header').getByRole('combobox', { name: 'Mode', exact: true });
      await waitFor(async () => (await mode.isEnabled()) && (await mode.inputValue()) === 'full', 10_000, 'the header to show mode full');
      // The mode picker says whether full access is sandboxed here (the host probed bubblewrap).
      await waitFor(async () => /full \(sandboxed\)/.test(await mode.locator('option[value="full"]').innerText()), 10_000, 'the mode picker to say "full (sandboxed)"');
      assert.match(await mode.getAttribute('title') ?? '', /sandboxed \(bubblewrap\)/);

      await ui.send('Turn on final newlines in the editor settings [[sandbox]]');
      const card = await ui.approvalCard('run_command');
      await card.waitFor();
      await ui.waitForActivity('Sandboxed', 'waiting');
      const transcript = await ui.transcript();
      const tool = transcript.locator('as-tool-card').filter({ hasText: 'run_command' }).last();
      const sandboxLine = tool.locator('.sandbox');
      const cardText = await card.innerText();
      const lineText = (await sandboxLine.count()) > 0 ? await sandboxLine.innerText() : '(no sandbox line)';
      // If bubblewrap could not start in the extension host, the line says "not sandboxed: <why>".
      assert.match(lineText, /^sandboxed \(bubblewrap\)/, `the command ran in bubblewrap; the tool card says: ${lineText}`);
      assert.match(cardText, /Run without the sandbox\?/, `the card asks to run without the sandbox: ${cardText}`);
      assert.match(cardText, /The sandbox refused it: read-only: \.vscode\/settings\.json/, 'the card names the refused path');
      assert.doesNotMatch(cardText, /\.\. /, 'one full stop between the refusal and what approving does');
      await card.getByRole('button', { name: 'Run unsandboxed once' }).waitFor();
      assert.equal(await card.getByRole('button', { name: 'Always allow' }).count(), 0, 'running unsandboxed cannot be remembered');
      await card.getByRole('note').getByText(/cannot be remembered/).waitFor();
      assert.equal(v.readWorkspaceFile(SETTINGS), ORIGINAL, 'the sandboxed run did not write the settings');
      keepForReadme(await v.screenshot('sandbox-refused'), 'sandbox-refused.png');

      await card.getByRole('button', { name: 'Deny', exact: true }).click();
      await card.getByRole('button', { name: 'Deny with reason' }).click();
      await ui.waitForText('Understood: the editor settings stay as they are.');
      const reqs = await router.waitForRequests('sandbox', 2);
      const told = lastToolResult(reqs[1]);
      assert.match(told?.content ?? '', /Exit code 1/, `the model got the sandboxed run's result: ${told?.content}`);
      assert.match(told?.content ?? '', /Read-only file system: '\.vscode\/settings\.json'/, 'with Python\'s own error');
      assert.match(told?.content ?? '', /read-only: \.vscode\/settings\.json is inside \.vscode, which the sandbox protects/, 'and the sandbox\'s refusal');
      assert.doesNotMatch(told?.content ?? '', /without the sandbox\./, 'the command was not run a second time');

      // The finished card (open: the call failed) names what the sandbox refused.
      await waitFor(async () => /— refused: /.test(await sandboxLine.innerText().catch(() => '')), 10_000, 'the tool card to show the refusal');
      if (!(await sandboxLine.isVisible())) await tool.locator('summary').click();
      const refusedLine = await sandboxLine.innerText();
      assert.match(refusedLine, /^sandboxed \(bubblewrap\): .* — refused: read-only: \.vscode\/settings\.json is inside \.vscode, which the sandbox protects/, refusedLine);
      assert.equal(await transcript.getByRole('group', { name: /Approval needed/ }).count(), 0, 'nothing waits for approval');
      await ui.waitForActivity('Sandboxed', 'done');
      assert.equal(v.readWorkspaceFile(SETTINGS), ORIGINAL, 'the denied command left the settings unchanged');
      await v.screenshot('sandbox-denied');
    });
  });
});
