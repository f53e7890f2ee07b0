// Proves the e2e harness end to end against a tiny fixture extension: a command run from the
// palette opens a webview; clicking Approve reaches the extension host (which writes a file in
// the workspace) and the extension's reply updates the webview.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { fixtureExtension, packFolder } from './vsix';

void describe('e2e harness (fixture extension)', { skip: e2eSkipReason() }, () => {
  let vs: VsCode | undefined;
  before(async () => {
    vs = await launchVsCode({ name: 'harness-fixture', vsix: packFolder(fixtureExtension) });
  });
  after(async () => { await vs?.close(); });

  void test('palette command opens the webview; Approve round-trips through the extension host', async () => {
    const v = vs!;
    await v.guard(async () => {
      await v.screenshot('workbench');
      await v.runCommand('E2E Fixture: Open Approval Panel');
      const web = await v.webview({ containing: '#approve' });
      await web.getByText('workspace trusted: true').waitFor();
      await v.screenshot('webview-open');
      await web.getByRole('button', { name: 'Approve' }).click();
      await web.getByText(/Approved by extension req-1 \(VS Code 1\.100\.\d+\)/).waitFor();
      assert.equal(await v.waitForWorkspaceFile('approved.txt'), 'approved req-1\n');
      await v.screenshot('approved');
      assert.ok(v.exthostLogs().length > 0, 'the remote extension-host log exists');
    });
  });
});
