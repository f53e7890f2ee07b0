/** read_file pages instead of cutting out a middle (issue 11): whole lines up to the cap, then where to read on. */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import { readLineWindow } from '../../../src/core/tools/line-window';
import { makeCtx, tempDir } from './helpers';

void describe('read_file windows', () => {
  const ws = tempDir('rf-win-');
  const root = ws.dir;
  after(() => ws.cleanup());
  const write = (name: string, text: string | Buffer): string => { writeFileSync(path.join(root, name), text); return name; };

  void test('over the output cap: whole lines, nothing dropped from the middle, and where to read on', async () => {
    const name = write('many.txt', Array.from({ length: 5000 }, (_, i) => `row ${i + 1} ${'.'.repeat(40)}`).join('\n'));
    const r = await createReadFileTool({ maxOutputChars: 2000 }).execute({ path: name, startLine: 100 }, makeCtx(root));
    const lines = r.content.split('\n');
    const note = lines.pop()!;
    assert.equal(r.content.includes('omitted'), false);
    assert.match(lines[0], /^100\trow 100 \.+$/);
    const last = Number(/^(\d+)\t/.exec(lines.at(-1)!)![1]);
    assert.equal(lines.length, last - 99, 'every line from 100 to the last shown');
    assert.equal(note, `(output limit reached; ${(5000 - last).toLocaleString('en-US')} more lines; read on with startLine ${last + 1})`);
    assert.ok(r.content.length <= 2100);
  });

  void test('a line longer than the cap shows its beginning and says so', async () => {
    const name = write('minified.js', `first\n${'x'.repeat(200_000)}\nthird\n`);
    const r = await createReadFileTool({ maxOutputChars: 1000 }).execute({ path: name, startLine: 2, endLine: 3 }, makeCtx(root));
    assert.match(r.content, /^2\tx{990,998}\n\(line 2 is 200,000 bytes long; only its beginning is shown\)\n\(1 more lines; read on with startLine 3\)$/);
  });

  void test('CRLF, a last line without newline, past the end, empty files', async () => {
    const read = createReadFileTool();
    assert.equal((await read.execute({ path: write('crlf.txt', 'a\r\nb\r\nc') }, makeCtx(root))).content, '1\ta\n2\tb\n3\tc');
    const past = await read.execute({ path: 'crlf.txt', startLine: 9 }, makeCtx(root));
    assert.equal(past.isError, true);
    assert.equal(past.content, 'crlf.txt has only 3 lines; startLine 9 is past the end.');
    assert.equal((await read.execute({ path: write('empty.txt', '') }, makeCtx(root))).content, 'empty.txt is empty.');
    assert.equal((await read.execute({ path: write('nl.txt', '\n') }, makeCtx(root))).content, 'nl.txt is empty.');
  });

  void test('multi-byte characters across read chunks are decoded whole', async () => {
    // 64 KB chunks: put a line of 3-byte characters across the first chunk boundary.
    const name = write('utf8.txt', `${'a'.repeat(65_530)}\n${'€'.repeat(100)}\nend\n`);
    const w = await readLineWindow(path.join(root, name), { start: 2, end: 2, maxChars: 10_000, costPerLine: () => 0, countRestBytes: 1e6 });
    assert.deepEqual(w.lines, ['€'.repeat(100)]);
    assert.equal(w.totalLines, 3);
    assert.equal(w.more, true);
  });
});
