import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { RulesFilesLoader, truncationNote } from '../../../src/core/context/rules-files';
import { composeRules, MIN_PARTIAL_CHARS } from '../../../src/core/context/rules-prompt';
import { parseCursorRule } from '../../../src/core/context/cursor-rules';
import { involvedPaths, rulesToAttach, workspaceRelative } from '../../../src/core/context/rules-on-path';
import type { AttachedRule } from '../../../src/shared/knowledge-types';
import { CURSOR, MONOREPO, writeTree } from './fixtures';

const trusted = (): boolean => true;
const load = (root: string, opts: Partial<ConstructorParameters<typeof RulesFilesLoader>[0]> = {}) =>
  new RulesFilesLoader({ root, isTrusted: trusted, ...opts }).load();

void describe('rules files as real repositories ship them', () => {
  void test('monorepo: only the root AGENTS.md is sent; a file under packages/a attaches packages/a/AGENTS.md and nothing else', async () => {
    const root = writeTree(MONOREPO);
    const files = await load(root);
    assert.deepEqual(files.map((f) => [f.relativePath, f.activation, f.scope]), [
      ['AGENTS.md', 'always', ''], ['apps/web/AGENTS.md', 'path', 'apps/web'], ['packages/a/AGENTS.md', 'path', 'packages/a'],
      ['packages/b/AGENTS.md', 'path', 'packages/b'], ['tools/cli/AGENTS.md', 'path', 'tools/cli'],
    ]);
    const first = composeRules(files);
    assert.match(first.section, /ROOT-RULE/);
    for (const r of ['A-RULE', 'B-RULE', 'WEB-RULE', 'CLI-RULE']) assert.doesNotMatch(first.section, new RegExp(r));
    assert.deepEqual(first.listing.filter((f) => f.active).map((f) => f.relativePath), ['AGENTS.md']);
    // Listing the packages folder brings nothing; reading a file under packages/a brings its AGENTS.md.
    assert.deepEqual(rulesToAttach(files, ['packages', ''], new Set()), []);
    const attached = rulesToAttach(files, ['packages/a/src/index.ts'], new Set());
    assert.deepEqual(attached, [{ id: 'agents:packages/a/AGENTS.md', relativePath: 'packages/a/AGENTS.md', reason: 'path', trigger: 'packages/a/src/index.ts' }]);
    assert.deepEqual(rulesToAttach(files, ['packages/a/src/index.ts'], new Set(attached.map((a) => a.id))), [], 'attached once');
    const after = composeRules(files, attached);
    assert.match(after.section, /ROOT-RULE[\s\S]*## AGENTS\.md: packages\/a\/AGENTS\.md \(applies to packages\/a\/\*\*\)\n\n# packages\/a\n\nA-RULE/);
    assert.doesNotMatch(after.section, /B-RULE|WEB-RULE|CLI-RULE/);
    assert.equal(after.listing.find((f) => f.relativePath === 'packages/a/AGENTS.md')?.active, true);
    rmSync(root, { recursive: true, force: true });
  });

  void test('nested CLAUDE.md and GEMINI.md load like nested AGENTS.md; root ones always', async () => {
    const root = writeTree({
      'CLAUDE.md': 'CLAUDE-ROOT', 'src/api/CLAUDE.md': 'CLAUDE-API', 'GEMINI.md': 'GEMINI-ROOT', 'docs/GEMINI.md': 'GEMINI-DOCS',
      'src/api/AGENTS.md': 'AGENTS-API',
    });
    const files = await load(root);
    assert.deepEqual(files.map((f) => [f.id, f.activation]), [
      ['claude:CLAUDE.md', 'always'], ['gemini:GEMINI.md', 'always'], ['gemini:docs/GEMINI.md', 'path'],
      ['agents:src/api/AGENTS.md', 'path'], ['claude:src/api/CLAUDE.md', 'path'],
    ]);
    assert.doesNotMatch(composeRules(files).section, /CLAUDE-API|GEMINI-DOCS|AGENTS-API/);
    const attached = rulesToAttach(files, ['src/api/routes.ts'], new Set());
    assert.deepEqual(attached.map((a) => a.id), ['agents:src/api/AGENTS.md', 'claude:src/api/CLAUDE.md']);
    const section = composeRules(files, attached).section;
    assert.match(section, /## CLAUDE\.md: src\/api\/CLAUDE\.md \(applies to src\/api\/\*\*\)\n\nCLAUDE-API/);
    assert.deepEqual(rulesToAttach(files, ['docs/guide.md'], new Set()).map((a) => a.id), ['gemini:docs/GEMINI.md']);
    rmSync(root, { recursive: true, force: true });
  });

  void test('symbolic links: CLAUDE.md → AGENTS.md, a linked package folder, a loop and a link out of the workspace', async () => {
    const outside = writeTree({ 'AGENTS.md': 'OUTSIDE-RULE' });
    const root = writeTree({ 'AGENTS.md': 'SHARED-RULE', 'shared/rules/AGENTS.md': 'LINKED-PKG-RULE' }, {
      'CLAUDE.md': 'AGENTS.md',
      'packages/linked': '../shared/rules',
      'packages/loop/self': '..',
      'external': outside,
    });
    const files = await load(root);
    const claude = files.find((f) => f.id === 'claude:CLAUDE.md');
    assert.equal(claude?.linkTarget, 'AGENTS.md');
    assert.equal(claude?.text, 'SHARED-RULE');
    assert.equal(files.find((f) => f.id === 'agents:packages/linked/AGENTS.md')?.linkTarget, undefined, 'the file itself is no link; its folder is');
    assert.ok(files.some((f) => f.id === 'agents:packages/linked/AGENTS.md'), 'a linked folder inside the workspace is walked');
    assert.ok(!files.some((f) => f.relativePath.startsWith('external/')), 'a link out of the workspace is not followed');
    assert.ok(files.length < 10, `the loop ended (${files.length} files)`);
    assert.deepEqual(composeRules(files).listing.find((f) => f.id === 'claude:CLAUDE.md')?.linkTarget, 'AGENTS.md');
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  void test('Cursor rules: each front-matter kind, subfolders, unquoted globs and the legacy .cursorrules', async () => {
    const root = writeTree({ ...CURSOR, 'apps/web/src/App.tsx': '', 'src/db.ts': '' });
    const files = await load(root);
    const by = (p: string) => files.find((f) => f.relativePath === p)!;
    assert.equal(by('.cursorrules').activation, 'always');
    assert.equal(by('.cursor/rules/project.mdc').activation, 'always');
    assert.deepEqual([by('.cursor/rules/typescript.mdc').activation, by('.cursor/rules/typescript.mdc').globs], ['glob', ['*.ts', '*.tsx']]);
    assert.deepEqual([by('.cursor/rules/frontend/react.mdc').activation, by('.cursor/rules/frontend/react.mdc').globs], ['glob', ['apps/web/**/*.tsx']]);
    assert.deepEqual([by('.cursor/rules/database.mdc').activation, by('.cursor/rules/database.mdc').description], ['requested', 'How to write database migrations']);
    assert.equal(by('.cursor/rules/release.mdc').activation, 'manual');
    const first = composeRules(files);
    assert.match(first.section, /ALWAYS-RULE[\s\S]*LEGACY-RULE/);
    assert.doesNotMatch(first.section, /TS-RULE|REACT-RULE|DB-RULE|MANUAL-RULE|alwaysApply/);
    assert.match(first.section, /Rules you may read when relevant \(read_file\)\n- \.cursor\/rules\/database\.mdc — How to write database migrations/);
    assert.doesNotMatch(first.section, /release\.mdc/, 'manual rules are not offered to the model');
    // A .ts file deep in the tree matches `*.ts`; the React rule wants apps/web/**/*.tsx.
    assert.deepEqual(rulesToAttach(files, ['src/db.ts'], new Set()).map((a) => [a.relativePath, a.reason]), [['.cursor/rules/typescript.mdc', 'glob']]);
    const web = rulesToAttach(files, ['apps/web/src/App.tsx'], new Set());
    assert.deepEqual(web.map((a) => a.relativePath), ['.cursor/rules/frontend/react.mdc', '.cursor/rules/typescript.mdc']);
    const requested = rulesToAttach(files, ['.cursor/rules/database.mdc'], new Set());
    assert.deepEqual(requested, [{ id: 'cursor:.cursor/rules/database.mdc', relativePath: '.cursor/rules/database.mdc', reason: 'requested' }]);
    const after = composeRules(files, [...web, ...requested]);
    assert.match(after.section, /REACT-RULE[\s\S]*TS-RULE[\s\S]*DB-RULE/);
    assert.doesNotMatch(after.section, /Rules you may read/, 'a requested rule once read is no longer only listed');
    assert.equal(after.listing.find((f) => f.relativePath === '.cursor/rules/release.mdc')?.activation, 'manual');
    rmSync(root, { recursive: true, force: true });
  });

  void test('front matter parsing: YAML list, quoted string, invalid YAML read line by line, none', () => {
    assert.deepEqual(parseCursorRule('---\nglobs: ["src/**/*.ts", "lib/*.js"]\n---\nx').globs, ['src/**/*.ts', 'lib/*.js']);
    assert.deepEqual(parseCursorRule('---\nglobs: "*.py, scripts/*.sh"\n---\nx').globs, ['*.py', 'scripts/*.sh']);
    const broken = parseCursorRule('---\ndescription: Use this: when you write SQL\nalwaysApply: false\n---\nbody');
    assert.equal(broken.activation, 'requested');
    assert.equal(broken.description, 'Use this: when you write SQL');
    assert.match(broken.problem ?? '', /not valid YAML/);
    assert.deepEqual(parseCursorRule('plain text, no front matter'), { body: 'plain text, no front matter', activation: 'manual', globs: [] });
    assert.equal(parseCursorRule('---\nalwaysApply: true\nglobs: *.ts\n---\nb').activation, 'always', 'alwaysApply wins over globs');
  });

  void test('budget: files that do not fit are listed by path, never sent as empty truncations; relevance decides who fits', async () => {
    const big = (tag: string, n: number): string => `${tag} ${'x'.repeat(n)}`;
    const root = writeTree({
      'AGENTS.md': big('ROOT', 1_500), 'CLAUDE.md': big('CLAUDE', 1_000), '.github/copilot-instructions.md': big('COPILOT', 1_000),
      'packages/a/AGENTS.md': big('PKG-A', 800), 'packages/b/AGENTS.md': big('PKG-B', 800),
    });
    const files = await load(root, { maxTotalChars: 3_000 });
    const attached: AttachedRule[] = [
      { id: 'agents:packages/a/AGENTS.md', relativePath: 'packages/a/AGENTS.md', reason: 'path', trigger: 'packages/a/x.ts' },
      { id: 'agents:packages/b/AGENTS.md', relativePath: 'packages/b/AGENTS.md', reason: 'path', trigger: 'packages/b/x.ts' },
    ];
    const out = composeRules(files, attached, 3_000);
    // ROOT (1505) + CLAUDE (1007) fit; 488 left is under MIN_PARTIAL_CHARS: COPILOT, PKG-B, PKG-A are listed.
    assert.ok(3_000 - 1_505 - 1_007 < MIN_PARTIAL_CHARS);
    assert.doesNotMatch(out.section, /\[truncated: 0 of/);
    assert.doesNotMatch(out.section, /COPILOT x|PKG-A x|PKG-B x/);
    assert.match(out.section, /## Also available \(read with read_file when relevant; left out for space\)\n- \.github\/copilot-instructions\.md\n- packages\/a\/AGENTS\.md\n- packages\/b\/AGENTS\.md\n$/);
    assert.deepEqual(out.listing.filter((f) => f.omitted).map((f) => f.relativePath), ['.github/copilot-instructions.md', 'packages/a/AGENTS.md', 'packages/b/AGENTS.md']);
    assert.deepEqual(out.budget, { chars: 1_505 + 1_007, budget: 3_000 });
    // A bigger budget: the newest attachment (nearest to the work now) is preferred, the rest is cut with the note.
    const wider = composeRules(files, attached, 5_000);
    assert.match(wider.section, /PKG-B x{800}/);
    const cut = wider.listing.find((f) => f.relativePath === 'packages/a/AGENTS.md')!;
    assert.equal(cut.truncated, true);
    assert.match(wider.section, new RegExp(`PKG-A x+\\n${truncationNote(5_000 - 1_505 - 1_007 - 1_008 - 806, 806).replace(/[[\]]/g, '\\$&')}`));
    assert.match(wider.section, /packages\/a\/AGENTS\.md[\s\S]*packages\/b\/AGENTS\.md/, 'shown in the order they were attached');
    rmSync(root, { recursive: true, force: true });
  });

  void test('path arguments of the file tools, and workspace-relative paths', () => {
    assert.deepEqual(involvedPaths({ name: 'read_file', args: { path: 'packages/a/src/index.ts' } }), ['packages/a/src/index.ts']);
    assert.deepEqual(involvedPaths({ name: 'move_file', args: { from: 'a/x.ts', to: 'b/x.ts' } }), ['a/x.ts', 'b/x.ts']);
    assert.deepEqual(involvedPaths({ name: 'search_text', args: { pattern: 'x', path: 'tools' } }), ['tools']);
    assert.deepEqual(involvedPaths({ name: 'run_command', args: { command: 'cat packages/a/x' } }), []);
    assert.equal(workspaceRelative('./packages/a/../a/x.ts', ['/ws']), 'packages/a/x.ts');
    assert.equal(workspaceRelative('/ws/packages/a/x.ts', ['/ws']), 'packages/a/x.ts');
    assert.equal(workspaceRelative('/real/ws/x.ts', ['/ws', '/real/ws']), 'x.ts');
    assert.equal(workspaceRelative('../other/x.ts', ['/ws']), undefined);
    assert.equal(workspaceRelative('/etc/passwd', ['/ws']), undefined);
  });
});
