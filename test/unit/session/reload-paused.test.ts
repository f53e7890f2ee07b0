// Window reload with a paused turn: a turn paused at a boundary (no stream in flight, no tool
// running) is left open by dispose and comes back paused; resume carries it on. A restored turn
// keeps the config it started with (a model switch meanwhile applies to the next turn).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import type { SessionManagerDeps } from '../../../src/core/session/manager';

let fake: FakeLlm;
let root: string;
let n = 0;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-reload-paused-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A fresh store directory; `open(dir)` is one "window" on it. */
const place = (): string => join(root, `case-${++n}`);
const open = (dir: string, deps: Partial<SessionManagerDeps> = {}): Promise<Harness> =>
  startHarness({ fake, store: new JsonlSessionStore({ directory: dir }), deps });

/** Answers every request after the scripted ones with "saw: <last tool result>". */
function echoResults(): void {
  fake.setResponder((req) => script.text(`saw: ${lastToolResult(req)?.content ?? 'nothing'}`));
}

/** Tool results a request carried (OpenAI format), by call id. */
function toolResults(req: RecordedRequest | undefined): Record<string, string> {
  const msgs = (req?.body?.messages ?? []) as Array<{ role: string; tool_call_id?: string; content?: unknown }>;
  return Object.fromEntries(msgs.filter((m) => m.role === 'tool').map((m) => [String(m.tool_call_id), String(m.content)]));
}

void describe('window reload with a paused turn', () => {
  void test('paused between rounds → dispose → new manager: comes back paused; resume sends the next request and completes the same turn', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('slow', { ms: 200 }, { id: 'call_slow' }));
    echoResults();
    const dir = place();
    const h1 = await open(dir);
    const s = await h1.manager.create({ title: 'paused between rounds' });
    await h1.manager.send(s.id, 'do the slow thing');
    await h1.waitFor('tool.started', (e) => e.sessionId === s.id);
    await h1.manager.pause(s.id);
    await h1.waitFor('tool.completed', (e) => e.sessionId === s.id); // the running tool finishes; the next request holds
    assert.equal(h1.manager.get(s.id)?.state, 'paused');
    await h1.close();
    assert.ok(!h1.events.some((e) => e.type === 'turn.interrupted' || e.type === 'turn.cancelled'), 'dispose left the turn open');
    assert.equal(fake.requests.length, 1);

    const h2 = await open(dir);
    assert.equal(h2.manager.list().find((r) => r.id === s.id)?.state, 'paused');
    const back = await h2.manager.open(s.id);
    assert.equal(back.state, 'paused');
    assert.deepEqual((await h2.manager.transcript(s.id)).entries.map((e) => e.kind), ['user', 'tool'], 'the answer was only a tool call');
    await delay(100);
    assert.equal(fake.requests.length, 1, 'still held after the restore');

    await h2.manager.resume(s.id);
    const done = await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    const opened = h1.of(s.id).find((e) => e.type === 'turn.started');
    assert.ok(opened?.type === 'turn.started');
    assert.equal(done.turnId, opened.turnId, 'the same turn carried on');
    assert.equal(done.rounds, 2);
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(toolResults(fake.requests[1]), { call_slow: 'slow done' });
    assert.equal(h2.manager.get(s.id)?.state, 'idle');
    await h2.close();
  });

  void test('paused before the first request (pause lands while the turn loads its rules): comes back paused; resume makes request 1', async () => {
    fake.reset();
    fake.setResponder(() => script.text('first answer'));
    const dir = place();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const rules = { load: async () => { await gate; return []; } };
    const h1 = await open(dir, { rules });
    const s = await h1.manager.create();
    await h1.manager.send(s.id, 'hello');
    await h1.manager.pause(s.id); // the runner is still in its rules load: no request yet
    release();
    await h1.waitFor('knowledge.loaded', (e) => e.sessionId === s.id);
    await delay(50);
    assert.equal(fake.requests.length, 0);
    await h1.close();
    assert.ok(!h1.events.some((e) => e.type === 'turn.interrupted'));

    const h2 = await open(dir, { rules: { load: async () => [] } });
    assert.equal((await h2.manager.open(s.id)).state, 'paused');
    await h2.manager.resume(s.id);
    const done = await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.rounds, 1);
    assert.equal(fake.requests.length, 1);
    assert.deepEqual((await h2.manager.transcript(s.id)).entries.map((e) => e.kind), ['user', 'assistant']);
    await h2.close();
  });

  void test('paused before the remaining calls of a message: after the reload resume runs them (asking as usual) and the turn completes', async () => {
    fake.reset();
    fake.enqueue(script.of(
      script.toolCall('slow', { ms: 200 }, { id: 'call_1' }),
      script.toolCall('echo', { text: 'two' }, { id: 'call_2' }),
      script.toolCall('cmd', { text: 'three' }, { id: 'call_3' }),
    ));
    echoResults();
    const dir = place();
    const h1 = await open(dir);
    const s = await h1.manager.create();
    await h1.manager.send(s.id, 'three calls');
    await h1.waitFor('tool.started', (e) => e.sessionId === s.id);
    await h1.manager.pause(s.id);
    await h1.waitFor('tool.requested', (e) => e.callId === 'call_2'); // held at the gate before it runs
    await h1.close();

    const h2 = await open(dir);
    assert.equal(h2.manager.get(s.id)?.state, 'paused');
    await h2.manager.resume(s.id);
    const asked = await h2.waitFor('approval.requested', (e) => e.sessionId === s.id);
    assert.equal(asked.approval.callId, 'call_3', 'cmd still asks (mode ask)');
    await h2.manager.resolveApproval(s.id, asked.approval.id, { decision: 'approve' });
    await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.deepEqual(toolResults(fake.requests[1]), { call_1: 'slow done', call_2: 'echo:two', call_3: 'ran three' });
    const log = (await h2.store.load(s.id)).events;
    assert.equal(log.filter((e) => e.type === 'tool.requested' && e.callId === 'call_2').length, 1, 'tool.requested not recorded twice');
    assert.equal(log.filter((e) => e.type === 'tool.completed').length, 3);
    await h2.close();
  });

  void test('approved but held by the pause: after the reload resume runs it without asking again', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('cmd', { text: 'deploy' }, { id: 'call_cmd' }));
    echoResults();
    const dir = place();
    const h1 = await open(dir);
    const s = await h1.manager.create();
    await h1.manager.send(s.id, 'deploy');
    const asked = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.manager.pause(s.id);
    await h1.manager.resolveApproval(s.id, asked.approval.id, { decision: 'approve' });
    await h1.waitFor('approval.resolved', (e) => e.sessionId === s.id);
    assert.ok(!h1.of(s.id).some((e) => e.type === 'tool.started'), 'held by the pause');
    await h1.close();

    const h2 = await open(dir);
    const back = h2.manager.get(s.id);
    assert.equal(back?.state, 'paused');
    assert.equal(back?.pendingApprovals.length, 0);
    await h2.manager.resume(s.id);
    await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.ok(!h2.of(s.id).some((e) => e.type === 'approval.requested'), 'not asked again');
    const started = h2.of(s.id).find((e) => e.type === 'tool.started');
    assert.ok(started?.type === 'tool.started' && started.permission.source === 'approved by user');
    assert.deepEqual(toolResults(fake.requests[1]), { call_cmd: 'ran deploy' });
    await h2.close();
  });

  void test('a paused turn with a tool still running at dispose is interrupted, as before', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('slow', { ms: 5_000 }, { id: 'call_long' }));
    echoResults();
    const dir = place();
    const h1 = await open(dir);
    const s = await h1.manager.create();
    await h1.manager.send(s.id, 'long');
    await h1.waitFor('tool.started', (e) => e.sessionId === s.id);
    await h1.manager.pause(s.id);
    await h1.close();
    assert.ok(h1.events.some((e) => e.type === 'turn.interrupted'));
    const h2 = await open(dir);
    assert.equal((await h2.manager.open(s.id)).state, 'idle');
    await h2.close();
  });

  void test('a restored turn keeps the model it started with; a switch made while it waited applies to the next turn', async () => {
    fake.reset();
    fake.enqueue(script.toolCall('cmd', { text: 'x' }, { id: 'call_x' }));
    echoResults();
    const dir = place();
    const h1 = await open(dir);
    const s = await h1.manager.create({ config: { model: 'model-a' } });
    await h1.manager.send(s.id, 'go');
    const asked = await h1.waitFor('approval.requested', (e) => e.sessionId === s.id);
    await h1.manager.updateConfig(s.id, { model: 'model-b', maxToolRounds: 1 }); // while the turn waits
    await h1.close();

    const h2 = await open(dir);
    assert.equal(h2.manager.get(s.id)?.config.model, 'model-b', 'the session shows the switch');
    await h2.manager.resolveApproval(s.id, asked.approval.id, { decision: 'approve' });
    const done = await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.stopReason, 'end_turn', 'the turn kept its own round limit (50), not the new 1');
    assert.deepEqual(fake.requests.map((r) => r.body?.model), ['model-a', 'model-a']);

    await h2.manager.updateConfig(s.id, { maxToolRounds: 50 });
    await h2.manager.send(s.id, 'next');
    await h2.manager.whenIdle(s.id);
    assert.equal(fake.requests.at(-1)?.body?.model, 'model-b', 'the next turn uses the switch');
    await h2.close();
  });
});
