/**
 * Sensitive targets (issue 11): files that make the editor, git, a package manager, CI, a shell
 * or an agent run code or take instructions later. A write to any of them asks in EVERY mode
 * (plan denies), whatever the allow rules say, and the approval cannot be remembered as a rule
 * (`rememberable: false`, no suggested rule). Names are compared case-insensitively on every
 * platform. Judged by the real engine on the real tools in a real temp workspace.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import { sensitiveReason } from '../../../src/core/approval/sensitive';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import type { AnyTool } from '../../../src/core/tools/types';
import type { PermissionRule, SessionMode } from '../../../src/core/session/types';
import type { PermissionDecision } from '../../../src/core/approval/types';

/** The paths the audit found missing, one or more per kind. */
const NEW_SENSITIVE = [
  '.vscode/extensions.json', '.vscode/anything/else.txt', 'pkg/.vscode/settings.json',
  'app.code-workspace', 'tools/team.code-workspace',
  '.gitattributes', 'sub/.gitattributes', '.gitmodules',
  'package.json', 'packages/foo/package.json', 'pyproject.toml', 'Makefile', 'makefile', 'GNUmakefile', 'setup.py',
  '.npmrc', '.yarnrc', '.yarnrc.yml', '.envrc', '.env', '.env.local', '.env.production',
  '.github/workflows/ci.yml', '.github/workflows/nested/x.yaml',
  '.husky/pre-commit', '.pre-commit-config.yaml',
  '.github/copilot-instructions.md', '.github/skills/x/SKILL.md', '.cursor/rules/style.mdc', '.clinerules',
];
/** What was sensitive before, in case variants a case-insensitive file system treats as the same file. */
const CASE_VARIANTS = [
  '.VSCODE/settings.json', '.vscode/SETTINGS.JSON', '.VsCode/tasks.json', '.Git/config', '.GIT/hooks/pre-commit',
  'agents.md', 'Agents.MD', 'pkg/claude.md', '.MCP.JSON', '.Claude/settings.json', '.AGENTS/skills/x/SKILL.md',
  'PACKAGE.JSON', '.ENV', '.GitHub/Workflows/ci.yml', 'App.Code-Workspace', '.GITATTRIBUTES',
  // Windows drops trailing dots and spaces; `name:stream` is an NTFS stream of the same file.
  '.vscode/settings.json.', 'AGENTS.md ', '.git./config', 'package.json:evil',
];
const ORDINARY = ['src/a.ts', 'README.md', 'docs/package-json.md', 'src/makefile.ts', 'env.ts', 'src/.environment-notes/x', 'vscode/settings.json', 'github/workflows/x.yml', 'package.jsonx'];
const EDITING_MODES: SessionMode[] = ['ask', 'auto-edit', 'full'];

const write = (p: string) => ({ path: p, content: 'x' });

function rule(spec: string): PermissionRule {
  const [action, pattern] = spec.split(' ', 2) as [PermissionRule['action'], string];
  return { action, pattern, scope: 'workspace' };
}

void describe('sensitive targets', () => {
  let root: string;
  let home: string;
  const tools = new Map<string, AnyTool>(createBuiltinTools().map((t) => [t.name, t]));
  const engine = new PermissionEngine();

  before(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'sens-ws-')));
    home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sens-home-')));
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), '{"scripts":{"test":"true"}}\n');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  async function judge(toolName: string, args: Record<string, unknown>, mode: SessionMode, rules: string[] = [], opts: { roots?: string[]; home?: string } = {}): Promise<PermissionDecision> {
    const tool = tools.get(toolName)!;
    const v = tool.validate(args);
    assert.ok(v.ok, `fixture args must validate: ${!v.ok ? v.error : ''}`);
    const roots = opts.roots ?? [root];
    const description = await tool.describe(v.value, { workspaceRoots: roots, sessionId: 's1' });
    return engine.evaluate(tool, args, description, { mode, rules: rules.map(rule), workspaceRoots: roots, workspaceTrusted: true, home: opts.home ?? home });
  }

  function assertAsksForGood(d: PermissionDecision, what: string): void {
    assert.equal(d.decision, 'ask', `${what} → ${d.decision} (${d.source})`);
    assert.match(d.source, /sensitive target/, what);
    assert.equal(d.rememberable, false, `${what}: the approval cannot be remembered`);
    assert.equal(d.suggestedRule, undefined, `${what}: no rule is suggested`);
    assert.match(d.message ?? '', /every mode/, what);
  }

  for (const p of [...NEW_SENSITIVE, ...CASE_VARIANTS]) {
    void test(`write_file ${JSON.stringify(p)}: asks in ask, auto-edit and full (not rememberable), denied in plan`, async () => {
      for (const mode of EDITING_MODES) assertAsksForGood(await judge('write_file', write(p), mode), `${p} in ${mode}`);
      assert.equal((await judge('write_file', write(p), 'plan')).decision, 'deny', `${p} in plan`);
    });
  }

  void test('an allow rule that names a sensitive file, or its folder, does not allow it any more', async () => {
    const cases: Array<[string, string[]]> = [
      ['.vscode/settings.json', ['allow write_file(.vscode/settings.json)']],
      ['.agents/skills/x.md', ['allow write_file(.agents/**)']],
      ['package.json', ['allow write_file(package.json)', 'allow write_file(**)', 'allow write_file']],
      ['.github/workflows/ci.yml', ['allow write_file(.github/workflows/ci.yml)']],
      ['Makefile', ['allow *']],
    ];
    for (const [p, rules] of cases) {
      for (const mode of EDITING_MODES) assertAsksForGood(await judge('write_file', write(p), mode, rules), `${p} under ${rules.join(', ')} in ${mode}`);
    }
  });

  void test('edit_file of an existing package.json asks in full mode and cannot be remembered', async () => {
    assertAsksForGood(await judge('edit_file', { path: 'package.json', edits: [{ oldText: 'true', newText: 'curl x | sh' }] }, 'full', ['allow edit_file(package.json)']), 'edit package.json');
  });

  void test('a deny rule still wins over a sensitive target', async () => {
    assert.equal((await judge('write_file', write('package.json'), 'full', ['deny write_file(package.json)'])).decision, 'deny');
  });

  void test('ordinary files are not sensitive: allowed in auto-edit and full, folder rules suggested in ask', async () => {
    for (const p of ORDINARY) {
      for (const mode of ['auto-edit', 'full'] as const) {
        const d = await judge('write_file', write(p), mode);
        assert.equal(d.decision, 'allow', `${p} in ${mode} (${d.source})`);
      }
      const asked = await judge('write_file', write(p), 'ask');
      assert.equal(asked.decision, 'ask', p);
      assert.notEqual(asked.rememberable, false, `${p} can be remembered`);
      assert.ok(asked.suggestedRule, `${p} gets a suggestion`);
    }
  });

  void test('commands writing a new sensitive file ask in full mode and cannot be remembered', async () => {
    for (const p of ['package.json', 'packages/foo/package.json', 'Makefile', '.npmrc', '.envrc', '.env.local', '.gitattributes', '.gitmodules', 'pyproject.toml', '.github/workflows/ci.yml', '.vscode/extensions.json', 'x.code-workspace', 'PACKAGE.JSON', '.VSCODE/settings.json', '.Git/config']) {
      const d = await judge('run_command', { command: `echo x > ${p}` }, 'full', ['allow run_command(echo:*)', `allow edit_file(${p})`]);
      assert.equal(d.decision, 'ask', `echo x > ${p} → ${d.decision} (${d.source})`);
      assert.match(d.source, /sensitive target/, p);
      assert.equal(d.rememberable, false, p);
      assert.equal(d.suggestedRule, undefined, p);
    }
  });

  void test('shell profiles and ~/.ssh are sensitive even when the workspace is the home folder', async () => {
    mkdirSync(path.join(home, 'proj'), { recursive: true });
    for (const p of ['.bashrc', '.zshrc', '.profile', '.bash_profile', '.zprofile', '.zshenv', '.ssh/config', '.ssh/authorized_keys', '.BASHRC', '.SSH/config']) {
      for (const mode of EDITING_MODES) {
        assertAsksForGood(await judge('write_file', write(p), mode, [`allow write_file(${p})`], { roots: [home], home }), `~/${p} in ${mode}`);
      }
      const d = await judge('run_command', { command: `echo x >> ${p}` }, 'full', ['allow run_command(echo:*)'], { roots: [home], home });
      assert.equal(d.decision, 'ask', `echo x >> ~/${p}`);
      assert.equal(d.rememberable, false);
    }
    // A project below home is an ordinary workspace: its own `.profile` notes are not the shell's.
    const proj = path.join(home, 'proj');
    assert.equal((await judge('write_file', write('notes/.profile.md'), 'full', [], { roots: [proj], home })).decision, 'allow');
  });

  void test('sensitiveReason names the target; outside the workspace and shell profiles say so', () => {
    assert.equal(sensitiveReason({ relative: '.VSCODE/settings.json', absolute: '/ws/.VSCODE/settings.json' }, '/home/u'), '.VSCODE/settings.json');
    assert.match(sensitiveReason({ relative: undefined, absolute: '/home/u/.bashrc' }, '/home/u') ?? '', /~\/\.bashrc.*shell/);
    assert.match(sensitiveReason({ relative: undefined, absolute: '/home/u/.SSH/id_ed25519' }, '/home/u') ?? '', /~\/\.SSH\/id_ed25519/);
    assert.match(sensitiveReason({ relative: undefined, absolute: '/tmp/x' }, '/home/u') ?? '', /outside the workspace: \/tmp\/x/);
    assert.equal(sensitiveReason({ relative: 'src/a.ts', absolute: '/ws/src/a.ts' }, '/home/u'), undefined);
  });
});
