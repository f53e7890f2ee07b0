/** OpenAI-specific behaviour: message mapping, reasoning deltas, keyless local servers. */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { HistoryMessage } from '../../../src/core/providers/types';
import { buildOpenAIParams } from '../../../src/core/providers/openai';
import { createProvider } from '../../../src/core/providers/factory';
import { collect, fast, providerFor, request } from './helpers';

void describe('openai provider specifics', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  void test('history maps to system / user / assistant tool_calls / tool messages', () => {
    const messages: HistoryMessage[] = [
      { id: 'u1', role: 'user', content: 'go' },
      { id: 'a1', role: 'assistant', content: [{ type: 'thinking', text: 'hmm' }, { type: 'text', text: 'Reading.' }, { type: 'tool_call', id: 'c1', name: 'read_file', args: { path: 'a' } }] },
      { id: 't1', role: 'tool', toolCallId: 'c1', toolName: 'read_file', content: 'A' },
    ];
    const body = buildOpenAIParams(request('openai', { messages, maxOutputTokens: 100 }), false);
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'You are a test assistant.' },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Reading.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
    ]);
    assert.equal(body.max_tokens, 100);
    assert.equal(buildOpenAIParams(request('openai', { maxOutputTokens: 100 }), true).max_completion_tokens, 100);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  void test('reasoning_content deltas become thinking, closed before the answer', async () => {
    fake.enqueue(script.of(script.thinking('step one, step two', 'ignored', 3), script.text('Answer')));
    const r = await collect(providerFor(fake, 'openai').stream(request('openai'), fast));
    assert.equal(r.error, undefined);
    const kinds = r.events.map((e) => e.type);
    assert.deepEqual(kinds.slice(0, 5), ['thinking_delta', 'thinking_delta', 'thinking_delta', 'thinking_end', 'text_delta']);
    assert.equal(r.events.flatMap((e) => (e.type === 'thinking_delta' ? [e.text] : [])).join(''), 'step one, step two');
  });

  void test('a keyless local server (Ollama / LM Studio profile) works without a key', async () => {
    fake.enqueue(script.text('local'));
    const r = await collect(providerFor(fake, 'openai', null).stream(request('openai'), fast));
    assert.equal(r.text, 'local');
  });

  void test('official OpenAI without a key: auth error, no request made', async () => {
    const r = await collect(createProvider({ kind: 'openai' }).stream(request('openai'), fast));
    assert.equal(r.error?.code, 'auth');
  });

  void test('connection refused is a network error', async () => {
    const closed = await startFakeLlm();
    const baseUrl = closed.openaiBaseUrl;
    await closed.close();
    const r = await collect(createProvider({ kind: 'openai', baseUrl, apiKey: 'sk-test-x' }).stream(request('openai'), { maxRetries: 1, maxBackoffMs: 5 }));
    assert.equal(r.error?.code, 'network');
    assert.equal(r.events.filter((e) => e.type === 'retry').length, 1);
  });
});
