import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, lastUserText, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';
import type { Script } from '../../fake-llm/script';

const isCode = (code: string) => (e: unknown): boolean => e instanceof AgentError && e.code === code;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(deps = {}): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps });
}

const isChild = (req: RecordedRequest): boolean => req.rawBody.includes('You are a child session');
const bodyText = (req: RecordedRequest): string => JSON.stringify(req.body?.messages ?? []);

/**
 * Parent: first request → `first` (spawn calls); after tool results → "parent got: <results>".
 * Child: `child(req)`.
 */
function respond(first: Script, child: (req: RecordedRequest) => Script): void {
  fake.setResponder((req) => {
    if (isChild(req)) return child(req);
    if (lastToolResult(req)) return script.text('parent done');
    return first;
  });
}

void describe('child sessions (spawn_session)', () => {
  void test('two children run at once; each answer returns to the parent as its tool result', async () => {
    const h = await harness();
    respond(
      script.of(
        script.toolCall('spawn_session', { goal: 'count apples', title: 'Apples', allowedTools: ['echo'] }),
        script.toolCall('spawn_session', { goal: 'count pears', title: 'Pears' }),
      ),
      (req) => script.paced(script.of(script.text(`answer for ${lastUserText(req)}: 42`, 6), script.usage(200, 20)), 30),
    );
    const parent = await h.manager.create({ title: 'Fruit' });
    await h.manager.send(parent.id, 'count the fruit');
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);

    const started = h.of(parent.id).filter((e) => e.type === 'child.started');
    assert.equal(started.length, 2);
    const [a, b] = started.map((e) => (e.type === 'child.started' ? e.childId : ''));
    // Both children streamed before either finished: concurrent.
    const idx = (id: string, type: string): number => h.events.findIndex((e) => e.sessionId === id && e.type === type);
    assert.ok(idx(b, 'message.delta') < idx(a, 'turn.completed'));
    assert.ok(idx(a, 'message.delta') < idx(b, 'turn.completed'));

    // The parent's follow-up request carries both answers as tool results.
    const parentReqs = fake.requests.filter((r) => !isChild(r));
    assert.equal(parentReqs.length, 2);
    const followUp = bodyText(parentReqs[1]);
    assert.match(followUp, /answer for count apples: 42/);
    assert.match(followUp, /answer for count pears: 42/);
    const results = h.of(parent.id).filter((e) => e.type === 'tool.completed');
    assert.equal(results.length, 2);
    for (const r of results) assert.ok(r.type === 'tool.completed' && !r.isError && /finished:/.test(r.content));

    // First-class children: parentId, own log and cost, listed under the parent, narrowed tools.
    const ca = await h.manager.open(a);
    const cb = await h.manager.open(b);
    assert.equal(ca.parentId, parent.id);
    assert.equal(ca.title, 'Apples');
    assert.equal(ca.totals.inputTokens, 200);
    assert.deepEqual(ca.config.allowedTools, ['echo']);
    assert.ok(!cb.config.allowedTools?.includes('spawn_session'), 'children cannot spawn grandchildren');
    assert.equal(ca.config.model, parent.config.model);
    assert.equal(ca.config.mode, parent.config.mode);
    const childReqA = fake.requests.find((r) => isChild(r) && lastUserText(r) === 'count apples');
    assert.ok(childReqA);
    assert.deepEqual(toolNames(childReqA), ['echo']);
    const snap = h.manager.get(parent.id);
    assert.deepEqual(snap?.children?.map((c) => [c.id, c.status]), [[a, 'completed'], [b, 'completed']]);
    assert.deepEqual(h.manager.list().filter((r) => r.parentId === parent.id).map((r) => r.id).sort(), [a, b].sort());
    await h.close();
  });

  void test('limits end a child cleanly with a report for the parent (rounds and tokens)', async () => {
    const h = await harness();
    let n = 0;
    respond(
      script.of(
        script.toolCall('spawn_session', { goal: 'loop rounds', title: 'Rounds', maxRounds: 2 }),
        script.toolCall('spawn_session', { goal: 'loop tokens', title: 'Tokens', maxTokens: 1_000 }),
      ),
      () => script.of(script.text(`step ${++n}`), script.toolCall('echo', { text: 'again' }), script.usage(900, 200)),
    );
    const parent = await h.manager.create();
    await h.manager.send(parent.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);
    const results = h.of(parent.id).filter((e) => e.type === 'tool.completed').map((e) => (e.type === 'tool.completed' ? e.content : ''));
    const rounds = results.find((c) => c.includes('"Rounds"'));
    const tokens = results.find((c) => c.includes('"Tokens"'));
    assert.match(rounds ?? '', /stopped at its limit of 2 model requests before it finished\. Its last output:\n\nstep \d/);
    assert.match(tokens ?? '', /stopped at its budget of 1000 tokens \(used 1100\)/);
    const children = h.manager.get(parent.id)?.children ?? [];
    assert.deepEqual(children.map((c) => c.status), ['limit', 'limit']);
    const tokenChild = children.find((c) => c.title === 'Tokens');
    const done = h.of(tokenChild?.id ?? '').find((e) => e.type === 'turn.completed');
    assert.ok(done?.type === 'turn.completed' && done.stopReason === 'limit' && done.rounds === 1);
    // The history stays valid: every tool call of the child has its result.
    const childHistory = (await h.manager.transcript(tokenChild?.id ?? '')).entries;
    assert.deepEqual(childHistory.map((m) => m.kind), ['user', 'assistant', 'tool', 'marker'], 'the limit is marked');
    await h.close();
  });

  void test('cancelling the parent cancels its running children; nothing is recorded after', async () => {
    const h = await harness();
    respond(
      script.of(script.toolCall('spawn_session', { goal: 'stall one' }), script.toolCall('spawn_session', { goal: 'stall two' })),
      () => script.of(script.text('thinking about it'), script.stall()),
    );
    const parent = await h.manager.create();
    await h.manager.send(parent.id, 'go');
    const deltas = new Set<string>();
    await h.waitFor('message.delta', (e) => { if (e.sessionId !== parent.id) deltas.add(e.sessionId); return deltas.size === 2; });
    const kids = h.manager.list().filter((r) => r.parentId === parent.id).map((r) => r.id);
    assert.equal(kids.length, 2);
    await h.manager.cancel(parent.id);
    for (const id of [parent.id, ...kids]) {
      assert.equal(h.manager.get(id)?.state, 'idle');
      assert.ok(h.of(id).some((e) => e.type === 'turn.cancelled'), `${id} cancelled`);
    }
    const counts = [parent.id, ...kids].map((id) => h.of(id).length);
    await delay(150);
    assert.deepEqual([parent.id, ...kids].map((id) => h.of(id).length), counts, 'no events after the cancel');
    for (const id of kids) {
      const last = h.of(id).at(-1);
      assert.equal(last?.type, 'turn.cancelled');
    }
    assert.deepEqual(h.manager.get(parent.id)?.children?.map((c) => c.status), ['cancelled', 'cancelled']);
    await h.close();
  });

  void test('an approval in a child carries its label, is answered in the child only, and the result reaches the parent', async () => {
    const h = await harness();
    respond(
      script.toolCall('spawn_session', { goal: 'run the command', title: 'Runner' }),
      (req) => (lastToolResult(req) ? script.text(`child saw ${lastToolResult(req)?.content}`) : script.toolCall('cmd', { text: 'make' })),
    );
    const parent = await h.manager.create({ title: 'Boss' });
    await h.manager.send(parent.id, 'delegate');
    const asked = await h.waitFor('approval.requested', (e) => e.sessionId !== parent.id);
    const childId = asked.sessionId;
    assert.equal(asked.approval.label, 'child Runner of Boss');
    assert.equal(asked.approval.sessionId, childId);
    assert.equal(h.manager.get(childId)?.state, 'awaiting_approval');
    assert.equal(h.manager.get(parent.id)?.pendingApprovals.length, 0, 'the parent does not hold the child\'s approval');
    await assert.rejects(h.manager.resolveApproval(parent.id, asked.approval.id, { decision: 'approve' }), isCode('not_found'));
    await h.manager.resolveApproval(childId, asked.approval.id, { decision: 'approve' });
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);
    const res = h.of(parent.id).find((e) => e.type === 'tool.completed');
    assert.ok(res?.type === 'tool.completed');
    assert.match(res.content, /child saw ran make/);
    await h.close();
  });

  void test('deleting a parent: children deleted by default, or kept as top-level sessions', async () => {
    const h = await harness();
    respond(script.toolCall('spawn_session', { goal: 'small job' }), () => script.text('done'));
    const p1 = await h.manager.create();
    await h.manager.send(p1.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === p1.id);
    const kid1 = h.manager.get(p1.id)?.children?.[0]?.id ?? '';
    await h.manager.delete(p1.id, { children: 'keep' });
    assert.equal(h.manager.list().some((r) => r.id === p1.id), false);
    const kept = await h.manager.open(kid1);
    assert.equal(kept.parentId, undefined);
    assert.equal(h.manager.list().find((r) => r.id === kid1)?.parentId, undefined);

    const p2 = await h.manager.create();
    await h.manager.send(p2.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === p2.id);
    const kid2 = h.manager.get(p2.id)?.children?.[0]?.id ?? '';
    await h.manager.delete(p2.id);
    assert.equal(h.manager.list().some((r) => r.id === kid2 || r.id === p2.id), false);
    await assert.rejects(h.manager.open(kid2), isCode('not_found'));
    assert.equal(h.manager.list().some((r) => r.id === kid1), true, 'the kept child survives');
    await h.close();
  });

  void test('refusals are tool errors, never deadlocks: capacity, looser mode, tools the parent lacks', async () => {
    const h = await harness({ maxRunningSessions: 1 });
    respond(
      script.of(
        script.toolCall('spawn_session', { goal: 'needs a slot' }),
        script.toolCall('spawn_session', { goal: 'escalate', mode: 'full' }),
        script.toolCall('spawn_session', { goal: 'steal', allowedTools: ['rm_rf'] }),
      ),
      () => script.text('never'),
    );
    const parent = await h.manager.create();
    await h.manager.send(parent.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);
    const results = h.of(parent.id).filter((e) => e.type === 'tool.completed').map((e) => (e.type === 'tool.completed' ? [e.isError, e.content] : []));
    assert.equal(results.length, 3);
    assert.ok(results.every(([isError]) => isError === true));
    const text = results.map(([, c]) => c).join('\n');
    assert.match(text, /Cannot start a child session: 1 sessions are already running and the limit is 1/);
    assert.match(text, /cannot use mode "full", which is looser than this session's mode "ask"/);
    assert.match(text, /Not available: rm_rf/);
    assert.equal(fake.requests.filter(isChild).length, 0);
    assert.equal(h.manager.list().length, 1, 'no child was created');
    await h.close();
  });
});
