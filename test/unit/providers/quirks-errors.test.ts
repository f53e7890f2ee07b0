/**
 * Errors as real servers word them: a local model without tool calling (Ollama, llama.cpp, vLLM,
 * OpenRouter) → `unsupported`, never retried; an exhausted quota → `quota_exceeded`, never retried.
 * Bodies are the servers' own (from their bug reports), served by the fake with the real status.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { ProviderKind } from '../../../src/core/providers/types';
import { collect, fast, providerFor, request } from './helpers';

const TOOLS = [{ name: 'read_file', description: 'Read', inputSchema: { type: 'object' } }];

const UNSUPPORTED: { server: string; status: number; body: unknown }[] = [
  { server: 'Ollama (OpenAI-compatible)', status: 400, body: { error: { message: 'registry.ollama.ai/library/gemma3:4b does not support tools', type: 'api_error', param: null, code: null } } },
  { server: 'Ollama (native body)', status: 400, body: { error: 'registry.ollama.ai/library/deepseek-r1:14b does not support tools' } },
  { server: 'llama.cpp without --jinja (a 500!)', status: 500, body: { error: { code: 500, message: 'tools param requires --jinja flag', type: 'server_error' } } },
  { server: 'vLLM without a tool parser', status: 400, body: { object: 'error', message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', param: null, code: 400 } },
  { server: 'OpenRouter', status: 404, body: { error: { message: 'No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing', code: 404 } } },
];

void describe('provider errors as real servers send them', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());
  const run = async (kind: ProviderKind, model?: string): Promise<Awaited<ReturnType<typeof collect>>> =>
    collect(providerFor(fake, kind).stream(request(kind, { tools: TOOLS, ...(model ? { model } : {}) }), { ...fast, maxRetries: 3 }));

  for (const c of UNSUPPORTED) {
    void test(`tools not supported — ${c.server}: unsupported, names the model, hints, not retried`, async () => {
      fake.enqueue(script.error(c.status, { body: c.body }), script.text('must not be used'));
      const r = await run('openai', 'gemma3:4b');
      assert.equal(r.error?.code, 'unsupported');
      assert.equal(r.error?.retryable, false);
      assert.match(r.error!.message, /"gemma3:4b" does not support tool calling/);
      assert.match(r.error!.hint!, /model with tool support.*provider profile/);
      assert.equal(fake.requests.length, 1);
      assert.equal(r.events.some((e) => e.type === 'retry'), false);
    });
  }

  void test('tools not supported behind an Anthropic-format gateway is unsupported too', async () => {
    fake.enqueue(script.error(400, { body: { type: 'error', error: { type: 'invalid_request_error', message: 'registry.ollama.ai/library/phi4:14b does not support tools' } } }));
    const r = await run('anthropic', 'phi4:14b');
    assert.equal(r.error?.code, 'unsupported');
    assert.match(r.error!.message, /phi4:14b/);
  });

  void test('OpenAI 429 insufficient_quota: quota_exceeded, not retried, a billing hint', async () => {
    fake.enqueue(script.error(429, {
      headers: { 'retry-after': '1' },
      body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
    }), script.text('must not be used'));
    const r = await run('openai');
    assert.equal(r.error?.code, 'quota_exceeded');
    assert.equal(r.error?.retryable, false);
    assert.match(r.error!.hint!, /billing/);
    assert.equal(fake.requests.length, 1);
  });

  void test('a plain 429 rate limit stays rate_limited and is retried', async () => {
    fake.enqueue(script.error(429, { headers: { 'retry-after': '0.01' } }), script.text('after'));
    const r = await run('openai');
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'after');
  });

  void test('OpenRouter 402 (no credits) and Anthropic "credit balance is too low": quota_exceeded', async () => {
    fake.enqueue(script.error(402, { body: { error: { message: 'Insufficient credits. Add more using https://openrouter.ai/credits', code: 402 } } }));
    assert.equal((await run('openai')).error?.code, 'quota_exceeded');
    fake.reset();
    fake.enqueue(script.error(400, { body: { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' } } }));
    const r = await run('anthropic');
    assert.equal(r.error?.code, 'quota_exceeded');
    assert.equal(r.error?.retryable, false);
  });

  void test('a tools error inside a 200 JSON body is unsupported as well', async () => {
    fake.enqueue(script.okJson({ error: { message: 'registry.ollama.ai/library/llama2:13b does not support tools', code: 400 } }));
    const r = await run('openai', 'llama2:13b');
    assert.equal(r.error?.code, 'unsupported');
    assert.equal(r.error?.status, 400);
  });
});
