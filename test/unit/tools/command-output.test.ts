import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { TerminalLines } from '../../../src/core/tools/terminal-text';
import { makeCtx, tempDir } from './helpers';

/** What run_command hands the model for progress bars and binary data (issue 11). */
void describe('run_command output as a terminal shows it', () => {
  const ws = tempDir('rc-out-');
  const root = ws.dir;
  after(() => ws.cleanup());

  void test('carriage-return progress frames collapse to the line\'s last state', async () => {
    // 3,000 frames of a progress bar, then its final state, then normal lines; CRLF lines stay lines.
    const command = "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); printf '\\rdownloading %d/3000' $i; done; "
      + "printf '\\rdone                 \\n'; printf 'crlf one\\r\\ncrlf two\\r\\n'; echo next";
    const r = await createRunCommandTool().execute({ command }, makeCtx(root));
    assert.equal(r.isError, false, r.content);
    assert.equal(r.content.includes('\r'), false, 'no carriage return reaches the model');
    assert.equal(r.content.includes('downloading 1/3000'), false, 'earlier frames are gone');
    assert.match(r.content, /^Exit code 0 \([\d.]+s\)\.\ndone\ncrlf one\ncrlf two\nnext$/);
  });

  void test('a frame shorter than the last keeps the rest of the line, as a terminal does', async () => {
    const r = await createRunCommandTool().execute({ command: "printf 'abcdef\\rxy\\n'; printf '50%%\\r100%%\\n'" }, makeCtx(root));
    assert.match(r.content, /\nxycdef\n100%$/);
  });

  void test('binary output is reported by size, not pasted', async () => {
    // An image-like file: a header, then bytes of every value (NULs and invalid UTF-8 included).
    const bytes = Buffer.alloc(20_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    writeFileSync(path.join(root, 'blob.bin'), bytes);
    const ctx = makeCtx(root);
    const r = await createRunCommandTool().execute({ command: 'cat blob.bin' }, ctx);
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /^Exit code 0 \([\d.]+s\)\.\nBinary output, 20,000 bytes; not shown\./);
    assert.equal(r.content.includes('\0') || r.content.includes('\ufffd'), false, 'no NUL or replacement character reaches the model');
    assert.ok(r.content.length < 400, `short result (${r.content.length} chars)`);
    assert.equal(/\ufffd{10}/.test(ctx.output.join('')), false, 'the binary is not streamed to the UI either');
  });

  void test('text with a few odd bytes is still text', async () => {
    const r = await createRunCommandTool().execute({ command: "printf 'caf\\351 au lait, a long enough line of ordinary text\\n'" }, makeCtx(root));
    assert.match(r.content, /\ncaf\ufffd au lait, a long enough line of ordinary text$/);
  });
});

/** Feeds `parts` through one TerminalLines and returns the whole screen text. */
function screen(...parts: string[]): string {
  const t = new TerminalLines();
  return parts.map((p) => t.push(p)).join('') + t.end();
}

void describe('TerminalLines', () => {
  const cases: Array<[string, string]> = [
    ['a\rb\n', 'b\n'],
    ['abcdef\rxy\n', 'xycdef\n'],
    ['one\r\ntwo\r\n', 'one\ntwo\n'],
    ['10%\r50%\r100%\n', '100%\n'],
    ['working…   \rdone      \nnext', 'done\nnext'],
    ['\x1b[32mgreen\x1b[0m text\n', 'green text\n'],
    ['progress 99%\r\x1b[Kok\n', 'ok\n'],
    ['abc\x1b[2K\rx\n', 'x\n'],
    ['ab\bc\n', 'ac\n'],
    ['\x1b]0;window title\x07shown\n', 'shown\n'],
    ['tail without newline\r', 'tail without newline'],
  ];
  void test('collapses frames, keeps CRLF lines, drops escape sequences', () => {
    for (const [input, expected] of cases) assert.equal(screen(input), expected, JSON.stringify(input));
  });
  void test('a chunk boundary anywhere (inside \\r\\n or an escape sequence) changes nothing', () => {
    for (const [input, expected] of cases) {
      for (let cut = 1; cut < input.length; cut++) assert.equal(screen(input.slice(0, cut), input.slice(cut)), expected, `${JSON.stringify(input)} cut at ${cut}`);
      assert.equal(screen(...input), expected, `${JSON.stringify(input)} one character at a time`);
    }
  });
  void test('memory stays bounded on a line that never ends', () => {
    const t = new TerminalLines();
    let out = 0;
    for (let i = 0; i < 100; i++) out += t.push('x'.repeat(10_000)).length;
    assert.ok(out >= 900_000, 'long line passed on as it grows');
  });
});
