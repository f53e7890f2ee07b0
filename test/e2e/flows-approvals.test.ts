// Issue 6, end-to-end flows 2, 3, 8b and 6 in one real VS Code with the packaged extension and
// the fake LLM server: an edit approval with its diff editor, approve and deny-with-reason;
// "Always allow" with the suggested rule; the status-bar item jumping to a waiting session;
// and a window reload that brings every session back with a pending approval.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { lastToolResult, script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

const edit = (oldText: string, newText: string, path = 'src/greet.js') => script.toolCall('edit_file', { path, edits: [{ oldText, newText }] });

void describe('e2e flows: approvals, always-allow, status bar, reload', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  before(async () => {
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({ name: 'flows-approvals', vsix: repoVsix(), settings: fakeProviderSettings(fake) });
    ui = new AgentUi(vs);
    await ui.openByCommand();
    await vs.waitForActivation(EXTENSION_ID);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  void test('flow 2: an edit asks; View diff opens the diff editor; Approve writes the file; Deny with a reason reaches the model', async () => {
    const v = vs!;
    await v.guard(async () => {
      const reason = 'Keep the exclamation mark, it is friendlier.';
      router.add('edit',
        script.of(script.text('I will shorten the greeting.'), edit('Hello', 'Hi')),
        script.of(script.text('And end it with a full stop.'), edit('Hi, ${name}!', 'Hi, ${name}.')),
        script.text('Understood: the greeting keeps its exclamation mark.'));
      await ui.createSession(OPENAI_LABEL, 'Editor');
      await ui.send('Make the greeting shorter [[edit]]');
      const card = await ui.approvalCard('edit_file');
      await card.waitFor();
      await ui.waitForActivity('Editor', 'waiting');
      assert.match(await card.innerText(), /src\/greet\.js/);
      await card.getByRole('button', { name: 'View diff' }).click();
      const diff = v.page.locator('.editor-group-container .monaco-diff-editor');
      await diff.waitFor();
      await v.page.locator('.tabs-container .tab', { hasText: /greet\.js/ }).first().waitFor();
      await diff.getByText('Hi, ${name}!').first().waitFor();
      keepForReadme(await v.screenshot('approval-card-with-diff'), 'approval-with-diff.png');
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      await v.waitForWorkspaceFile('src/greet.js', (t) => t.includes('return `Hi, ${name}!`;'));

      const second = await ui.approvalCard('edit_file');
      await second.waitFor();
      await second.getByRole('button', { name: 'Deny', exact: true }).click();
      await second.getByRole('textbox', { name: 'Reason for denying (sent to the model)' }).fill(reason);
      await second.getByRole('button', { name: 'Deny with reason' }).click();
      await ui.waitForText(/keeps its exclamation mark/);
      const reqs = await router.waitForRequests('edit', 3);
      const told = lastToolResult(reqs[2]);
      assert.ok(told?.content.includes(reason), `the model got the reason in the tool result: ${told?.content}`);
      assert.ok(told?.isError || /denied/i.test(told?.content ?? ''), 'the tool result says it was denied');
      await (await ui.transcript()).getByText(reason, { exact: false }).first().waitFor();
      assert.ok(v.readWorkspaceFile('src/greet.js')?.includes('return `Hi, ${name}!`;'), 'the denied edit was not written');
      await ui.waitForActivity('Editor', 'done');
      await v.screenshot('denied-with-reason');
    });
  });

  void test('flow 3: "Always allow" with the suggested rule; the next matching call runs without asking and shows the rule', async () => {
    const v = vs!;
    await v.guard(async () => {
      router.add('edit',
        edit('Hi', 'Hey'),
        edit('module.exports = { greet };', 'module.exports = { greet }; // used by greet.test.js'),
        script.text('Both edits are in.'));
      await ui.send('Now say Hey and document the export [[edit]]');
      const card = await ui.approvalCard('edit_file');
      await card.waitFor();
      await card.getByRole('button', { name: 'Always allow' }).click();
      const rule = card.getByRole('textbox', { name: 'Rule to always allow' });
      assert.equal(await rule.inputValue(), 'edit_file(src/**)', 'the suggested rule is the file\'s folder');
      await card.getByRole('combobox', { name: 'Rule scope' }).selectOption('session');
      await v.screenshot('always-allow');
      await card.getByRole('button', { name: 'Save rule and approve' }).click();
      await ui.waitForText('Both edits are in.');
      const text = await v.waitForWorkspaceFile('src/greet.js', (t) => t.includes('// used by greet.test.js'));
      assert.ok(text.includes('Hey, ${name}!'));
      const transcript = await ui.transcript();
      assert.equal(await transcript.getByRole('group', { name: /Approval needed/ }).count(), 0, 'nothing waits for approval');
      // The finished cards are folded; the user opens the last one to see what allowed it.
      const last = transcript.locator('as-tool-card').last();
      await last.locator('summary').click();
      await last.getByText(/Allowed by: .*edit_file\(src\/\*\*\)/).waitFor();
      await v.screenshot('allowed-by-rule');
    });
  });

  void test('flow 8b: the status-bar item shows a waiting approval; clicking it jumps to that session', async () => {
    const v = vs!;
    await v.guard(async () => {
      router.add('wait', script.of(script.text('Writing the note.'), script.toolCall('write_file', { path: 'notes/waiting.txt', content: 'written after a reload\n' })), script.text('Saved the note.'));
      await ui.createSession(OPENAI_LABEL, 'Waiter');
      await ui.send('Write a note [[wait]]');
      await (await ui.approvalCard('write_file')).waitFor();
      await ui.createSession(OPENAI_LABEL, 'Other');
      const status = v.page.locator(`[id="${EXTENSION_ID}.agentSessions.status"]`);
      await waitFor(async () => /1 waiting for approval/.test((await status.getAttribute('aria-label')) ?? ''), 10_000, 'the status bar to count one waiting approval');
      await v.screenshot('status-bar-waiting');
      await status.click();
      const web = await ui.web();
      await web.locator('[role="tab"][aria-selected="true"]').filter({ hasText: 'Waiter' }).waitFor();
      await (await ui.approvalCard('write_file')).waitFor();
      await v.screenshot('jumped-to-waiting');
    });
  });

  void test('flow 6: after a window reload every session, its transcript and its state come back', async () => {
    const v = vs!;
    await v.guard(async () => {
      router.add('edit', edit('Hey', 'Hello again'), script.text('Edited under the session rule after the reload.'));
      assert.equal(v.readWorkspaceFile('notes/waiting.txt'), undefined);
      await v.reload();
      const web = await ui.web(60_000);
      for (const title of ['Editor', 'Waiter', 'Other']) await web.locator('[role="tab"]').filter({ hasText: title }).waitFor();
      await ui.select('Editor');
      await ui.waitForText('Both edits are in.');
      await ui.waitForText(/keeps its exclamation mark/);
      await v.screenshot('reloaded-editor');
      // State: the session-scoped "always allow" rule of flow 3 still applies.
      await ui.send('One more edit [[edit]]');
      await ui.waitForText('Edited under the session rule after the reload.');
      assert.ok(v.readWorkspaceFile('src/greet.js')?.includes('Hello again, ${name}!'));
      assert.equal(await (await ui.transcript()).getByRole('group', { name: /Approval needed/ }).count(), 0);
      await ui.select('Waiter');
      await ui.waitForText('Writing the note.');
      await v.screenshot('reloaded-waiter');
    });
  });

  void test('flow 6: the approval left pending before the reload comes back and approving it writes the file', async () => {
    const v = vs!;
    await v.guard(async () => {
      await ui.select('Waiter');
      await ui.waitForActivity('Waiter', 'waiting', 5_000);
      const card = await ui.approvalCard('write_file');
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      assert.equal(await v.waitForWorkspaceFile('notes/waiting.txt'), 'written after a reload\n');
      await ui.waitForText('Saved the note.');
      await ui.waitForActivity('Waiter', 'done');
      await v.screenshot('approved-after-reload');
    });
  });
});
