import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '../../../src/core/base/emitter';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { PollingFileWatcher } from '../../../src/core/skills/node-watcher';
import { staticTrust, type WorkspaceTrust } from '../../../src/core/skills/workspace-ports';
import { skillMd, tempTree, writeTree } from './helpers';

void describe('skill registry', () => {
  void test('discovers skills in every workspace folder and the user folder', async () => {
    const ws = tempTree({
      '.agents/skills/alpha/SKILL.md': skillMd('alpha', 'Alpha skill.', 'Alpha body', 'allowed-tools: read_file, grep\n'),
      '.agents/skills/alpha/scripts/run.sh': 'echo hi',
      '.claude/skills/beta/SKILL.md': skillMd('beta', 'Beta skill.'),
      '.github/skills/gamma/SKILL.md': skillMd('gamma', 'Gamma skill.'),
    });
    const user = tempTree({ 'delta/SKILL.md': skillMd('delta', 'Delta skill.') });
    const reg = new SkillRegistry({ workspaceRoot: ws, userSkillsDir: user, trust: staticTrust(true) });
    await reg.reload();
    assert.deepEqual(reg.list().map((s) => [s.name, s.location, s.source]), [
      ['alpha', 'agents', 'workspace'], ['beta', 'claude', 'workspace'], ['gamma', 'github', 'workspace'], ['delta', 'user', 'user'],
    ]);
    assert.deepEqual(reg.get('alpha')!.allowedTools, ['read_file', 'grep']);
    const c = await reg.content('alpha');
    assert.equal(c.body.trim(), 'Alpha body');
    assert.deepEqual(c.files, ['.agents/skills/alpha/scripts/run.sh']);
    assert.deepEqual(reg.diagnostics(), []);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true }); rmSync(user, { recursive: true, force: true });
  });

  void test('name clash: the workspace wins, both are listed', async () => {
    const ws = tempTree({ '.claude/skills/deploy/SKILL.md': skillMd('deploy', 'Workspace deploy.') });
    const user = tempTree({ 'deploy/SKILL.md': skillMd('deploy', 'User deploy.') });
    const reg = new SkillRegistry({ workspaceRoot: ws, userSkillsDir: user, trust: staticTrust(true) });
    await reg.reload();
    const all = reg.list();
    assert.equal(all.length, 2);
    assert.equal(reg.get('deploy')!.description, 'Workspace deploy.');
    const loser = all.find((s) => s.source === 'user')!;
    assert.equal(loser.shadowed, true);
    assert.equal(loser.shadowedBy, join(ws, '.claude/skills/deploy/SKILL.md'));
    assert.ok(loser.diagnostics.some((d) => d.code === 'duplicate'));
    assert.deepEqual(reg.enabledNames(), ['deploy']);
    reg.dispose();
  });

  void test('invalid front matter, missing fields and huge files give diagnostics; the rest still loads', async () => {
    const ws = tempTree({
      '.agents/skills/good/SKILL.md': skillMd('good', 'Fine.'),
      '.agents/skills/nofm/SKILL.md': 'just text',
      '.agents/skills/badyaml/SKILL.md': '---\nname: [unclosed\n---\nx',
      '.agents/skills/nodesc/SKILL.md': '---\nname: nodesc\n---\nbody',
      '.agents/skills/BadName/SKILL.md': skillMd('Bad Name', 'x'),
      '.agents/skills/huge/SKILL.md': skillMd('huge', 'Big one.', 'y'.repeat(10_000)),
      '.agents/skills/nofile/README.md': 'no SKILL.md here',
    });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), maxSkillBytes: 2000 });
    await reg.reload();
    assert.deepEqual(reg.enabledNames().sort(), ['good', 'huge']);
    const codes = reg.diagnostics().map((d) => `${d.code}:${d.path.split('/').slice(-2, -1)[0]}`).sort();
    assert.deepEqual(codes, ['invalid_front_matter:badyaml', 'invalid_front_matter:nofm', 'invalid_name:BadName', 'missing_field:nodesc', 'too_large:huge']);
    const huge = await reg.content('huge');
    assert.ok(huge.body.length < 2100);
    assert.match(huge.body, /\[truncated: SKILL.md is \d+ bytes/);
    reg.dispose();
  });

  void test('progressive disclosure: the prompt section has names and descriptions, never bodies', async () => {
    const ws = tempTree({
      '.agents/skills/pdf-forms/SKILL.md': skillMd('pdf-forms', 'Fill PDF forms.', 'SECRET-BODY-TEXT'),
      '.agents/skills/changelog/SKILL.md': skillMd('changelog', 'Write changelog entries.'),
    });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true) });
    await reg.reload();
    const section = reg.systemPromptSection(reg.enabledNames());
    assert.match(section, /- changelog: Write changelog entries\.\n- pdf-forms: Fill PDF forms\./);
    assert.doesNotMatch(section, /SECRET-BODY-TEXT/);
    assert.match(section, /load_skill/);
    assert.equal(reg.systemPromptSection([]), '');
    reg.dispose();
  });

  void test('per-session override disables a skill for that session only', async () => {
    const ws = tempTree({ '.agents/skills/a-one/SKILL.md': skillMd('a-one', 'A.'), '.agents/skills/b-two/SKILL.md': skillMd('b-two', 'B.') });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true) });
    await reg.reload();
    const s1 = reg.enabledNames({ 'a-one': false });
    const s2 = reg.enabledNames();
    assert.deepEqual(s1, ['b-two']);
    assert.deepEqual(s2, ['a-one', 'b-two']);
    assert.doesNotMatch(reg.systemPromptSection(s1), /a-one/);
    assert.deepEqual(reg.matchPrompt('use the a-one skill', s1), []);
    assert.deepEqual(reg.matchPrompt('use the a-one skill', s2).map((m) => m.name), ['a-one']);
    reg.dispose();
  });

  void test('untrusted workspace: workspace skills are off and the registry says why; user skills stay', async () => {
    const ws = tempTree({ '.agents/skills/ws-skill/SKILL.md': skillMd('ws-skill', 'W.') });
    const user = tempTree({ 'user-skill/SKILL.md': skillMd('user-skill', 'U.') });
    const trustChanged = new Emitter<boolean>();
    let trusted = false;
    const trust: WorkspaceTrust = { isTrusted: () => trusted, onDidChangeTrust: trustChanged.event };
    const reg = new SkillRegistry({ workspaceRoot: ws, userSkillsDir: user, trust });
    await reg.reload();
    assert.deepEqual(reg.enabledNames(), ['user-skill']);
    assert.ok(reg.diagnostics().some((d) => d.code === 'untrusted'));
    const changed = new Promise<void>((resolve) => reg.onDidChange(() => resolve()));
    trusted = true;
    trustChanged.fire(true);
    await changed;
    assert.deepEqual(reg.enabledNames(), ['ws-skill', 'user-skill']);
    assert.ok(!reg.diagnostics().some((d) => d.code === 'untrusted'));
    reg.dispose();
  });

  void test('the watcher picks up a new, edited and deleted skill without a reload call', async () => {
    const ws = tempTree({});
    const watcher = new PollingFileWatcher(50);
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), watcher, reloadDebounceMs: 20 });
    await reg.reload();
    assert.deepEqual(reg.enabledNames(), []);
    const next = (): Promise<void> => new Promise((resolve) => { const d = reg.onDidChange(() => { d.dispose(); resolve(); }); });
    await new Promise((r) => setTimeout(r, 120)); // let the watcher take its first snapshot
    let changed = next();
    writeTree(ws, { '.github/skills/fresh/SKILL.md': skillMd('fresh', 'New one.') });
    await changed;
    assert.deepEqual(reg.enabledNames(), ['fresh']);
    changed = next();
    writeTree(ws, { '.github/skills/fresh/SKILL.md': skillMd('fresh', 'Edited description, longer.') });
    await changed;
    assert.equal(reg.get('fresh')!.description, 'Edited description, longer.');
    changed = next();
    rmSync(join(ws, '.github/skills/fresh'), { recursive: true });
    await changed;
    assert.deepEqual(reg.enabledNames(), []);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });
});
