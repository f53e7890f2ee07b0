/** Anthropic-specific behaviour: prompt caching, tool_result grouping, thinking round trips. */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { AssistantPart, HistoryMessage, StreamEvent } from '../../../src/core/providers/types';
import { buildAnthropicParams } from '../../../src/core/providers/anthropic';
import { createProvider } from '../../../src/core/providers/factory';
import { collect, fast, providerFor, request } from './helpers';

const tools = [
  { name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'write_file', description: 'Write a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
];

type Body = { system: { cache_control?: unknown }[]; tools: { cache_control?: unknown }[]; messages: { role: string; content: Record<string, unknown>[] }[]; thinking?: unknown };

/** Rebuilds an assistant message from stream events, as the engine does. */
function assistantFrom(events: StreamEvent[], id: string): HistoryMessage {
  const parts: AssistantPart[] = [];
  let thinking = '';
  for (const e of events) {
    if (e.type === 'thinking_delta') thinking += e.text;
    if (e.type === 'thinking_end') {
      parts.push({ type: 'thinking', text: thinking, ...(e.signature ? { signature: e.signature } : {}), ...(e.redacted ? { redacted: e.redacted } : {}) });
      thinking = '';
    }
    if (e.type === 'text_delta') {
      const last = parts.at(-1);
      if (last?.type === 'text') last.text += e.text;
      else parts.push({ type: 'text', text: e.text });
    }
    if (e.type === 'tool_call_end') parts.push({ type: 'tool_call', id: e.id, name: e.name, args: e.args });
  }
  return { id, role: 'assistant', content: parts };
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

void describe('anthropic provider specifics', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  void test('cache_control on system, last tool and last block; consecutive requests share a byte-identical prefix', async () => {
    const provider = providerFor(fake, 'anthropic');
    const first: HistoryMessage[] = [{ id: 'u1', role: 'user', content: 'Please read src/main.ts' }];
    fake.enqueue(script.toolCall('read_file', { path: 'src/main.ts' }, { id: 'toolu_1' }), script.text('done'));
    const r1 = await collect(provider.stream(request('anthropic', { messages: first, tools }), fast));
    const second: HistoryMessage[] = [
      ...first,
      assistantFrom(r1.events, 'a1'),
      { id: 't1', role: 'tool', toolCallId: 'toolu_1', toolName: 'read_file', content: 'export {}' },
    ];
    await collect(provider.stream(request('anthropic', { messages: second, tools }), fast));
    const [q1, q2] = fake.requests;
    const b1 = q1!.body as unknown as Body;
    const b2 = q2!.body as unknown as Body;
    assert.deepEqual(b1.system[0]!.cache_control, { type: 'ephemeral' });
    assert.deepEqual(b1.tools.map((t) => t.cache_control), [undefined, { type: 'ephemeral' }]);
    assert.deepEqual(b1.messages.at(-1)!.content.at(-1)!.cache_control, { type: 'ephemeral' });
    assert.deepEqual(b2.messages.at(-1)!.content.at(-1)!.cache_control, { type: 'ephemeral' });
    assert.equal(b2.messages[0]!.content[0]!.cache_control, undefined, 'the breakpoint moved to the new last block');
    // Everything up to the first request's last message text is byte-identical in the second request.
    const endOfUserText = q1!.rawBody.indexOf('Please read src/main.ts') + 'Please read src/main.ts'.length;
    assert.ok(commonPrefixLength(q1!.rawBody, q2!.rawBody) >= endOfUserText);
    // And the same request serialises identically twice (deterministic).
    assert.equal(JSON.stringify(buildAnthropicParams(request('anthropic', { messages: second, tools }))), q2!.rawBody);
  });

  void test('consecutive tool results become one user message of tool_result blocks with is_error', () => {
    const messages: HistoryMessage[] = [
      { id: 'u1', role: 'user', content: 'go' },
      { id: 'a1', role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'read_file', args: { path: 'a' } }, { type: 'tool_call', id: 'c2', name: 'read_file', args: { path: 'b' } }] },
      { id: 't1', role: 'tool', toolCallId: 'c1', toolName: 'read_file', content: 'A' },
      { id: 't2', role: 'tool', toolCallId: 'c2', toolName: 'read_file', content: 'no such file', isError: true },
      { id: 'u2', role: 'user', content: 'and then?' },
    ];
    const body = buildAnthropicParams(request('anthropic', { messages }));
    assert.equal(body.messages.length, 3);
    const last = body.messages[2]!;
    assert.equal(last.role, 'user');
    assert.deepEqual(last.content, [
      { type: 'tool_result', tool_use_id: 'c1', content: 'A' },
      { type: 'tool_result', tool_use_id: 'c2', content: 'no such file', is_error: true },
      { type: 'text', text: 'and then?', cache_control: { type: 'ephemeral' } },
    ]);
  });

  void test('extended thinking: signature and redacted thinking are echoed back verbatim', async () => {
    const provider = providerFor(fake, 'anthropic');
    fake.enqueue(script.of(script.thinking('Let me consider.', 'sig-abc==', 3), { type: 'redactedThinking', data: 'opaque-XYZ' }, script.text('Answer.')), script.text('ok'));
    const r1 = await collect(provider.stream(request('anthropic', { thinking: { budgetTokens: 2048 } }), fast));
    assert.equal(r1.error, undefined);
    assert.deepEqual(r1.events.filter((e) => e.type === 'thinking_end'), [{ type: 'thinking_end', signature: 'sig-abc==' }, { type: 'thinking_end', redacted: 'opaque-XYZ' }]);
    const messages: HistoryMessage[] = [...request('anthropic').messages, assistantFrom(r1.events, 'a1'), { id: 'u2', role: 'user', content: 'more' }];
    await collect(provider.stream(request('anthropic', { messages, thinking: { budgetTokens: 2048 } }), fast));
    const body = fake.requests[1]!.body as unknown as Body;
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual(body.messages[1]!.content, [
      { type: 'thinking', thinking: 'Let me consider.', signature: 'sig-abc==' },
      { type: 'redacted_thinking', data: 'opaque-XYZ' },
      { type: 'text', text: 'Answer.' },
    ]);
    assert.ok((fake.requests[1]!.body!.max_tokens as number) > 2048);
  });

  void test('an overloaded error event mid-stream (before output) is retried', async () => {
    // HTTP 200, message_start, then an SSE error event: the SDK throws, nothing was yielded yet.
    fake.enqueue({ steps: [{ type: 'keepAlive', durationMs: 10, intervalMs: 5 }, { type: 'error', status: 529, message: 'Overloaded' }] }, script.text('recovered'));
    const r = await collect(providerFor(fake, 'anthropic').stream(request('anthropic'), fast));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'recovered');
    assert.equal(r.events.find((e) => e.type === 'retry')?.type, 'retry');
  });

  void test('the official endpoint without an API key: auth error before any request is sent', async () => {
    const official = createProvider({ kind: 'anthropic' });
    const r = await collect(official.stream(request('anthropic'), fast));
    assert.equal(r.error?.code, 'auth');
    assert.match(r.error?.hint ?? '', /Set API Key/);
    assert.equal(fake.requests.length, 0);
  });

  void test('a custom Anthropic-format endpoint (local gateway) works without a key', async () => {
    fake.enqueue(script.of(script.text('no key needed')));
    const r = await collect(providerFor(fake, 'anthropic', null).stream(request('anthropic'), fast));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'no key needed');
    assert.equal(fake.requests.length, 1);
  });
});
