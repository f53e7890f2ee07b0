// Tool calls of one message run by lane, through the real SessionManager and the fake LLM server:
// read-only built-ins and MCP tools annotated readOnlyHint run at the same time, everything else
// alone in call order, one approval card at a time, results in call order. Concurrency is judged
// from start/end marks (which started before another ended), never from wall-clock time.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createMcpTool } from '../../../src/core/mcp/tool';
import type { AnyTool, ToolResult } from '../../../src/core/tools/types';
import type { SessionManagerDeps } from '../../../src/core/session/manager';

let fake: FakeLlm;
let root: string;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-lanes-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

/** Start/end marks of every tool run, and manual releases for the calls that wait for one. */
class Marks {
  readonly log: string[] = [];
  private readonly waiting = new Map<string, () => void>();
  private readonly listeners: Array<() => void> = [];

  async around(name: string, work: () => Promise<void>): Promise<void> {
    this.mark(`start:${name}`);
    await work();
    this.mark(`end:${name}`);
  }

  /** Resolves when `release(name)` is called (or the signal aborts). */
  hold(name: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.set(name, resolve);
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  release(name: string): void {
    const r = this.waiting.get(name);
    assert.ok(r, `${name} is holding`);
    r();
  }

  /** Resolves once `mark` is in the log. */
  until(mark: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${mark}; log: ${this.log.join(' ')}`)), 10_000);
      const check = (): void => { if (this.log.includes(mark)) { clearTimeout(timer); resolve(); } else this.listeners.push(check); };
      check();
    });
  }

  at(mark: string): number {
    const i = this.log.indexOf(mark);
    assert.ok(i >= 0, `${mark} happened; log: ${this.log.join(' ')}`);
    return i;
  }

  private mark(m: string): void {
    this.log.push(m);
    for (const l of this.listeners.splice(0)) l();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A test tool: `text` names the run; `hold: true` waits for a manual release, else it waits 30 ms. */
function tool(marks: Marks, name: string, kind: AnyTool['kind'], readOnly: boolean, content: (args: Record<string, unknown>) => string = (a) => `${name}:${String(a.text)}`): AnyTool {
  return {
    name, kind, description: `${name} test tool`, ...(readOnly ? { readOnly: true } : {}),
    inputSchema: { type: 'object', properties: { text: { type: 'string' }, hold: { type: 'boolean' } } },
    validate: (args) => ({ ok: true, value: (args ?? {}) as Record<string, unknown> }),
    describe: async (args) => ({ summary: `${name} ${String(args.text)}` }),
    execute: async (args, ctx): Promise<ToolResult> => {
      const label = String(args.text);
      await marks.around(label, () => (args.hold === true ? marks.hold(label, ctx.signal) : sleep(30)));
      return { content: content(args) };
    },
  };
}

/** An MCP tool built by the real createMcpTool; the fake server side logs marks. */
function mcpTool(marks: Marks, toolName: string, readOnlyHint: boolean): AnyTool {
  return createMcpTool('srv', { name: toolName, inputSchema: { type: 'object', properties: { text: { type: 'string' } } }, annotations: { readOnlyHint } }, {
    callTool: async (_server, _tool, args) => {
      await marks.around(String(args.text), () => sleep(30));
      return { content: `mcp:${String(args.text)}` };
    },
  }) as AnyTool;
}

async function harness(marks: Marks, extra: Partial<SessionManagerDeps> = {}): Promise<Harness> {
  const tools = new ToolRegistry([tool(marks, 'peek', 'read', true), tool(marks, 'cmd', 'command', false), tool(marks, 'huge', 'read', true, () => 'x'.repeat(100_000))]);
  const mcp = [mcpTool(marks, 'look', true), mcpTool(marks, 'poke', false)];
  return startHarness({ fake, deps: { tools, mcp: { tools: () => mcp }, ...extra } });
}

/** Ids of the tool results a request carried, in order (OpenAI wire format). */
function toolResultIds(req: RecordedRequest | undefined): string[] {
  const msgs = (req?.body?.messages ?? []) as Array<{ role: string; tool_call_id?: string }>;
  return msgs.filter((m) => m.role === 'tool').map((m) => String(m.tool_call_id));
}

const call = (name: string, text: string, id: string, extra: Record<string, unknown> = {}) => script.toolCall(name, { text, ...extra }, { id });
const allowMcp = { rules: [{ action: 'allow' as const, pattern: 'mcp__srv__look', scope: 'session' as const }, { action: 'allow' as const, pattern: 'mcp__srv__poke', scope: 'session' as const }] };

function answerResults(): void {
  fake.setResponder((req) => script.text(`saw: ${lastToolResult(req)?.content ?? 'nothing'}`));
}

void describe('tool calls of one message run by lane', () => {
  void test('read-only calls (built-in and readOnlyHint MCP) overlap; a command runs alone; results in call order', async () => {
    fake.reset();
    fake.enqueue(script.of(call('peek', 'a', 'c1'), call('peek', 'b', 'c2'), call('mcp__srv__look', 'm', 'c3'), call('cmd', 'x', 'c4'), call('mcp__srv__poke', 'p', 'c5'), call('peek', 'c', 'c6')));
    answerResults();
    const marks = new Marks();
    const h = await harness(marks);
    const s = await h.manager.create({ title: 'lanes', config: { mode: 'full', ...allowMcp } });
    await h.manager.send(s.id, 'look around');
    await h.manager.whenIdle(s.id);
    const m = (x: string): number => marks.at(x);
    const firstEnd = Math.min(m('end:a'), m('end:b'), m('end:m'));
    assert.ok(Math.max(m('start:a'), m('start:b'), m('start:m')) < firstEnd, `the three read-only calls overlapped: ${marks.log.join(' ')}`);
    assert.ok(m('start:x') > Math.max(m('end:a'), m('end:b'), m('end:m')), 'the command starts after the reads before it ended');
    assert.ok(m('start:p') > m('end:x'), 'an MCP tool without readOnlyHint runs alone, after the command');
    assert.ok(m('start:c') > m('end:p'), 'a read after them waits for them');
    const done = h.of(s.id).filter((e) => e.type === 'tool.completed');
    assert.deepEqual(done.map((e) => e.type === 'tool.completed' && e.callId), ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    assert.deepEqual(toolResultIds(fake.requests[1]), ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'], 'the model gets the results in call order');
    await h.close();
  });

  void test('read-only calls that ask: one approval card at a time, both run once approved', async () => {
    fake.reset();
    fake.enqueue(script.of(call('mcp__srv__look', 'q1', 'c1'), call('mcp__srv__look', 'q2', 'c2')));
    answerResults();
    const marks = new Marks();
    const h = await harness(marks);
    const s = await h.manager.create({ title: 'cards', config: { mode: 'ask' } });
    await h.manager.send(s.id, 'look twice');
    const first = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await sleep(50); // room for a second card to appear, if the executor were to show one
    assert.equal(h.manager.get(s.id)?.pendingApprovals.length, 1, 'one card at a time');
    assert.equal(first.approval.callId, 'c1', 'in call order');
    await h.manager.resolveApproval(s.id, first.approval.id, { decision: 'approve' });
    const second = await h.waitFor('approval.requested', (e) => e.sessionId === s.id && e.approval.id !== first.approval.id);
    assert.equal(second.approval.callId, 'c2');
    assert.equal(h.manager.get(s.id)?.pendingApprovals.length, 1);
    await h.manager.resolveApproval(s.id, second.approval.id, { decision: 'approve' });
    await h.manager.whenIdle(s.id);
    assert.deepEqual(toolResultIds(fake.requests[1]), ['c1', 'c2']);
    assert.equal(lastToolResult(fake.requests[1])?.content, 'mcp:q2');
    await h.close();
  });

  void test('pause during a read-only lane: the running reads finish, the next call holds until resume', async () => {
    fake.reset();
    fake.enqueue(script.of(call('peek', 'a', 'c1', { hold: true }), call('peek', 'b', 'c2', { hold: true }), call('cmd', 'x', 'c3')));
    answerResults();
    const marks = new Marks();
    const h = await harness(marks);
    const s = await h.manager.create({ title: 'pause', config: { mode: 'full' } });
    await h.manager.send(s.id, 'read then run');
    await marks.until('start:b');
    await h.manager.pause(s.id);
    marks.release('a'); marks.release('b');
    await marks.until('end:b');
    await h.waitFor('tool.completed', (e) => e.sessionId === s.id && e.callId === 'c2');
    await sleep(50);
    assert.ok(!marks.log.includes('start:x'), 'the command holds at the boundary while paused');
    assert.equal(h.manager.get(s.id)?.state, 'paused');
    await h.manager.resume(s.id);
    await h.manager.whenIdle(s.id);
    assert.ok(marks.at('start:x') > marks.at('end:b'));
    assert.deepEqual(toolResultIds(fake.requests[1]), ['c1', 'c2', 'c3']);
    await h.close();
  });

  void test('cancel mid-lane: the running reads are interrupted and the later call never starts', async () => {
    fake.reset();
    fake.enqueue(script.of(call('peek', 'a', 'c1', { hold: true }), call('peek', 'b', 'c2', { hold: true }), call('cmd', 'x', 'c3')));
    answerResults();
    const marks = new Marks();
    const h = await harness(marks);
    const s = await h.manager.create({ title: 'cancel', config: { mode: 'full' } });
    await h.manager.send(s.id, 'read then run');
    await marks.until('start:b');
    marks.release('a');
    await h.waitFor('tool.completed', (e) => e.sessionId === s.id && e.callId === 'c1');
    await h.manager.cancel(s.id);
    await h.manager.whenIdle(s.id);
    const cancelled = await h.waitFor('turn.cancelled', (e) => e.sessionId === s.id);
    assert.deepEqual(cancelled.interruptedCallIds, ['c2', 'c3']);
    assert.ok(!marks.log.includes('start:x'));
    await h.close();
  });

  void test('one cap for every tool, in the executor: a 100 000-character result reaches the model capped, the whole saved for read_file', async () => {
    fake.reset();
    fake.enqueue(call('huge', 'h', 'c1'));
    answerResults();
    const marks = new Marks();
    const h = await harness(marks, { toolOutputDir: join(root, 'tool-output') });
    const s = await h.manager.create({ title: 'cap', config: { mode: 'full' } });
    await h.manager.send(s.id, 'big output');
    await h.manager.whenIdle(s.id);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed');
    assert.ok(done.content.length < 31_000, `capped: ${done.content.length} characters`);
    assert.match(done.content, /characters omitted/);
    const saved = /saved in (\S+\.txt)\./.exec(done.content)?.[1];
    assert.ok(saved, done.content.slice(-300));
    assert.equal((await readFile(saved, 'utf8')).length, 100_000, 'the whole result is in the spill file');
    await h.close();
  });
});
