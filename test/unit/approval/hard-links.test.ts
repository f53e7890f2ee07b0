/**
 * Hard links (issue 11). A hard link inside the workspace to a file outside it is the same file
 * under two names; realpath cannot see it, and finding the other names would mean scanning the
 * disk. So a regular file with more than one link is never taken as provably inside:
 * - reading it asks, in every mode, unless an allow rule of that tool names the file or a
 *   literal folder above it (`read_file(node_modules/**)` for pnpm's linked store);
 * - writing it (edit tools or a command) is a sensitive target: asks in every mode and cannot
 *   be remembered as a rule.
 * Real hard links in real temp folders, real tools, the real engine.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import { toTarget } from '../../../src/core/approval/targets';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import type { AnyTool } from '../../../src/core/tools/types';
import type { PermissionRule, SessionMode } from '../../../src/core/session/types';
import type { PermissionDecision } from '../../../src/core/approval/types';
import { makeCtx } from '../tools/helpers';

const ALL_MODES: SessionMode[] = ['ask', 'auto-edit', 'plan', 'full'];

function rule(spec: string): PermissionRule {
  const [action, pattern] = spec.split(' ', 2) as [PermissionRule['action'], string];
  return { action, pattern, scope: 'workspace' };
}

void describe('hard links', () => {
  let root: string;
  let outside: string;
  const tools = new Map<string, AnyTool>(createBuiltinTools().map((t) => [t.name, t]));
  const engine = new PermissionEngine();

  before(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'hl-ws-')));
    outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'hl-out-')));
    mkdirSync(path.join(root, 'src'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules/.pnpm/pkg'), { recursive: true });
    writeFileSync(path.join(outside, 'id_rsa'), 'hello PRIVATE KEY\n');
    linkSync(path.join(outside, 'id_rsa'), path.join(root, 'notes.txt'));
    linkSync(path.join(outside, 'id_rsa'), path.join(root, 'src/key.txt'));
    writeFileSync(path.join(outside, 'store-index.js'), 'hello\n');
    linkSync(path.join(outside, 'store-index.js'), path.join(root, 'node_modules/.pnpm/pkg/index.js'));
    writeFileSync(path.join(root, 'src/plain.ts'), 'hello\n');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  async function judge(toolName: string, args: Record<string, unknown>, mode: SessionMode, rules: string[] = []): Promise<PermissionDecision> {
    const tool = tools.get(toolName)!;
    const v = tool.validate(args);
    assert.ok(v.ok, `fixture args must validate: ${!v.ok ? v.error : ''}`);
    const description = await tool.describe(v.value, { workspaceRoots: [root], sessionId: 's1' });
    return engine.evaluate(tool, args, description, { mode, rules: rules.map(rule), workspaceRoots: [root], workspaceTrusted: true });
  }

  void test('toTarget reports the link count of a hard-linked file, not of an ordinary one', () => {
    assert.equal(toTarget(path.join(root, 'notes.txt'), [root]).hardLinks, 3);
    assert.equal(toTarget(path.join(root, 'notes.txt'), [root]).relative, 'notes.txt', 'still matched by path rules');
    assert.equal(toTarget(path.join(root, 'src/plain.ts'), [root]).hardLinks, undefined);
    assert.equal(toTarget(path.join(root, 'src'), [root]).hardLinks, undefined, 'folders always have several links');
    assert.equal(toTarget(path.join(root, 'missing.txt'), [root]).hardLinks, undefined);
  });

  void test('read_file of a hard link to a file outside asks in every mode', async () => {
    for (const mode of ALL_MODES) {
      for (const p of ['notes.txt', 'src/key.txt']) {
        const d = await judge('read_file', { path: p }, mode);
        assert.equal(d.decision, 'ask', `${p} in ${mode} → ${d.decision} (${d.source})`);
        assert.match(d.source, /hard link/);
        assert.match(d.message ?? '', /another name|outside the workspace/);
      }
    }
  });

  void test('a bare or wildcard read rule does not cover a hard link; a rule naming it or its folder does', async () => {
    for (const rules of [['allow read_file'], ['allow read_file(**)'], ['allow *'], ['allow read_file(src/*)']]) {
      assert.equal((await judge('read_file', { path: 'src/key.txt' }, 'full', rules)).decision, 'ask', rules.join(', '));
    }
    assert.equal((await judge('read_file', { path: 'src/key.txt' }, 'ask', ['allow read_file(src/key.txt)'])).decision, 'allow');
    assert.equal((await judge('read_file', { path: 'node_modules/.pnpm/pkg/index.js' }, 'ask', ['allow read_file(node_modules/**)'])).decision, 'allow');
  });

  void test('the read approval offers its folder as the rule to remember', async () => {
    const d = await judge('read_file', { path: 'node_modules/.pnpm/pkg/index.js' }, 'ask');
    assert.equal(d.decision, 'ask');
    assert.notEqual(d.rememberable, false);
    assert.equal(d.suggestedRule, 'read_file(node_modules/.pnpm/pkg/**)');
    assert.equal((await judge('read_file', { path: 'notes.txt' }, 'ask')).suggestedRule, 'read_file(notes.txt)');
  });

  void test('an ordinary file is read without asking', async () => {
    for (const mode of ALL_MODES) assert.equal((await judge('read_file', { path: 'src/plain.ts' }, mode)).decision, 'allow', mode);
  });

  void test('writing a hard-linked file asks in every mode, even under a rule naming it, and cannot be remembered', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['write_file', { path: 'notes.txt', content: 'x' }],
      ['edit_file', { path: 'notes.txt', edits: [{ oldText: 'hello', newText: 'bye' }] }],
    ];
    for (const [toolName, args] of calls) {
      for (const mode of ['ask', 'auto-edit', 'full'] as const) {
        const d = await judge(toolName, args, mode, [`allow ${toolName}(notes.txt)`]);
        assert.equal(d.decision, 'ask', `${toolName} in ${mode} → ${d.decision} (${d.source})`);
        assert.match(d.source, /sensitive target notes\.txt.*hard link/);
        assert.equal(d.rememberable, false);
        assert.equal(d.suggestedRule, undefined);
      }
    }
  });

  void test('a command writing through a hard link asks in full mode and cannot be remembered', async () => {
    const d = await judge('run_command', { command: 'echo x > notes.txt' }, 'full', ['allow run_command(echo:*)', 'allow edit_file(notes.txt)']);
    assert.equal(d.decision, 'ask', `${d.decision} (${d.source})`);
    assert.match(d.source, /hard link/);
    assert.equal(d.rememberable, false);
  });

  void test('an approved write_file replaces only the workspace name: the file outside keeps its content', async () => {
    const tool = tools.get('write_file')!;
    const r = await tool.execute({ path: 'src/key.txt', content: 'replaced\n' }, makeCtx(root));
    assert.equal(r.isError, undefined, r.content);
    assert.equal(readFileSync(path.join(root, 'src/key.txt'), 'utf8'), 'replaced\n');
    assert.equal(readFileSync(path.join(outside, 'id_rsa'), 'utf8'), 'hello PRIVATE KEY\n');
    assert.equal(toTarget(path.join(root, 'src/key.txt'), [root]).hardLinks, undefined, 'the link is broken, the new file is ordinary');
  });
});
