import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nullLogger } from '../../../src/core/ports';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { createLoadSkillTool, createManageSkillTool } from '../../../src/core/skills/tools';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import type { ToolContext } from '../../../src/core/tools/types';
import { skillMd, tempTree } from './helpers';

function ctx(root: string): ToolContext {
  return {
    sessionId: 's1', callId: 'c1', workspaceRoots: [root], signal: new AbortController().signal,
    onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger,
  };
}

void describe('skill tools', () => {
  void test('load_skill returns the body and bundled files; unknown names list the available ones', async () => {
    const ws = tempTree({
      '.agents/skills/pdf-forms/SKILL.md': skillMd('pdf-forms', 'Fill PDF forms.', 'Step 1: read reference.md'),
      '.agents/skills/pdf-forms/reference.md': 'ref',
    });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true) });
    await reg.reload();
    const tool = createLoadSkillTool(reg);
    assert.equal(tool.kind, 'read');
    const bad = tool.validate({});
    assert.equal(bad.ok, false);
    const ok = tool.validate({ name: 'pdf-forms' });
    assert.ok(ok.ok);
    const r = await tool.execute(ok.value, ctx(ws));
    assert.match(r.content, /Step 1: read reference\.md/);
    assert.match(r.content, /- \.agents\/skills\/pdf-forms\/reference\.md/);
    const missing = await tool.execute({ name: 'nope' }, ctx(ws));
    assert.equal(missing.isError, true);
    assert.match(missing.content, /Available skills: pdf-forms/);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  void test('manage_skill is an edit whose describe() targets the sensitive .agents/ path; create/update/delete work', async () => {
    const ws = tempTree({});
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true) });
    await reg.reload();
    const tool = createManageSkillTool(reg);
    assert.equal(tool.kind, 'edit');
    assert.equal(tool.validate({ action: 'create', name: 'Bad Name', description: 'x', body: 'y' }).ok, false);
    const args = tool.validate({ action: 'create', name: 'lint-fix', description: 'Fix lint errors: run eslint --fix.', body: 'Run `npx eslint --fix`.' });
    assert.ok(args.ok);
    const d = await tool.describe(args.value, { workspaceRoots: [ws], sessionId: 's1' });
    const file = join(ws, '.agents', 'skills', 'lint-fix', 'SKILL.md');
    assert.deepEqual(d.paths, [file]);
    assert.equal(d.target, '.agents/skills/lint-fix/SKILL.md');
    assert.equal(d.proposed!.before, '');
    assert.match(d.proposed!.after, /^---\nname: lint-fix\ndescription: "Fix lint errors: run eslint --fix."\n---\n/);
    assert.equal(existsSync(file), false, 'describe() writes nothing');

    await tool.execute(args.value, ctx(ws));
    assert.equal(reg.get('lint-fix')!.description, 'Fix lint errors: run eslint --fix.', 'the written file parses back');
    const upd = tool.validate({ action: 'update', name: 'lint-fix', body: 'New body.' });
    assert.ok(upd.ok);
    const du = await tool.describe(upd.value, { workspaceRoots: [ws], sessionId: 's1' });
    assert.match(du.proposed!.after, /New body\./);
    assert.match(du.proposed!.after, /description: "Fix lint errors/);
    await tool.execute(upd.value, ctx(ws));
    assert.match(readFileSync(file, 'utf8'), /New body\./);
    const del = tool.validate({ action: 'delete', name: 'lint-fix' });
    assert.ok(del.ok);
    assert.deepEqual((await tool.describe(del.value, { workspaceRoots: [ws], sessionId: 's1' })).paths, [file]);
    await tool.execute(del.value, ctx(ws));
    assert.equal(existsSync(file), false);
    assert.equal(reg.get('lint-fix'), undefined);
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });
});
