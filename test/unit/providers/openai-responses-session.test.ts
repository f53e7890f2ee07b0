/**
 * A session on a profile with `api: 'responses'`, end to end through the SessionManager: reasoning
 * shown as thinking, a tool round trip, and the next request carrying our own history as input
 * items with the encrypted reasoning item echoed (store: false, no previous_response_id).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { fakeEncrypted } from '../../fake-llm/responses';
import { startHarness } from '../session/harness';
import { foldEvents } from '../../../src/core/session/reducer';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

type Item = { type?: string; role?: string; id?: string; call_id?: string; encrypted_content?: string; output?: string; arguments?: string; summary?: unknown };

/** A harness whose `openai` profile speaks the Responses API to the fake, on `model`. */
function responsesSession(model: string): ReturnType<typeof startHarness> {
  fake.reset();
  return startHarness({
    fake,
    deps: {
      providerProfiles: { openai: { kind: 'openai', baseUrl: fake.openaiBaseUrl, api: 'responses' } },
      defaults: { providerId: 'openai', providerKind: 'openai', model, mode: 'ask', streamIdleTimeoutMs: 5_000 },
    },
  });
}

void describe('a session on the Responses API', () => {
  void test('reasoning, a tool round trip, and the stateless follow-up request', async () => {
    const h = await responsesSession('gpt-5');
    try {
      fake.enqueue(script.of(script.thinking('I should echo it.', 'x', 2), script.toolCall('echo', { text: 'ping' }, { id: 'call_r1', chunks: 3 }), script.usage(500, 40, 256)));
      fake.setResponder(() => script.text('The echo said ping.'));
      const s = await h.manager.create();
      await h.manager.send(s.id, 'echo ping please');
      const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
      assert.equal(done.rounds, 2);
      assert.equal(fake.requests.length, 2);
      assert.ok(fake.requests.every((r) => r.format === 'responses' && r.path === '/v1/responses'));

      // The thinking part keeps what must be echoed.
      const history = foldEvents(s.id, (await h.store.load(s.id)).events).history;
      const first = history.find((m) => m.role === 'assistant');
      assert.ok(first && first.role === 'assistant');
      const thinking = first.content.find((p) => p.type === 'thinking');
      assert.ok(thinking && thinking.type === 'thinking');
      assert.equal(thinking.text, 'I should echo it.');
      assert.match(thinking.itemId ?? '', /^rs_/);
      assert.equal(thinking.encrypted, fakeEncrypted(thinking.itemId!, 'I should echo it.'));

      const second = fake.requests[1]!.body!;
      assert.equal(second.store, false);
      assert.equal('previous_response_id' in second, false);
      assert.deepEqual(second.include, ['reasoning.encrypted_content']);
      const input = second.input as Item[];
      assert.deepEqual(input.map((i) => i.type), ['message', 'reasoning', 'function_call', 'function_call_output']);
      assert.equal(input[0]!.role, 'user');
      assert.equal(input[1]!.id, thinking.itemId);
      assert.equal(input[1]!.encrypted_content, thinking.encrypted);
      assert.deepEqual(input[1]!.summary, [{ type: 'summary_text', text: 'I should echo it.' }]);
      assert.equal(input[2]!.call_id, 'call_r1');
      assert.equal(input[2]!.arguments, '{"text":"ping"}');
      assert.deepEqual({ call_id: input[3]!.call_id, output: input[3]!.output }, { call_id: 'call_r1', output: 'echo:ping' });

      const last = history.at(-1);
      assert.ok(last?.role === 'assistant' && last.content.some((p) => p.type === 'text' && p.text === 'The echo said ping.'));
      const usage = h.of(s.id).find((e) => e.type === 'usage.updated');
      assert.ok(usage && usage.type === 'usage.updated');
      assert.equal(usage.usage.cacheReadTokens, 256);
    } finally {
      await h.close();
    }
  });

  void test('two reasoning items in a row stay two thinking parts, each echoed with its own id', async () => {
    const h = await responsesSession('o4-mini');
    try {
      fake.enqueue(script.of(script.thinking('First.'), script.thinking('Second.'), script.text('Answer one.')), script.text('Answer two.'));
      const s = await h.manager.create();
      await h.manager.send(s.id, 'one');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
      await h.manager.send(s.id, 'two');
      await h.waitFor('turn.completed', (e) => e.sessionId === s.id, h.events.findIndex((e) => e.type === 'turn.completed') + 1);
      const input = fake.requests[1]!.body!.input as Item[];
      const reasoning = input.filter((i) => i.type === 'reasoning');
      assert.equal(reasoning.length, 2);
      assert.notEqual(reasoning[0]!.id, reasoning[1]!.id);
      assert.deepEqual(reasoning.map((r) => r.summary), [[{ type: 'summary_text', text: 'First.' }], [{ type: 'summary_text', text: 'Second.' }]]);
      assert.equal(reasoning[1]!.encrypted_content, fakeEncrypted(reasoning[1]!.id!, 'Second.'));
    } finally {
      await h.close();
    }
  });
});
