// Pause cascade: pausing a parent pauses its running children; its resume lifts only the pauses
// the cascade made (a child paused on its own stays paused).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const isChild = (req: RecordedRequest): boolean => req.rawBody.includes('You are a child session');
const childRequests = (): number => fake.requests.filter(isChild).length;

/**
 * Parent: spawn one child, then "parent done". Child: a slow tool (so a pause lands while it runs),
 * then "child done".
 */
async function start(): Promise<{ h: Harness; parentId: string; childId: string }> {
  fake.reset();
  fake.setResponder((req) => {
    if (isChild(req)) return lastToolResult(req) ? script.text('child done') : script.toolCall('slow', { ms: 300 });
    return lastToolResult(req) ? script.text('parent done') : script.toolCall('spawn_session', { goal: 'slow job', title: 'Kid' });
  });
  const h = await startHarness({ fake });
  const parent = await h.manager.create({ title: 'Boss' });
  await h.manager.send(parent.id, 'delegate');
  const started = await h.waitFor('tool.started', (e) => e.sessionId !== parent.id);
  return { h, parentId: parent.id, childId: started.sessionId };
}

/** The child's slow tool has finished and the child made no further request: it holds. */
async function assertHeld(h: Harness, childId: string): Promise<void> {
  await h.waitFor('tool.completed', (e) => e.sessionId === childId);
  await delay(150);
  assert.equal(childRequests(), 1, 'no model request while paused');
  assert.equal(h.manager.get(childId)?.state, 'paused');
}

void describe('pause cascade to child sessions', () => {
  void test('pausing the parent pauses its running child; resuming the parent resumes it and both turns finish', async () => {
    const { h, parentId, childId } = await start();
    await h.manager.pause(parentId);
    assert.equal(h.manager.get(parentId)?.state, 'paused');
    assert.equal(h.manager.get(childId)?.state, 'paused');
    await assertHeld(h, childId);

    await h.manager.resume(parentId);
    await h.waitFor('turn.completed', (e) => e.sessionId === childId);
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === parentId);
    assert.equal(done.stopReason, 'end_turn');
    assert.equal(childRequests(), 2);
    const types = h.of(childId).map((e) => e.type);
    assert.ok(types.indexOf('session.paused') < types.indexOf('session.resumed'));
    const result = h.of(parentId).find((e) => e.type === 'tool.completed');
    assert.ok(result?.type === 'tool.completed' && /finished:\n\nchild done/.test(result.content), 'the child answer reached the parent');
    await h.close();
  });

  void test('a child paused on its own is not resumed by the parent\'s resume', async () => {
    const { h, parentId, childId } = await start();
    await h.manager.pause(childId);
    await h.manager.pause(parentId);
    await h.manager.resume(parentId);
    assert.equal(h.manager.get(parentId)?.state, 'running');
    await assertHeld(h, childId);
    assert.equal(h.of(childId).filter((e) => e.type === 'session.resumed').length, 0);

    await h.manager.resume(childId);
    await h.waitFor('turn.completed', (e) => e.sessionId === parentId);
    assert.equal(h.manager.get(childId)?.state, 'idle');
    await h.close();
  });

  void test('a child paused by the cascade and then paused itself stays paused after the parent\'s resume', async () => {
    const { h, parentId, childId } = await start();
    await h.manager.pause(parentId);
    await h.manager.pause(childId); // the user holds this one on purpose now
    await h.manager.resume(parentId);
    await assertHeld(h, childId);
    await h.manager.resume(childId);
    await h.waitFor('turn.completed', (e) => e.sessionId === parentId);
    await h.close();
  });
});
