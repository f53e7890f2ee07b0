/**
 * A turn survives tool calls the model got wrong: bad arguments and repeated ids get an error
 * result the model can act on, the turn goes on, and the next request is one providers accept
 * (every tool-call id unique, every call answered once).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import type { EventOf } from '../../../src/core/session/events';
import { foldEvents } from '../../../src/core/session/reducer';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(): Promise<Harness> {
  fake.reset();
  return startHarness({ fake });
}

type OpenAIMessage = { role: string; content?: unknown; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] };
const messagesOf = (req: RecordedRequest): OpenAIMessage[] => (req.body?.messages ?? []) as OpenAIMessage[];
const callIds = (req: RecordedRequest): string[] => messagesOf(req).flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
const resultIds = (req: RecordedRequest): string[] => messagesOf(req).flatMap((m) => (m.role === 'tool' && m.tool_call_id ? [m.tool_call_id] : []));

void describe('turns with broken tool calls', () => {
  void test('invalid JSON and array arguments: error results for the model, the turn continues', async () => {
    const h = await harness();
    fake.enqueue(script.of(
      { type: 'toolCall', id: 'call_bad', name: 'echo', rawArgs: '{"text": "unterminated', chunks: 2 },
      { type: 'toolCall', id: 'call_arr', name: 'echo', rawArgs: '["ping"]' },
      script.toolCall('echo', { text: 'fine' }, { id: 'call_ok' }),
    ));
    fake.setResponder(() => script.text('Understood, fixing my arguments.'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'use echo');
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.rounds, 2);
    assert.ok(!h.of(s.id).some((e) => e.type === 'turn.failed'));
    const results = h.of(s.id).filter((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');
    const byId = new Map(results.map((r) => [r.callId, r]));
    assert.equal(byId.get('call_bad')?.isError, true);
    assert.match(byId.get('call_bad')!.content, /not valid JSON/);
    assert.ok(byId.get('call_bad')!.content.includes('{"text": "unterminated'), 'says what was received');
    assert.equal(byId.get('call_arr')?.isError, true);
    assert.match(byId.get('call_arr')!.content, /not a JSON object \(got an array\)/);
    assert.equal(byId.get('call_ok')?.content, 'echo:fine');
    // Nothing ran for the bad ones: no tool.started.
    const started = h.of(s.id).filter((e) => e.type === 'tool.started').map((e) => (e.type === 'tool.started' ? e.callId : ''));
    assert.deepEqual(started, ['call_ok']);
    const second = fake.requests[1]!;
    assert.deepEqual(callIds(second), ['call_bad', 'call_arr', 'call_ok']);
    assert.deepEqual(resultIds(second).sort(), ['call_arr', 'call_bad', 'call_ok']);
    // The bad calls go back with an empty object, never the broken text (providers would refuse it).
    const sent = messagesOf(second).flatMap((m) => m.tool_calls ?? []);
    assert.deepEqual(sent.map((c) => JSON.parse(c.function.arguments) as unknown), [{}, {}, { text: 'fine' }]);
    // A reopened session folds to the same history.
    const reopened = foldEvents(s.id, (await h.store.load(s.id)).events);
    assert.deepEqual(reopened.history.map((m) => m.role), ['user', 'assistant', 'tool', 'tool', 'tool', 'assistant']);
    await h.close();
  });

  void test('a repeated id in one message: the second call gets a fresh id and a duplicate error; ids stay unique', async () => {
    const h = await harness();
    fake.enqueue(script.of(
      script.toolCall('echo', { text: 'one' }, { id: 'dup' }),
      script.toolCall('echo', { text: 'two' }, { id: 'dup' }),
    ));
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'twice');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    const results = h.of(s.id).filter((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');
    assert.equal(results.length, 2);
    assert.equal(results[0].callId, 'dup');
    assert.equal(results[0].content, 'echo:one');
    assert.notEqual(results[1].callId, 'dup');
    assert.equal(results[1].isError, true);
    assert.match(results[1].content, /duplicate/i);
    assert.match(results[1].content, /"dup"/);
    const started = h.of(s.id).filter((e) => e.type === 'tool.started');
    assert.equal(started.length, 1, 'the duplicate never ran');
    const ids = callIds(fake.requests[1]!);
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2, `unique ids in the next request: ${ids.join(', ')}`);
    assert.deepEqual(resultIds(fake.requests[1]!).sort(), [...ids].sort());
    await h.close();
  });

  void test('an id an earlier message already used is renamed, and the call runs', async () => {
    const h = await harness();
    fake.enqueue(
      script.toolCall('echo', { text: 'first' }, { id: 'call_0' }),
      script.toolCall('echo', { text: 'second' }, { id: 'call_0' }),
      script.text('done'),
    );
    const s = await h.manager.create();
    await h.manager.send(s.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    const results = h.of(s.id).filter((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');
    assert.deepEqual(results.map((r) => r.content), ['echo:first', 'echo:second']);
    const ids = callIds(fake.requests[2]!);
    assert.equal(new Set(ids).size, 2, `unique ids: ${ids.join(', ')}`);
    assert.deepEqual(resultIds(fake.requests[2]!), ids);
    await h.close();
  });
});
