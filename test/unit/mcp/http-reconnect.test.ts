import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServerStatus } from '../../../src/core/mcp/types';
import { startEverythingHttp, type EverythingHttp } from './everything';
import { ctx, httpConfig, manager, waitStatus } from './helpers';

const LONG = 'mcp__everything__trigger-long-running-operation';
const ECHO = 'mcp__everything__echo';

void describe('MCP over Streamable HTTP across a server restart (real server-everything)', () => {
  void test('kill mid-call: the call fails within 1 s, status reconnecting, restart on the same port: new session, calls work', async () => {
    let srv: EverythingHttp | undefined = await startEverythingHttp();
    const port = srv.port;
    // Retries until the server is back, however long its restart takes on a loaded machine.
    const { mgr } = manager({ backoff: { initialMs: 200, maxMs: 400, maxAttempts: 1_000 } });
    const seen: McpServerStatus[] = [];
    mgr.onDidChangeStatus((e) => { if (e.name === 'everything') seen.push(e.status); });
    try {
      await mgr.add(httpConfig('everything', srv.url));
      assert.equal(mgr.status('everything')?.state, 'connected', JSON.stringify(mgr.status('everything')));
      const session1 = mgr.sessionId('everything');
      assert.ok(session1, 'server-everything gives a session id');
      const long = mgr.tools().find((t) => t.name === LONG)!;
      let firstProgress!: () => void;
      const inFlight = new Promise<void>((r) => { firstProgress = r; });
      const call = long.execute({ duration: 20, steps: 40 }, { ...ctx(), onProgress: () => firstProgress() });
      await inFlight; // the server is running the tool
      const down = waitStatus(mgr, 'everything', (s) => s.state === 'reconnecting' || s.state === 'failed');
      const t0 = Date.now();
      await srv.kill();
      srv = undefined;
      const r = await call;
      const elapsed = Date.now() - t0;
      assert.equal(r.isError, true);
      assert.match(r.content, /MCP server "everything" (became unreachable|restarted).* while trigger-long-running-operation was running; .*call it again/);
      assert.ok(elapsed < 1000, `the in-flight call failed after ${elapsed} ms`);
      const st = await down;
      assert.equal(st.state, 'reconnecting', JSON.stringify(st));
      assert.ok(st.state === 'reconnecting' && st.attempt >= 1 && st.maxAttempts === 1_000 && /everything/.test(st.error.message));
      // While it is down a call says so at once instead of hanging.
      const meanwhile = await mgr.tools().find((t) => t.name === ECHO)!.execute({ message: 'x' }, ctx());
      assert.equal(meanwhile.isError, true);
      assert.match(meanwhile.content, /reconnecting|not connected/);
      assert.notEqual(mgr.status('everything')?.state, 'connected');

      srv = await startEverythingHttp(port);
      const back = await waitStatus(mgr, 'everything', (s) => s.state === 'connected', 15_000);
      assert.equal(back.state, 'connected');
      const session2 = mgr.sessionId('everything');
      assert.ok(session2 && session2 !== session1, `a new session (${session1} → ${session2})`);
      const echo = await mgr.tools().find((t) => t.name === ECHO)!.execute({ message: 'after restart' }, ctx());
      assert.equal(echo.isError, undefined, echo.content);
      assert.match(echo.content, /after restart/);
      assert.ok(seen.some((s) => s.state === 'reconnecting'), 'reconnecting was shown');
    } finally {
      await mgr.shutdown();
      await srv?.kill();
    }
  });

  void test('a server that forgot the session between calls (404/400 "no valid session"): one re-initialise, the call is sent again and succeeds', async () => {
    const srv = await startEverythingHttp();
    const { mgr } = manager({ backoff: { initialMs: 200, maxMs: 400, maxAttempts: 5 } });
    try {
      await mgr.add(httpConfig('everything', srv.url));
      const session1 = mgr.sessionId('everything')!;
      // The server drops the session (as a restart does) while the process and port stay up.
      const del = await fetch(srv.url, { method: 'DELETE', headers: { 'mcp-session-id': session1, 'mcp-protocol-version': '2025-06-18' } });
      assert.equal(del.status, 200);
      const gone = await fetch(srv.url, { method: 'POST', headers: { 'mcp-session-id': session1, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
      assert.equal(gone.status, 400, 'server-everything answers an unknown session with 400 "No valid session ID"');
      const t0 = Date.now();
      const r = await mgr.tools().find((t) => t.name === ECHO)!.execute({ message: 'retried' }, ctx());
      assert.equal(r.isError, undefined, r.content);
      assert.match(r.content, /retried/);
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(mgr.status('everything')?.state, 'connected');
      const session2 = mgr.sessionId('everything');
      assert.ok(session2 && session2 !== session1, 'a new session was initialised');
    } finally {
      await mgr.shutdown();
      await srv.kill();
    }
  });
});
