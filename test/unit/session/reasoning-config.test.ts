/**
 * Reasoning effort and the thinking budget per session, as the header changes them: a config
 * change through the manager is recorded (`session.config_changed`), reaches the next model
 * request, and `null` clears it for good (the log keeps the null, so a reopened session agrees).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, makeManager } from './harness';
import { createProvider } from '../../../src/core/providers/factory';
import type { ModelRequest, ProviderEndpoint } from '../../../src/core/providers/types';
import { methodParamSchemas } from '../../../src/shared/protocol-schema';

/** The real providers, with every ModelRequest kept (the OpenAI wire mapping of reasoning_effort is another helper's). */
function capturing(): { requests: ModelRequest[]; createProvider: (e: ProviderEndpoint) => ReturnType<typeof createProvider> } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    createProvider: (endpoint) => {
      const real = createProvider(endpoint);
      return { kind: real.kind, stream: (request, options) => { requests.push(request); return real.stream(request, options); } };
    },
  };
}

void describe('reasoning effort and thinking budget per session', () => {
  void test('a patch {reasoningEffort: "high"} is recorded and reaches the next request; null goes back to the default', async () => {
    const cap = capturing();
    const h = await startHarness({ deps: { createProvider: cap.createProvider } });
    try {
      const s = await h.manager.create({});
      const snap = await h.manager.updateConfig(s.id, { reasoningEffort: 'high' });
      assert.equal(snap.config.reasoningEffort, 'high');
      const changed = await h.waitFor('session.config_changed', (e) => e.sessionId === s.id);
      assert.deepEqual(changed.patch, { reasoningEffort: 'high' });
      await h.manager.send(s.id, 'think hard');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
      assert.equal(cap.requests.at(-1)?.reasoningEffort, 'high');

      const cleared = await h.manager.updateConfig(s.id, { reasoningEffort: null });
      assert.equal('reasoningEffort' in cleared.config, false);
      const mark = h.events.length;
      await h.manager.send(s.id, 'again');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id, mark);
      assert.equal(cap.requests.at(-1)?.reasoningEffort, undefined);
    } finally { await h.close(); }
  });

  void test('a thinking budget goes to Anthropic as budget_tokens; {thinking: null} turns it off, also after a reopen', async () => {
    const h = await startHarness();
    try {
      const s = await h.manager.create({ config: { providerId: 'anthropic', model: 'claude-sonnet-4-6' } });
      await h.manager.updateConfig(s.id, { thinking: { budgetTokens: 16_384 } });
      await h.manager.send(s.id, 'think');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
      assert.deepEqual(h.fake.requests.at(-1)?.body?.thinking, { type: 'enabled', budget_tokens: 16_384 });

      const off = await h.manager.updateConfig(s.id, { thinking: null });
      assert.equal(off.config.thinking, undefined);
      const mark = h.events.length;
      await h.manager.send(s.id, 'no thinking now');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id, mark);
      assert.equal(h.fake.requests.at(-1)?.body?.thinking, undefined);

      // A second manager on the same store: the cleared budget stays cleared.
      const again = await makeManager(h.fake, h.store);
      try {
        const reopened = await again.open(s.id);
        assert.equal(reopened.config.thinking, undefined);
        assert.equal(reopened.config.model, 'claude-sonnet-4-6');
      } finally { await again.dispose(); }
    } finally { await h.close(); }
  });

  void test('the webview patch accepts an effort, a budget and null for both; anything else is refused', () => {
    const schema = methodParamSchemas['sessions.updateConfig'];
    for (const patch of [{ reasoningEffort: 'minimal' }, { reasoningEffort: null }, { thinking: { budgetTokens: 4096 } }, { thinking: null }]) {
      assert.equal(schema.safeParse({ sessionId: 's1', patch }).success, true, JSON.stringify(patch));
    }
    for (const patch of [{ reasoningEffort: 'max' }, { thinking: { budgetTokens: 0 } }, { thinking: {} }, { model: null }]) {
      assert.equal(schema.safeParse({ sessionId: 's1', patch }).success, false, JSON.stringify(patch));
    }
  });
});
