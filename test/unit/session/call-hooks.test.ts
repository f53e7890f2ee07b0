/**
 * The engine's seams around tool calls (src/core/session/call-hooks.ts, wired in tool-calls.ts):
 * a `before` verdict combines with the permission decision (deny > ask > allow; never past a deny
 * rule), `after` adds to what the model sees, and a failing seam has no say. Real manager, real
 * permission engine, the fake LLM over the real SDK.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import type { ToolCallHooks, BeforeCallVerdict } from '../../../src/core/session/call-hooks';
import { strictestVerdict } from '../../../src/core/session/call-hooks';
import type { PermissionRule } from '../../../src/core/session/types';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(hooks: ToolCallHooks[], tool = 'cmd'): Promise<Harness> {
  fake.reset();
  fake.setResponder((req) => {
    const r = lastToolResult(req);
    return r ? script.text(`saw: ${r.content}`) : script.toolCall(tool, { text: 'npm test' });
  });
  return startHarness({ fake, deps: { callHooks: hooks } });
}

const verdict = (v: BeforeCallVerdict): ToolCallHooks => ({ before: async () => v });

async function run(h: Harness, config: Record<string, unknown> = {}): Promise<string> {
  const s = await h.manager.create({ title: 'hooks', config });
  await h.manager.send(s.id, 'go');
  return s.id;
}

void describe('tool-call seams', () => {
  void test('strictest verdict: deny > ask > allow > none', () => {
    assert.equal(strictestVerdict([undefined, { decision: 'allow' }, { decision: 'ask' }])?.decision, 'ask');
    assert.equal(strictestVerdict([{ decision: 'deny', reason: 'no' }, { decision: 'allow' }])?.reason, 'no');
    assert.equal(strictestVerdict([undefined, {}]), undefined);
  });

  void test('deny: the call never runs and the model gets the reason and the source', async () => {
    const h = await harness([verdict({ decision: 'deny', reason: 'no tests on Fridays', source: 'hook PreToolUse .claude/settings.json' })]);
    const id = await run(h, { mode: 'full' });
    await h.manager.whenIdle(id);
    assert.ok(!h.of(id).some((e) => e.type === 'tool.started'));
    const seen = lastToolResult(fake.requests[1]);
    assert.match(seen?.content ?? '', /Permission denied \(hook PreToolUse \.claude\/settings\.json\)\. no tests on Fridays/);
    await h.close();
  });

  void test('allow: no card in ask mode, the source says so; a deny rule still wins', async () => {
    const h = await harness([verdict({ decision: 'allow', source: 'hook PreToolUse' })]);
    const id = await run(h, { mode: 'ask' });
    await h.manager.whenIdle(id);
    const started = h.of(id).find((e) => e.type === 'tool.started');
    assert.ok(started?.type === 'tool.started' && started.permission.source === 'hook PreToolUse', JSON.stringify(started));
    assert.ok(!h.of(id).some((e) => e.type === 'approval.requested'));
    const deny: PermissionRule = { action: 'deny', pattern: 'cmd', scope: 'session' };
    const id2 = await run(h, { mode: 'ask', rules: [deny] });
    await h.manager.whenIdle(id2);
    assert.ok(!h.of(id2).some((e) => e.type === 'tool.started'), 'the deny rule wins over the hook');
    await h.close();
  });

  void test('ask: a card even in full mode, never rememberable', async () => {
    const h = await harness([verdict({ decision: 'ask', reason: 'hook wants a look', source: 'hook PreToolUse' })]);
    const id = await run(h, { mode: 'full' });
    const req = await h.waitFor('approval.requested', (e) => e.sessionId === id);
    assert.equal(req.approval.reason, 'hook wants a look');
    assert.equal(req.approval.rememberable, false);
    await h.manager.resolveApproval(id, req.approval.id, { decision: 'approve' });
    await h.manager.whenIdle(id);
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /ran npm test/);
    await h.close();
  });

  void test('after: its context joins the result the model sees; a throwing seam is ignored', async () => {
    const h = await harness([
      { before: async () => { throw new Error('broken seam'); }, after: async () => { throw new Error('broken too'); } },
      { after: async (_h, _t, call, result) => ({ context: `[checked ${call.name}: ${result.content.length} chars]` }) },
    ]);
    const id = await run(h, { mode: 'full' });
    await h.manager.whenIdle(id);
    assert.equal(lastToolResult(fake.requests[1])?.content, 'ran npm test\n\n[checked cmd: 12 chars]');
    await h.close();
  });
});

void describe('tool progress', () => {
  void test('progress reported by a tool is recorded, throttled, and the card keeps the newest', async () => {
    const { ToolRegistry } = await import('../../../src/core/tools/registry');
    const tools = new ToolRegistry([{
      name: 'long', kind: 'read', description: 'reports progress', inputSchema: { type: 'object', properties: {} },
      validate: () => ({ ok: true, value: {} }), describe: async () => ({ summary: 'long' }),
      execute: async (_a, ctx) => {
        for (let i = 1; i <= 50; i++) ctx.onProgress?.({ progress: i, total: 50 }); // a burst: one recorded
        await new Promise((r) => setTimeout(r, 300));
        ctx.onProgress?.({ progress: 50, total: 50, message: 'done' }); // after the throttle window: recorded
        return { content: 'long done' };
      },
    }]);
    fake.reset();
    fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('long', {})));
    const h = await startHarness({ fake, deps: { tools } });
    const s = await h.manager.create({ title: 'p', config: { mode: 'full' } });
    await h.manager.send(s.id, 'go');
    await h.manager.whenIdle(s.id);
    const progress = h.of(s.id).filter((e) => e.type === 'tool.progress');
    assert.deepEqual(progress.map((e) => (e.type === 'tool.progress' ? [e.progress, e.message ?? null] : [])), [[1, null], [50, 'done']]);
    const page = await h.manager.transcript(s.id, {});
    const card = page.entries.find((r) => r.kind === 'tool');
    assert.deepEqual(card?.kind === 'tool' ? card.progress : undefined, { progress: 50, total: 50, message: 'done' });
    await h.close();
  });
});

void describe('tool-call seams and what may never be allowed for good', () => {
  void test('allow does not skip the card of a command that cannot be fully analysed (never rememberable)', async () => {
    const { ToolRegistry } = await import('../../../src/core/tools/registry');
    const tools = new ToolRegistry([{
      name: 'run_command', kind: 'command', description: 'runs', inputSchema: { type: 'object', properties: { command: { type: 'string' } } },
      validate: (a) => ({ ok: true, value: a as Record<string, unknown> }), describe: async (a) => ({ summary: String((a as { command?: string }).command) }),
      execute: async () => ({ content: 'ran' }),
    }]);
    fake.reset();
    fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('run_command', { command: 'eval "$(cat script.txt)"' })));
    const h = await startHarness({ fake, deps: { tools, callHooks: [verdict({ decision: 'allow', source: 'hook PreToolUse' })] } });
    const s = await h.manager.create({ title: 'eval', config: { mode: 'ask' } });
    await h.manager.send(s.id, 'go');
    const req = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
    assert.equal(req.approval.rememberable, false, 'the command is one that can never be allowed for good');
    await h.manager.resolveApproval(s.id, req.approval.id, { decision: 'deny' });
    await h.manager.whenIdle(s.id);
    await h.close();
  });
});
