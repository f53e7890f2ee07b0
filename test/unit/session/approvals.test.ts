import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(): Promise<Harness> {
  fake.reset();
  // Any request whose last message is a tool result gets it echoed back; otherwise: call cmd.
  fake.setResponder((req) => {
    const r = lastToolResult(req);
    return r ? script.text(`saw: ${r.content}`) : script.toolCall('cmd', { text: 'npm test' });
  });
  return startHarness({ fake });
}

async function ask(h: Harness, title = 's', config = {}): Promise<{ id: string; approvalId: string }> {
  const s = await h.manager.create({ title, config });
  await h.manager.send(s.id, 'run the tests');
  const req = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
  return { id: s.id, approvalId: req.approval.id };
}

const toolResult = (h: Harness, id: string): string => {
  const e = h.of(id).filter((x) => x.type === 'tool.completed').at(-1);
  return e?.type === 'tool.completed' ? e.content : '';
};

void describe('approvals through the engine', () => {
  void test('approve: the session waits in awaiting_approval, then runs the tool', async () => {
    const h = await harness();
    const { id, approvalId } = await ask(h);
    const snap = h.manager.get(id);
    assert.equal(snap?.state, 'awaiting_approval');
    assert.equal(snap?.pendingApprovals[0].toolName, 'cmd');
    assert.ok(snap?.pendingApprovals[0].suggestedRule, 'a narrow rule is suggested');
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve' });
    await h.manager.whenIdle(id);
    assert.equal(toolResult(h, id), 'ran npm test');
    const started = h.of(id).find((e) => e.type === 'tool.started');
    assert.ok(started?.type === 'tool.started' && started.permission.source === 'approved by user');
    assert.equal(h.manager.get(id)?.state, 'idle');
    assert.equal(h.manager.get(id)?.pendingApprovals.length, 0);
    await h.close();
  });

  void test('deny with a reason: the model receives the reason', async () => {
    const h = await harness();
    const { id, approvalId } = await ask(h);
    await h.manager.resolveApproval(id, approvalId, { decision: 'deny', reason: 'use yarn instead' });
    await h.manager.whenIdle(id);
    assert.ok(!h.of(id).some((e) => e.type === 'tool.started'), 'the tool never ran');
    const seen = lastToolResult(fake.requests[1]);
    assert.ok(seen?.content.includes('use yarn instead'), seen?.content);
    await h.close();
  });

  void test('always allow (session scope) saves the rule and the next call is not asked', async () => {
    const h = await harness();
    const { id, approvalId } = await ask(h);
    const rule = h.manager.get(id)?.pendingApprovals[0].suggestedRule ?? 'cmd(npm test)';
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve', alwaysAllow: { pattern: rule, scope: 'session' } });
    await h.manager.whenIdle(id);
    assert.deepEqual(h.manager.get(id)?.config.rules, [{ action: 'allow', pattern: rule, scope: 'session' }]);
    const before = h.of(id).filter((e) => e.type === 'approval.requested').length;
    await h.manager.send(id, 'run them again');
    await h.manager.whenIdle(id);
    assert.equal(h.of(id).filter((e) => e.type === 'approval.requested').length, before, 'not asked again');
    const started = h.of(id).filter((e) => e.type === 'tool.started').at(-1);
    assert.ok(started?.type === 'tool.started' && started.permission.source.includes(rule), started?.type === 'tool.started' ? started.permission.source : '');
    await h.close();
  });

  void test('always allow (workspace scope) goes through the RuleSink', async () => {
    const h = await harness();
    const { id, approvalId } = await ask(h);
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve', alwaysAllow: { pattern: 'cmd(npm test:*)', scope: 'workspace' } });
    await h.manager.whenIdle(id);
    assert.deepEqual(h.hostRules, [{ action: 'allow', pattern: 'cmd(npm test:*)', scope: 'workspace' }]);
    assert.equal(toolResult(h, id), 'ran npm test');
    await h.close();
  });

  void test('timeout denies the call with a reason', async () => {
    const h = await harness();
    const { id } = await ask(h, 't', { approvalTimeoutMs: 50 });
    const resolved = await h.waitFor('approval.resolved', (e) => e.sessionId === id);
    assert.equal(resolved.resolution.by, 'timeout');
    await h.manager.whenIdle(id);
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /timed out/);
    await h.close();
  });

  void test('cancel during a pending approval rejects it and leaves the session idle', async () => {
    const h = await harness();
    const { id, approvalId } = await ask(h);
    await h.manager.cancel(id);
    const resolved = h.of(id).find((e) => e.type === 'approval.resolved');
    assert.ok(resolved?.type === 'approval.resolved' && resolved.resolution.by === 'cancel');
    assert.ok(h.of(id).some((e) => e.type === 'turn.cancelled'));
    assert.equal(h.manager.get(id)?.state, 'idle');
    assert.equal(h.manager.get(id)?.pendingApprovals.length, 0);
    await assert.rejects(h.manager.resolveApproval(id, approvalId, { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.ok(!h.of(id).some((e) => e.type === 'tool.started'));
    await h.close();
  });

  void test('two sessions await approval at once; answers never cross', async () => {
    const h = await harness();
    const a = await ask(h, 'A');
    const b = await ask(h, 'B');
    assert.equal(h.manager.get(a.id)?.state, 'awaiting_approval');
    assert.equal(h.manager.get(b.id)?.state, 'awaiting_approval');
    await assert.rejects(h.manager.resolveApproval(a.id, b.approvalId, { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.equal(h.manager.get(b.id)?.state, 'awaiting_approval', 'B untouched');
    await h.manager.resolveApproval(b.id, b.approvalId, { decision: 'deny', reason: 'not B' });
    await h.manager.whenIdle(b.id);
    assert.equal(h.manager.get(a.id)?.state, 'awaiting_approval', 'A still waiting');
    await h.manager.resolveApproval(a.id, a.approvalId, { decision: 'approve' });
    await h.manager.whenIdle(a.id);
    assert.equal(toolResult(h, a.id), 'ran npm test');
    assert.match(toolResult(h, b.id), /not B/);
    await h.close();
  });

  void test('plan mode denies commands with a message to the model', async () => {
    const h = await harness();
    const s = await h.manager.create({ config: { mode: 'plan' } });
    await h.manager.send(s.id, 'run the tests');
    await h.manager.whenIdle(s.id);
    assert.ok(!h.of(s.id).some((e) => e.type === 'approval.requested'));
    const tc = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(tc?.type === 'tool.completed' && tc.isError && tc.permission?.decision === 'deny');
    await h.close();
  });
});
