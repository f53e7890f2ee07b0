/**
 * Retry-After is honoured as the server sent it: never cut short (a retry before the server's
 * time only fails again). Up to `maxRetryWaitMs` the provider waits; beyond it the caller's
 * `beforeRetry` decides (the session asks the user), and without one the error is the answer.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { backoffDelay, DEFAULT_MAX_RETRY_WAIT_MS, type RetryWait } from '../../../src/core/providers/retry';
import type { ProviderKind } from '../../../src/core/providers/types';
import { collect, providerFor, request } from './helpers';

void describe('retry waits', () => {
  void test('a server Retry-After above our own backoff cap is not cut', () => {
    const asked = new AgentError('rate_limited', 'x', { retryAfterMs: 45_000 });
    assert.equal(backoffDelay(1, asked, 30_000), 45_000);
    assert.equal(backoffDelay(1, new AgentError('rate_limited', 'x', { retryAfterMs: 300_000 }), 30_000), 300_000);
    assert.equal(backoffDelay(10, new AgentError('network', 'x'), 30_000, () => 1), 30_000, 'our own backoff stays capped');
    assert.equal(DEFAULT_MAX_RETRY_WAIT_MS, 60_000);
  });
});

const KINDS: ProviderKind[] = ['openai', 'anthropic'];
for (const kind of KINDS) {
  void describe(`${kind}: Retry-After beyond the cap`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await startFakeLlm()));
    after(async () => fake.close());
    beforeEach(() => fake.reset());

    void test('without a beforeRetry hook: the error, at once, saying how long the provider asked to wait', async () => {
      fake.enqueue(script.rateLimited(90), script.text('too early'));
      const r = await collect(providerFor(fake, kind).stream(request(kind)));
      assert.equal(r.error?.code, 'rate_limited');
      assert.equal(r.error?.retryAfterMs, 90_000);
      assert.match(r.error?.hint ?? '', /1 min 30 s/);
      assert.equal(fake.requests.length, 1, 'no retry before the server said');
      assert.ok(!r.events.some((e) => e.type === 'retry'));
    });

    void test('with a hook: it gets the whole wait, marked over the cap, and decides', async () => {
      fake.enqueue(script.rateLimited(90), script.text('after the wait'));
      const waits: RetryWait[] = [];
      const r = await collect(providerFor(fake, kind).stream(request(kind), {
        maxRetryWaitMs: 60_000,
        beforeRetry: async (w) => { waits.push(w); },
      }));
      assert.equal(r.error, undefined);
      assert.equal(r.text, 'after the wait');
      assert.equal(waits.length, 1);
      assert.equal(waits[0].delayMs, 90_000);
      assert.equal(waits[0].overCap, true);
      assert.equal(waits[0].error.code, 'rate_limited');
      const retry = r.events.find((e) => e.type === 'retry');
      assert.ok(retry?.type === 'retry' && retry.delayMs === 90_000);
    });

    void test('a hook that rejects gives up with its error', async () => {
      fake.enqueue(script.rateLimited(5), script.text('never'));
      const r = await collect(providerFor(fake, kind).stream(request(kind), {
        beforeRetry: async () => { throw new AgentError('cancelled', 'no'); },
      }));
      assert.equal(r.error?.code, 'cancelled');
      assert.equal(fake.requests.length, 1);
    });
  });
}
