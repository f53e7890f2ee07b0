/**
 * Quirks through a whole session (manager, turn runner, tools): a quirky server still gives a
 * complete tool round trip with reasoning that never travels back, and a model without tool
 * calling fails the turn once, clearly, without retries.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

void describe('quirks in a session', () => {
  void test('reasoning + an index-less tool call + finish_reason "stop" + no usage: the tool runs, the reasoning is not sent back', async () => {
    fake.reset();
    const h = await startHarness({ fake });
    const quirks = { toolCalls: 'noIndex', reasoningField: 'reasoning', finishReason: 'stop', usage: 'none', comment: 'OPENROUTER PROCESSING' } as const;
    fake.enqueue(
      script.quirky(script.of(script.thinking('private chain of thought', undefined, 3), script.toolCall('echo', { text: 'ping' }, { id: 'call_Q', chunks: 4 })), quirks),
      script.quirky(script.text('The tool said echo:ping.'), quirks),
    );
    const s = await h.manager.create();
    await h.manager.send(s.id, 'use the tool');
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.rounds, 2);
    const second = fake.requests[1]!;
    const messages = second.body!.messages as { role: string; content?: unknown; tool_call_id?: unknown; tool_calls?: unknown }[];
    assert.deepEqual(messages.find((m) => m.role === 'tool'), { role: 'tool', tool_call_id: 'call_Q', content: 'echo:ping' });
    assert.doesNotMatch(second.rawBody, /private chain of thought/);
    assert.doesNotMatch(second.rawBody, /"reasoning(_content)?"/);
    await h.close();
  });

  void test('Ollama "does not support tools": the turn fails once with unsupported and a hint, no retry', async () => {
    fake.reset();
    const h = await startHarness({ fake });
    fake.enqueue(script.error(400, { body: { error: { message: 'registry.ollama.ai/library/gemma3:4b does not support tools', type: 'api_error', param: null, code: null } } }));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    const failed = await h.waitFor('turn.failed', (e) => e.sessionId === s.id);
    assert.equal(failed.error.code, 'unsupported');
    assert.equal(failed.error.retryable, false);
    assert.ok(failed.error.hint);
    await h.manager.whenIdle(s.id);
    assert.equal(fake.requests.length, 1);
    assert.equal(h.of(s.id).some((e) => e.type === 'provider.retry'), false);
    await h.close();
  });
});
