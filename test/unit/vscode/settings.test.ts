import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem, hostRulesFrom, readSettings, sessionDefaultsFrom, settingSchemas, type SettingInspection, type SettingKey } from '../../../src/vscode/settings';

const inspectFrom = (values: Partial<Record<SettingKey, SettingInspection>>) => (key: SettingKey) => values[key];

void describe('settings', () => {
  void test('defaults when nothing is set, no problems', () => {
    const r = readSettings(inspectFrom({}));
    assert.deepEqual(r.problems, []);
    for (const key of Object.keys(settingSchemas) as SettingKey[]) assert.deepEqual(r.settings[key], settingSchemas[key].default, key);
    assert.equal(r.settings.autoCompactThreshold, 0.8);
  });

  void test('valid values are used; folder beats workspace beats user', () => {
    const r = readSettings(inspectFrom({
      autoCompactThreshold: { globalValue: 0.6, workspaceValue: 0.7 },
      defaultMode: { globalValue: 'plan' },
      maxRunningSessions: { globalValue: 2, workspaceValue: 3, workspaceFolderValue: 5 },
      providers: { globalValue: [{ id: 'vllm', kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', models: ['m'] }] },
    }));
    assert.deepEqual(r.problems, []);
    assert.equal(r.settings.autoCompactThreshold, 0.7);
    assert.equal(r.settings.defaultMode, 'plan');
    assert.equal(r.settings.maxRunningSessions, 5);
    assert.equal(r.settings.providers[0]?.id, 'vllm');
  });

  void test('the sandbox settings come from user settings only: a workspace cannot turn the sandbox off', () => {
    const r = readSettings(inspectFrom({
      sandbox: { globalValue: 'auto', workspaceValue: 'off', workspaceFolderValue: 'off' },
      sandboxProtectedPaths: { globalValue: ['secrets/'], workspaceValue: [] },
    }));
    assert.equal(r.settings.sandbox, 'auto');
    assert.deepEqual(r.settings.sandboxProtectedPaths, ['secrets/']);
    assert.deepEqual(r.problems.map((p) => `${p.setting} ${p.scope}`).sort(), ['agentSessions.sandbox workspace', 'agentSessions.sandbox workspaceFolder', 'agentSessions.sandboxProtectedPaths workspace']);
    assert.equal(readSettings(inspectFrom({ sandbox: { globalValue: 'off' } })).settings.sandbox, 'off', 'the user may turn it off');
  });

  void test('invalid values are reported by name and fall back', () => {
    const r = readSettings(inspectFrom({
      autoCompactThreshold: { globalValue: 0.3 },
      defaultMode: { workspaceValue: 'yolo', globalValue: 'full' },
      providers: { globalValue: [{ id: 'x', kind: 'gemini' }] },
      approvalTimeoutSeconds: { globalValue: 'soon' },
      mcpServers: { workspaceValue: { gh: { command: 'x', url: 'https://a.example' } } },
    }));
    assert.equal(r.settings.autoCompactThreshold, 0.8, 'default');
    assert.equal(r.settings.defaultMode, 'full', 'the valid user value');
    assert.deepEqual(r.settings.providers, []);
    assert.equal(r.settings.approvalTimeoutSeconds, 0);
    assert.deepEqual(r.settings.mcpServers, {});
    const names = r.problems.map((p) => `${p.setting}@${p.scope}`).sort();
    assert.deepEqual(names, [
      'agentSessions.approvalTimeoutSeconds@user', 'agentSessions.autoCompactThreshold@user', 'agentSessions.defaultMode@workspace',
      'agentSessions.mcpServers@workspace', 'agentSessions.providers@user',
    ]);
    const msg = formatProblem(r.problems.find((p) => p.setting.endsWith('autoCompactThreshold'))!);
    assert.match(msg, /agentSessions\.autoCompactThreshold/);
    assert.match(msg, /default/);
  });

  void test('workspace permission rules are dropped when untrusted', () => {
    const r = readSettings(inspectFrom({
      permissionRules: { globalValue: { allow: ['read_file'], deny: [], ask: [] }, workspaceValue: { allow: ['run_command(*)'] } },
    }));
    assert.deepEqual(hostRulesFrom(r.rules, true).map((x) => `${x.scope}:${x.action}:${x.pattern}`), ['user:allow:read_file', 'workspace:allow:run_command(*)']);
    assert.deepEqual(hostRulesFrom(r.rules, false).map((x) => x.scope), ['user']);
  });

  void test('session defaults convert seconds to ms and 0 to "wait forever"', () => {
    const r = readSettings(inspectFrom({ approvalTimeoutSeconds: { globalValue: 30 } }));
    assert.equal(sessionDefaultsFrom(r.settings).approvalTimeoutMs, 30_000);
    assert.equal(sessionDefaultsFrom(readSettings(inspectFrom({})).settings).approvalTimeoutMs, null);
  });
});
