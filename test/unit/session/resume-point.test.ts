// findResumePoint on folded logs: which open turns a graceful dispose leaves open (and a restore
// continues) — waiting for an approval, or paused at a boundary — and which are interrupted.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent, SessionEventBody } from '../../../src/core/session/events';
import { foldEvents } from '../../../src/core/session/reducer';
import { findResumePoint } from '../../../src/core/session/resume';
import { BUILTIN_DEFAULTS } from '../../../src/core/session/config';

/** A log: session.created (model-a), turn.started, then `rest`. */
function log(rest: SessionEventBody[], parentId?: string): SessionEvent[] {
  const bodies: SessionEventBody[] = [
    { type: 'session.created', title: 't', config: { ...BUILTIN_DEFAULTS, model: 'model-a' }, ...(parentId ? { parentId } : {}) },
    { type: 'turn.started', turnId: 'T', promptId: 'p', messageId: 'u1', text: 'go' },
    ...rest,
  ];
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: i, sessionId: 's1' }) as SessionEvent);
}

const request = (round: number, calls: string[]): SessionEventBody[] => [
  { type: 'message.started', turnId: 'T', messageId: `m${round}`, round },
  { type: 'message.completed', turnId: 'T', messageId: `m${round}`, stopReason: 'tool_use', content: calls.map((id) => ({ type: 'tool_call', id, name: 'echo', args: {} })) },
];
const requested = (callId: string): SessionEventBody => ({ type: 'tool.requested', turnId: 'T', callId, name: 'echo', args: {} });
const completed = (callId: string): SessionEventBody => ({
  type: 'tool.completed', turnId: 'T', callId, messageId: `r-${callId}`, name: 'echo', content: 'ok', isError: false, durationMs: 1,
});
const paused: SessionEventBody = { type: 'session.paused' };
const point = (events: SessionEvent[]) => findResumePoint(foldEvents('s1', events));

void describe('findResumePoint', () => {
  void test('paused before the first request: continues with request 1 and the turn\'s own config', () => {
    const p = point(log([paused, { type: 'session.config_changed', patch: { model: 'model-b' } }]));
    assert.ok(p);
    assert.equal(p.rounds, 0);
    assert.deepEqual(p.calls, []);
    assert.equal(p.config.model, 'model-a', 'the switch after turn.started is not the turn\'s');
  });

  void test('paused between rounds and before remaining calls', () => {
    const between = point(log([...request(1, ['a']), requested('a'), completed('a'), paused]));
    assert.equal(between?.rounds, 1);
    assert.deepEqual([...between!.done], ['a']);
    const remaining = point(log([...request(1, ['a', 'b', 'c']), requested('a'), paused, completed('a'), requested('b')]));
    assert.deepEqual([...remaining!.done], ['a']);
    assert.deepEqual([...remaining!.requested], ['b']);
    assert.deepEqual([...remaining!.approved], []);
  });

  void test('an approved call held by the pause is marked approved, not requested', () => {
    const approval = { id: 'ap1', sessionId: 's1', callId: 'a', toolName: 'echo', summary: 'echo', args: {}, reason: 'ask', requestedAt: 0 };
    const p = point(log([
      ...request(1, ['a']), requested('a'), { type: 'approval.requested', approval }, paused,
      { type: 'approval.resolved', approvalId: 'ap1', callId: 'a', resolution: { decision: 'approve', by: 'user' } },
    ]));
    assert.deepEqual([...p!.approved], ['a']);
    assert.deepEqual([...p!.requested], []);
    assert.equal(p!.pending.size, 0);
  });

  void test('not resumable: not paused and nothing to approve, a stream in flight, a tool running, a child session', () => {
    assert.equal(point(log([...request(1, ['a']), requested('a'), completed('a')])), undefined, 'running, not paused');
    assert.equal(point(log([paused, { type: 'message.started', turnId: 'T', messageId: 'm1', round: 1 }])), undefined, 'streaming');
    assert.equal(point(log([...request(1, ['a']), requested('a'), { type: 'tool.started', callId: 'a', permission: { decision: 'allow', source: 'mode' } }, paused])), undefined, 'tool running');
    assert.equal(point(log([paused], 'parent')), undefined, 'child session');
    assert.equal(point(log([...request(1, []), paused])), undefined, 'a message without calls ends the turn');
  });
});
