import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { limitedFetch, sseEventLimiter } from '../../../src/core/mcp/http-limit';

const enc = new TextEncoder();

/** Pushes `chunks` through the limiter and returns what came out, as text. */
async function throughLimiter(chunks: string[], max: number, onDrop?: (n: number) => void): Promise<string> {
  const source = new ReadableStream<Uint8Array>({ start(c) { for (const s of chunks) c.enqueue(enc.encode(s)); c.close(); } });
  return new Response(source.pipeThrough(sseEventLimiter(max, onDrop))).text();
}

function fakeFetch(body: string | ReadableStream<Uint8Array>, init: ResponseInit): typeof fetch {
  return async () => new Response(body, init);
}

void describe('MCP HTTP limits (unit)', () => {
  void test('SSE events under the cap pass through byte for byte, whatever the chunking', async () => {
    const stream = 'event: endpoint\ndata: /messages?x=1\n\n: keep-alive\n\nevent: message\r\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\r\n\r\ndata: tail-without-blank-line\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
      assert.equal(await throughLimiter(chunks, 100), stream, `chunk size ${size}`);
    }
  });

  void test('an oversized SSE event becomes a JSON-RPC error for its id; neighbours are untouched', async () => {
    const big = `event: message\ndata: {"result":{"content":[{"type":"text","text":"${'x'.repeat(5000)}"}]},"jsonrpc":"2.0","id":7}\n\n`;
    const drops: number[] = [];
    const out = await throughLimiter(['data: a\n\n', big.slice(0, 1234), big.slice(1234), 'data: b\n\n'], 1000, (n) => drops.push(n));
    const events = out.split('\n\n').filter(Boolean);
    assert.equal(events.length, 3);
    assert.equal(events[0], 'data: a');
    assert.equal(events[2], 'data: b');
    const error = JSON.parse(events[1]!.replace(/^event: message\ndata: /, '')) as { id: number; error: { code: number; message: string } };
    assert.equal(error.id, 7);
    assert.equal(error.error.code, -32099);
    assert.match(error.error.message, new RegExp(`too large: ${big.length} bytes \\(limit 1000\\)`));
    assert.deepEqual(drops, [big.length]);
  });

  void test('an oversized SSE event without a readable id is dropped (and reported)', async () => {
    const drops: number[] = [];
    const out = await throughLimiter([`data: ${'y'.repeat(3000)}\n\n`, 'data: next\n\n'], 1000, (n) => drops.push(n));
    assert.equal(out, 'data: next\n\n');
    assert.equal(drops.length, 1);
  });

  void test('JSON bodies over the cap answer every request of the POST with an error; under it pass unchanged', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'z'.repeat(5000) } });
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    const logs: string[] = [];
    const f = limitedFetch(1000, (m) => logs.push(m), fakeFetch(big, { status: 200, headers }));
    const batch = JSON.stringify([{ jsonrpc: '2.0', id: 'a', method: 'tools/call' }, { jsonrpc: '2.0', method: 'notifications/x' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' }]);
    const errors = (await (await f('http://127.0.0.1/mcp', { method: 'POST', body: batch })).json()) as Array<{ id: unknown; error: { code: number } }>;
    assert.deepEqual(errors.map((e) => [e.id, e.error.code]), [['a', -32099], [2, -32099]]);
    assert.equal(logs.length, 1);
    const small = limitedFetch(10_000, undefined, fakeFetch(big, { status: 200, headers }));
    assert.equal(await (await small('http://127.0.0.1/mcp', { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"x"}' })).text(), big);
  });

  void test('error bodies are cut at 64 KiB; redirects are returned as they are', async () => {
    const f = limitedFetch(16 * 1024 * 1024, undefined, fakeFetch('e'.repeat(1024 * 1024), { status: 500, headers: { 'content-type': 'text/plain' } }));
    const res = await f('http://127.0.0.1/mcp');
    assert.equal(res.status, 500);
    assert.equal((await res.text()).length, 64 * 1024);
    const redirect = new Response('moved', { status: 307, headers: { location: '/elsewhere' } });
    const r = await limitedFetch(10, undefined, async () => redirect)('http://127.0.0.1/mcp');
    assert.equal(r, redirect);
  });
});
