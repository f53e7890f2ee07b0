import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startFakeLlm, script } from '../../fake-llm';

async function sse(url: string, body: unknown): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.text();
}

void describe('fake LLM server', () => {
  void test('renders one script in both wire formats, ending properly', async () => {
    const fake = await startFakeLlm();
    try {
      const s = script.of(script.text('hello', 2), script.toolCall('read', { p: 1 }, { id: 'c1', chunks: 2 }));
      fake.enqueue(s, s);
      const o = await sse(`${fake.openaiBaseUrl}/chat/completions`, { model: 'm', stream: true, stream_options: { include_usage: true } });
      assert.match(o, /"finish_reason":"tool_calls"/);
      assert.match(o, /"prompt_tokens_details":\{"cached_tokens":0\}/);
      assert.ok(o.trimEnd().endsWith('data: [DONE]'));
      const a = await sse(`${fake.url}/v1/messages`, { model: 'm', stream: true });
      assert.match(a, /event: message_start/);
      assert.match(a, /"partial_json":"\{\\"p\\""/);
      assert.match(a, /"stop_reason":"tool_use"/);
      assert.ok(a.trimEnd().endsWith('data: {"type":"message_stop"}'));
      assert.equal(fake.requests.length, 2);
      assert.equal(fake.requests[1]!.format, 'anthropic');
    } finally {
      await fake.close();
    }
  });

  void test('control API enqueues validated scripts, lists requests and resets', async () => {
    const fake = await startFakeLlm();
    try {
      const bad = await fetch(`${fake.url}/__control/enqueue`, { method: 'POST', body: JSON.stringify({ script: { steps: [{ type: 'nope' }] } }) });
      assert.equal(bad.status, 400);
      const ok = await fetch(`${fake.url}/__control/enqueue`, { method: 'POST', body: JSON.stringify({ script: script.error(503) }) });
      assert.equal(ok.status, 200);
      const r = await fetch(`${fake.openaiBaseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) });
      assert.equal(r.status, 503);
      await r.text();
      const listed = (await (await fetch(`${fake.url}/__control/requests`)).json()) as { requests: unknown[] };
      assert.equal(listed.requests.length, 1);
      await (await fetch(`${fake.url}/__control/reset`, { method: 'POST' })).text();
      assert.equal(fake.requests.length, 0);
    } finally {
      await fake.close();
    }
  });

  void test('close() ends stalled streams', async () => {
    const fake = await startFakeLlm();
    fake.enqueue(script.stall());
    const res = await fetch(`${fake.openaiBaseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) });
    const body = res.text().catch((e: unknown) => e);
    await fake.close();
    await body; // settles (either ends or errors) instead of hanging
  });

  void test('CLI prints its URL and serves the interactive responder', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-llm/cli.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      while (!/FAKE_LLM_URL=(\S+)\n/.test(out)) {
        const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
        out += chunk.toString();
      }
      const url = /FAKE_LLM_URL=(\S+)\n/.exec(out)![1]!;
      const text = await sse(`${url}/v1/messages`, {
        model: 'm', stream: true, tools: [{ name: 'read_file', input_schema: {} }],
        messages: [{ role: 'user', content: 'please tool read_file {"path":"a.txt"}' }],
      });
      assert.match(text, /"name":"read_file"/);
      assert.match(text, /"stop_reason":"tool_use"/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
