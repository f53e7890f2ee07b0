// Window reload with a pending approval: graceful dispose leaves a turn that only waits for the
// user open in its JSONL log; the next manager restores the approval and the turn carries on.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, testTools, type Harness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { createWriteFileTool } from '../../../src/core/tools/write-file';
import { AgentError } from '../../../src/core/base/errors';
import type { AnyTool } from '../../../src/core/tools/types';

let fake: FakeLlm;
let root: string;
let n = 0;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-reload-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

interface Place { storeDir: string; ws: string }

async function place(): Promise<Place> {
  const dir = join(root, `case-${++n}`);
  const p = { storeDir: join(dir, 'store'), ws: join(dir, 'ws') };
  await mkdir(p.ws, { recursive: true });
  return p;
}

/** A manager (the "window") on the JSONL store at `p`, with the test tools plus the real write_file. */
async function open(p: Place, options: { withoutCmd?: boolean; mcpTools?: AnyTool[] } = {}): Promise<Harness> {
  const tools = testTools();
  tools.register(createWriteFileTool() as AnyTool);
  if (options.withoutCmd) tools.unregister('cmd');
  const mcp = options.mcpTools ? { mcp: { tools: () => [...options.mcpTools!] } } : {};
  return startHarness({ fake, store: new JsonlSessionStore({ directory: p.storeDir }), deps: { tools, workspaceRoots: [p.ws], ...mcp } });
}

/** An MCP-like tool (kind mcp: asks unless a rule allows it). */
function mcpTool(name: string): AnyTool {
  return {
    name, kind: 'mcp', description: 'test MCP tool', inputSchema: { type: 'object', properties: {} },
    validate: (args) => ({ ok: true, value: args }), describe: async () => ({ summary: name }),
    execute: async () => ({ content: `${name} ran` }),
  };
}

/** Ids of the tool results a request carried (both wire formats). */
function toolResultIds(req: RecordedRequest | undefined): string[] {
  const msgs = (req?.body?.messages ?? []) as Array<{ role: string; tool_call_id?: string; content?: unknown }>;
  if (req?.format === 'openai') return msgs.filter((m) => m.role === 'tool').map((m) => String(m.tool_call_id));
  return msgs.flatMap((m) => (Array.isArray(m.content) ? m.content as Array<{ type: string; tool_use_id?: string }> : []))
    .filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
}

const write = (path: string, content: string, id: string): ReturnType<typeof script.toolCall> => script.toolCall('write_file', { path, content }, { id });

/** Answers every request that ends in a tool result with "saw: <result>". */
function echoResults(): void {
  fake.setResponder((req) => script.text(`saw: ${lastToolResult(req)?.content ?? 'nothing'}`));
}

async function readMaybe(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; } // missing = not written
}

void describe('window reload with a pending approval', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    void test(`${provider}: dispose → new manager → the same approval is back; approve runs the tool and the model gets the result`, async () => {
      fake.reset();
      fake.enqueue(script.of(script.text('Writing the note.'), write('notes/a.txt', 'hello\n', 'call_w')));
      echoResults();
      const p = await place();
      const h1 = await open(p);
      const s = await h1.manager.create({ title: 'writer', config: { providerId: provider, providerKind: provider } });
      await h1.manager.send(s.id, 'write a note');
      await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
      const before = h1.manager.get(s.id);
      assert.equal(before?.state, 'awaiting_approval');
      assert.match(before?.pendingApprovals[0].diff ?? '', /\+hello/);
      await h1.close();
      assert.ok(!h1.events.some((e) => e.type === 'turn.interrupted' || e.type === 'approval.resolved'), 'nothing closed the turn at dispose');

      const h2 = await open(p);
      const after = h2.manager.get(s.id); // init restored it without being asked
      assert.ok(after, 'the waiting session was opened by init');
      assert.equal(after.state, 'awaiting_approval');
      assert.deepEqual(after.pendingApprovals, before?.pendingApprovals);
      assert.equal(h2.manager.list().find((r) => r.id === s.id)?.state, 'awaiting_approval');
      assert.deepEqual((await h2.manager.transcript(s.id)).entries.map((e) => e.kind), ['user', 'assistant', 'tool'], 'the card waits for the answer');
      assert.equal(await readMaybe(join(p.ws, 'notes/a.txt')), undefined, 'not written before the answer');
      assert.equal(fake.requests.length, 1);

      await h2.manager.resolveApproval(s.id, before!.pendingApprovals[0].id, { decision: 'approve' });
      await h2.manager.whenIdle(s.id);
      assert.equal(await readMaybe(join(p.ws, 'notes/a.txt')), 'hello\n');
      const started = h2.of(s.id).find((e) => e.type === 'tool.started');
      assert.ok(started?.type === 'tool.started' && started.permission.source === 'approved by user');
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(toolResultIds(fake.requests[1]), ['call_w']);
      assert.ok(!lastToolResult(fake.requests[1])?.isError);
      const opened = h1.of(s.id).find((e) => e.type === 'turn.started');
      const done = h2.of(s.id).find((e) => e.type === 'turn.completed');
      assert.ok(opened?.type === 'turn.started' && done?.type === 'turn.completed');
      assert.equal(done.turnId, opened.turnId, 'the same turn carried on');
      assert.equal(done.rounds, 2);
      const snap = h2.manager.get(s.id);
      assert.equal(snap?.state, 'idle');
      assert.equal(snap?.pendingApprovals.length, 0);
      assert.deepEqual((await h2.manager.transcript(s.id)).entries.map((e) => e.kind), ['user', 'assistant', 'tool', 'assistant']);
      await h2.close();
    });
  }

  void test('deny with a reason after the reload: the model receives the reason, nothing is written', async () => {
    fake.reset();
    fake.enqueue(write('notes/b.txt', 'nope\n', 'call_b'));
    echoResults();
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'denied' });
    await h1.manager.send(s.id, 'write b');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.close();

    const h2 = await open(p);
    await h2.manager.resolveApproval(s.id, req.approval.id, { decision: 'deny', reason: 'put it in docs/ instead' });
    await h2.manager.whenIdle(s.id);
    assert.equal(await readMaybe(join(p.ws, 'notes/b.txt')), undefined);
    assert.ok(!h2.of(s.id).some((e) => e.type === 'tool.started'));
    const told = lastToolResult(fake.requests[1]);
    assert.equal(told?.toolCallId, 'call_b');
    assert.match(told?.content ?? '', /denied.*put it in docs\/ instead/);
    assert.ok(h2.of(s.id).some((e) => e.type === 'turn.completed'));
    assert.equal(h2.manager.get(s.id)?.state, 'idle');
    await h2.close();
  });

  void test('several calls in one message across two reloads: the done one is kept, the rest run or ask as usual', async () => {
    fake.reset();
    fake.enqueue(script.of(
      write('one.txt', '1\n', 'call_1'),
      script.toolCall('echo', { text: 'between' }, { id: 'call_echo' }),
      write('two.txt', '2\n', 'call_2'),
    ));
    echoResults();
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'three calls' });
    await h1.manager.send(s.id, 'write two files');
    const first = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    assert.equal(first.approval.callId, 'call_1');
    await h1.close();

    const h2 = await open(p);
    await h2.manager.resolveApproval(s.id, first.approval.id, { decision: 'approve' });
    // The echo call (read: allowed) runs without asking; the second write asks, through the engine.
    const second = await h2.waitFor('approval.requested', (e) => e.sessionId === s.id);
    assert.equal(second.approval.callId, 'call_2');
    assert.equal(await readMaybe(join(p.ws, 'one.txt')), '1\n');
    const echo = h2.of(s.id).find((e) => e.type === 'tool.completed' && e.callId === 'call_echo');
    assert.ok(echo?.type === 'tool.completed' && echo.content === 'echo:between' && echo.permission?.decision === 'allow');
    assert.equal(fake.requests.length, 1, 'no model request in between');
    await h2.close();

    const h3 = await open(p);
    const snap = h3.manager.get(s.id);
    assert.deepEqual(snap?.pendingApprovals.map((a) => a.callId), ['call_2']);
    await h3.manager.resolveApproval(s.id, second.approval.id, { decision: 'approve' });
    await h3.manager.whenIdle(s.id);
    assert.equal(await readMaybe(join(p.ws, 'two.txt')), '2\n');
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(toolResultIds(fake.requests[1]), ['call_1', 'call_echo', 'call_2']);
    assert.equal(h3.of(s.id).filter((e) => e.type === 'tool.completed').length, 1, 'only call_2 ran in this window');
    assert.equal(h3.manager.get(s.id)?.state, 'idle');
    await h3.close();
  });

  void test('cancel of a restored turn works like a live cancel; the next prompt works', async () => {
    fake.reset();
    fake.enqueue(script.of(write('c.txt', 'c\n', 'call_c'), script.toolCall('echo', { text: 'never' }, { id: 'call_never' })));
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'cancelled' });
    await h1.manager.send(s.id, 'write c');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.close();

    const h2 = await open(p);
    await h2.manager.cancel(s.id);
    const resolved = h2.of(s.id).find((e) => e.type === 'approval.resolved');
    assert.ok(resolved?.type === 'approval.resolved' && resolved.resolution.by === 'cancel');
    const cancelled = h2.of(s.id).find((e) => e.type === 'turn.cancelled');
    assert.ok(cancelled?.type === 'turn.cancelled');
    assert.deepEqual(cancelled.interruptedCallIds, ['call_c', 'call_never']);
    assert.equal(h2.manager.get(s.id)?.state, 'idle');
    assert.equal(h2.manager.get(s.id)?.pendingApprovals.length, 0);
    await assert.rejects(h2.manager.resolveApproval(s.id, req.approval.id, { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.equal(await readMaybe(join(p.ws, 'c.txt')), undefined);

    fake.setResponder(() => script.text('fresh start'));
    await h2.manager.send(s.id, 'something else');
    await h2.manager.whenIdle(s.id);
    assert.deepEqual(toolResultIds(fake.requests.at(-1)), ['call_c', 'call_never'], 'history stays valid for the provider');
    assert.equal(h2.manager.get(s.id)?.state, 'idle');
    await h2.close();
  });

  void test('crash (no dispose): streaming and running tools come back interrupted; a waiting approval comes back', async () => {
    fake.reset();
    const p = await place();
    const h1 = await open(p);
    fake.enqueue(write('w.txt', 'w\n', 'call_wait'));
    const waiting = await h1.manager.create({ title: 'waiting' });
    await h1.manager.send(waiting.id, 'write w');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === waiting.id);
    fake.enqueue(script.of(script.text('half a poem'), script.stall()));
    const streaming = await h1.manager.create({ title: 'streaming' });
    await h1.manager.send(streaming.id, 'a poem');
    await h1.waitFor('message.delta', (e) => e.sessionId === streaming.id);
    fake.enqueue(script.toolCall('slow', { ms: 60_000 }, { id: 'call_slow' }));
    const working = await h1.manager.create({ title: 'working' });
    await h1.manager.send(working.id, 'slow work');
    await h1.waitFor('tool.started', (e) => e.sessionId === working.id);
    await h1.store.flush();
    const crashed: Place = { storeDir: join(p.storeDir, '..', 'crashed-store'), ws: p.ws };
    await cp(p.storeDir, crashed.storeDir, { recursive: true }); // what the disk holds at the crash
    await h1.close(); // the crashed process is gone: its log locks are stale from now on

    const h2 = await open(crashed);
    for (const id of [streaming.id, working.id]) {
      assert.equal((await h2.manager.open(id)).state, 'idle');
      assert.ok((await h2.manager.eventsSince(id, 0)).some((e) => e.type === 'turn.interrupted'));
    }
    const slow = (await h2.manager.eventsSince(working.id, 0)).find((e) => e.type === 'tool.completed');
    assert.ok(slow?.type === 'tool.completed' && slow.interrupted === true && slow.callId === 'call_slow');
    const poem = await h2.manager.transcript(streaming.id);
    assert.deepEqual(poem.entries.map((e) => e.kind), ['user', 'assistant', 'marker'], 'the partial answer is kept, and the interruption marked');
    const w = await h2.manager.open(waiting.id);
    assert.equal(w.state, 'awaiting_approval');
    assert.deepEqual(w.pendingApprovals, [req.approval]);
    assert.ok(!(await h2.manager.eventsSince(waiting.id, 0)).some((e) => e.type === 'turn.interrupted'));
    echoResults();
    await h2.manager.resolveApproval(waiting.id, req.approval.id, { decision: 'approve' });
    await h2.manager.whenIdle(waiting.id);
    assert.equal(await readMaybe(join(p.ws, 'w.txt')), 'w\n');
    await h2.close();
  });

  void test('the approval timeout restarts after the restore', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('cmd', { text: 'npm test' }, { id: 'call_t' }));
    echoResults();
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'timeout', config: { approvalTimeoutMs: 400 } });
    await h1.manager.send(s.id, 'run tests');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.close();
    await new Promise((r) => setTimeout(r, 500)); // longer than the timeout: only a restarted timer can fire now

    const t0 = Date.now();
    const h2 = await open(p);
    assert.equal(h2.manager.get(s.id)?.state, 'awaiting_approval', 'not expired by wall-clock time');
    const resolved = await h2.waitFor('approval.resolved', (e) => e.sessionId === s.id);
    const waited = Date.now() - t0;
    assert.equal(resolved.approvalId, req.approval.id);
    assert.equal(resolved.resolution.by, 'timeout');
    assert.ok(waited >= 350, `timed out ${waited} ms after the restore`);
    await h2.manager.whenIdle(s.id);
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /timed out/);
    assert.equal(h2.manager.get(s.id)?.state, 'idle');
    await h2.close();
  });

  void test('a restored approval whose tool is gone is resolved as interrupted with a clear message', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('cmd', { text: 'make' }, { id: 'call_gone' }));
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'gone' });
    await h1.manager.send(s.id, 'make');
    await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.close();

    const h2 = await open(p, { withoutCmd: true });
    const snap = await h2.manager.open(s.id);
    assert.equal(snap.state, 'idle');
    assert.equal(snap.pendingApprovals.length, 0);
    const events = await h2.manager.eventsSince(s.id, 0);
    const warning = events.find((e) => e.type === 'warning');
    assert.ok(warning?.type === 'warning' && warning.code === 'approval_not_restored');
    assert.match(warning.message, /cmd .*no longer available.*interrupted/);
    const resolved = events.find((e) => e.type === 'approval.resolved');
    assert.ok(resolved?.type === 'approval.resolved' && resolved.resolution.by === 'interrupted');
    assert.match(resolved.resolution.reason ?? '', /no longer available/);
    assert.ok(events.some((e) => e.type === 'turn.interrupted'));
    await h2.close();
  });

  void test('an MCP tool not connected yet at the restore stays pending; answered once it is there, it runs', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('mcp__srv__deploy', {}, { id: 'call_mcp' }));
    echoResults();
    const p = await place();
    const h1 = await open(p, { mcpTools: [mcpTool('mcp__srv__deploy')] });
    const s = await h1.manager.create({ title: 'mcp' });
    await h1.manager.send(s.id, 'deploy');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.close();

    const connected: AnyTool[] = []; // the server is still starting
    const h2 = await open(p, { mcpTools: connected });
    assert.equal((await h2.manager.open(s.id)).state, 'awaiting_approval');
    connected.push(mcpTool('mcp__srv__deploy'));
    await h2.manager.resolveApproval(s.id, req.approval.id, { decision: 'approve' });
    await h2.manager.whenIdle(s.id);
    assert.equal(lastToolResult(fake.requests[1])?.content, 'mcp__srv__deploy ran');
    await h2.close();
  });

  void test('a child waiting for approval does not outlive its parent\'s spawn_session call: both come back closed', async () => {
    fake.reset();
    fake.setResponder((req) => {
      if (req.rawBody.includes('You are a child session')) return script.toolCall('cmd', { text: 'make' }, { id: 'call_child' });
      return lastToolResult(req) ? script.text('parent done') : script.toolCall('spawn_session', { goal: 'run make', title: 'Runner' }, { id: 'call_spawn' });
    });
    const p = await place();
    const h1 = await open(p);
    const parent = await h1.manager.create({ title: 'Boss' });
    await h1.manager.send(parent.id, 'delegate');
    const asked = await h1.waitFor('approval.requested', (e) => e.sessionId !== parent.id);
    await h1.close();

    const h2 = await open(p);
    const child = await h2.manager.open(asked.sessionId);
    assert.equal(child.state, 'idle');
    assert.equal(child.pendingApprovals.length, 0);
    const childEnd = (await h2.manager.eventsSince(child.id, 0)).filter((e) => e.type === 'turn.cancelled' || e.type === 'turn.interrupted');
    assert.equal(childEnd.length, 1, 'the child turn was closed once');
    const boss = await h2.manager.open(parent.id);
    assert.equal(boss.state, 'idle');
    assert.equal(boss.children?.[0].status, 'cancelled');
    assert.ok((await h2.manager.eventsSince(parent.id, 0)).some((e) => e.type === 'turn.interrupted'));
    await assert.rejects(h2.manager.resolveApproval(child.id, asked.approval.id, { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    await h2.close();
  });

  void test('a paused turn waiting for approval comes back paused; approve + resume finishes it', async () => {
    fake.reset();
    fake.enqueue(write('p.txt', 'p\n', 'call_p'));
    echoResults();
    const p = await place();
    const h1 = await open(p);
    const s = await h1.manager.create({ title: 'paused' });
    await h1.manager.send(s.id, 'write p');
    const req = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.manager.pause(s.id);
    await h1.close();

    const h2 = await open(p);
    assert.equal(h2.manager.get(s.id)?.state, 'paused');
    assert.equal(h2.manager.get(s.id)?.pendingApprovals.length, 1);
    await h2.manager.resolveApproval(s.id, req.approval.id, { decision: 'approve' });
    await h2.waitFor('approval.resolved', (e) => e.sessionId === s.id);
    assert.ok(!h2.of(s.id).some((e) => e.type === 'tool.started'), 'held by the pause');
    await h2.manager.resume(s.id);
    await h2.manager.whenIdle(s.id);
    assert.equal(await readMaybe(join(p.ws, 'p.txt')), 'p\n');
    assert.ok(h2.of(s.id).some((e) => e.type === 'turn.completed'));
    await h2.close();
  });
});
