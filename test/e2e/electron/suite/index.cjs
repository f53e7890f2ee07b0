// Runs inside the VS Code extension host (desktop, via @vscode/test-electron). No mocha here:
// each test is an async function; the summary line is "N passed, N failed".
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by VS Code's CommonJS loader */
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

exports.run = async function run() {
  const vscode = require('vscode');
  const manifest = JSON.parse(fs.readFileSync(path.join(process.env.AGENT_SESSIONS_REPO, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const tests = {
    'the extension is installed and activates': async () => {
      const ext = vscode.extensions.getExtension(id);
      assert.ok(ext, `${id} is loaded`);
      await ext.activate();
      assert.equal(ext.isActive, true);
    },
    'every contributed command is registered': async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const contributed = ((manifest.contributes || {}).commands || []).map((c) => c.command);
      const missing = contributed.filter((c) => !registered.has(c));
      assert.deepEqual(missing, [], `commands without a handler: ${missing.join(', ')}`);
    },
    'a workspace folder is open with workspace storage': async () => {
      assert.equal((vscode.workspace.workspaceFolders || []).length, 1);
      const ext = vscode.extensions.getExtension(id);
      assert.ok(ext && ext.isActive);
    },
  };
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of Object.entries(tests)) {
    try {
      await fn();
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.error(`not ok - ${name}\n${e && e.stack ? e.stack : e}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
};
