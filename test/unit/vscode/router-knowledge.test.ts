import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewRouter, MCP_DEBOUNCE_MS } from '../../../src/vscode/webview/router';
import type { HostMessage, McpServerInfo } from '../../../src/shared/protocol';
import { FakeKnowledge, FakeManager, FakeServices, FakeWebview } from './fakes';

type Reply = Extract<HostMessage, { kind: 'reply' }>;

const github: McpServerInfo = {
  name: 'github', type: 'stdio', source: { kind: 'vscode-mcp-json', scope: 'workspace', path: '/ws/.vscode/mcp.json' }, sourceLabel: '.vscode/mcp.json',
  status: { state: 'connected', toolCount: 2 }, tools: ['mcp__github__issues', 'mcp__github__prs'],
};
const broken: McpServerInfo = {
  name: 'broken', type: 'stdio', source: { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' }, sourceLabel: '.mcp.json',
  status: { state: 'failed', error: { code: 'network', message: 'exited with code 1', retryable: true }, stderrTail: ['boom'], attempts: 3 }, tools: [],
};

async function setup(withKnowledge = true) {
  const manager = new FakeManager();
  manager.add('a', 'Alpha');
  const services = new FakeServices();
  const knowledge = new FakeKnowledge();
  knowledge.overview = { servers: [github, broken], problems: [{ source: '.mcp.json', server: 'x', message: 'missing "command"' }] };
  const router = new WebviewRouter(async () => manager, services, withKnowledge ? { knowledge } : {});
  const web = new FakeWebview();
  router.attach(web);
  web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
  await web.waitFor((m) => m.kind === 'snapshot');
  return { manager, services, knowledge, router, web };
}

function okResult(r: Reply): unknown {
  assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.ok ? r.result : undefined;
}
function errorOf(r: Reply): { code: string; message: string } {
  assert.equal(r.ok, false, 'expected an error reply');
  return r.ok ? { code: '', message: '' } : r.error;
}

void describe('webview router: knowledge.get', () => {
  void test('returns the session listing from manager.knowledge plus skill diagnostics', async () => {
    const { manager, knowledge, router, web } = await setup();
    manager.knowledgeResult = {
      rules: [{ id: 'agents:AGENTS.md', kind: 'agents', relativePath: 'AGENTS.md', scope: '', size: 120, chars: 120, truncated: false, enabled: true }],
      skills: [{ name: 'review', description: 'Reviews diffs', source: 'workspace', path: '/ws/.agents/skills/review/SKILL.md', enabled: false, shadowed: false }],
    };
    knowledge.diagnostics = [{ severity: 'error', path: '/ws/.claude/skills/bad/SKILL.md', message: 'front matter: missing "description"' }];
    const result = okResult(await web.request('knowledge.get', { sessionId: 'a' }));
    assert.deepEqual(result, { knowledge: manager.knowledgeResult, diagnostics: knowledge.diagnostics });
    assert.deepEqual(manager.calls.filter((c) => c.method === 'knowledge').map((c) => c.args), [['a']]);
    router.dispose();
  });

  void test('unknown session → not_found; no knowledge port → empty diagnostics', async () => {
    const { router, web } = await setup(false);
    assert.equal(errorOf(await web.request('knowledge.get', { sessionId: 'nope' })).code, 'not_found');
    assert.deepEqual(okResult(await web.request('knowledge.get', { sessionId: 'a' })), { knowledge: { rules: [], skills: [] }, diagnostics: [] });
    router.dispose();
  });
});

void describe('webview router: mcp.list / mcp.action', () => {
  void test('mcp.list returns servers and config problems; afterwards status changes are pushed (coalesced)', async () => {
    const { knowledge, router, web } = await setup();
    // Before mcp.list nothing is pushed: this webview does not show MCP status.
    knowledge.change();
    await new Promise((r) => setTimeout(r, MCP_DEBOUNCE_MS * 3));
    assert.equal(web.posted.filter((m) => m.kind === 'mcp').length, 0);
    const listed = okResult(await web.request('mcp.list', {}));
    assert.deepEqual(listed, knowledge.overview);
    knowledge.overview = { servers: [{ ...github, status: { state: 'starting', attempt: 1 }, tools: [] }, broken], problems: [] };
    const from = web.posted.length;
    knowledge.change();
    knowledge.change();
    knowledge.change();
    const pushed = await web.waitFor((m) => m.kind === 'mcp', from) as Extract<HostMessage, { kind: 'mcp' }>;
    assert.equal(pushed.servers[0]!.status.state, 'starting');
    assert.deepEqual(pushed.problems, []);
    await new Promise((r) => setTimeout(r, MCP_DEBOUNCE_MS * 3));
    assert.equal(web.posted.slice(from).filter((m) => m.kind === 'mcp').length, 1, 'a burst of changes sends one message');
    router.dispose();
  });

  void test('mcp.action delegates each action; unknown server → not_found; malformed → bad_request', async () => {
    const { knowledge, router, web } = await setup();
    for (const action of ['restart', 'disable', 'enable', 'allow'] as const) okResult(await web.request('mcp.action', { name: 'github', action }));
    assert.deepEqual(knowledge.actions, [
      { name: 'github', action: 'restart' }, { name: 'github', action: 'disable' }, { name: 'github', action: 'enable' }, { name: 'github', action: 'allow' },
    ]);
    assert.equal(errorOf(await web.request('mcp.action', { name: 'nope', action: 'restart' })).code, 'not_found');
    assert.equal(errorOf(await web.request('mcp.action', { name: 'github', action: 'explode' })).code, 'bad_request');
    assert.equal(knowledge.actions.length, 4);
    router.dispose();
  });

  void test('without a knowledge port: mcp.list is empty and mcp.action is not_found', async () => {
    const { router, web } = await setup(false);
    assert.deepEqual(okResult(await web.request('mcp.list', {})), { servers: [], problems: [] });
    assert.equal(errorOf(await web.request('mcp.action', { name: 'github', action: 'restart' })).code, 'not_found');
    router.dispose();
  });
});

void describe('webview router: sessions.ask', () => {
  void test('answers through manager.ask and records nothing in the session', async () => {
    const { manager, router, web } = await setup();
    const before = manager.get('a')!.lastSeq;
    const result = okResult(await web.request('sessions.ask', { sessionId: 'a', question: 'What is it doing?' }));
    assert.deepEqual(result, { answer: 'It is fixing the tests.' });
    assert.deepEqual(manager.calls.filter((c) => c.method === 'ask').map((c) => c.args), [['a', 'What is it doing?']]);
    assert.equal(manager.get('a')!.lastSeq, before);
    assert.equal(web.events('a').length, 0, 'no event reaches the webview');
    router.dispose();
  });

  void test('a blank question is refused before the manager; unknown session → not_found', async () => {
    const { manager, router, web } = await setup();
    const blank = errorOf(await web.request('sessions.ask', { sessionId: 'a', question: '   ' }));
    assert.equal(blank.code, 'bad_request');
    assert.match(blank.message, /side question is empty/);
    assert.equal(manager.calls.filter((c) => c.method === 'ask').length, 0);
    assert.equal(errorOf(await web.request('sessions.ask', { sessionId: 'zz', question: 'why?' })).code, 'not_found');
    router.dispose();
  });

  void test('cancel aborts the side question: one cancelled reply, the manager saw the abort', async () => {
    const { manager, router, web } = await setup();
    let release!: () => void;
    manager.askGate = new Promise<void>((r) => { release = r; });
    const from = web.posted.length;
    web.send({ kind: 'request', id: 'ask1', method: 'sessions.ask', params: { sessionId: 'a', question: 'status?' } });
    await new Promise((r) => setTimeout(r, 20));
    web.send({ kind: 'cancel', id: 'ask1' });
    const reply = await web.waitFor((m) => m.kind === 'reply' && m.id === 'ask1', from) as Reply;
    assert.equal(errorOf(reply).code, 'cancelled');
    assert.equal(manager.askAborted, true, 'the abort signal reached manager.ask');
    release();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(web.posted.slice(from).filter((m) => m.kind === 'reply' && m.id === 'ask1').length, 1);
    router.dispose();
  });
});
