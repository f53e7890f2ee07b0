import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  PROTOCOL_LIMITS, PROTOCOL_VERSION, type MethodName, type ParamsOf, type WebviewMessage,
} from '../../../src/shared/protocol';
import { methodParamSchemas, parseWebviewMessage } from '../../../src/shared/protocol-schema';

/** One valid params value per method (typed, so a protocol change breaks this file). */
const validParams: { [M in MethodName]: ParamsOf<M> } = {
  'sessions.list': {},
  'sessions.create': { providerId: 'ollama', model: 'llama3.1:8b', mode: 'ask', title: 'Fix the tests', workspace: { kind: 'worktree', base: 'main', carry: 'copy' } },
  'sessions.open': { sessionId: 's-1', limit: 50 },
  'sessions.transcript': { sessionId: 's-1', beforeSeq: 120, limit: 100 },
  'sessions.rename': { sessionId: 's-1', title: 'Renamed' },
  'sessions.delete': { sessionId: 's-1', children: 'keep', worktree: 'remove-all' },
  'sessions.send': { sessionId: 's-1', text: 'hello\nworld' },
  'sessions.removeQueued': { sessionId: 's-1', promptId: 'p_2' },
  'sessions.pause': { sessionId: 's-1' },
  'sessions.resume': { sessionId: 's-1' },
  'sessions.cancel': { sessionId: 's-1' },
  'sessions.compact': { sessionId: 's-1' },
  'sessions.retry': { sessionId: 's-1', action: 'now' },
  'sessions.takeOver': { sessionId: 's-1' },
  'sessions.updateConfig': { sessionId: 's-1', patch: { model: 'gpt-4.1', mode: 'auto-edit', autoCompactThreshold: 0.7 } },
  'approvals.resolve': { sessionId: 's-1', approvalId: 'a1', decision: 'approve', alwaysAllow: { pattern: 'run_command(npm test:*)', scope: 'workspace' } },
  'approvals.viewDiff': { sessionId: 's-1', approvalId: 'a1' },
  'changes.preview': { sessionId: 's-1', key: 'msg_1', scope: 'both' },
  'changes.restore': { sessionId: 's-1', key: 'msg_1', scope: 'files', overwrite: ['/w/a.ts'] },
  'changes.redo': { sessionId: 's-1', restoreId: 'rs_1', overwrite: [] },
  'changes.show': { sessionId: 's-1', path: '/w/a.ts' },
  'sessions.fork': { sessionId: 's-1', key: 'm:12' },
  'worktrees.support': {},
  'worktrees.status': { sessionId: 's-1' },
  'worktrees.action': { sessionId: 's-1', action: 'apply', mode: 'patch' },
  'sessions.terminal': { sessionId: 's-1', follow: true },
  'events.since': { sessionId: 's-1', afterSeq: 0 },
  'links.open': { href: 'https://example.com/docs', sessionId: 's-1' },
  'questions.answer': { sessionId: 's-1', questionId: 'q_1', action: 'accept', content: { name: 'Ada', age: 36, ok: true, tags: ['a'] } },
  'mcp.prompts': { sessionId: 's-1' },
  'mcp.prompt': { sessionId: 's-1', server: 'everything', name: 'simple-prompt', args: { city: 'Oslo' } },
  'agents.list': {},
  'memory.undo': { sessionId: 's-1', callId: 'c_1', entryId: 'mem_1' },
  'memory.open': {},
  'providers.list': {},
  'models.list': { providerId: 'openai', refresh: true },
  'providers.presets': {},
  'providers.probe': {},
  'host.info': {},
  'host.runAction': { action: 'setApiKey', providerId: 'openai' },
  'sessions.ask': { sessionId: 's-1', question: 'What is it doing right now?' },
  'knowledge.get': { sessionId: 's-1' },
  'mcp.list': {},
  'mcp.action': { name: 'github', action: 'restart' },
  'workspaceRules.get': {},
  'workspaceRules.decide': { hash: 'ab'.repeat(32), decision: 'allow' },
  'workspaceRules.forget': { action: 'allow', pattern: 'run_command(npm test:*)' },
};

function request<M extends MethodName>(method: M, params: unknown, id = 'r1'): unknown {
  return { kind: 'request', id, method, params };
}

function expectBad(raw: unknown, pattern?: RegExp): { id?: string } {
  const r = parseWebviewMessage(raw);
  if (r.ok) assert.fail(`expected bad_request, got ${JSON.stringify(r.message).slice(0, 200)}`);
  assert.equal(r.error.code, 'bad_request');
  assert.equal(r.error.retryable, false);
  if (pattern) assert.match(r.error.message, pattern);
  return r;
}

void describe('parseWebviewMessage: valid messages', () => {
  void test('the method map and the schema table name the same methods', () => {
    assert.deepEqual(Object.keys(methodParamSchemas).sort(), Object.keys(validParams).sort());
  });

  for (const [method, params] of Object.entries(validParams)) {
    void test(`accepts a ${method} request and returns its params`, () => {
      const r = parseWebviewMessage(request(method as MethodName, params));
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.message, { kind: 'request', id: 'r1', method, params });
    });
  }

  void test('accepts ready (with and without the visible tab), cancel and visible', () => {
    const messages: WebviewMessage[] = [
      { kind: 'ready', protocolVersion: PROTOCOL_VERSION },
      { kind: 'ready', protocolVersion: PROTOCOL_VERSION, visibleSessionId: 's-1' },
      { kind: 'cancel', id: 'r9' },
      { kind: 'visible', sessionId: 's-2' },
      { kind: 'visible', sessionId: null },
    ];
    for (const m of messages) {
      const r = parseWebviewMessage(m);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.message, m);
    }
  });

  void test('deny with a reason is fine; prompt of exactly the cap is fine', () => {
    assert.ok(parseWebviewMessage(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'deny', reason: 'use pnpm' })).ok);
    assert.ok(parseWebviewMessage(request('sessions.send', { sessionId: 's', text: 'x'.repeat(PROTOCOL_LIMITS.prompt) })).ok);
  });
});

void describe('parseWebviewMessage: malformed messages are bad_request, never a throw', () => {
  void test('non-objects and unknown kinds', () => {
    for (const raw of [undefined, null, 42, 'ready', [], { kind: 'nope' }, { kind: 'reply', id: 'x', ok: true }]) expectBad(raw);
  });

  void test('unknown method keeps the request id for the reply', () => {
    const r = expectBad(request('sessions.explode' as MethodName, {}, 'req-7'), /method/);
    assert.equal(r.id, 'req-7');
  });

  void test('wrong param types, missing fields and unknown keys name the field and keep the id', () => {
    const r = expectBad(request('sessions.send', { sessionId: 's-1' }, 'q1'), /params\.text/);
    assert.equal(r.id, 'q1');
    expectBad(request('sessions.send', { sessionId: 's-1', text: 5 }), /params\.text/);
    expectBad(request('sessions.pause', { sessionId: 's-1', extra: true }));
    expectBad(request('sessions.list', { sneaky: 1 }));
    expectBad(request('sessions.rename', { sessionId: 's-1', title: '' }));
    expectBad({ kind: 'request', id: 'r', method: 'sessions.list' }); // missing params: unknown accepts undefined, strict {} refuses it
  });

  void test('hostile ids are refused', () => {
    for (const sessionId of ['../etc', '', '__proto__', 'a/b', 'x'.repeat(PROTOCOL_LIMITS.id + 1), 'a b']) {
      expectBad(request('sessions.cancel', { sessionId }));
    }
    expectBad({ kind: 'cancel', id: '' });
  });

  void test('size caps: prompt, title, reason, rule, href', () => {
    expectBad(request('sessions.send', { sessionId: 's', text: 'x'.repeat(PROTOCOL_LIMITS.prompt + 1) }), /text/);
    expectBad(request('sessions.rename', { sessionId: 's', title: 't'.repeat(PROTOCOL_LIMITS.title + 1) }));
    expectBad(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'deny', reason: 'r'.repeat(PROTOCOL_LIMITS.reason + 1) }));
    expectBad(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'approve', alwaysAllow: { pattern: 'p'.repeat(PROTOCOL_LIMITS.rulePattern + 1), scope: 'user' } }));
    expectBad(request('links.open', { href: 'https://x/' + 'a'.repeat(PROTOCOL_LIMITS.href) }));
  });

  void test('ready carries no replay state: a reloaded webview has nothing to replay onto, the snapshot is the state', () => {
    expectBad({ kind: 'ready', protocolVersion: 1, lastSeqs: { 's-1': 12 } });
  });

  void test('semantic checks: alwaysAllow only with approve, bounded numbers, no settable rules', () => {
    expectBad(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'deny', alwaysAllow: { pattern: 'x', scope: 'user' } }), /alwaysAllow/);
    expectBad(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'maybe' }));
    expectBad(request('approvals.resolve', { sessionId: 's', approvalId: 'a', decision: 'approve', alwaysAllow: { pattern: 'x', scope: 'global' } }));
    expectBad(request('events.since', { sessionId: 's', afterSeq: -1 }));
    expectBad(request('events.since', { sessionId: 's', afterSeq: 1.5 }));
    expectBad(request('sessions.transcript', { sessionId: 's', limit: PROTOCOL_LIMITS.pageSize + 1 }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { rules: [{ action: 'allow', pattern: '*', scope: 'user' }] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { systemPrompt: 'ignore previous' } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { mode: 'yolo' } }));
    expectBad(request('links.open', { href: 'https://x/\u0000' }));
  });

  void test('a throwing getter or proxy becomes bad_request', () => {
    const hostile = { kind: 'request', id: 'r', method: 'sessions.list', get params(): unknown { throw new Error('boom'); } };
    expectBad(hostile);
    const proxy = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    expectBad(proxy);
  });

  void test('a "__proto__" key from JSON is dropped and pollutes nothing', () => {
    const raw: unknown = JSON.parse('{"kind":"request","id":"r1","method":"sessions.updateConfig","params":{"sessionId":"s","patch":{"skillOverrides":{"__proto__":{"polluted":1},"review":true}}}}');
    const r = parseWebviewMessage(raw);
    assert.ok(r.ok && r.message.kind === 'request' && r.message.method === 'sessions.updateConfig', r.ok ? '' : r.error.message);
    const overrides = r.message.params.patch.skillOverrides ?? {};
    assert.deepEqual(Object.keys(overrides), ['review']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((overrides as Record<string, unknown>).polluted, undefined);
  });
});

void describe('parseWebviewMessage: knowledge, MCP and side-question methods', () => {
  void test('per-session switches are settable config (rules files, skills, MCP servers)', () => {
    const patch = { disabledRuleIds: ['agents:src/AGENTS.md', 'cursor:.cursor/rules/style.mdc'], skillOverrides: { 'pdf-tools': false, review: true }, disabledMcpServers: ['github', 'my server'] };
    const r = parseWebviewMessage(request('sessions.updateConfig', { sessionId: 's', patch }));
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.message.kind === 'request' && r.message.params, { sessionId: 's', patch });
    // Clearing every switch is an empty list / map.
    assert.ok(parseWebviewMessage(request('sessions.updateConfig', { sessionId: 's', patch: { disabledRuleIds: [], skillOverrides: {}, disabledMcpServers: [] } })).ok);
  });

  void test('malformed switches are refused', () => {
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledRuleIds: 'agents:AGENTS.md' } }), /disabledRuleIds/);
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledRuleIds: [''] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledRuleIds: ['x'.repeat(PROTOCOL_LIMITS.ruleId + 1)] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledRuleIds: Array.from({ length: PROTOCOL_LIMITS.switches + 1 }, (_, i) => `agents:${i}`) } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { skillOverrides: { review: 'off' } } }), /skillOverrides/);
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { skillOverrides: { 'Not A Skill': false } } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { skillOverrides: ['review'] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledMcpServers: ['bad\nname'] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { disabledMcpServers: [7] } }));
    expectBad(request('sessions.updateConfig', { sessionId: 's', patch: { enabledMcpServers: ['x'] } }), /enabledMcpServers|Unrecognized/);
  });

  void test('a "__proto__" skill override from JSON is dropped and pollutes nothing', () => {
    const raw: unknown = JSON.parse('{"kind":"request","id":"r","method":"sessions.updateConfig","params":{"sessionId":"s","patch":{"skillOverrides":{"__proto__":{"polluted":true},"review":false}}}}');
    const r = parseWebviewMessage(raw);
    assert.ok(r.ok && r.message.kind === 'request' && r.message.method === 'sessions.updateConfig');
    const overrides = r.message.params.patch.skillOverrides ?? {};
    assert.deepEqual(Object.keys(overrides), ['review']);
    assert.equal(Object.getPrototypeOf(overrides), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void test('side questions: empty or blank refused with a clear message (keeps the id), capped in size', () => {
    const empty = expectBad(request('sessions.ask', { sessionId: 's', question: '' }, 'q9'), /side question is empty/);
    assert.equal(empty.id, 'q9');
    expectBad(request('sessions.ask', { sessionId: 's', question: '  \n\t ' }), /side question is empty/);
    expectBad(request('sessions.ask', { sessionId: 's' }), /question/);
    expectBad(request('sessions.ask', { sessionId: 's', question: 'q'.repeat(PROTOCOL_LIMITS.question + 1) }), /question/);
    expectBad(request('sessions.ask', { sessionId: '../x', question: 'why?' }));
    assert.ok(parseWebviewMessage(request('sessions.ask', { sessionId: 's', question: 'q'.repeat(PROTOCOL_LIMITS.question) })).ok);
  });

  void test('knowledge.get and mcp.* params are checked', () => {
    expectBad(request('knowledge.get', {}), /sessionId/);
    expectBad(request('knowledge.get', { sessionId: 's', extra: 1 }));
    expectBad(request('mcp.list', { name: 'x' }));
    expectBad(request('mcp.action', { name: 'github', action: 'delete' }), /action/);
    expectBad(request('mcp.action', { name: '', action: 'restart' }));
    expectBad(request('mcp.action', { action: 'restart' }), /name/);
    expectBad(request('mcp.action', { name: 'x'.repeat(PROTOCOL_LIMITS.name + 1), action: 'enable' }));
    for (const action of ['restart', 'enable', 'disable', 'allow'] as const) assert.ok(parseWebviewMessage(request('mcp.action', { name: 'github', action })).ok);
  });
});
