import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllowedTools, splitAllowedTools } from '../../../src/core/skills/allowed-tools';
import { updateSkillFile } from '../../../src/core/skills/front-matter-edit';
import { parseSkillFile } from '../../../src/core/skills/skill-file';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { createLoadSkillTool, createManageSkillTool } from '../../../src/core/skills/tools';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { nullLogger } from '../../../src/core/ports';
import { tempTree } from './helpers';

const ctx = (root: string) => ({
  sessionId: 's1', callId: 'c1', workspaceRoots: [root], signal: new AbortController().signal,
  onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger,
});

/** Shaped like anthropics/skills' document skills: license, metadata, comments, a block description elsewhere. */
const REAL = `---
name: pdf-tools
description: Comprehensive PDF manipulation toolkit for extracting text and tables, creating new PDFs, merging/splitting documents, and handling forms.
license: Proprietary. LICENSE.txt has complete terms
# maintained by the docs team
metadata:
  version: "1.2"   # bump on every change
  author: docs-team
  tags: [pdf, forms]
allowed-tools: Bash(git add:*), Bash(git status:*), Read
x-custom:
  - keep: me
---
# PDF tools

Body text.
`;

void describe('allowed-tools', () => {
  void test('Claude Code form: commas outside parentheses separate; spaces inside belong to the pattern', () => {
    assert.deepEqual(splitAllowedTools('Bash(git add:*), Bash(git status:*), Read'), ['Bash(git add:*)', 'Bash(git status:*)', 'Read']);
    assert.deepEqual(splitAllowedTools('Bash(git:*) Bash(jq:*) Read'), ['Bash(git:*)', 'Bash(jq:*)', 'Read']);
    assert.deepEqual(splitAllowedTools('Bash(npm run test:*, npm run lint), Write'), ['Bash(npm run test:*, npm run lint)', 'Write']);
    assert.deepEqual(parseAllowedTools(['Bash(git add:*)', ' Read ']).tools, ['Bash(git add:*)', 'Read']);
    const fm = parseSkillFile(REAL, '/x/SKILL.md', 'pdf-tools');
    assert.deepEqual(fm.skill!.allowedTools, ['Bash(git add:*)', 'Bash(git status:*)', 'Read']);
  });

  void test('updating allowed-tools writes each form back as it came', () => {
    const str = updateSkillFile(REAL, { allowedTools: ['Bash(git add:*)', 'Bash(git commit:*)', 'Read'] });
    assert.equal(str, REAL.replace('allowed-tools: Bash(git add:*), Bash(git status:*), Read', 'allowed-tools: Bash(git add:*), Bash(git commit:*), Read'));
    const spaced = '---\nname: a\ndescription: A.\nallowed-tools: Bash(git:*) Read\n---\nb\n';
    assert.equal(updateSkillFile(spaced, { allowedTools: ['Bash(jq:*)', 'Read'] }), spaced.replace('Bash(git:*) Read', 'Bash(jq:*) Read'));
    const flow = '---\nname: a\ndescription: A.\nallowed-tools: [Read, "Bash(git add:*)"]\n---\nb\n';
    const flowOut = updateSkillFile(flow, { allowedTools: ['Read', 'Bash(git status:*)'] });
    assert.equal(flowOut, '---\nname: a\ndescription: A.\nallowed-tools: [Read, Bash(git status:*)]\n---\nb\n');
    assert.deepEqual(parseSkillFile(flowOut, '/a/SKILL.md', 'a').skill!.allowedTools, ['Read', 'Bash(git status:*)']);
    const block = '---\nname: a\ndescription: A.\nallowed-tools:\n  - Read\n  - Bash(git add:*)\n---\nb\n';
    assert.equal(updateSkillFile(block, { allowedTools: ['Read', 'Grep'] }), '---\nname: a\ndescription: A.\nallowed-tools:\n  - Read\n  - Grep\n---\nb\n');
    // An unusual layout (4-space list) that a splice would break still reads back right.
    const wide = '---\nname: a\nallowed-tools:\n    - Read\n    - Write\ndescription: A. # c\n---\nb\n';
    const wideOut = updateSkillFile(wide, { allowedTools: ['Grep'] });
    assert.deepEqual(parseSkillFile(wideOut, '/a/SKILL.md', 'a').skill!.allowedTools, ['Grep']);
    assert.match(wideOut, /description: A\. # c/);
    assert.equal(updateSkillFile(spaced, { allowedTools: [] }), '---\nname: a\ndescription: A.\n---\nb\n', '[] removes the field');
  });
});

void describe('front matter round trip (manage_skill update)', () => {
  void test('unknown fields and comments survive byte for byte; only the changed field differs', () => {
    const out = updateSkillFile(REAL, { description: 'Fill PDF forms: read the fields, then write them.' });
    assert.equal(out, REAL.replace(/^description: .*$/m, 'description: "Fill PDF forms: read the fields, then write them."'));
    assert.equal(updateSkillFile(REAL, {}), REAL, 'no change → same bytes');
    const body = updateSkillFile(REAL, { body: 'New body.' });
    assert.equal(body, `${REAL.slice(0, REAL.indexOf('# PDF tools'))}New body.\n`);
  });

  void test('a folded description keeps its style; CRLF files stay CRLF', () => {
    const folded = '---\nname: a\ndescription: >-\n  Old text\n  over lines.\nlicense: MIT\n---\nbody\n';
    assert.equal(updateSkillFile(folded, { description: 'New text.' }), '---\nname: a\ndescription: >-\n  New text.\nlicense: MIT\n---\nbody\n');
    const crlf = '---\r\nname: a\r\ndescription: Old.\r\nlicense: MIT # keep\r\n---\r\nbody\r\n';
    assert.equal(updateSkillFile(crlf, { description: 'New.' }), '---\r\nname: a\r\ndescription: New.\r\nlicense: MIT # keep\r\n---\r\nbody\r\n');
  });

  void test('manage_skill update keeps license/metadata; unparseable front matter is refused, not overwritten', async () => {
    const ws = tempTree({
      '.agents/skills/pdf-tools/SKILL.md': REAL,
      '.agents/skills/broken/SKILL.md': '---\nname: broken\ndescription: [unclosed\n---\nx\n',
    });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    const tool = createManageSkillTool(reg);
    const args = tool.validate({ action: 'update', name: 'pdf-tools', description: 'Shorter.' });
    assert.ok(args.ok);
    const d = await tool.describe(args.value, { workspaceRoots: [ws], sessionId: 's1' });
    assert.match(d.proposed!.after!, /license: Proprietary\. LICENSE\.txt has complete terms\n# maintained by the docs team\nmetadata:\n {2}version: "1\.2" {3}# bump on every change/);
    await tool.execute(args.value, ctx(ws));
    const file = join(ws, '.agents/skills/pdf-tools/SKILL.md');
    assert.equal(readFileSync(file, 'utf8'), REAL.replace(/^description: .*$/m, 'description: Shorter.'));
    assert.equal(reg.get('pdf-tools')!.description, 'Shorter.');
    const bad = await tool.execute({ action: 'update', name: 'broken', body: 'y' }, ctx(ws));
    assert.equal(bad.isError, true);
    assert.match(bad.content, /cannot be parsed/);
    assert.equal(readFileSync(join(ws, '.agents/skills/broken/SKILL.md'), 'utf8'), '---\nname: broken\ndescription: [unclosed\n---\nx\n');
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });
});

void describe('name differs from folder', () => {
  void test('load_skill accepts the name and the folder, and says which', async () => {
    const ws = tempTree({ '.claude/skills/document-skills-pdf/SKILL.md': '---\nname: pdf\ndescription: PDF work.\n---\nPDF body\n' });
    const reg = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    assert.equal(reg.get('pdf')!.folder, 'document-skills-pdf');
    const load = createLoadSkillTool(reg);
    const byName = await load.execute({ name: 'pdf' }, ctx(ws));
    assert.match(byName.content, /^Loaded pdf \(folder document-skills-pdf; requested by its name\)\./);
    assert.match(byName.content, /PDF body/);
    const byFolder = await load.execute({ name: 'document-skills-pdf' }, ctx(ws));
    assert.match(byFolder.content, /^Loaded pdf \(folder document-skills-pdf; requested by its folder name\)\./);
    assert.match(byFolder.content, /PDF body/);
    assert.ok(reg.diagnostics().every((d) => d.severity === 'info'));
    reg.dispose();
    rmSync(ws, { recursive: true, force: true });
  });
});
