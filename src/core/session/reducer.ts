import type { HistoryMessage } from '../../shared/model';
import type { SerializedError } from '../../shared/errors';
import type { SessionEvent, SessionEventBody } from './events';
import type { SessionSnapshot } from './types';
import type { SessionIndexEntry } from '../store/types';
import type { TranscriptRecord } from '../../shared/transcript';
import { foldEvent, initialProjection, toSnapshot as projectionSnapshot, type SessionProjection } from '../../shared/fold';
import { recordIndex } from '../../shared/fold-records';
import { foldLedger, initialLedger, type LedgerState } from '../changes/ledger-fold';

/**
 * The whole state of one session, rebuilt from its events: the one shared fold's projection
 * (snapshot and transcript records, src/shared/fold.ts) plus the model's history, which only
 * the engine needs. Live and restore share this fold, which is why restore gives the state the
 * session had before the restart, and why the webview shows what core has.
 */
export interface SessionData extends SessionProjection {
  /** What the model sees next request (compacted messages removed, summaries in their place). */
  history: HistoryMessage[];
  /** Events folded (the index's count; deltas are coalesced on disk, so a view never relies on it). */
  eventCount: number;
  /** What restores need: per-path changes, checkpoints of the history, restores (changes/ledger-fold.ts). */
  ledger: LedgerState;
}

/** State before the first event (`session.created` fills it in). */
export function initialData(id: string): SessionData {
  return { ...initialProjection(id), history: [], eventCount: 0, ledger: initialLedger() };
}

/**
 * Applies one event to the state, in place (a fold: deterministic, no I/O, no clock): core's
 * change-ledger state (first, so a checkpoint sees the state before its event), the shared
 * projection, then the model's history.
 */
export function applyEvent(d: SessionData, ev: SessionEvent): void {
  const userMessageId = d.turn?.userMessageId;
  d.eventCount++;
  foldLedger(d, ev);
  foldEvent(d, ev);
  foldHistory(d, ev, userMessageId);
}

/** The engine's half: what the next request sends. */
function foldHistory(d: SessionData, ev: SessionEvent, userMessageId: string | undefined): void {
  switch (ev.type) {
    case 'turn.started': d.history.push({ id: ev.messageId, role: 'user', content: ev.text }); break;
    // An empty assistant message is invalid for providers; a broken-off answer is never sent.
    case 'message.completed': if (!ev.partial && ev.content.length > 0) d.history.push({ id: ev.messageId, role: 'assistant', content: ev.content }); break;
    case 'tool.completed':
      d.history.push({
        id: ev.messageId, role: 'tool', toolCallId: ev.callId, toolName: ev.name, content: ev.content, ...(ev.isError ? { isError: true } : {}),
      });
      break;
    case 'skill.attached': attachToPrompt(d, userMessageId, ev.text); break;
    case 'hook.ran': hookToHistory(d, ev, userMessageId); break;
    case 'context.compacted': {
      const gone = new Set(ev.compactedMessageIds);
      const summary: HistoryMessage = { id: ev.summaryMessageId, role: 'user', content: ev.summary };
      const at = d.history.findIndex((m) => gone.has(m.id));
      const kept = d.history.filter((m) => !gone.has(m.id));
      kept.splice(at < 0 ? Math.min(1, kept.length) : at, 0, summary);
      d.history = kept;
      break;
    }
    default: break;
  }
}

/**
 * What a turn-edge hook (src/core/hooks) puts in the history: a blocked prompt leaves it (as in
 * Claude Code, the prompt is erased); a Stop hook's reason is the next user message; other
 * context joins the turn's user message. Tool-call hooks (`callId`) are in the tool result already.
 */
function hookToHistory(d: SessionData, ev: Extract<SessionEvent, { type: 'hook.ran' }>, userMessageId: string | undefined): void {
  if (ev.callId) return;
  if (ev.hookEvent === 'UserPromptSubmit' && ev.outcome === 'blocked') {
    d.history = d.history.filter((m) => m.id !== userMessageId);
    return;
  }
  if (!ev.context) return;
  if (ev.hookEvent === 'Stop') d.history.push({ id: `hook:${ev.seq}`, role: 'user', content: ev.context });
  else attachToPrompt(d, userMessageId, ev.context);
}

/** Appends attached context to the turn's user message in the history only (the transcript keeps what the user typed). */
function attachToPrompt(d: SessionData, id: string | undefined, text: string): void {
  for (let i = d.history.length - 1; i >= 0; i--) {
    const m = d.history[i];
    if (m.id !== id || m.role !== 'user') continue;
    d.history[i] = { ...m, content: `${m.content}\n\n${text}` };
    return;
  }
}

/** Folds a whole log. */
export function foldEvents(id: string, events: Iterable<SessionEvent>): SessionData {
  const d = initialData(id);
  for (const ev of events) applyEvent(d, ev);
  return d;
}

/** A detached, serialisable view of the state. */
export function toSnapshot(d: SessionData): SessionSnapshot {
  const { history: _history, eventCount: _count, ledger: _ledger, ...projection } = d;
  return projectionSnapshot(projection);
}

/** The text streamed so far of the answer in progress ('' when none). */
export function streamingText(d: SessionData): { messageId: string; text: string; thinking: string } | undefined {
  const id = d.turn?.streaming?.messageId;
  if (!id) return undefined;
  const r = findRecord(d, id);
  return r?.kind === 'assistant' ? { messageId: id, text: r.text, thinking: r.thinking } : { messageId: id, text: '', thinking: '' };
}

/** The record with `key`. */
export function findRecord(d: SessionData, key: string): TranscriptRecord | undefined {
  const i = recordIndex(d, key);
  return i >= 0 ? d.records[i] : undefined;
}

/** The session's row in the store index. */
export function toIndexEntry(d: SessionData): SessionIndexEntry {
  return {
    id: d.id, title: d.title, ...(d.parentId !== undefined ? { parentId: d.parentId } : {}),
    createdAt: d.createdAt, updatedAt: d.updatedAt, lastSeq: d.lastSeq, eventCount: d.eventCount,
    messageCount: d.messageCount, state: d.state, ...(d.outcome ? { outcome: d.outcome } : {}), providerId: d.config.providerId, model: d.config.model,
    ...(d.changes.length > 0 ? { changedFiles: d.changes.length } : {}),
    ...(d.worktree ? { worktree: { branch: d.worktree.branch, path: d.worktree.path, state: d.worktree.state } } : {}),
  };
}

/** Text given to the model for a tool call that never finished. */
export const INTERRUPTED_TOOL_RESULT = 'This tool call was interrupted before it finished; its effects, if any, are unknown.';

/** How a turn ends abnormally. */
export type TurnEnd =
  | { kind: 'cancelled' }
  | { kind: 'interrupted' }
  | { kind: 'failed'; error: SerializedError };

/**
 * The events that close a turn that failed, is being cancelled (user) or was interrupted (the
 * process died): pending approvals resolved, the partial assistant text kept as a completed
 * message, an interrupted result for every call without one (so the history stays valid for the
 * provider), the terminal turn event, then the state. Undefined when no turn is in progress.
 */
export function closeTurnEvents(d: SessionData, end: TurnEnd, newMessageId: () => string): SessionEventBody[] | undefined {
  const turn = d.turn;
  if (!turn) return undefined;
  const out: SessionEventBody[] = [];
  const by = end.kind === 'cancelled' ? 'cancel' : 'interrupted';
  for (const a of d.pendingApprovals) {
    out.push({ type: 'approval.resolved', approvalId: a.id, callId: a.callId, resolution: { decision: 'deny', reason: end.kind, by } });
  }
  for (const q of d.pendingQuestions ?? []) out.push({ type: 'question.answered', questionId: q.id, answer: { action: 'cancel', by: 'system' } });
  let partialMessageId: string | undefined;
  const s = streamingText(d);
  // Only text survives: a thinking block without its signature would be refused by the provider.
  if (s && s.text) {
    out.push({ type: 'message.completed', turnId: turn.turnId, messageId: s.messageId, content: [{ type: 'text', text: s.text }], stopReason: 'other' });
    partialMessageId = s.messageId;
  } else if (s) {
    out.push({ type: 'message.completed', turnId: turn.turnId, messageId: s.messageId, content: [], stopReason: 'other' });
  }
  const callIds = turn.openCalls.map((c) => c.id);
  for (const c of turn.openCalls) {
    out.push({
      type: 'tool.completed', turnId: turn.turnId, callId: c.id, messageId: newMessageId(), name: c.name,
      content: INTERRUPTED_TOOL_RESULT, isError: true, durationMs: 0, interrupted: true,
    });
  }
  if (end.kind === 'cancelled') {
    out.push({ type: 'turn.cancelled', turnId: turn.turnId, interruptedCallIds: callIds, ...(partialMessageId ? { partialMessageId } : {}) });
  } else if (end.kind === 'interrupted') {
    out.push({ type: 'turn.interrupted', turnId: turn.turnId, interruptedCallIds: callIds, ...(partialMessageId ? { partialMessageId } : {}) });
  } else {
    out.push({ type: 'turn.failed', turnId: turn.turnId, error: end.error });
  }
  return out;
}
