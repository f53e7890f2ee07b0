/**
 * Long command output: the model sees head + tail, and the full output is saved in the session's
 * storage, where read_file can page through it (and only that session's read_file) (issue 11).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import { ToolOutputFolder } from '../../../src/core/tools/spill';
import type { ToolContext } from '../../../src/core/tools/types';
import { makeCtx, tempDir } from './helpers';

/** The spill path named in a run_command result. */
function savedPath(content: string): string {
  const m = /(?:is|are) saved in (\/\S+\.txt)\. Read any part/.exec(content);
  assert.ok(m, `no spill path in: ${content.slice(-400)}`);
  return m[1];
}

void describe('tool output spill', () => {
  const ws = tempDir('spill-ws-');
  const storage = tempDir('spill-store-');
  after(() => { ws.cleanup(); storage.cleanup(); });
  const folder = new ToolOutputFolder(path.join(storage.dir, 'tool-output'));
  const ctxFor = (sessionId: string, callId = 'call_1'): ToolContext => ({ ...makeCtx(ws.dir), sessionId, callId, spill: folder.forSession(sessionId) });
  const run = createRunCommandTool({ headChars: 1000, tailChars: 1000 });

  void test('the omitted middle is saved whole and read_file pages through it', async () => {
    const r = await run.execute({ command: 'seq 1 200000; echo THE_END' }, ctxFor('s1'));
    assert.equal(r.isError, false);
    const file = savedPath(r.content);
    assert.equal(path.dirname(file), path.join(storage.dir, 'tool-output', 's1'), 'in the session\'s own folder');
    assert.equal(readFileSync(file, 'utf8'), `${Array.from({ length: 200000 }, (_, i) => i + 1).join('\n')}\nTHE_END\n`);
    // seq 1..200000 is 1,288,895 bytes; THE_END adds 8. The marker names the omitted lines.
    assert.match(r.content, /\n… [\d,]+ characters omitted \(lines 2\d\d–199,8\d\d of the full output\) …\n/);
    assert.match(r.content, /The full output \(200,001 lines, 1,288,903 bytes\) is saved in \/\S+\. Read any part with read_file \(path, startLine, endLine\)\.$/);
    assert.ok(r.content.length < 2600, `result stays capped (${r.content.length})`);

    const read = createReadFileTool();
    const page = await read.execute({ path: file, startLine: 100000, endLine: 100002 }, ctxFor('s1'));
    assert.equal(page.content, '100000\t100000\n100001\t100001\n100002\t100002\n(99,999 more lines; read on with startLine 100003)');
    const described = await read.describe({ path: file, startLine: 100000, endLine: 100002 }, ctxFor('s1'));
    assert.match(described.summary, /^read saved tool output call_1-\w+\.txt lines 100000-100002$/);
  });

  void test('only the session that owns a spill file can read it', async () => {
    const r = await run.execute({ command: 'seq 1 50000' }, ctxFor('s1', 'call_2'));
    const file = savedPath(r.content);
    const read = createReadFileTool();
    const other = await read.execute({ path: file, startLine: 1, endLine: 2 }, ctxFor('s2'));
    assert.equal(other.isError, true);
    assert.match(other.content, /outside the workspace/);
    const none = await read.execute({ path: file, startLine: 1, endLine: 2 }, makeCtx(ws.dir));
    assert.equal(none.isError, true);
    // A path that only starts in the spill folder is not a spill file.
    writeFileSync(path.join(storage.dir, 'secret.txt'), 'not for the model\n');
    const escape = await read.execute({ path: path.join(path.dirname(file), '..', '..', 'secret.txt') }, ctxFor('s1'));
    assert.equal(escape.isError, true);
    assert.equal(escape.content.includes('not for the model'), false);
  });

  void test('short output is not spilled; binary output is neither pasted nor saved', async () => {
    const before = readdirSync(path.join(storage.dir, 'tool-output', 's1')).length;
    const short = await run.execute({ command: 'echo hello' }, ctxFor('s1', 'call_3'));
    assert.match(short.content, /\nhello$/);
    const blob = Buffer.alloc(50_000);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 7919) % 256;
    writeFileSync(path.join(ws.dir, 'blob.bin'), blob);
    const bin = await run.execute({ command: 'cat blob.bin' }, ctxFor('s1', 'call_4'));
    assert.match(bin.content, /Binary output, 50,000 bytes; not shown/);
    assert.equal(readdirSync(path.join(storage.dir, 'tool-output', 's1')).length, before);
  });

  void test('without storage the result says the middle was not kept', async () => {
    const r = await run.execute({ command: 'seq 1 50000' }, makeCtx(ws.dir));
    assert.match(r.content, /The omitted middle was not saved \(no storage for tool output here\)\.$/);
  });

  void test('a spill file is capped, and a session keeps a bounded total', async () => {
    const small = new ToolOutputFolder(path.join(storage.dir, 'small'), { maxFileBytes: 100_000, maxSessionBytes: 250_000 });
    const ctx = { ...makeCtx(ws.dir), sessionId: 's9', spill: small.forSession('s9') };
    let last = '';
    for (let i = 0; i < 6; i++) last = (await run.execute({ command: 'seq 1 200000' }, { ...ctx, callId: `c${i}` })).content;
    const file = savedPath(last);
    assert.equal(statSync(file).size <= 100_000, true);
    assert.match(last, /The first 100,000 bytes of the output \([\d,]+ lines\) are saved in/);
    const dir = path.dirname(file);
    const total = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    assert.ok(total <= 250_000, `session total ${total}`);
    assert.ok(existsSync(file), 'the newest file is kept');
    await small.deleteSession('s9');
    assert.equal(existsSync(dir), false);
  });
});
