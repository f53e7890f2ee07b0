/**
 * The knowledge half of the one fold (src/shared/fold-knowledge.ts): tool progress, hooks, MCP
 * server questions, rules attached on the way, tools loaded on demand, memory writes and the
 * cost of sampling — and that a live view, the reopened log and the checkpoint all agree.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent, SessionEventBody } from '../../../src/shared/events';
import type { MarkerRecord, ToolRecord } from '../../../src/shared/transcript';
import type { PendingQuestion } from '../../../src/shared/knowledge-types';
import { BUILTIN_DEFAULTS } from '../../../src/core/session/config';
import { foldEvents, toSnapshot } from '../../../src/core/session/reducer';
import { checkpointOf, readCheckpointData } from '../../../src/core/session/checkpoint';
import { foldEvent, projectionOf, toSnapshot as projectionSnapshot } from '../../../src/shared/fold';

const SID = 's-fold-kn';
const T = 't1';
const CALL = 'call_1';

function events(bodies: SessionEventBody[]): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: 1_000 + i, sessionId: SID }) as SessionEvent);
}
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const created: SessionEventBody = { type: 'session.created', title: 'Knowledge', config: { ...BUILTIN_DEFAULTS, providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini' } };
const started: SessionEventBody = { type: 'turn.started', turnId: T, promptId: 'p1', messageId: 'm_u', text: 'go' };
const askedTool: SessionEventBody[] = [
  { type: 'message.started', turnId: T, messageId: 'm_a', round: 1 },
  { type: 'message.completed', turnId: T, messageId: 'm_a', stopReason: 'tool_use', content: [{ type: 'tool_call', id: CALL, name: 'mcp__everything__trigger-elicitation-request', args: {} }] },
  { type: 'tool.requested', turnId: T, callId: CALL, name: 'mcp__everything__trigger-elicitation-request', args: {} },
  { type: 'tool.started', callId: CALL, permission: { decision: 'allow', source: 'approved by user' } },
];
const question: PendingQuestion = {
  id: 'q1', sessionId: SID, server: 'everything', kind: 'elicitation', callId: CALL, message: 'Your name?',
  schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, requestedAt: 1_000,
};
const { callId: _call, ...withoutCall } = question;
const LIFE: SessionEventBody[] = [
  created, started, ...askedTool,
  { type: 'tool.progress', callId: CALL, progress: 1, total: 4, message: 'step 1' },
  { type: 'tool.progress', callId: CALL, progress: 3, total: 4 },
  { type: 'hook.ran', hookEvent: 'PreToolUse', command: './check.sh', source: '.claude/settings.json', outcome: 'allow', durationMs: 12, callId: CALL, turnId: T },
  { type: 'question.asked', question },
  { type: 'question.answered', questionId: 'q1', answer: { action: 'accept', content: { name: 'Ada' }, by: 'user' } },
  { type: 'question.asked', question: { ...withoutCall, id: 'q2', kind: 'sampling', message: 'Summarise', sampling: { messages: [{ role: 'user', text: 'hi' }], maxTokens: 100 } } },
  { type: 'usage.updated', usage: { inputTokens: 100, outputTokens: 20 }, requestCostUsd: 0.001, source: 'sampling' },
  { type: 'question.answered', questionId: 'q2', answer: { action: 'accept', text: 'A summary', by: 'user' } },
  { type: 'rules.attached', turnId: T, rules: [{ id: 'agents:packages/a/AGENTS.md', relativePath: 'packages/a/AGENTS.md', reason: 'path', trigger: 'packages/a/x.ts' }] },
  { type: 'rules.attached', turnId: T, rules: [{ id: 'agents:packages/a/AGENTS.md', relativePath: 'packages/a/AGENTS.md', reason: 'path', trigger: 'packages/a/y.ts' }] },
  { type: 'tools.loaded', turnId: T, names: ['mcp__gh__create_issue'] },
  { type: 'memory.changed', callId: CALL, entryId: 'mem_1', action: 'added', text: 'Use pnpm', memoryPath: '/s/memory.md' },
  { type: 'memory.changed', callId: CALL, entryId: 'mem_1', action: 'undone', text: 'Use pnpm', memoryPath: '/s/memory.md' },
  { type: 'hook.ran', hookEvent: 'Stop', command: './stop.sh', source: '.claude/settings.json', outcome: 'blocked', durationMs: 5, turnId: T, message: 'tests fail' },
];

const tool = (bodies: SessionEventBody[]): ToolRecord => foldEvents(SID, events(bodies)).records.find((r): r is ToolRecord => r.kind === 'tool' && r.callId === CALL) as ToolRecord;
const markers = (bodies: SessionEventBody[]): MarkerRecord[] => foldEvents(SID, events(bodies)).records.filter((r): r is MarkerRecord => r.kind === 'marker');

void describe('knowledge fold', () => {
  void test('progress: the card keeps the newest', () => {
    assert.deepEqual(tool(LIFE.slice(0, 8)).progress, { progress: 3, total: 4 });
  });

  void test('a hook of a call goes on its card; a hook of the turn is a marker (warning when it blocked)', () => {
    assert.deepEqual(tool(LIFE).hooks?.map((h) => [h.hookEvent, h.outcome]), [['PreToolUse', 'allow']]);
    const last = markers(LIFE).at(-1);
    assert.equal(last?.variant, 'warning');
    assert.equal(last?.code, 'hook_blocked');
    assert.match(last?.text ?? '', /Hook Stop blocked: \.\/stop\.sh — tests fail/);
  });

  void test('a question makes the session wait for the user; its answer goes on the card and lets it run again', () => {
    const waiting = foldEvents(SID, events(LIFE.slice(0, 10)));
    assert.equal(waiting.state, 'awaiting_approval');
    assert.deepEqual(waiting.pendingQuestions?.map((q) => q.id), ['q1']);
    const answered = foldEvents(SID, events(LIFE.slice(0, 11)));
    assert.equal(answered.state, 'running');
    assert.equal(answered.pendingQuestions, undefined);
    assert.deepEqual(tool(LIFE.slice(0, 11)).questions?.[0].answer, { action: 'accept', content: { name: 'Ada' }, by: 'user' });
  });

  void test('a question outside a call is a marker that gets its answer; sampling costs but leaves the meter alone', () => {
    const before = foldEvents(SID, events(LIFE.slice(0, 12)));
    const after = foldEvents(SID, events(LIFE.slice(0, 14)));
    const m = markers(LIFE.slice(0, 14)).find((r) => r.question?.id === 'q2');
    assert.equal(m?.variant, 'question');
    assert.equal(m?.answer?.text, 'A summary');
    assert.equal(after.totals.inputTokens, 100);
    assert.equal(after.totals.costUsd, 0.001);
    assert.deepEqual(after.meter, before.meter);
  });

  void test('rules are attached once (a second trigger adds nothing) and the transcript says so', () => {
    const d = foldEvents(SID, events(LIFE.slice(0, 16)));
    assert.deepEqual(d.attachedRules?.map((r) => r.trigger), ['packages/a/x.ts']);
    assert.equal(markers(LIFE.slice(0, 16)).filter((m) => /Rules added to the context: packages\/a\/AGENTS\.md \(for packages\/a\/x\.ts\)/.test(m.text)).length, 1);
  });

  void test('tools loaded on demand are kept; a memory write and its undo show on the card', () => {
    const d = foldEvents(SID, events(LIFE));
    assert.deepEqual(d.loadedTools, ['mcp__gh__create_issue']);
    assert.deepEqual(tool(LIFE).memory, [{ entryId: 'mem_1', action: 'added', text: 'Use pnpm', memoryPath: '/s/memory.md', undone: true }]);
  });

  void test('the turn ending drops questions still pending', () => {
    const d = foldEvents(SID, events([...LIFE.slice(0, 10), { type: 'turn.cancelled', turnId: T, interruptedCallIds: [CALL] }]));
    assert.equal(d.pendingQuestions, undefined);
    assert.equal(d.state, 'idle');
  });

  void test('live fold from any cut over the wire equals the fold of the whole log; the checkpoint keeps it all', () => {
    const all = events(LIFE);
    const whole = foldEvents(SID, all);
    for (let cut = 1; cut < all.length; cut++) {
      const head = foldEvents(SID, all.slice(0, cut));
      const view = projectionOf(wire(toSnapshot(head)), wire(head.records));
      for (const e of all.slice(cut)) foldEvent(view, wire(e));
      assert.deepEqual(projectionSnapshot(view), toSnapshot(whole), `cut at ${cut}`);
      assert.deepEqual(view.records, whole.records, `records, cut at ${cut}`);
      const back = readCheckpointData(wire(checkpointOf(head)), SID);
      assert.ok(back, `checkpoint at ${cut} is taken back`);
      assert.deepEqual(back.snapshot.pendingQuestions, head.pendingQuestions);
      assert.deepEqual(back.snapshot.attachedRules, head.attachedRules);
      assert.deepEqual(back.snapshot.loadedTools, head.loadedTools);
    }
  });
});
