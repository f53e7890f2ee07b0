/** The worktree settings, the default workspace, the session's root and the merge sides' addresses. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from '../../../src/core/base/errors';
import type { WorktreeSupport } from '../../../src/shared/worktree';
import { nullLogger } from '../../../src/core/ports';
import { VsCodeHostServices } from '../../../src/vscode/host-services';
import { COMMANDS } from '../../../src/vscode/ids';
import { SecretRegistry } from '../../../src/vscode/logger';
import { SecretStorageSecretSource } from '../../../src/vscode/secrets';
import { readSettings, type SettingInspection, type SettingKey } from '../../../src/vscode/settings';
import { WorkspaceTrustState } from '../../../src/vscode/trust';
import { DefaultWorkspace } from '../../../src/vscode/worktree/default-workspace';
import { appliedMessage, mergePlansFor, mergeSideAddress, parseMergeSide } from '../../../src/vscode/worktree/merge-plan';
import { sessionRoot, terminalName } from '../../../src/vscode/worktree/session-root';
import { gitPathFrom, worktreesFolder } from '../../../src/vscode/worktree/worktree-settings';
import { worktreeOf } from './worktree-fakes';

const inspectFrom = (values: Partial<Record<SettingKey, SettingInspection>>) => (key: SettingKey) => values[key];
const ROOT = join('/', 'work', 'repo');
const FALLBACK = join('/', 'storage', 'worktrees');

void describe('worktree settings', () => {
  void test('worktrees.default: shared by default, worktree when set, an unknown value is reported and ignored', () => {
    assert.equal(readSettings(inspectFrom({})).settings['worktrees.default'], 'shared');
    assert.equal(readSettings(inspectFrom({ 'worktrees.default': { workspaceValue: 'worktree' } })).settings['worktrees.default'], 'worktree');
    const bad = readSettings(inspectFrom({ 'worktrees.default': { globalValue: 'always' } }));
    assert.equal(bad.settings['worktrees.default'], 'shared');
    assert.deepEqual(bad.problems.map((p) => p.setting), ['agentSessions.worktrees.default']);
  });

  void test('worktrees.folder comes from user settings only: a repository cannot choose where worktrees are written', () => {
    const r = readSettings(inspectFrom({ 'worktrees.folder': { globalValue: '/mine', workspaceValue: '/tmp/evil' } }), { trusted: true });
    assert.equal(r.settings['worktrees.folder'], '/mine');
    assert.deepEqual(r.problems.map((p) => `${p.setting} ${p.scope}`), ['agentSessions.worktrees.folder workspace']);
    assert.match(r.problems[0]!.message, /only user settings can choose where worktrees are written/);
  });

  void test('the folder: empty → the default; absolute outside the workspace → used; ~ → home', () => {
    assert.deepEqual(worktreesFolder('', [ROOT], FALLBACK), { dir: FALLBACK });
    assert.deepEqual(worktreesFolder('  ', [ROOT], FALLBACK), { dir: FALLBACK });
    const elsewhere = join('/', 'work', 'repo-worktrees');
    assert.deepEqual(worktreesFolder(elsewhere, [ROOT], FALLBACK), { dir: elsewhere }, 'a sibling with a common prefix is outside');
    assert.deepEqual(worktreesFolder('~/wt', [ROOT], FALLBACK, join('/', 'home', 'me')), { dir: join('/', 'home', 'me', 'wt') });
  });

  void test('the folder: relative or inside a workspace folder → the default, with the reason', () => {
    const rel = worktreesFolder('worktrees', [ROOT], FALLBACK);
    assert.equal(rel.dir, FALLBACK);
    assert.match(rel.problem!, /must be an absolute folder \(it is "worktrees"\)/);
    for (const inside of [ROOT, join(ROOT, '.worktrees'), join(ROOT, 'a', '..', 'b')]) {
      const r = worktreesFolder(inside, ['/other', ROOT], FALLBACK);
      assert.equal(r.dir, FALLBACK, inside);
      assert.match(r.problem!, /inside the workspace folder/);
    }
  });

  void test('git.path: a string or the first existing absolute candidate of a list; otherwise git on the PATH', () => {
    const exists = (p: string) => p === '/opt/git/bin/git' || p === '/usr/local/bin/git';
    assert.equal(gitPathFrom('/opt/git/bin/git', exists), '/opt/git/bin/git');
    assert.equal(gitPathFrom(['/nope/git', '/usr/local/bin/git', '/opt/git/bin/git'], exists), '/usr/local/bin/git');
    assert.equal(gitPathFrom('/nope/git', exists), undefined);
    assert.equal(gitPathFrom('git', () => true), undefined, 'a bare name is the PATH lookup anyway');
    assert.equal(gitPathFrom(42, () => true), undefined);
    assert.equal(gitPathFrom(undefined, () => true), undefined);
  });
});

function hostServices(values: Partial<Record<SettingKey, SettingInspection>>, extra: Partial<ConstructorParameters<typeof VsCodeHostServices>[0]> = {}): VsCodeHostServices {
  const map = new Map<string, unknown>();
  const secrets = new SecretStorageSecretSource(
    { get: async () => undefined, store: async () => undefined, delete: async () => undefined }, new SecretRegistry(),
    { get: <T>(k: string) => map.get(k) as T | undefined, update: async (k: string, v: unknown) => { map.set(k, v); } },
  );
  return new VsCodeHostServices({
    logger: nullLogger, settings: () => readSettings(inspectFrom(values)), secrets,
    trust: new WorkspaceTrustState({ isTrusted: true, onDidGrantWorkspaceTrust: () => ({ dispose() {} }) }),
    openExternal: async () => true, viewDiff: async () => undefined, runAction: async () => undefined, setVisible: () => undefined, forget: () => undefined,
    ...extra,
  });
}

void describe('host services for worktrees', () => {
  void test('hostInfo tells the form the default workspace; absent when it is shared', () => {
    assert.equal(hostServices({ 'worktrees.default': { globalValue: 'worktree' } }).hostInfo().defaultWorkspace, 'worktree');
    assert.equal(hostServices({}).hostInfo().defaultWorkspace, undefined);
  });

  void test('worktree actions and terminals: delegated, or a clear invalid_state where the host has none', async () => {
    const bare = hostServices({});
    await assert.rejects(bare.worktreeAction('s', 'apply'), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state');
    await assert.rejects(bare.openTerminal('s', false), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state');
    const seen: string[] = [];
    const wired = hostServices({}, {
      worktreeAction: async (id, action, mode) => { seen.push(`${id}:${action}:${mode ?? ''}`); return { done: true }; },
      openTerminal: async (id, follow) => { seen.push(`${id}:terminal:${follow}`); },
    });
    assert.deepEqual(await wired.worktreeAction('s', 'apply', 'merge'), { done: true });
    await wired.openTerminal('s', true);
    assert.deepEqual(seen, ['s:apply:merge', 's:terminal:true']);
  });
});

void describe('default workspace', () => {
  void test('the manager gets the setting; the check tells once, with the reason, when git cannot give worktrees here', async () => {
    let setting: 'shared' | 'worktree' = 'shared';
    let support: WorktreeSupport = { available: false, reason: 'the workspace is not a git repository.' };
    const notices: string[] = [];
    const d = new DefaultWorkspace({ setting: () => setting, support: async () => support, notify: (m) => notices.push(m) });
    assert.deepEqual(d.choice(), { kind: 'shared' });
    assert.deepEqual(await d.check(), { kind: 'shared' });
    assert.equal(notices.length, 0, 'shared asks nothing');
    setting = 'worktree';
    assert.deepEqual(d.choice(), { kind: 'worktree' }, 'core falls back per session itself');
    assert.deepEqual(await d.check(), { kind: 'shared' });
    assert.deepEqual(await d.check(), { kind: 'shared' });
    assert.equal(notices.length, 1, 'told once');
    assert.match(notices[0]!, /"agentSessions\.worktrees\.default" asks for a worktree per session, but the workspace is not a git repository\. New sessions share the workspace\./);
    support = { available: true, repoRoot: '/r', head: { branch: 'main', commit: 'c', detached: false }, dirtyFiles: 0, gitVersion: '2.43.0', submodules: false, refs: [] };
    assert.deepEqual(await d.check(), { kind: 'worktree' });
    const none = new DefaultWorkspace({ setting: () => 'worktree', notify: (m) => notices.push(m) });
    assert.deepEqual(await none.check(), { kind: 'shared' });
    assert.match(notices[1]!, /this window cannot give sessions worktrees/);
    const failing = new DefaultWorkspace({ setting: () => 'worktree', support: async () => { throw new Error('git crashed'); }, notify: (m) => notices.push(m) });
    assert.deepEqual(await failing.check(), { kind: 'shared' });
    assert.match(notices[2]!, /but git crashed\./);
  });
});

void describe('session root and terminal names', () => {
  void test('the worktree\'s copy of the workspace folder, else the first workspace folder; a gone worktree is refused', () => {
    assert.equal(sessionRoot({ title: 't' }, '/ws'), '/ws');
    assert.equal(sessionRoot({ title: 't', worktree: worktreeOf() }, '/ws'), '/wt/agent-fix-1a2b3c');
    assert.equal(sessionRoot({ title: 't', worktree: worktreeOf({ subdir: 'packages/app' }) }, '/ws'), '/wt/agent-fix-1a2b3c/packages/app');
    for (const state of ['discarded', 'missing'] as const) {
      assert.throws(() => sessionRoot({ title: 't', worktree: worktreeOf({ state }) }, '/ws'), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state');
    }
    assert.throws(() => sessionRoot({ title: 't' }, undefined), /No folder is open/);
  });

  void test('names: "Agent: title", the follower "— commands"; long titles shortened, control characters dropped', () => {
    assert.equal(terminalName('Fix login', false), 'Agent: Fix login');
    assert.equal(terminalName('Fix login', true), 'Agent: Fix login — commands');
    assert.equal(terminalName('a'.repeat(60), false), `Agent: ${'a'.repeat(39)}…`);
    assert.equal(terminalName('x\x1b]0;y\x07', false), 'Agent: x ]0;y');
  });
});

void describe('merge sides', () => {
  void test('addresses round-trip; a query we did not make is refused', () => {
    const ref = { sessionId: 's-1', path: '/repo/src/a b&c.ts', side: 'ours' as const, generation: 3 };
    const a = mergeSideAddress(ref, 'src\\a b&c.ts');
    assert.equal(a.path, '/src/a b&c.ts');
    assert.deepEqual(parseMergeSide(a.query), ref);
    for (const q of ['', 'session=s&path=/p&side=left&g=1', 'session=s&path=/p&side=base&g=-1', 'session=s&side=base&g=1', 'session=s&path=/p&side=base&g=x']) {
      assert.equal(parseMergeSide(q), undefined, q);
    }
  });

  void test('clean and nothing open no editor; the clean message lists the files', () => {
    const names = { mainBranch: 'main', sessionBranch: 'agent/x' };
    const clean = { mode: 'patch' as const, outcome: 'clean' as const, files: Array.from({ length: 12 }, (_, i) => `f${i}`), conflicts: [], message: 'Applied 12 files.' };
    assert.deepEqual(mergePlansFor('s', clean, names, 1), { open: [], notOpened: [] });
    assert.equal(appliedMessage(clean), 'Applied 12 files (f0, f1, f2, f3, f4, f5, f6, f7, f8, f9 and 2 more).');
    const nothing = { ...clean, outcome: 'nothing' as const, files: [], message: 'Nothing to apply' };
    assert.deepEqual(mergePlansFor('s', nothing, names, 1).open, []);
    assert.equal(appliedMessage(nothing), 'Nothing to apply');
  });
});

void describe('package.json', () => {
  void test('contributes every command the host registers; the worktree actions sit in the Source Control title menu of worktree providers only', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string; when?: string }>>; configuration: { properties: Record<string, unknown> } };
    };
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const id of Object.values(COMMANDS)) assert.ok(contributed.has(id), `${id} is contributed`);
    const title = manifest.contributes.menus['scm/title'] ?? [];
    for (const id of [COMMANDS.worktreeApply, COMMANDS.worktreeCommit, COMMANDS.worktreeOpenScm, COMMANDS.worktreeDiscard]) {
      const entries = title.filter((m) => m.command === id);
      assert.ok(entries.length > 0, `${id} in scm/title`);
      for (const m of entries) assert.match(m.when ?? '', /scmProvider == agentSessions && scmProviderRootUri in agentSessions\.worktreeRoots/);
    }
    for (const key of ['agentSessions.worktrees.default', 'agentSessions.worktrees.folder']) assert.ok(manifest.contributes.configuration.properties[key], key);
  });
});
