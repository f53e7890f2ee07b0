import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/core/ports';
import { ctx, httpConfig, manager, nextToolsChange, startHttpChild, waitStatus } from './helpers';

void describe('MCP: old HTTP+SSE servers and the SSE fallback (real SDK SSEServerTransport)', () => {
  let srv: Awaited<ReturnType<typeof startHttpChild>>;
  before(async () => { srv = await startHttpChild(); });
  after(async () => { await srv.close(); });

  void test('type "http" against an old SSE server: Streamable HTTP fails, falls back to SSE, lists and calls', async () => {
    const logs: string[] = [];
    const { mgr } = manager({ logger: { ...nullLogger, debug: (m: string) => { logs.push(m); } } });
    await mgr.add(httpConfig('old', `${srv.base}/sse`));
    const st = mgr.status('old')!;
    assert.equal(st.state, 'connected', JSON.stringify(st));
    assert.ok(st.state === 'connected' && st.transport === 'sse' && st.toolCount === 4);
    assert.ok(logs.some((l) => /Streamable HTTP failed .*trying SSE/.test(l)), 'the fallback is logged');
    const echo = mgr.tools().find((t) => t.name === 'mcp__old__echo')!;
    assert.equal((await echo.execute({ text: 'via sse' }, ctx())).content, 'echo: via sse');
    await mgr.shutdown();
  });

  void test('type "sse" connects directly; type "http" against a Streamable server stays on HTTP', async () => {
    const { mgr } = manager();
    await mgr.add(httpConfig('direct', `${srv.base}/sse`, 'sse'));
    await mgr.add(httpConfig('modern', `${srv.base}/mcp`));
    const direct = mgr.status('direct')!;
    const modern = mgr.status('modern')!;
    assert.ok(direct.state === 'connected' && direct.transport === 'sse', JSON.stringify(direct));
    assert.ok(modern.state === 'connected' && modern.transport === 'http', JSON.stringify(modern));
    assert.equal((await mgr.tools().find((t) => t.name === 'mcp__direct__echo')!.execute({ text: 'a' }, ctx())).content, 'echo: a');
    assert.equal((await mgr.tools().find((t) => t.name === 'mcp__modern__echo')!.execute({ text: 'b' }, ctx())).content, 'echo: b');
    await mgr.shutdown();
  });

  void test('type "sse" against a Streamable-only URL fails with a clear status', async () => {
    const { mgr } = manager({ connectTimeoutMs: 3000, backoff: { maxAttempts: 0 } });
    await mgr.add(httpConfig('wrong', `${srv.base}/nothing-here`, 'sse'));
    const st = await waitStatus(mgr, 'wrong', (s) => s.state === 'failed');
    assert.ok(st.state === 'failed' && /failed to start: .*404/.test(st.error.message), JSON.stringify(st));
    await mgr.shutdown();
  });

  void test('notifications/tools/list_changed over SSE: the new tool appears and onDidChangeTools fires', async () => {
    const { mgr } = manager();
    await mgr.add(httpConfig('live', `${srv.base}/sse`, 'sse'));
    assert.equal(mgr.tools().some((t) => t.name === 'mcp__live__fresh_sse'), false);
    const changed = nextToolsChange(mgr);
    const r = await mgr.tools().find((t) => t.name === 'mcp__live__add_tool')!.execute({ name: 'fresh_sse' }, ctx());
    assert.equal(r.content, 'added');
    await changed;
    assert.ok(mgr.tools().some((t) => t.name === 'mcp__live__fresh_sse'));
    const st = mgr.status('live')!;
    assert.ok(st.state === 'connected' && st.toolCount === mgr.list().find((s) => s.name === 'live')!.tools.length);
    await mgr.shutdown();
  });

  void test('an old SSE server that goes away: in-flight call fails at once, status failed, reconnects (re-initialised) when it is back', async () => {
    const own = await startHttpChild();
    const port = Number(new URL(own.base).port);
    // Retries until the server is back, however long its restart takes on a loaded machine:
    // the test waits for `connected`, not for a number of attempts to fit a restart time.
    const { mgr } = manager({ backoff: { initialMs: 300, maxMs: 300, maxAttempts: 1_000 } });
    let again: Awaited<ReturnType<typeof startHttpChild>> | undefined;
    try {
      await mgr.add(httpConfig('gone', `${own.base}/sse`, 'sse'));
      const slow = mgr.tools().find((t) => t.name === 'mcp__gone__slow')!;
      const failed = waitStatus(mgr, 'gone', (s) => s.state === 'failed');
      const call = slow.execute({ ms: 10_000 }, ctx());
      await own.output(/CALL slow/); // the call is in flight on the server
      await own.close();
      // Settles while the server is down (it is started again only below), and because of the
      // close: a timeout or a late answer would read differently.
      const r = await call;
      assert.equal(r.isError, true);
      assert.match(r.content, /stopped while slow was running/);
      const st = await failed;
      assert.ok(st.state === 'failed' && /closed the connection/.test(st.error.message) && st.restartInMs === 300, JSON.stringify(st));
      again = await startHttpChild([`--port=${port}`]);
      await waitStatus(mgr, 'gone', (s) => s.state === 'connected');
      const echo = mgr.tools().find((t) => t.name === 'mcp__gone__echo')!;
      assert.equal((await echo.execute({ text: 'back' }, ctx())).content, 'echo: back');
    } finally {
      await mgr.shutdown();
      await again?.close();
      await own.close();
    }
  });
});
