import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createEditFileTool } from '../../../src/core/tools/edit-file';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import { createListDirTool } from '../../../src/core/tools/list-dir';
import { createWriteFileTool } from '../../../src/core/tools/write-file';
import { createUpdateTasksTool } from '../../../src/core/tools/update-tasks';
import { capText, HeadTailBuffer } from '../../../src/core/tools/output-cap';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import { makeCtx, tempDir } from './helpers';

const SOURCE = [
  'export function add(a: number, b: number) {',
  '  return a + b;',
  '}',
  '',
  'export function sub(a: number, b: number) {',
  '  return a - b;',
  '}',
  '',
].join('\n');

void describe('file tools', () => {
  const ws = tempDir('ft-');
  const root = ws.dir;
  const file = path.join(root, 'src/math.ts');
  before(() => { mkdirSync(path.join(root, 'src')); });
  after(() => ws.cleanup());
  const reset = () => writeFileSync(file, SOURCE);

  void test('edit mismatch explains and shows the nearest match with line numbers', async () => {
    reset();
    const tool = createEditFileTool();
    const args = { path: 'src/math.ts', edits: [{ oldText: 'export function sub(a: number, b: number) {\n  return a + b;', newText: 'x' }] };
    const r = await tool.execute(args, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /not found/);
    assert.match(r.content, /No changes were written/);
    assert.match(r.content, /Nearest match \(lines 5-6/);
    assert.match(r.content, /5\texport function sub/);
    assert.equal(readFileSync(file, 'utf8'), SOURCE);
  });

  void test('whitespace-only mismatch is called out', async () => {
    reset();
    const r = await createEditFileTool().execute({ path: 'src/math.ts', edits: [{ oldText: '    return a + b;', newText: 'x' }] }, makeCtx(root));
    assert.match(r.content, /different whitespace or indentation/);
  });

  void test('non-unique match is refused with the line numbers', async () => {
    reset();
    const r = await createEditFileTool().execute({ path: 'src/math.ts', edits: [{ oldText: '(a: number, b: number)', newText: '(x: number)' }] }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /matches 2 places \(lines 1, 5\)/);
    assert.equal(readFileSync(file, 'utf8'), SOURCE);
  });

  void test('replaceAll replaces every occurrence', async () => {
    reset();
    const r = await createEditFileTool().execute({ path: 'src/math.ts', edits: [{ oldText: 'number', newText: 'bigint', replaceAll: true }] }, makeCtx(root));
    assert.equal(r.isError, undefined);
    assert.match(r.content, /4 replacements/);
    assert.equal(readFileSync(file, 'utf8').includes('number'), false);
  });

  void test('several edits apply atomically: one failure writes nothing', async () => {
    reset();
    const tool = createEditFileTool();
    const bad = await tool.execute({ path: 'src/math.ts', edits: [{ oldText: 'a + b', newText: 'a + b + 0' }, { oldText: 'no such text', newText: 'y' }] }, makeCtx(root));
    assert.equal(bad.isError, true);
    assert.match(bad.content, /Edit 2 of 2 failed/);
    assert.equal(readFileSync(file, 'utf8'), SOURCE);
    const good = await tool.execute({ path: 'src/math.ts', edits: [{ oldText: 'a + b', newText: 'b + a' }, { oldText: 'a - b', newText: '-(b - a)' }] }, makeCtx(root));
    assert.equal(good.isError, undefined, good.content);
    assert.equal(readFileSync(file, 'utf8'), SOURCE.replace('a + b', 'b + a').replace('a - b', '-(b - a)'));
  });

  void test('describe gives a unified diff and before/after', async () => {
    reset();
    const tool = createEditFileTool();
    const d = await tool.describe({ path: 'src/math.ts', edits: [{ oldText: 'a - b', newText: 'a - b - 1' }] }, { workspaceRoots: [root], sessionId: 's' });
    assert.equal(d.target, 'src/math.ts');
    assert.deepEqual(d.paths, [file]);
    assert.match(d.diff ?? '', /^--- a\/src\/math\.ts\n\+\+\+ b\/src\/math\.ts\n@@ -3,5 \+3,5 @@/);
    assert.match(d.diff ?? '', /\n- {2}return a - b;\n\+ {2}return a - b - 1;\n/);
    assert.equal(d.proposed?.before, SOURCE);
    assert.equal(d.proposed?.after, SOURCE.replace('a - b', 'a - b - 1'));
  });

  void test('CRLF files keep CRLF when the model sends LF', async () => {
    writeFileSync(file, SOURCE.replace(/\n/g, '\r\n'));
    const r = await createEditFileTool().execute({ path: 'src/math.ts', edits: [{ oldText: '{\n  return a + b;', newText: '{\n  return b + a;' }] }, makeCtx(root));
    assert.equal(r.isError, undefined, r.content);
    assert.match(readFileSync(file, 'utf8'), /\{\r\n {2}return b \+ a;/);
  });

  void test('read_file numbers lines, honours ranges and refuses binary files', async () => {
    reset();
    const read = createReadFileTool();
    const r = await read.execute({ path: 'src/math.ts', startLine: 5, endLine: 6 }, makeCtx(root));
    assert.equal(r.content, '5\texport function sub(a: number, b: number) {\n6\t  return a - b;\n(1 more lines; read on with startLine 7)');
    writeFileSync(path.join(root, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const b = await read.execute({ path: 'img.png' }, makeCtx(root));
    assert.equal(b.isError, true);
    assert.match(b.content, /binary file/);
    const missing = await read.execute({ path: 'nope.ts' }, makeCtx(root));
    assert.match(missing.content, /does not exist/);
  });

  void test('read_file refuses huge files without a range', async () => {
    writeFileSync(path.join(root, 'big.txt'), 'x'.repeat(3000));
    const r = await createReadFileTool({ maxFileBytes: 1000 }).execute({ path: 'big.txt' }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /over the 1,000-byte limit/);
  });

  void test('write_file creates folders; list_dir lists folders first', async () => {
    const w = await createWriteFileTool().execute({ path: 'pkg/new/file.txt', content: 'hi\n' }, makeCtx(root));
    assert.match(w.content, /Created pkg\/new\/file\.txt/);
    const l = await createListDirTool().execute({ path: 'pkg' }, makeCtx(root));
    assert.equal(l.content, 'new/');
  });

  void test('validation errors are written for the model', () => {
    const v = createEditFileTool().validate({ path: 'a', edits: [] });
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.error : '', /Invalid arguments for edit_file: "edits"/);
  });

  void test('update_tasks replaces the task list', async () => {
    const ctx = makeCtx(root);
    const tool = createUpdateTasksTool();
    const v = tool.validate({ tasks: [{ id: '1', title: 'Write tests', status: 'in_progress' }, { id: '2', title: 'Ship', status: 'pending' }] });
    assert.ok(v.ok);
    const r = await tool.execute(v.value, ctx);
    assert.equal(ctx.taskList.length, 2);
    assert.match(r.content, /0\/2 done/);
    assert.equal(tool.validate({ tasks: [{ id: '1', title: 'a', status: 'done' }, { id: '1', title: 'b', status: 'done' }] }).ok, false);
  });
});

void describe('output caps', () => {
  void test('capText keeps head and tail with the omitted count', () => {
    const text = 'H'.repeat(100) + 'M'.repeat(12_345) + 'T'.repeat(100);
    const out = capText(text, { maxChars: 200 });
    assert.ok(out.startsWith('H'.repeat(100)));
    assert.ok(out.endsWith('T'.repeat(100)));
    assert.match(out, /… 12,345 characters omitted …/);
  });
  void test('HeadTailBuffer holds bounded memory and counts what it dropped', () => {
    const b = new HeadTailBuffer(10, 10);
    for (let i = 0; i < 1000; i++) b.append('0123456789');
    assert.equal(b.length, 10_000);
    assert.equal(b.omittedCount, 9_980);
    assert.equal(b.toString(), '0123456789\n… 9,980 characters omitted …\n0123456789');
  });
});

void describe('tool registry', () => {
  void test('register/unregister via disposable, specs filtered by allowlist', () => {
    const reg = new ToolRegistry(createBuiltinTools());
    assert.equal(reg.list().length, 10);
    assert.deepEqual(reg.specs(['read_file', 'nope']).map((s) => s.name), ['read_file']);
    const extra = { ...reg.get('read_file')!, name: 'mcp__x__y' };
    let changes = 0;
    reg.onDidChange(() => changes++);
    const d = reg.register(extra);
    assert.throws(() => reg.register(extra), /already registered/);
    assert.ok(reg.get('mcp__x__y'));
    d.dispose();
    assert.equal(reg.get('mcp__x__y'), undefined);
    assert.equal(changes, 2);
    const spec = reg.specs().find((s) => s.name === 'edit_file')!;
    assert.equal(spec.inputSchema.type, 'object');
    assert.ok((spec.inputSchema.required as string[]).includes('edits'));
  });
});
