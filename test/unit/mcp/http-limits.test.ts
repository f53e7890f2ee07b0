import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ctx, httpConfig, manager, startHttpChild } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLIENT = join(import.meta.dirname, 'servers', 'bounded-client.ts');

interface ClientLine { target: string; isError: boolean; length: number; head: string; tail: string; ms: number; rssGrowthKb: number; after: string }

/** Runs servers/bounded-client.ts in its own process, so its peak RSS is ours to judge alone. */
function runClient(maxBytes: number, mb: number, targets: string[]): Promise<ClientLine[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, String(maxBytes), String(mb), ...targets], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
    child.once('exit', (code) => {
      if (code !== 0) { reject(new Error(`bounded-client exited ${code}: ${err.slice(-2000)}`)); return; }
      resolve(out.trim().split('\n').map((l) => JSON.parse(l) as ClientLine));
    });
  });
}

void describe('MCP: huge results over HTTP are bounded (Streamable HTTP JSON and SSE responses, old SSE transport)', () => {
  let sse: Awaited<ReturnType<typeof startHttpChild>>;
  let json: Awaited<ReturnType<typeof startHttpChild>>;
  let targets: string[];
  before(async () => {
    [sse, json] = await Promise.all([startHttpChild(), startHttpChild(['--json'])]);
    targets = [`http=${sse.base}/mcp`, `http=${json.base}/mcp`, `sse=${sse.base}/sse`];
  });
  after(async () => { await Promise.all([sse.close(), json.close()]); });

  void test('a 2 MB result is capped to maxResultChars with a note, on every HTTP wire', async () => {
    const { mgr } = manager({ maxResultChars: 10_000, maxMessageBytes: 8 * 1024 * 1024 });
    await mgr.add(httpConfig('a', `${sse.base}/mcp`));
    await mgr.add(httpConfig('b', `${json.base}/mcp`));
    await mgr.add(httpConfig('c', `${sse.base}/sse`, 'sse'));
    for (const name of ['a', 'b', 'c']) {
      const r = await mgr.tools().find((t) => t.name === `mcp__${name}__big`)!.execute({ mb: 2 }, ctx());
      assert.notEqual(r.isError, true, name);
      assert.ok(r.content.length < 10_100, `${name}: ${r.content.length}`);
      assert.match(r.content, /\[truncated: 10000 of 2097152 characters shown\]$/, name);
    }
    await mgr.shutdown();
  });

  void test('a 50 MB result fails fast with a "too large" error, memory stays bounded, the connection survives', async () => {
    const lines = await runClient(8 * 1024 * 1024, 50, targets);
    assert.equal(lines.length, 3);
    for (const l of lines) {
      assert.equal(l.isError, true, l.target);
      assert.match(l.head, /MCP message too large: (over )?\d+ bytes \(limit 8388608\)/, l.target);
      assert.ok(l.length < 1000, l.target);
      assert.equal(l.after, 'echo: still here', `${l.target}: the connection survives`);
    }
    const growthMb = lines.reduce((n, l) => n + l.rssGrowthKb, 0) / 1024;
    assert.ok(growthMb < 90, `peak RSS grew by ${growthMb.toFixed(0)} MB for three 50 MB results`);
  });

  void test('control: without the per-message cap the same 50 MB result costs well over 120 MB (so the bound above means something)', async () => {
    const [l] = await runClient(1024 * 1024 * 1024, 50, [`http=${json.base}/mcp`]);
    assert.ok(l && !l.isError);
    assert.match(l.tail, /\[truncated: 10000 of 52428800 characters shown\]$/, 'the text cap still holds');
    assert.ok(l.rssGrowthKb / 1024 > 120, `uncapped peak RSS growth only ${(l.rssGrowthKb / 1024).toFixed(0)} MB`);
  });
});
