// Proves the harness's restricted-mode variant: with workspace trust left on and the folder not
// trusted, VS Code runs in restricted mode and the extension sees `workspace.isTrusted === false`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { fixtureExtension, packFolder } from './vsix';

void describe('e2e harness: restricted mode (fixture extension)', { skip: e2eSkipReason() }, () => {
  let vs: VsCode | undefined;
  before(async () => {
    vs = await launchVsCode({ name: 'harness-restricted', vsix: packFolder(fixtureExtension), trust: false });
  });
  after(async () => { await vs?.close(); });

  void test('an untrusted folder opens in restricted mode and the extension sees it', async () => {
    const v = vs!;
    await v.guard(async () => {
      await v.screenshot('opened');
      await v.dismissTrustPrompt();
      await v.page.getByText('Restricted Mode').first().waitFor();
      await v.runCommand('E2E Fixture: Open Approval Panel');
      const web = await v.webview({ containing: '#approve' });
      await web.getByText('workspace trusted: false').waitFor();
      await v.screenshot('restricted-webview');
      assert.equal(v.readWorkspaceFile('approved.txt'), undefined);
    });
  });
});
