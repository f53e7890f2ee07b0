/**
 * Elicitation and sampling round trips through a real session: the fake LLM calls a tool of the
 * real server-everything, the server asks the client, the session shows a question, the user answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lastToolResult, script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import type { McpManager } from '../../../src/core/mcp/manager';
import { startEverything } from './everything';

const ELICIT = 'mcp__everything__trigger-elicitation-request';
const SAMPLE = 'mcp__everything__trigger-sampling-request';

void describe('MCP server questions in a session (server-everything)', () => {
  let fake: FakeLlm;
  let mgr: McpManager;
  let h: Harness;
  before(async () => {
    fake = await startFakeLlm();
    mgr = await startEverything();
    h = await startHarness({ fake, deps: { mcp: mgr } });
  });
  after(async () => { await h.close(); await mgr.shutdown(); mgr.dispose(); await fake.close(); });

  async function askedIn(sessionId: string) {
    const ev = await h.waitFor('question.asked', (e) => e.sessionId === sessionId);
    assert.ok(ev.type === 'question.asked');
    return ev.question;
  }

  void test('elicitation accepted: the form\'s values reach the server\'s tool result; the state waits meanwhile', async () => {
    fake.reset();
    fake.enqueue(script.toolCall(ELICIT, {}, { id: 'call_el' }));
    fake.setResponder((req) => script.text(`result: ${lastToolResult(req)?.content ?? 'none'}`));
    const s = await h.manager.create({ config: { mode: 'full' } });
    await h.manager.send(s.id, 'ask me');
    const q = await askedIn(s.id);
    assert.equal(q.kind, 'elicitation');
    assert.equal(q.server, 'everything');
    assert.equal(q.callId, 'call_el');
    assert.deepEqual((q.schema as { required: string[] }).required, ['name']);
    assert.equal(h.manager.get(s.id)?.state, 'awaiting_approval');
    assert.equal(h.manager.get(s.id)?.pendingQuestions?.[0]?.id, q.id);
    await assert.rejects(h.manager.answerQuestion(s.id, q.id, 'accept', { check: true }), (e: Error & { code?: string }) => e.code === 'bad_request' && /name/.test(e.message));
    await h.manager.answerQuestion(s.id, q.id, 'accept', { name: 'Ada Lovelace', check: true, integer: 7 });
    await h.manager.whenIdle(s.id);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed');
    assert.match(done.content, /Name: Ada Lovelace/);
    assert.match(done.content, /Favorite Integer: 7/);
    const answered = h.of(s.id).find((e) => e.type === 'question.answered');
    assert.ok(answered?.type === 'question.answered');
    assert.deepEqual(answered.answer, { action: 'accept', content: { name: 'Ada Lovelace', check: true, integer: 7 }, by: 'user' });
    assert.equal(h.manager.get(s.id)?.pendingQuestions, undefined);
    const page = await h.manager.transcript(s.id);
    const card = page.entries.find((r) => r.kind === 'tool');
    assert.ok(card?.kind === 'tool');
    assert.equal(card.questions?.[0]?.answer?.action, 'accept');
    await assert.rejects(h.manager.answerQuestion(s.id, q.id, 'decline'), (e: Error & { code?: string }) => e.code === 'not_found');
  });

  void test('elicitation declined: the server says so', async () => {
    fake.reset();
    fake.enqueue(script.toolCall(ELICIT, {}));
    const s = await h.manager.create({ config: { mode: 'full' } });
    await h.manager.send(s.id, 'ask me');
    const q = await askedIn(s.id);
    await h.manager.answerQuestion(s.id, q.id, 'decline');
    await h.manager.whenIdle(s.id);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed');
    assert.match(done.content, /declined/);
  });

  void test('sampling approved: the fake LLM gets the server\'s request, its answer reaches the tool result, totals count it, the meter does not', async () => {
    fake.reset();
    fake.enqueue(script.of(script.toolCall(SAMPLE, { prompt: 'name a colour', maxTokens: 50 }, { id: 'call_sa' }), script.usage(1000, 10)));
    fake.enqueue(script.of(script.text('Blue, like the sea.'), script.usage(40, 6)));
    fake.setResponder((req) => script.of(script.text(`result: ${lastToolResult(req)?.content ?? 'none'}`), script.usage(1200, 20)));
    const s = await h.manager.create({ config: { mode: 'full' } });
    await h.manager.send(s.id, 'sample');
    const q = await askedIn(s.id);
    assert.equal(q.kind, 'sampling');
    assert.equal(q.sampling?.maxTokens, 50);
    assert.equal(q.sampling?.systemPrompt, 'You are a helpful test server.');
    assert.match(q.sampling?.messages[0]?.text ?? '', /name a colour/);
    assert.equal(fake.requests.length, 1, 'nothing runs before the user approves');
    await h.manager.answerQuestion(s.id, q.id, 'accept');
    await h.manager.whenIdle(s.id);
    const sampling = fake.requests[1];
    assert.equal(sampling.body?.model, 'gpt-4o-mini');
    assert.equal((sampling.body?.tools as unknown[] | undefined)?.length ?? 0, 0);
    const msgs = sampling.body?.messages as { role: string; content: string }[];
    assert.deepEqual(msgs.map((m) => m.role), ['system', 'user']);
    assert.equal(msgs[0].content, 'You are a helpful test server.');
    assert.match(msgs[1].content, /name a colour/);
    assert.equal(sampling.body?.max_tokens ?? sampling.body?.max_completion_tokens, 50);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed');
    assert.match(done.content, /Blue, like the sea\./);
    assert.match(done.content, /gpt-4o-mini/);
    const snap = h.manager.get(s.id)!;
    assert.equal(snap.totals.inputTokens, 1000 + 40 + 1200);
    assert.equal(snap.totals.outputTokens, 10 + 6 + 20);
    assert.equal(snap.lastUsage?.inputTokens, 1200, 'the meter follows the session\'s own requests only');
    const answered = h.of(s.id).find((e) => e.type === 'question.answered');
    assert.ok(answered?.type === 'question.answered');
    assert.deepEqual(answered.answer, { action: 'accept', text: 'Blue, like the sea.', by: 'user' });
  });

  void test('sampling declined: no model request, the server gets an error', async () => {
    fake.reset();
    fake.enqueue(script.toolCall(SAMPLE, { prompt: 'x' }));
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create({ config: { mode: 'full' } });
    await h.manager.send(s.id, 'sample');
    const q = await askedIn(s.id);
    await h.manager.answerQuestion(s.id, q.id, 'decline');
    await h.manager.whenIdle(s.id);
    assert.equal(fake.requests.length, 2, 'the turn\'s two requests only');
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed');
    assert.match(done.content, /declined/);
  });

  void test('cancelling the turn while a question waits answers it cancel (system) first; nothing hangs', async () => {
    fake.reset();
    fake.enqueue(script.toolCall(ELICIT, {}));
    const s = await h.manager.create({ config: { mode: 'full' } });
    await h.manager.send(s.id, 'ask me');
    const q = await askedIn(s.id);
    const t0 = Date.now();
    await h.manager.cancel(s.id);
    await h.manager.whenIdle(s.id);
    assert.ok(Date.now() - t0 < 5000);
    const types = h.of(s.id).map((e) => e.type);
    const ans = h.of(s.id).find((e) => e.type === 'question.answered');
    assert.ok(ans?.type === 'question.answered');
    assert.equal(ans.questionId, q.id);
    assert.deepEqual(ans.answer, { action: 'cancel', by: 'system' });
    assert.ok(types.indexOf('question.answered') < types.indexOf('turn.cancelled'));
    assert.equal(h.manager.get(s.id)?.state, 'idle');
    await assert.rejects(h.manager.answerQuestion(s.id, q.id, 'accept', { name: 'late' }), (e: Error & { code?: string }) => e.code === 'not_found');
  });
});
