import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { PollingFileWatcher } from '../../../src/core/skills/node-watcher';
import { createLoadSkillTool, createManageSkillTool } from '../../../src/core/skills/tools';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { nullLogger } from '../../../src/core/ports';
import { skillMd, tempTree, writeTree } from './helpers';

/** `ln -s target path` (relative targets, as installers write them). */
function link(target: string, path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  symlinkSync(target, path, 'dir');
}

const ctx = (root: string) => ({
  sessionId: 's1', callId: 'c1', workspaceRoots: [root], signal: new AbortController().signal,
  onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger,
});

void describe('symlinked skill folders', () => {
  void test('npx-skills layout: .claude/skills/<name> -> ../../.agents/skills/<name> loads once; a shared folder in the repo loads, marked linked', async () => {
    const ws = tempTree({
      '.agents/skills/pdf/SKILL.md': skillMd('pdf', 'PDF work.'),
      'shared-skills/release-notes/SKILL.md': skillMd('release-notes', 'Write release notes.', 'RN body'),
      'shared-skills/release-notes/template.md': 'tpl',
    });
    link('../../.agents/skills/pdf', join(ws, '.claude/skills/pdf'));
    link('../../shared-skills/release-notes', join(ws, '.claude/skills/release-notes'));
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    assert.deepEqual(reg.list().map((s) => [s.name, s.location, s.linked ?? false]), [['pdf', 'agents', false], ['release-notes', 'claude', true]]);
    assert.ok(reg.diagnostics().some((d) => d.code === 'duplicate' && d.severity === 'info' && d.path === join(ws, '.claude/skills/pdf')), 'the link to the canonical copy is noted, not loaded twice');
    assert.ok(!reg.diagnostics().some((d) => d.severity !== 'info'));
    const r = await createLoadSkillTool(reg).execute({ name: 'release-notes' }, ctx(ws));
    assert.match(r.content, /RN body/);
    assert.match(r.content, /- \.claude\/skills\/release-notes\/template\.md/);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  void test('a link outside the allowed roots is refused with a diagnostic naming it; the user store is allowed', async () => {
    const outside = tempTree({ 'evil/SKILL.md': skillMd('evil', 'Outside the roots.'), 'notes.txt': 'private' });
    const store = tempTree({ 'gstack/SKILL.md': skillMd('gstack', 'From the user-level store.') });
    const ws = tempTree({ '.agents/skills/ok/SKILL.md': skillMd('ok', 'Fine.') });
    link(join(outside, 'evil'), join(ws, '.agents/skills/evil'));
    link(join(store, 'gstack'), join(ws, '.github/skills/gstack'));
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [store] });
    await reg.reload();
    assert.deepEqual(reg.enabledNames(), ['ok', 'gstack']);
    const refused = reg.diagnostics().filter((d) => d.code === 'link_refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.path, join(ws, '.agents/skills/evil'));
    assert.match(refused[0]!.message, /evil -> .*evil points outside the workspace/);
    // manage_skill never writes through the refused link.
    const manage = createManageSkillTool(reg);
    const w = await manage.execute({ action: 'create', name: 'evil', description: 'x', body: 'y' }, ctx(ws));
    assert.equal(w.isError, true);
    assert.match(w.content, /symbolic link the skill registry does not follow/);
    assert.match(readFileSync(join(outside, 'evil/SKILL.md'), 'utf8'), /Outside the roots/);
    reg.dispose();
    for (const d of [outside, store, ws]) rmSync(d, { recursive: true, force: true });
  });

  void test('user folder ~/.claude/skills/<name> -> ~/.agents/skills/<name> (global install) loads as a linked user skill', async () => {
    const home = tempTree({ '.agents/skills/tdd/SKILL.md': skillMd('tdd', 'Test first.') });
    link('../../.agents/skills/tdd', join(home, '.claude/skills/tdd'));
    const ws = tempTree({});
    const reg = new SkillRegistry({ workspaceRoot: ws, userSkillsDir: join(home, '.claude/skills'), trust: staticTrust(true), linkRoots: [join(home, '.agents/skills')] });
    await reg.reload();
    assert.deepEqual(reg.list().map((s) => [s.name, s.source, s.linked]), [['tdd', 'user', true]]);
    // Without the store among the roots the same link is refused, and says so.
    const strict = new SkillRegistry({ workspaceRoot: ws, userSkillsDir: join(home, '.claude/skills'), trust: staticTrust(true), linkRoots: [] });
    await strict.reload();
    assert.deepEqual(strict.enabledNames(), []);
    assert.ok(strict.diagnostics().some((d) => d.code === 'link_refused' && d.path === join(home, '.claude/skills/tdd')));
    reg.dispose(); strict.dispose();
    rmSync(home, { recursive: true, force: true }); rmSync(ws, { recursive: true, force: true });
  });

  void test('loops: a link to its own skills folder, to a parent, a cycle and a dangling link are skipped with diagnostics; the rest loads', async () => {
    const ws = tempTree({ '.agents/skills/good/SKILL.md': skillMd('good', 'Fine.') });
    link('.', join(ws, '.agents/skills/self'));
    link('../..', join(ws, '.agents/skills/up'));
    link('b', join(ws, '.agents/skills/a'));
    link('a', join(ws, '.agents/skills/b'));
    link('../../missing', join(ws, '.agents/skills/gone'));
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    assert.deepEqual(reg.enabledNames(), ['good']);
    const refused = reg.diagnostics().filter((d) => d.code === 'link_refused').map((d) => d.path.split('/').pop()).sort();
    assert.deepEqual(refused, ['a', 'b', 'gone', 'self', 'up']);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  void test('a linked skills folder itself (.claude/skills -> ../shared) is followed inside the workspace', async () => {
    const ws = tempTree({ 'shared/lint/SKILL.md': skillMd('lint', 'Lint.') });
    link('../shared', join(ws, '.claude/skills'));
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    assert.deepEqual(reg.list().map((s) => [s.name, s.linked]), [['lint', true]]);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  void test('an edit in the link target (outside the watched skill folders) reloads the registry', async () => {
    const store = tempTree({ 'tdd/SKILL.md': skillMd('tdd', 'Before.') });
    const ws = tempTree({});
    link(join(store, 'tdd'), join(ws, '.agents/skills/tdd'));
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [store], watcher: new PollingFileWatcher(40), reloadDebounceMs: 20 });
    await reg.reload();
    assert.equal(reg.get('tdd')!.description, 'Before.');
    await new Promise((r) => setTimeout(r, 150));
    const changed = new Promise<void>((resolve) => { const d = reg.onDidChange(() => { d.dispose(); resolve(); }); });
    writeTree(store, { 'tdd/SKILL.md': skillMd('tdd', 'After, edited in the canonical copy.') });
    await changed;
    assert.equal(reg.get('tdd')!.description, 'After, edited in the canonical copy.');
    reg.dispose();
    rmSync(store, { recursive: true, force: true }); rmSync(ws, { recursive: true, force: true });
  });
});
