import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, lastUserText, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';

const isCode = (code: string) => (e: unknown): boolean => e instanceof AgentError && e.code === code;

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(): Promise<Harness> {
  fake.reset();
  return startHarness({ fake });
}

const isSide = (req: RecordedRequest): boolean => req.rawBody.includes('You answer a side question');

void describe('side question ("btw")', () => {
  void test('answers from the history and state without recording anything', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSide(req) ? script.text('It printed the version, 1.2.3.', 4) : lastToolResult(req) ? script.text('The version is 1.2.3.') : script.toolCall('echo', { text: 'v1.2.3' })));
    const s = await h.manager.create({ title: 'Versions' });
    await h.manager.send(s.id, 'what version is it?');
    await h.manager.whenIdle(s.id);
    const before = h.manager.get(s.id);
    const eventsBefore = h.of(s.id).length;
    const stored = (await h.store.load(s.id)).events.length;
    const deltas: string[] = [];
    const { answer } = await h.manager.ask(s.id, 'what did the echo tool return?', { onDelta: (t) => deltas.push(t) });
    assert.equal(answer, 'It printed the version, 1.2.3.');
    assert.equal(deltas.join(''), answer);
    assert.ok(deltas.length > 1, 'streamed');
    // Nothing changed: seq, events (live and stored), snapshot.
    assert.equal(h.of(s.id).length, eventsBefore);
    assert.deepEqual(h.manager.get(s.id), before);
    await h.store.flush(s.id);
    assert.equal((await h.store.load(s.id)).events.length, stored);
    // The side request: same provider/model, no tools, history and state inside, the question last.
    const req = fake.requests.find(isSide);
    assert.ok(req);
    assert.equal(req.body?.model, before?.config.model);
    assert.deepEqual(toolNames(req), []);
    const body = JSON.stringify(req.body);
    assert.match(body, /what version is it\?/);
    assert.match(body, /echo:v1\.2\.3/);
    assert.match(body, /State: idle/);
    assert.match(body, /what did the echo tool return\?/);
    await h.close();
  });

  void test('works while a turn runs and sees its runtime state (approvals, queue, tasks)', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSide(req) ? script.text('It waits for your approval of cmd.') : lastToolResult(req) || lastUserText(req) !== 'build it' ? script.text('ok') : script.of(
      script.toolCall('update_tasks', { tasks: [{ id: '1', title: 'Build the thing', status: 'in_progress' }] }),
      script.toolCall('cmd', { text: 'make build' }),
    )));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'build it');
    await h.manager.send(s.id, 'then test it');
    await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
    const seq = h.manager.get(s.id)?.lastSeq;
    const { answer } = await h.manager.ask(s.id, 'what is it waiting for?');
    assert.equal(answer, 'It waits for your approval of cmd.');
    assert.equal(h.manager.get(s.id)?.lastSeq, seq, 'seq unchanged while running');
    const body = JSON.stringify(fake.requests.find(isSide)?.body);
    assert.match(body, /State: awaiting_approval/);
    assert.match(body, /Pending approvals:\\n- cmd: /);
    assert.match(body, /Queued prompts:\\n- then test it/);
    assert.match(body, /\[in_progress\] Build the thing/);
    // The turn carries on; the question never enters the session's history.
    const ap = h.manager.get(s.id)?.pendingApprovals[0];
    await h.manager.resolveApproval(s.id, ap?.id ?? '', { decision: 'approve' });
    await h.manager.whenIdle(s.id);
    const all = JSON.stringify(await h.manager.transcript(s.id));
    assert.doesNotMatch(all, /what is it waiting for/);
    assert.ok(fake.requests.filter((r) => !isSide(r)).every((r) => !r.rawBody.includes('what is it waiting for')));
    await h.close();
  });

  void test('empty questions are refused; unknown sessions are not_found; abort cancels', async () => {
    const h = await harness();
    const s = await h.manager.create();
    await assert.rejects(h.manager.ask(s.id, ''), (e: unknown) => isCode('bad_request')(e) && /side question is empty/.test((e as Error).message));
    await assert.rejects(h.manager.ask(s.id, '   \n'), isCode('bad_request'));
    await assert.rejects(h.manager.ask('s_nope', 'hi'), isCode('not_found'));
    fake.setResponder(() => script.of(script.text('slow'), script.stall()));
    const ac = new AbortController();
    const p = h.manager.ask(s.id, 'anything?', { signal: ac.signal });
    await fake.waitForRequests(1);
    ac.abort();
    await assert.rejects(p, isCode('cancelled'));
    assert.deepEqual(h.of(s.id).map((e) => e.type), ['session.created'], 'nothing recorded');
    await h.close();
  });
});
