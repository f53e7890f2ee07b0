import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { isAgentError } from '../../../src/core/base/errors';
import { makeCtx, tempDir } from './helpers';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Polls until `check` holds (process death is asynchronous); fails after `ms`. */
async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for a file written by the command (the grandchild's pid). */
async function readPid(file: string): Promise<number> {
  await eventually(() => existsSync(file) && readFileSync(file, 'utf8').trim() !== '');
  return Number(readFileSync(file, 'utf8').trim());
}

void describe('run_command', () => {
  const ws = tempDir('rc-');
  const root = ws.dir;
  after(() => ws.cleanup());

  void test('reports exit code, streams output, runs in a sub-folder', async () => {
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    const ctx = makeCtx(root);
    const r = await createRunCommandTool().execute({ command: 'pwd; echo err >&2; exit 3', cwd: 'sub' }, ctx);
    assert.equal(r.isError, true);
    assert.match(r.content, /^Exit code 3 \(/);
    assert.match(r.content, new RegExp(`${path.join(root, 'sub')}\\n`));
    assert.match(r.content, /err/);
    assert.ok(ctx.output.join('').includes('err'));
    const ok = await createRunCommandTool().execute({ command: 'true' }, makeCtx(root));
    assert.match(ok.content, /^Exit code 0 .*\n\(no output\)$/s);
    assert.equal(ok.isError, false);
  });

  void test('refuses a cwd outside the workspace', async () => {
    const r = await createRunCommandTool().execute({ command: 'ls', cwd: '../..' }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /leaves the workspace/);
  });

  void test('truncates huge output to head + tail with the omitted count', async () => {
    const tool = createRunCommandTool({ headChars: 100, tailChars: 100 });
    const r = await tool.execute({ command: "seq 1 100000; echo THE_END" }, makeCtx(root));
    assert.match(r.content, /\n1\n2\n3\n/);
    assert.match(r.content, /… [\d,]+ characters omitted \(lines 3\d–99,9\d\d of the full output\) …/);
    assert.match(r.content, /THE_END\n\nThe omitted middle was not saved \(no storage for tool output here\)\.$/);
    assert.ok(r.content.length < 400, `capped length ${r.content.length}`);
    const omitted = Number(/… ([\d,]+) characters omitted/.exec(r.content)![1].replace(/,/g, ''));
    assert.equal(omitted, 588_895 + 8 - 200); // seq 1..100000 is 588,895 bytes, plus "THE_END\n"
  });

  void test('timeout kills the whole process tree', async () => {
    const pidFile = path.join(root, 'timeout.pid');
    const tool = createRunCommandTool({ killGraceMs: 200 });
    const started = Date.now();
    const run = tool.execute({ command: `sleep 30 & echo $! > ${pidFile}; wait`, timeoutSeconds: 0.5 }, makeCtx(root));
    const grandchild = await readPid(pidFile);
    assert.ok(alive(grandchild));
    const r = await run;
    assert.equal(r.isError, true);
    assert.match(r.content, /timed out after 0.5s and was killed/);
    assert.ok(Date.now() - started < 5000);
    await eventually(() => !alive(grandchild));
  });

  void test('AbortSignal kills the command and its children', async () => {
    const pidFile = path.join(root, 'abort.pid');
    const ac = new AbortController();
    const run = createRunCommandTool({ killGraceMs: 200 }).execute({ command: `sh -c 'sleep 30 & echo $! > ${pidFile}; wait'` }, makeCtx(root, ac.signal));
    const grandchild = await readPid(pidFile);
    assert.ok(alive(grandchild));
    ac.abort();
    await assert.rejects(run, (e: unknown) => isAgentError(e) && e.code === 'cancelled');
    await eventually(() => !alive(grandchild));
  });

  void test('a background process holding the pipe does not hang the call', async () => {
    const pidFile = path.join(root, 'bg.pid');
    const started = Date.now();
    const r = await createRunCommandTool().execute({ command: `sleep 30 & echo $! > ${pidFile}; echo done` }, makeCtx(root));
    assert.match(r.content, /^Exit code 0/);
    assert.ok(Date.now() - started < 5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await eventually(() => !alive(pid));
  });
});
