/**
 * A ranged read_file of a 100 MB file reads only the window it needs (issue 11). Its own file:
 * the peak RSS of this test process is what is measured, so nothing else may run here first.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, writeSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import { makeCtx, tempDir } from './helpers';

const MB = 1024 * 1024;
const SIZE = 100 * MB;
/** Generous: the read itself needs a few 64 KB chunks; the old whole-file read grew by 300+ MB. */
const BOUND = 64 * MB;

/** Peak RSS of the process so far, bytes (the kernel's high-water mark, so a short spike counts). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

void describe('read_file on a 100 MB file', () => {
  const ws = tempDir('rf-big-');
  const root = ws.dir;
  after(() => ws.cleanup());
  // 1,000 text lines at the start, a 100 MB hole (reads as NUL bytes), 3 text lines at the very end.
  const file = path.join(root, 'big.log');
  const head = Array.from({ length: 1000 }, (_, i) => `line ${i + 1} of the log`).join('\n') + '\n';
  const tail = '\ntail one\ntail two\ntail three\n';
  const fd = openSync(file, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, SIZE);
  writeSync(fd, tail, SIZE - Buffer.byteLength(tail));
  closeSync(fd);

  void test('a ranged read streams: bounded memory, exact lines, and how to read on', async (t) => {
    const read = createReadFileTool();
    const ctx = makeCtx(root);
    const before = peakRss();
    const r = await read.execute({ path: 'big.log', startLine: 998, endLine: 1000 }, ctx);
    const deep = await read.execute({ path: 'big.log', startLine: 1002, endLine: 1003 }, ctx);
    const growth = peakRss() - before;
    t.diagnostic(`read_file of a 100 MB sparse file: peak RSS growth ${(growth / MB).toFixed(1)} MB (bound ${BOUND / MB} MB)`);
    assert.equal(r.isError, undefined, r.content);
    assert.match(r.content, /^ 998\tline 998 of the log\n 999\tline 999 of the log\n1000\tline 1000 of the log\n\(more lines follow; the file is 104,857,600 bytes\. Read on with startLine 1001\)$/);
    // Line 1001 is the 100 MB hole (one NUL-filled line): reading past it still works and stays bounded.
    assert.match(deep.content, /^1002\ttail one\n1003\ttail two\n/);
    assert.ok(growth < BOUND, `peak RSS grew by ${(growth / MB).toFixed(1)} MB`);
  });

  void test('the 100 MB line itself is refused as binary, not pasted', async () => {
    const r = await createReadFileTool().execute({ path: 'big.log', startLine: 1001, endLine: 1001 }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /binary data/);
    assert.ok(r.content.length < 400);
  });

  void test('without a range it is still refused, without being read', async () => {
    const r = await createReadFileTool().execute({ path: 'big.log' }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /104,857,600 bytes, over the 2,097,152-byte limit/);
  });
});
