/** Error normalisation, retry-after parsing, backoff, pricing, context windows, profiles. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AgentError } from '../../../src/core/base/errors';
import { normalizeProviderError, parseRetryAfter } from '../../../src/core/providers/errors';
import { backoffDelay, withRetry } from '../../../src/core/providers/retry';
import { costOf } from '../../../src/shared/pricing';
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW } from '../../../src/shared/models';
import { BUILTIN_PROFILES, createProvider, profileById } from '../../../src/core/providers/factory';
import type { StreamEvent } from '../../../src/core/providers/types';
import { RequestScope } from '../../../src/core/providers/watchdog';

const apiError = (status: number | undefined, error: unknown, headers: Record<string, string> = {}): unknown => ({ status, error, headers: new Headers(headers), message: `${status} err` });

void describe('normalizeProviderError', () => {
  void test('maps statuses and provider error types', () => {
    const cases: [unknown, string, boolean][] = [
      [apiError(401, { error: { message: 'bad key' } }), 'auth', false],
      [apiError(403, { type: 'error', error: { type: 'permission_error', message: 'no' } }), 'auth', false],
      [apiError(429, { error: { message: 'slow down' } }, { 'retry-after': '7' }), 'rate_limited', true],
      [apiError(529, { type: 'error', error: { type: 'overloaded_error', message: 'busy' } }), 'overloaded', true],
      [apiError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'busy' } }), 'overloaded', true],
      [apiError(500, { error: { message: 'oops' } }), 'network', true],
      [apiError(502, undefined), 'network', true],
      [apiError(400, { error: { message: 'too long', code: 'context_length_exceeded' } }), 'context_overflow', false],
      [apiError(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }), 'context_overflow', false],
      [apiError(404, { error: { message: 'model not found' } }), 'bad_request', false],
      [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'cancelled', false],
      [new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), 'network', true],
      [new SyntaxError('Unexpected token'), 'network', true],
      [new Error('weird'), 'unknown', false],
    ];
    for (const [input, code, retryable] of cases) {
      const e = normalizeProviderError(input);
      assert.ok(e instanceof AgentError);
      assert.equal(e.code, code, `${JSON.stringify(input)} → ${e.code}`);
      assert.equal(e.retryable, retryable, `${code} retryable`);
    }
    assert.equal(normalizeProviderError(apiError(429, {}, { 'retry-after': '7' })).retryAfterMs, 7000);
    assert.ok(normalizeProviderError(apiError(401, {})).hint);
  });

  void test('retry-after: seconds, HTTP date, retry-after-ms; garbage ignored', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' }), now), 2000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now), 500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 10:00:30 GMT' }), now), 30_000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '1234', 'retry-after': '9' }), now), 1234);
    assert.equal(parseRetryAfter({ 'retry-after': '3' }, now), 3000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(new Headers({}), now), undefined);
  });
});

void describe('retry', () => {
  void test('backoff: exponential with jitter, honours retry-after, capped', () => {
    const err = new AgentError('network', 'x');
    assert.equal(backoffDelay(1, err, 30_000, () => 1), 1000);
    assert.equal(backoffDelay(3, err, 30_000, () => 1), 4000);
    assert.equal(backoffDelay(3, err, 30_000, () => 0), 2000);
    assert.equal(backoffDelay(10, err, 5_000, () => 1), 5000);
    assert.equal(backoffDelay(1, new AgentError('rate_limited', 'x', { retryAfterMs: 12_000 }), 30_000), 12_000);
    // The server's wait is not cut to our cap (retry-after.test.ts): a retry before it only fails again.
    assert.equal(backoffDelay(1, new AgentError('rate_limited', 'x', { retryAfterMs: 120_000 }), 30_000), 120_000);
  });

  void test('never retries once output was yielded', async () => {
    let attempts = 0;
    async function* attempt(): AsyncGenerator<StreamEvent> {
      attempts++;
      yield { type: 'text_delta', text: 'x' };
      throw new AgentError('network', 'broke');
    }
    const seen: StreamEvent[] = [];
    await assert.rejects(async () => {
      for await (const e of withRetry(attempt, new AbortController().signal, { maxBackoffMs: 1 })) seen.push(e);
    }, (e: unknown) => e instanceof AgentError && e.code === 'network');
    assert.equal(attempts, 1);
    assert.deepEqual(seen, [{ type: 'text_delta', text: 'x' }]);
  });
});

void describe('idle watchdog (RequestScope)', () => {
  const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  void test('expires without bytes: aborts the request and reports a stall', async () => {
    const scope = new RequestScope(new AbortController().signal, 50);
    scope.arm();
    await wait(120);
    assert.equal(scope.stalled, true);
    assert.equal(scope.signal.aborted, true);
    assert.equal(scope.interruption()?.code, 'network');
    scope.dispose();
  });

  void test('dispose clears the timer (no late expiry)', async () => {
    const scope = new RequestScope(new AbortController().signal, 50);
    scope.arm();
    scope.dispose();
    await wait(120);
    assert.equal(scope.stalled, false);
  });

  void test('every body chunk re-arms it; a finished body disarms it', async () => {
    const scope = new RequestScope(new AbortController().signal, 200);
    const body = new ReadableStream<Uint8Array>({
      async start(ctl) {
        for (let i = 0; i < 8; i++) {
          await wait(60);
          ctl.enqueue(new TextEncoder().encode(': ping\n\n'));
        }
        ctl.close();
      },
    });
    const res = await scope.wrapFetch(async () => new Response(body))('http://127.0.0.1/');
    assert.equal((await res.text()).length, 8 * 8);
    await wait(300);
    assert.equal(scope.stalled, false);
    scope.dispose();
  });

  void test('a caller abort is reported as cancelled', () => {
    const ac = new AbortController();
    const scope = new RequestScope(ac.signal, 1_000);
    ac.abort();
    assert.equal(scope.signal.aborted, true);
    assert.equal(scope.interruption()?.code, 'cancelled');
    scope.dispose();
  });
});

void describe('pricing, context windows, profiles', () => {
  void test('cost: known models priced, cache tokens at their rates; unknown → null, never 0', () => {
    assert.equal(costOf('gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 }), 12.5);
    const cached = costOf('claude-sonnet-4-5-20250929', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 500_000, cacheWriteTokens: 500_000 });
    assert.ok(cached !== null && Math.abs(cached - (0.15 + 1.875)) < 1e-9);
    assert.equal(costOf('my-local-llama', { inputTokens: 10, outputTokens: 10 }), null);
    assert.equal(costOf('gpt-4o-2024-08-06', { inputTokens: 0, outputTokens: 0 }), 0);
  });

  void test('context windows with a documented default', () => {
    assert.equal(contextWindowOf('gpt-4o'), 128_000);
    assert.equal(contextWindowOf('claude-opus-4-6'), 200_000);
    assert.equal(contextWindowOf('qwen2.5-coder:7b'), DEFAULT_CONTEXT_WINDOW);
  });

  void test('creating providers loads no SDK (they load lazily on the first request)', () => {
    createProvider({ kind: 'openai', apiKey: 'sk-test-x' });
    createProvider({ kind: 'anthropic', apiKey: 'sk-test-x' });
    const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\/](openai|@anthropic-ai)[\\/]/.test(k));
    assert.deepEqual(loaded, []);
  });

  void test('built-in profiles and the factory', () => {
    assert.deepEqual(BUILTIN_PROFILES.map((p) => p.id), ['anthropic', 'openai', 'ollama', 'lmstudio']);
    assert.equal(profileById('ollama')?.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(profileById('ollama')?.requiresKey, false);
    assert.equal(profileById('lmstudio')?.baseUrl, 'http://127.0.0.1:1234/v1');
    for (const p of BUILTIN_PROFILES) assert.equal(createProvider({ kind: p.kind, baseUrl: p.baseUrl }).kind, p.kind);
  });
});
