import type { AssistantPart } from '../../shared/model';
import type { PendingApprovalInfo, SessionConfig } from './types';
import type { SessionData } from './reducer';

/** A tool call of an assistant message, as the model sent it. */
export type ToolCallPart = Extract<AssistantPart, { type: 'tool_call' }>;

/**
 * Where an open turn can pick up again after the process ended: it was only waiting for the
 * user — an approval, or a resume after a pause — with no stream in flight and no tool executing.
 * Its last assistant message's calls are `calls` (empty when paused before the first request);
 * those in `done` have results; those in `pending` wait for an approval.
 */
export interface ResumePoint {
  turnId: string;
  /** Model requests the turn made so far (the next one is `rounds + 1`). */
  rounds: number;
  calls: ToolCallPart[];
  done: ReadonlySet<string>;
  /** Approvals by call id, exactly as recorded (same id, summary, diff…). */
  pending: ReadonlyMap<string, PendingApprovalInfo>;
  /** Calls whose `tool.requested` is recorded and that wait for no approval (a pause held them): not recorded again. */
  requested: ReadonlySet<string>;
  /** Calls the user approved whose tool had not started (a pause held them): they run without asking again. */
  approved: ReadonlySet<string>;
  /** The config the turn started with (model, provider, limits): the turn goes on with it. */
  config: SessionConfig;
}

/**
 * The resume point of a session's open turn, or undefined when the turn cannot wait across a
 * restart: nothing open, neither an approval pending nor paused, a stream or a tool in flight, a
 * child session (its turn is driven by the parent's spawn_session call, which does not survive),
 * or a log that does not line up (approvals for calls outside the last assistant message).
 * The same test decides what a graceful shutdown leaves open, so both sides agree.
 */
export function findResumePoint(d: SessionData): ResumePoint | undefined {
  const turn = d.turn;
  if (!turn || turn.streaming || d.parentId !== undefined) return undefined;
  const waiting = d.pendingApprovals.length > 0;
  if (!waiting && !d.paused) return undefined;
  if (turn.openCalls.some((c) => c.phase === 'started')) return undefined;
  let calls: ToolCallPart[] | undefined;
  for (let i = d.history.length - 1; i >= 0 && !calls; i--) {
    const m = d.history[i];
    if (m.role === 'user') break; // the turn's own message: no assistant message yet
    if (m.role === 'assistant') calls = m.content.filter((p): p is ToolCallPart => p.type === 'tool_call');
  }
  if (!calls) {
    // Paused before the first request: only the requests are left.
    const last = d.history[d.history.length - 1];
    if (waiting || turn.rounds > 0 || turn.openCalls.length > 0 || last?.id !== turn.userMessageId) return undefined;
    calls = [];
  } else if (calls.length === 0) return undefined;
  const ids = new Set(calls.map((c) => c.id));
  if (!turn.openCalls.every((c) => ids.has(c.id))) return undefined;
  const open = new Set(turn.openCalls.map((c) => c.id));
  const pending = new Map<string, PendingApprovalInfo>();
  for (const a of d.pendingApprovals) {
    if (!open.has(a.callId) || pending.has(a.callId)) return undefined;
    pending.set(a.callId, a);
  }
  const done = new Set(calls.filter((c) => !open.has(c.id)).map((c) => c.id));
  const held = turn.openCalls.filter((c) => !pending.has(c.id));
  const approved = new Set(held.filter((c) => c.approved).map((c) => c.id));
  const requested = new Set(held.filter((c) => c.phase === 'requested' && !c.approved).map((c) => c.id));
  return { turnId: turn.turnId, rounds: turn.rounds, calls, done, pending, requested, approved, config: turn.config };
}
