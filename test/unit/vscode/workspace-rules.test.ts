// Workspace permission rules: a repository's committed settings can suggest allow rules but not
// grant them; "always allow" for the workspace lives in the extension's own workspace storage.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import type { HostMessage, WorkspaceRulesInfo } from '../../../src/shared/protocol';
import type { PermissionRule } from '../../../src/shared/session';
import type { MementoLike } from '../../../src/vscode/knowledge/mcp-approval';
import { allowListHash, createWorkspaceRulesPort, HostRuleSink, WorkspaceRuleStore } from '../../../src/vscode/knowledge/workspace-rules';
import { hostRulesFrom, readSettings, type RulesSetting, type SettingInspection, type SettingKey } from '../../../src/vscode/settings';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { FakeKnowledge, FakeManager, FakeServices, FakeWebview } from './fakes';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(d);
  return d;
}
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** workspaceState as VS Code keeps it: a file in the extension's storage that the next window reads back. */
class FileMemento implements MementoLike {
  constructor(private readonly file: string) {}
  private all(): Record<string, unknown> {
    return existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown> : {};
  }
  get<T>(key: string): T | undefined { return this.all()[key] as T | undefined; }
  async update(key: string, value: unknown): Promise<void> {
    const all = this.all();
    if (value === undefined) delete all[key];
    else all[key] = value;
    writeFileSync(this.file, JSON.stringify(all));
  }
}

/** A workspace whose committed .vscode/settings.json holds `rules`, read the way the host reads it. */
function committed(rules: Partial<RulesSetting>, trusted = true) {
  const inspect = (key: SettingKey): SettingInspection | undefined => (key === 'permissionRules' ? { workspaceValue: rules } : undefined);
  return readSettings(inspect, { trusted }).rules;
}

const tools = new Map(createBuiltinTools().map((t) => [t.name, t]));
const engine = new PermissionEngine();
let root: string;

/** What the permission engine decides for `command` in mode `ask` with the host's rules. */
async function decide(command: string, rules: readonly PermissionRule[]): Promise<string> {
  root ??= tempDir('ws-rules-');
  const tool = tools.get('run_command')!;
  const description = await tool.describe({ command }, { workspaceRoots: [root], sessionId: 's1' });
  const d = await engine.evaluate(tool, { command }, description, { mode: 'ask', rules, workspaceRoots: [root], workspaceTrusted: true });
  return d.decision;
}

/** Any command `run_command(*)` would allow without asking. */
const SCRIPT = 'node scripts/postinstall.js';
const SHIPPED: Partial<RulesSetting> = { allow: ['run_command(*)'], deny: ['run_command(rm:*)'] };

void describe('workspace permission rules from committed settings', () => {
  void test('a committed allow rule grants nothing until the user allows it; deny rules from the same file apply at once', async () => {
    const store = new WorkspaceRuleStore(new FileMemento(join(tempDir('state-'), 'state.json')));
    const rules = committed(SHIPPED);
    const host = (): PermissionRule[] => hostRulesFrom(rules, true, store.grants(rules.workspace.allow));
    assert.equal(store.state(rules.workspace.allow).state, 'pending');
    assert.equal(await decide(SCRIPT, host()), 'ask', 'a trusted workspace does not auto-run whatever its settings allow');
    assert.equal(await decide('rm -rf build', host()), 'deny');

    await store.decide(rules.workspace.allow, store.state(rules.workspace.allow).hash, 'allow');
    assert.equal(store.state(rules.workspace.allow).state, 'allowed');
    assert.equal(await decide(SCRIPT, host()), 'allow', 'allowed by the user, for exactly this list');
    assert.equal(await decide('rm -rf build', host()), 'deny');
  });

  void test('the confirmation survives a reload and is dropped when the rules change', async () => {
    const file = join(tempDir('state-'), 'state.json');
    const rules = committed(SHIPPED);
    const first = new WorkspaceRuleStore(new FileMemento(file));
    await first.decide(rules.workspace.allow, allowListHash(rules.workspace.allow), 'allow');

    // Next window: a fresh store over the same workspace storage.
    const reloaded = new WorkspaceRuleStore(new FileMemento(file));
    assert.equal(reloaded.state(rules.workspace.allow).state, 'allowed');
    assert.equal(await decide(SCRIPT, hostRulesFrom(rules, true, reloaded.grants(rules.workspace.allow))), 'allow');
    // The same rules written in another order (or twice) are the same list.
    assert.equal(allowListHash(['b', 'a', 'a']), allowListHash(['a', 'b']));

    // A pull changes the committed list: asked again, and nothing is granted meanwhile.
    const changed = committed({ allow: ['run_command(*)', 'edit_file(**)'], deny: ['run_command(rm:*)'] });
    assert.equal(reloaded.state(changed.workspace.allow).state, 'pending');
    assert.equal(reloaded.grants(changed.workspace.allow).workspaceAllowConfirmed, false);
    assert.equal(await decide(SCRIPT, hostRulesFrom(changed, true, reloaded.grants(changed.workspace.allow))), 'ask');
    // A decision made for the old list (a stale panel) does not carry over to the new one.
    await assert.rejects(reloaded.decide(changed.workspace.allow, allowListHash(rules.workspace.allow), 'allow'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /changed/.test(e.message));
    assert.equal(reloaded.state(changed.workspace.allow).state, 'pending');
    await reloaded.decide(changed.workspace.allow, allowListHash(changed.workspace.allow), 'ignore');
    assert.equal(new WorkspaceRuleStore(new FileMemento(file)).state(changed.workspace.allow).state, 'ignored');
    assert.equal(await decide(SCRIPT, hostRulesFrom(changed, true, reloaded.grants(changed.workspace.allow))), 'ask');
    // No allow rules at all: nothing to decide.
    assert.equal(reloaded.state([]).state, 'none');
  });

  void test('"always allow" for the workspace goes to the extension\'s storage, never into a file the repository ships', async () => {
    const ws = tempDir('ws-');
    mkdirSync(join(ws, '.vscode'));
    writeFileSync(join(ws, '.vscode', 'settings.json'), '{}\n');
    const userSettings = join(tempDir('user-'), 'settings.json');
    const stateFile = join(tempDir('state-'), 'state.json');
    const store = new WorkspaceRuleStore(new FileMemento(stateFile));
    const sink = new HostRuleSink(store, async (rule) => {
      const all = existsSync(userSettings) ? JSON.parse(readFileSync(userSettings, 'utf8')) as { allow?: string[] } : {};
      writeFileSync(userSettings, JSON.stringify({ ...all, [rule.action]: [...((all as Record<string, string[]>)[rule.action] ?? []), rule.pattern] }));
    });
    await sink.saveRule({ action: 'allow', pattern: 'run_command(npm test:*)', scope: 'workspace' });
    await sink.saveRule({ action: 'allow', pattern: 'run_command(npm test:*)', scope: 'workspace' });
    assert.equal(readFileSync(join(ws, '.vscode', 'settings.json'), 'utf8'), '{}\n', 'the workspace settings file is untouched');
    assert.equal(existsSync(userSettings), false, 'nor the user settings');
    assert.deepEqual(store.saved().allow, ['run_command(npm test:*)'], 'saved once');

    // Next window: still there, and it allows what the user allowed.
    const reloaded = new WorkspaceRuleStore(new FileMemento(stateFile));
    const none = committed({});
    assert.equal(await decide('npm test -- --watch=false', hostRulesFrom(none, true, reloaded.grants(none.workspace.allow))), 'allow');
    assert.deepEqual(hostRulesFrom(none, true, reloaded.grants([])).filter((r) => r.pattern === 'run_command(npm test:*)').map((r) => r.scope), ['workspace']);

    await sink.saveRule({ action: 'allow', pattern: 'read_file', scope: 'user' });
    assert.deepEqual(JSON.parse(readFileSync(userSettings, 'utf8')), { allow: ['read_file'] }, 'user rules still go to user settings');

    assert.equal(await reloaded.removeSaved('allow', 'run_command(npm test:*)'), true);
    assert.equal(await decide('npm test', hostRulesFrom(none, true, reloaded.grants([]))), 'ask');
  });

  void test('a damaged storage value is read as nothing saved and nothing confirmed', async () => {
    const memento = new FileMemento(join(tempDir('state-'), 'state.json'));
    await memento.update('agentSessions.workspaceRules', { allow: 'run_command(*)', deny: [1] });
    await memento.update('agentSessions.workspaceSettingsRules', { hash: 42, decision: 'allow' });
    const store = new WorkspaceRuleStore(memento);
    assert.deepEqual(store.saved(), { allow: [], deny: [], ask: [] });
    assert.equal(store.state(['run_command(*)']).state, 'pending');
  });
});

void describe('webview protocol: workspaceRules.*', () => {
  type Reply = Extract<HostMessage, { kind: 'reply' }>;
  const ok = (r: Reply): unknown => { assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`); return r.ok ? r.result : undefined; };
  const err = (r: Reply): { code: string; message: string } => { assert.equal(r.ok, false, 'expected an error'); return r.ok ? { code: '', message: '' } : r.error; };

  async function setup(trusted = true) {
    let rules = committed(SHIPPED, trusted);
    const store = new WorkspaceRuleStore(new FileMemento(join(tempDir('state-'), 'state.json')));
    await store.save({ action: 'allow', pattern: 'run_command(npm test:*)' });
    let changes = 0;
    const knowledge = new FakeKnowledge();
    knowledge.workspaceRules = createWorkspaceRulesPort({ store, rules: () => rules, trusted: () => trusted, onChange: () => { changes++; } });
    const manager = new FakeManager();
    const router = new WebviewRouter(async () => manager, new FakeServices(), { knowledge });
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1 });
    await web.waitFor((m) => m.kind === 'snapshot');
    return { store, web, router, setRules: (r: Partial<RulesSetting>) => { rules = committed(r, trusted); }, changes: () => changes };
  }

  void test('get shows the suggestions waiting for confirmation; decide allows exactly the list the user saw', async () => {
    const { store, web, router, setRules, changes } = await setup();
    const info = ok(await web.request('workspaceRules.get', {})) as WorkspaceRulesInfo;
    assert.deepEqual(info, {
      suggested: ['run_command(*)'], hash: allowListHash(['run_command(*)']), state: 'pending',
      restricting: [{ action: 'deny', pattern: 'run_command(rm:*)' }],
      saved: [{ action: 'allow', pattern: 'run_command(npm test:*)' }],
      workspaceTrusted: true,
    });
    assert.equal(err(await web.request('workspaceRules.decide', { hash: 'x', decision: 'allow' })).code, 'bad_request');
    assert.equal(err(await web.request('workspaceRules.decide', { hash: info.hash, decision: 'always' })).code, 'bad_request');

    setRules({ allow: ['run_command(*)', 'network'] }); // the file changed after the panel was drawn
    const stale = err(await web.request('workspaceRules.decide', { hash: info.hash, decision: 'allow' }));
    assert.equal(stale.code, 'invalid_state');
    assert.equal(store.grants(['run_command(*)', 'network']).workspaceAllowConfirmed, false);

    const fresh = ok(await web.request('workspaceRules.get', {})) as WorkspaceRulesInfo;
    const allowed = ok(await web.request('workspaceRules.decide', { hash: fresh.hash, decision: 'allow' })) as WorkspaceRulesInfo;
    assert.equal(allowed.state, 'allowed');
    assert.equal(store.grants(['network', 'run_command(*)']).workspaceAllowConfirmed, true);
    assert.ok(changes() >= 1, 'other views are told');

    const forgotten = ok(await web.request('workspaceRules.forget', { action: 'allow', pattern: 'run_command(npm test:*)' })) as WorkspaceRulesInfo;
    assert.deepEqual(forgotten.saved, []);
    assert.equal(err(await web.request('workspaceRules.forget', { action: 'allow', pattern: 'nope' })).code, 'not_found');
    router.dispose();
  });

  void test('Restricted Mode: no suggestions are read and the view says why', async () => {
    const { web, router } = await setup(false);
    const info = ok(await web.request('workspaceRules.get', {})) as WorkspaceRulesInfo;
    assert.equal(info.workspaceTrusted, false);
    assert.deepEqual(info.suggested, []);
    assert.equal(info.state, 'none');
    router.dispose();
  });
});
