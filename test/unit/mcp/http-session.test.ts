import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { classifyHttpError, type HttpStatusError } from '../../../src/core/mcp/http-session';
import { freePort } from './everything';
import { describeMcpStatus } from '../../../webview-ui/src/elements/knowledge-panel/knowledge-format';

const isStatus = (e: unknown): e is HttpStatusError => e instanceof StreamableHTTPError;

void describe('reading Streamable HTTP transport errors', () => {
  void test('404 to a request with a session id is a lost session (MCP spec); 400 "No valid session ID" too; other statuses are not', () => {
    assert.equal(classifyHttpError(new StreamableHTTPError(404, 'Error POSTing to endpoint: Session not found'), isStatus, true), 'session_lost');
    assert.equal(classifyHttpError(new StreamableHTTPError(400, 'Error POSTing to endpoint: {"error":{"message":"Bad Request: No valid session ID provided"}}'), isStatus, true), 'session_lost');
    // Without a session a 404 is a wrong URL, not a lost session.
    assert.equal(classifyHttpError(new StreamableHTTPError(404, 'Not Found'), isStatus, false), 'other');
    assert.equal(classifyHttpError(new StreamableHTTPError(400, 'Error POSTing to endpoint: bad JSON'), isStatus, true), 'other');
    assert.equal(classifyHttpError(new StreamableHTTPError(500, 'Internal'), isStatus, true), 'other');
  });

  void test('a refused or reset fetch is unreachable; a dropped SSE stream needs a probe', async () => {
    const refused = await fetch(`http://127.0.0.1:${await freePort()}/mcp`).catch((e: unknown) => e);
    assert.equal(classifyHttpError(refused, isStatus, true), 'unreachable');
    assert.equal(classifyHttpError(new Error('SSE stream disconnected: TypeError: terminated'), isStatus, true), 'stream_dropped');
    assert.equal(classifyHttpError(new Error('Failed to reconnect SSE stream: fetch failed'), isStatus, true), 'stream_dropped');
    assert.equal(classifyHttpError(new Error('Ignored a non-JSON line'), isStatus, true), 'other');
  });

  void test('the Context panel line for reconnecting names the attempt', () => {
    const error = { code: 'network', message: 'MCP server "x" became unreachable (ECONNREFUSED).', retryable: true } as const;
    assert.equal(describeMcpStatus({ state: 'reconnecting', attempt: 2, maxAttempts: 5, retryInMs: 2000, error }), 'reconnecting (attempt 2 of 5) · next in 2 s');
    assert.equal(describeMcpStatus({ state: 'reconnecting', attempt: 3, maxAttempts: 5, error }), 'reconnecting (attempt 3 of 5)');
  });
});
