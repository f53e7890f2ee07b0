/**
 * delete_file and move_file (plain: without the change ledger), their permissions next to
 * write_file's, and read_file telling the ledger exactly which bytes it showed.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { createDeleteFileTool } from '../../../src/core/tools/delete-file';
import { createMoveFileTool } from '../../../src/core/tools/move-file';
import { createWriteFileTool } from '../../../src/core/tools/write-file';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import type { SessionMode } from '../../../src/core/session/types';
import type { AnyTool, ToolContext } from '../../../src/core/tools/types';
import type { SessionFiles } from '../../../src/core/changes/types';
import { makeCtx, tempDir } from './helpers';

const { dir: ws, cleanup } = tempDir('delete-move-');
after(cleanup);

const sha = (bytes: string | Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const put = (rel: string, text: string | Buffer): string => {
  const abs = path.join(ws, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
};

void describe('delete_file', () => {
  const tool = createDeleteFileTool();

  void test('describe shows what goes (a diff of the removed text) and the state it was computed from', async () => {
    put('gone.txt', 'first\nsecond\n');
    const d = await tool.describe({ path: 'gone.txt' }, makeCtx(ws));
    assert.equal(d.summary, 'delete gone.txt (2 lines)');
    assert.deepEqual(d.paths, [path.join(ws, 'gone.txt')]);
    assert.equal(d.precondition, sha('first\nsecond\n'));
    assert.match(d.diff ?? '', /^-first$/m);
    assert.match(d.diff ?? '', /^-second$/m);
    assert.deepEqual(d.proposed, { path: path.join(ws, 'gone.txt'), before: 'first\nsecond\n', after: '' });
  });

  void test('deletes only while the file is what was shown; never a folder', async () => {
    const abs = put('maybe.txt', 'shown\n');
    const ctx = { ...makeCtx(ws), precondition: { state: sha('shown\n'), approved: true } };
    writeFileSync(abs, 'changed meanwhile\n');
    const refused = await tool.execute({ path: 'maybe.txt' }, ctx);
    assert.equal(refused.isError, true);
    assert.match(refused.content, /maybe\.txt changed since the change was shown for approval/);
    assert.equal(readFileSync(abs, 'utf8'), 'changed meanwhile\n');
    assert.deepEqual(await tool.execute({ path: 'maybe.txt' }, makeCtx(ws)), { content: 'Deleted maybe.txt.' });
    assert.equal(existsSync(abs), false);
    mkdirSync(path.join(ws, 'folder'));
    assert.match((await tool.execute({ path: 'folder' }, makeCtx(ws))).content, /folder is a folder; delete_file deletes files only/);
    assert.match((await tool.execute({ path: 'nothing.txt' }, makeCtx(ws))).content, /does not exist/);
  });
});

void describe('move_file', () => {
  const tool = createMoveFileTool();

  void test('moves into new folders; refuses an existing destination; describe names both ends', async () => {
    put('m/a.txt', 'A\n');
    put('m/taken.txt', 'T\n');
    const d = await tool.describe({ from: 'm/a.txt', to: 'm/taken.txt' }, makeCtx(ws));
    assert.equal(d.summary, 'move m/a.txt → m/taken.txt (refused: m/taken.txt already exists)');
    assert.deepEqual(d.paths, [path.join(ws, 'm/a.txt'), path.join(ws, 'm/taken.txt')]);
    const refused = await tool.execute({ from: 'm/a.txt', to: 'm/taken.txt' }, makeCtx(ws));
    assert.equal(refused.isError, true);
    assert.equal(readFileSync(path.join(ws, 'm/taken.txt'), 'utf8'), 'T\n');
    assert.deepEqual(await tool.execute({ from: 'm/a.txt', to: 'm/deep/er/b.txt' }, makeCtx(ws)), { content: 'Moved m/a.txt to m/deep/er/b.txt.' });
    assert.equal(readFileSync(path.join(ws, 'm/deep/er/b.txt'), 'utf8'), 'A\n');
    assert.equal(existsSync(path.join(ws, 'm/a.txt')), false);
  });
});

void describe('permissions of delete_file and move_file', () => {
  void test('decide like write_file in every mode, sensitive targets included (at either end of a move)', async () => {
    const engine = new PermissionEngine();
    const write = createWriteFileTool() as AnyTool;
    const del = createDeleteFileTool() as AnyTool;
    const move = createMoveFileTool() as AnyTool;
    put('src/plain.txt', 'x\n');
    put('src/spare.txt', 'x\n');
    put('.vscode/settings.json', '{}\n');
    put('package.json', '{}\n');
    put('.github/workflows/ci.yml', 'on: push\n');
    const decide = async (tool: AnyTool, args: Record<string, unknown>, mode: SessionMode) => {
      const d = await engine.evaluate(tool, args, await tool.describe(args, makeCtx(ws)), { mode, rules: [], workspaceRoots: [ws], workspaceTrusted: true });
      return [d.decision, d.source, d.rememberable];
    };
    for (const mode of ['ask', 'auto-edit', 'plan', 'full'] as const) {
      // [an existing target, a new path of the same kind to move a file to]
      for (const [target, into] of [['src/plain.txt', 'src/new.txt'], ['.vscode/settings.json', '.vscode/tasks.json'], ['package.json', 'sub/package.json'], ['.github/workflows/ci.yml', '.github/workflows/new.yml']] as const) {
        const expected = await decide(write, { path: target, content: 'y\n' }, mode);
        assert.deepEqual(await decide(del, { path: target }, mode), expected, `delete ${target} in ${mode}`);
        assert.deepEqual(await decide(move, { from: target, to: 'src/elsewhere.txt' }, mode), expected, `move ${target} away in ${mode}`);
        const writeInto = await decide(write, { path: into, content: 'y\n' }, mode);
        assert.deepEqual(await decide(move, { from: 'src/spare.txt', to: into }, mode), writeInto, `move a file to ${into} in ${mode}`);
        if (target !== 'src/plain.txt' && mode !== 'plan') assert.equal(writeInto[0], 'ask', `${into} is sensitive`);
      }
    }
  });
});

void describe('read_file and the change ledger', () => {
  /** SessionFiles that only keeps what read_file noted. */
  const noting = (): { files: SessionFiles; seen: Array<[string, string]> } => {
    const seen: Array<[string, string]> = [];
    const refuse = async () => ({ ok: false as const, error: 'not here' });
    return {
      seen,
      files: { noteSeen: (abs, state) => { seen.push([abs, state]); }, update: refuse, remove: refuse, move: refuse, watchCommand: async () => ({ finish: async () => ({ files: [], notes: [] }) }) },
    };
  };

  void test('notes the state of exactly the bytes it read (whole, ranged, empty, binary)', async () => {
    const tool = createReadFileTool();
    const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const cases: Array<[string, string | Buffer, Record<string, unknown>]> = [
      ['r/whole.txt', text, {}], ['r/ranged.txt', text, { startLine: 10, endLine: 12 }], ['r/empty.txt', '', {}], ['r/bin.dat', Buffer.from([1, 0, 2, 0]), {}],
    ];
    for (const [rel, body, range] of cases) {
      const abs = put(rel, body);
      const { files, seen } = noting();
      const ctx: ToolContext = { ...makeCtx(ws), files };
      const result = await tool.execute({ path: rel, ...range }, ctx);
      assert.deepEqual(seen, [[abs, sha(body)]], rel);
      if (rel === 'r/ranged.txt') assert.equal(result.content, '10\tline 10\n11\tline 11\n12\tline 12\n(38 more lines; read on with startLine 13)');
      if (rel === 'r/whole.txt') assert.equal(result.content.split('\n').length, 50);
    }
    const { files, seen } = noting();
    await tool.execute({ path: 'r/missing.txt' }, { ...makeCtx(ws), files });
    assert.deepEqual(seen, [], 'nothing read, nothing noted');
  });
});
