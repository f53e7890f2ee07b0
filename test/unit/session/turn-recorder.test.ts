import { foldEvent, initialProjection } from '../../../src/shared/fold';
import { BUILTIN_DEFAULTS } from '../../../src/shared/config-defaults';
/** The running turn's recorder (turn-recorder.ts): what it records while current, and that it refuses once dropped. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TurnRecorder } from '../../../src/core/session/turn-recorder';
import { applyEvent, initialData, type SessionData } from '../../../src/core/session/reducer';
import type { SessionEvent, SessionEventBody } from '../../../src/core/session/events';
import type { SessionKnowledge } from '../../../src/core/session/types';
import { AgentError } from '../../../src/core/base/errors';

/** A recorder over real folded state, with the session's closure reduced to "current or not". */
function recorder(current: { now: boolean }): { rec: TurnRecorder; data: SessionData; recorded: SessionEventBody[] } {
  const data = initialData('s_test');
  // An open turn, as the session records it before the runner starts.
  applyEvent(data, { type: 'turn.started', turnId: 't_1', promptId: 'p_1', messageId: 'msg_u', text: 'go', seq: 1, ts: 0, sessionId: data.id });
  const recorded: SessionEventBody[] = [];
  const rec = new TurnRecorder('t_1', data, (body) => {
    if (!current.now) return false;
    recorded.push(body);
    applyEvent(data, { ...body, seq: data.lastSeq + 1, ts: 0, sessionId: data.id } as SessionEvent);
    return true;
  });
  return { rec, data, recorded };
}

const cancelled = (e: unknown): boolean => e instanceof AgentError && e.code === 'cancelled';

void describe('TurnRecorder', () => {
  void test('while the turn is current, a failure closes it as failed', () => {
    const { rec, recorded } = recorder({ now: true });
    assert.equal(rec.turnFailed({ code: 'network', message: 'gone', retryable: true }), true);
    assert.deepEqual(recorded.map((b) => b.type), ['turn.failed'], 'the state is derived by the fold');
  });

  void test('once the session dropped the turn, every intent is refused and nothing is recorded', () => {
    const { rec, recorded } = recorder({ now: false });
    assert.throws(() => rec.messageStarted('m', 1), cancelled);
    assert.throws(() => rec.delta('m', 'text', 'x'), cancelled);
    assert.throws(() => rec.toolRequested({ id: 'c', name: 'echo', args: {} }), cancelled);
    assert.throws(() => rec.toolCompleted({ id: 'c', name: 'echo' }, { content: 'x' }, 1), cancelled);
    assert.throws(() => rec.retrying(1, 'user'), cancelled);
    assert.throws(() => rec.turnCompleted({ stopReason: 'end_turn', rounds: 1 }), cancelled);
    // Called from inside a running tool, or while unwinding: they say so instead of throwing.
    assert.equal(rec.toolOutput('c', 'chunk'), false);
    assert.equal(rec.tasks([{ id: 'a', title: 'x', status: 'pending' }]), false);
    assert.equal(rec.turnFailed({ code: 'network', message: 'gone', retryable: true }), false);
    assert.deepEqual(recorded, []);
  });

  void test('usage carries the request and its price; the fold derives totals and context from it, an unknown price stays unknown', () => {
    const { rec, recorded } = recorder({ now: true });
    rec.usage({ inputTokens: 100, outputTokens: 20 }, 0.5);
    rec.usage({ inputTokens: 200, outputTokens: 10, cacheReadTokens: 50 }, null);
    rec.usage({ inputTokens: 10, outputTokens: 1 }, 0.25);
    const usage = recorded.filter((b): b is Extract<SessionEventBody, { type: 'usage.updated' }> => b.type === 'usage.updated');
    assert.ok(usage.every((u) => u.totals === undefined && u.context === undefined), 'nothing derived is written');
    const p = initialProjection('s');
    foldEvent(p, { type: 'session.created', title: 't', config: { ...BUILTIN_DEFAULTS }, seq: 1, ts: 1, sessionId: 's' });
    const totals: unknown[] = [];
    const tokens: number[] = [];
    usage.forEach((u, i) => {
      foldEvent(p, { ...u, seq: i + 2, ts: i + 2, sessionId: 's' });
      totals.push(p.totals);
      tokens.push(p.context.tokens);
    });
    assert.deepEqual(totals, [
      { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 },
      { inputTokens: 300, outputTokens: 30, cacheReadTokens: 50, cacheWriteTokens: 0, costUsd: null },
      { inputTokens: 310, outputTokens: 31, cacheReadTokens: 50, cacheWriteTokens: 0, costUsd: null },
    ]);
    assert.deepEqual(tokens, [120, 210, 11]);
  });

  void test('knowledge is recorded only when the listing changed', () => {
    const { rec, recorded } = recorder({ now: true });
    const listing: SessionKnowledge = { rules: [], skills: [] };
    rec.knowledge(listing);
    rec.knowledge(structuredClone(listing));
    assert.equal(recorded.filter((b) => b.type === 'knowledge.loaded').length, 1);
  });
});
