import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryMessage } from '../../../src/shared/model';
import { estimateMessage, estimateText } from '../../../src/shared/tokens';
import { contextUsage, contextWindowFor, meterOnMessage, meterOnUsage } from '../../../src/shared/context-meter';
import { buildSystemPrompt } from '../../../src/core/context/system-prompt';
import { DEFAULT_CONTEXT_WINDOW } from '../../../src/shared/models';
import { planCompaction, summaryMessageText } from '../../../src/core/context/compaction';

const user = (id: string, content: string): HistoryMessage => ({ id, role: 'user', content });
const text = (id: string, t: string): HistoryMessage => ({ id, role: 'assistant', content: [{ type: 'text', text: t }] });
const call = (id: string, callId: string): HistoryMessage => ({ id, role: 'assistant', content: [{ type: 'tool_call', id: callId, name: 'echo', args: { text: 'x' } }] });
const result = (id: string, callId: string): HistoryMessage => ({ id, role: 'tool', toolCallId: callId, toolName: 'echo', content: 'ok' });

void describe('tokens', () => {
  void test('chars/4 and tool-call JSON counted', () => {
    assert.equal(estimateText('a'.repeat(400)), 100);
    const small = estimateMessage(text('a', 'hi'));
    const withCall = estimateMessage({ id: 'b', role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'echo', args: { text: 'x'.repeat(400) } }] });
    assert.ok(withCall > small + 90, `${withCall} should count the args`);
  });
});

void describe('context meter', () => {
  void test('provider usage replaces the estimate; added messages are estimated on top', () => {
    let m = meterOnUsage({ inputTokens: 1_000, outputTokens: 200 });
    assert.equal(contextUsage(m, 10_000).tokens, 1_200);
    m = meterOnMessage(m, user('u', 'x'.repeat(400)));
    const u = contextUsage(m, 10_000);
    assert.equal(u.tokens, 1_200 + 104);
    assert.ok(Math.abs(u.fraction - 0.1304) < 1e-9);
  });
  void test('window: config beats the table, table beats the default', () => {
    assert.equal(contextWindowFor({ model: 'claude-sonnet-4-5', contextWindow: 5_000 }), 5_000);
    assert.equal(contextWindowFor({ model: 'claude-sonnet-4-5' }), 200_000);
    assert.equal(contextWindowFor({ model: 'my-local-model' }), DEFAULT_CONTEXT_WINDOW);
  });
});

void describe('system prompt', () => {
  void test('byte-stable for the same input, independent of tool order', () => {
    const tools = [{ name: 'b', description: '', inputSchema: {} }, { name: 'a', description: '', inputSchema: {} }];
    const one = buildSystemPrompt({ sessionPrompt: 'Be brief.', tools });
    const two = buildSystemPrompt({ sessionPrompt: 'Be brief.', tools: [...tools].reverse() });
    assert.equal(one, two);
    assert.ok(one.includes('Available tools: a, b.'));
    assert.ok(one.endsWith('# Session instructions\nBe brief.'));
  });
});

void describe('compaction plan', () => {
  const history: HistoryMessage[] = [
    user('u1', 'ORIGINAL REQUEST'), call('a1', 'c1'), result('t1', 'c1'), text('a2', 'done 1'),
    user('u2', 'second'), call('a3', 'c2'), result('t2', 'c2'), text('a4', 'done 2'),
    user('u3', 'third'), text('a5', 'done 3'),
    user('u4', 'fourth'), text('a6', 'done 4'),
  ];
  void test('keeps the original request and the last two turns; never splits a call from its result', () => {
    const plan = planCompaction(history);
    assert.ok(plan);
    assert.equal(plan.original?.id, 'u1');
    assert.deepEqual(plan.summarise.map((m) => m.id), ['a1', 't1', 'a2', 'u2', 'a3', 't2', 'a4']);
    assert.deepEqual(plan.keep.map((m) => m.id), ['u3', 'a5', 'u4', 'a6']);
  });
  void test('one long turn is cut inside, before a non-tool message', () => {
    const long: HistoryMessage[] = [user('u1', 'go')];
    for (let i = 0; i < 6; i++) long.push(call(`a${i}`, `c${i}`), result(`t${i}`, `c${i}`));
    long.push(text('end', 'finished'));
    const plan = planCompaction(long);
    assert.ok(plan);
    assert.notEqual(plan.keep[0].role, 'tool');
    const kept = new Set(plan.keep.map((m) => m.id));
    for (let i = 0; i < 6; i++) assert.equal(kept.has(`a${i}`), kept.has(`t${i}`), `call ${i} and its result stay together`);
  });
  void test('nothing to compact in a short history', () => {
    assert.equal(planCompaction([user('u1', 'hi'), text('a1', 'hello')]), undefined);
  });
  void test('the summary restates open tasks', () => {
    const s = summaryMessageText('did things', [{ id: '1', title: 'write tests', status: 'in_progress' }, { id: '2', title: 'old', status: 'done' }], 'llm');
    assert.ok(s.includes('- [in_progress] write tests'));
    assert.ok(!s.includes('old'));
  });
});
