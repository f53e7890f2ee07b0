/**
 * The hook approval modal and the host's hooks: asked once per content hash, remembered in
 * workspaceState, asked again when the command changes; a dismissed dialog holds for the window
 * only; bad settings entries are logged with file and path.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HOOK_APPROVALS_KEY, HookApprovalDialog } from '../../../../src/vscode/hooks/hook-approval';
import { WorkspaceHooksHost } from '../../../../src/vscode/hooks/workspace-hooks-host';
import { parseHookSettings } from '../../../../src/core/hooks/config';
import type { Logger } from '../../../../src/core/ports';

class Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.values.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, value); }
}

const hookOf = (command: string) => parseHookSettings(JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command }] }] } }), '.claude/settings.json', '/ws').hooks[0]!;

void describe('hook approval dialog', () => {
  void test('asks with the command, source and event; remembers Allow per hash; a changed command asks again', async () => {
    const shown: { message: string; detail?: string }[] = [];
    let answer: string | undefined = 'Allow';
    const memento = new Memento();
    const dialog = new HookApprovalDialog(async (message, options) => { shown.push({ message, ...(options.detail ? { detail: options.detail } : {}) }); return answer; }, memento);
    const hook = hookOf('./check.sh');
    assert.equal(dialog.approved(hook), undefined);
    assert.equal(await dialog.approve(hook), true);
    assert.match(shown[0]!.message, /PreToolUse hook \(for Bash\) from \.claude\/settings\.json/);
    assert.match(shown[0]!.detail ?? '', /It runs: \.\/check\.sh/);
    assert.equal(dialog.approved(hook), true);
    assert.deepEqual(memento.get(HOOK_APPROVALS_KEY), { [hook.hash]: true });
    const changed = hookOf('./check.sh --fix');
    assert.equal(dialog.approved(changed), undefined, 'a changed command is a new hash');
    answer = "Don't allow";
    assert.equal(await dialog.approve(changed), false);
    assert.equal(dialog.approved(changed), false);
  });

  void test('a dismissed dialog is a "no" for this window only', async () => {
    const memento = new Memento();
    const dialog = new HookApprovalDialog(async () => undefined, memento);
    const hook = hookOf('x');
    assert.equal(await dialog.approve(hook), false);
    assert.equal(dialog.approved(hook), false);
    assert.equal(new HookApprovalDialog(async () => undefined, memento).approved(hook), undefined, 'a new window asks again');
  });
});

void describe('workspace hooks host', () => {
  void test('bad entries are logged with file and path; a fix is picked up on change', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'hooks-host-'));
    mkdirSync(path.join(ws, '.claude'));
    writeFileSync(path.join(ws, '.claude/settings.json'), JSON.stringify({ hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: '' }] }] } }));
    const warnings: string[] = [];
    const logger: Logger = { info: () => {}, warn: (m: string) => { warnings.push(m); }, error: () => {}, debug: () => {} } as unknown as Logger;
    let fire: (() => void) | undefined;
    const host = new WorkspaceHooksHost({
      folders: [ws], logger, workspaceState: new Memento(), showModalWarning: async () => undefined,
      watcher: { watch: (_p, onChange) => { fire = () => onChange({ paths: [] }); return { dispose: () => {} }; } },
    });
    try {
      const problems = await host.problems();
      assert.deepEqual(problems.map((p) => [p.source, p.path]), [['.claude/settings.json', 'hooks.PreToolUse[0].hooks[0].command']]);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /\.claude\/settings\.json at hooks\.PreToolUse\[0\]\.hooks\[0\]\.command: command is empty/);
      writeFileSync(path.join(ws, '.claude/settings.json'), JSON.stringify({ hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: 'ok' }] }] } }));
      fire?.();
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await host.problems(), []);
    } finally { host.dispose(); rmSync(ws, { recursive: true, force: true }); }
  });
});
