import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServerConfig } from '../../../src/core/mcp/types';
import { EVERYTHING } from './everything';
import { ctx, manager, waitStatus } from './helpers';

const SECRET = 'AGENT_SESSIONS_TEST_SECRET_TOKEN';

function everythingStdio(env: Record<string, string> = {}): McpServerConfig {
  return { name: 'everything', type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env, source: { kind: 'settings', scope: 'user' } };
}

void describe('MCP progress and the stdio environment (real server-everything over stdio)', () => {
  const saved = process.env[SECRET];
  process.env[SECRET] = 'sk-this-must-not-reach-the-server';
  after(() => { if (saved === undefined) delete process.env[SECRET]; else process.env[SECRET] = saved; });

  void test('progress notifications reach onProgress; each resets the call timeout, so a 3 s tool under a 1.5 s timeout succeeds', async () => {
    const { mgr } = manager({ callTimeoutMs: 1500 });
    try {
      await mgr.add(everythingStdio());
      const long = mgr.tools().find((t) => t.name === 'mcp__everything__trigger-long-running-operation')!;
      const progress: { progress: number; total?: number }[] = [];
      const t0 = Date.now();
      const r = await long.execute({ duration: 3, steps: 6 }, { ...ctx(), onProgress: (p) => { progress.push(p); } });
      const elapsed = Date.now() - t0;
      assert.equal(r.isError, undefined, r.content);
      assert.match(r.content, /Long running operation completed\. Duration: 3 seconds, Steps: 6/);
      assert.ok(elapsed >= 2900, `ran ${elapsed} ms, longer than the 1.5 s timeout`);
      // The SDK dispatches notifications a microtask later than responses, so the last one (6,
      // sent just before the result) may be dropped with the finished request; the others arrive in order.
      assert.ok(progress.length >= 5, `progress seen: ${JSON.stringify(progress)}`);
      assert.deepEqual(progress.map((p) => p.progress), [1, 2, 3, 4, 5, 6].slice(0, progress.length));
      assert.ok(progress.every((p) => p.total === 6));
      // Without progress the same timeout still applies.
      const noProgress = await long.execute({ duration: 3, steps: 1 }, ctx());
      assert.equal(noProgress.isError, true);
      assert.match(noProgress.content, /timed out after 1500 ms/);
    } finally {
      await mgr.shutdown();
    }
  });

  void test('a stdio server gets the safe default variables and the ones its config names, never the rest of the editor environment', async () => {
    const { mgr } = manager();
    try {
      await mgr.add(everythingStdio({ CONFIGURED_VAR: 'from-config', NAMED_FROM_ENV: `\${env:${SECRET}}` }));
      const getEnv = mgr.tools().find((t) => t.name === 'mcp__everything__get-env')!;
      const r = await getEnv.execute({}, ctx());
      assert.equal(r.isError, undefined, r.content);
      const env = JSON.parse(r.content) as Record<string, string>;
      assert.equal(env[SECRET], undefined, 'an unnamed variable of the editor does not reach the server');
      assert.ok(!Object.keys(env).some((k) => /TOKEN|SECRET|API_KEY/.test(k)), Object.keys(env).join(', '));
      assert.equal(env.CONFIGURED_VAR, 'from-config');
      // Named by the config (resolved from the editor's environment as before): passed.
      assert.equal(env.NAMED_FROM_ENV, 'sk-this-must-not-reach-the-server');
      if (process.env.PATH) assert.equal(env.PATH, process.env.PATH);
      if (process.env.HOME) assert.equal(env.HOME, process.env.HOME);
      const allowed = new Set(['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'CONFIGURED_VAR', 'NAMED_FROM_ENV']);
      // Node itself may add a few of its own at startup; nothing else of ours is there.
      const extra = Object.keys(env).filter((k) => !allowed.has(k) && k in process.env);
      assert.deepEqual(extra, [], `inherited beyond the default set: ${extra.join(', ')}`);
    } finally {
      await mgr.shutdown();
    }
  });

  void test('a stdio server killed mid-call fails the call at once and restarts', async () => {
    const { mgr } = manager({ backoff: { initialMs: 200, maxMs: 400 } });
    try {
      await mgr.add(everythingStdio());
      const pid = mgr.pid('everything')!;
      const long = mgr.tools().find((t) => t.name === 'mcp__everything__trigger-long-running-operation')!;
      let firstProgress!: () => void;
      const inFlight = new Promise<void>((r) => { firstProgress = r; });
      const call = long.execute({ duration: 20, steps: 40 }, { ...ctx(), onProgress: () => firstProgress() });
      await inFlight;
      const t0 = Date.now();
      process.kill(pid, 'SIGKILL');
      const r = await call;
      const elapsed = Date.now() - t0;
      assert.equal(r.isError, true);
      assert.match(r.content, /MCP server "everything" stopped while trigger-long-running-operation was running/);
      assert.ok(elapsed < 1000, `failed after ${elapsed} ms`);
      await waitStatus(mgr, 'everything', (s) => s.state === 'connected' && mgr.pid('everything') !== pid);
    } finally {
      await mgr.shutdown();
    }
  });
});
