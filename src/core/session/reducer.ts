import type { HistoryMessage } from '../../shared/model';
import { nextHistorySaving } from '../../shared/history-status';
import type { SerializedError } from '../../shared/errors';
import type { SessionEvent, SessionEventBody } from './events';
import type { ChildSessionInfo, CostTotals, SessionConfig, SessionSnapshot, TranscriptEntry } from './types';
import type { SessionIndexEntry } from '../store/types';
import { BUILTIN_DEFAULTS, mergeConfig } from './config';
import { contextUsage, contextWindowFor, emptyMeter, meterOnMessage, meterOnUsage, type MeterState } from '../context/context-meter';

/** What the reducer knows about the turn in progress (undefined between turns). */
export interface TurnProgress {
  turnId: string;
  /** Id of the user message that opened the turn (skill attachments extend it). */
  userMessageId: string;
  /** Model requests made so far in this turn. */
  rounds: number;
  /** The assistant message being streamed, if any (deltas so far). */
  streaming?: { messageId: string; text: string; thinking: string };
  /**
   * Tool calls of completed assistant messages that have no result yet, in call order, with how
   * far each got (`requested`: permission/approval under way; `started`: the tool is executing) and
   * whether the user approved it (a pause may hold an approved call before its tool starts).
   */
  openCalls: { id: string; name: string; phase?: 'requested' | 'started'; approved?: true }[];
  /**
   * The session config when the turn started: the turn runs with it (a model switch meanwhile
   * applies to the next turn), also after a restart — the fold rebuilds it from the log.
   */
  config: SessionConfig;
  /** Spent by this turn's requests so far (maxTurnTokens / maxTurnCostUsd; unknown prices count 0). */
  used: { tokens: number; costUsd: number };
}

/**
 * The whole state of one session, rebuilt from its events. Live and restore share this fold,
 * which is why restore gives the state the session had before the restart.
 */
export interface SessionData extends Omit<SessionSnapshot, 'messageCount' | 'children'> {
  eventCount: number;
  meter: MeterState;
  /** What the model sees next request (compacted messages removed, summaries in their place). */
  history: HistoryMessage[];
  /** Every message ever, in order; compacted ones are marked. */
  transcript: TranscriptEntry[];
  turn?: TurnProgress;
  /** A pause was requested and not yet resumed (cleared when the turn ends). */
  paused: boolean;
  /** Children started by spawn_session, oldest first. */
  children: ChildSessionInfo[];
  /**
   * Model requests answered since the last compaction (undefined: never compacted). A context that
   * is full again after 0–1 requests means compacting does not help (thrash): see session/overflow.ts.
   */
  requestsSinceCompaction?: number;
}

export function emptyTotals(): CostTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
}

/** State before the first event (`session.created` fills it in). */
export function initialData(id: string): SessionData {
  return {
    id, title: '', createdAt: 0, updatedAt: 0, config: { ...BUILTIN_DEFAULTS }, state: 'idle', lastSeq: 0, eventCount: 0,
    queue: [], pendingApprovals: [], tasks: [], totals: emptyTotals(), meter: emptyMeter(),
    context: { tokens: 0, window: contextWindowFor(BUILTIN_DEFAULTS), fraction: 0 },
    history: [], transcript: [], paused: false, children: [],
  };
}

function addMessage(d: SessionData, message: HistoryMessage, seq: number): void {
  d.history.push(message);
  d.transcript.push({ ...message, seq });
  d.meter = meterOnMessage(d.meter, message);
}

function endTurn(d: SessionData): void {
  d.turn = undefined;
  d.paused = false;
  delete d.pendingRetry;
  // A child still marked running lost its spawn_session call (cancel, crash): it was cancelled with the turn.
  for (const c of d.children) if (c.status === 'running') c.status = 'cancelled';
}

/**
 * Applies one event to the state, in place (a fold: deterministic, no I/O, no clock). Mutation
 * keeps appending O(1) in the session's length; callers that hand state out copy it (snapshot()).
 */
export function applyEvent(d: SessionData, ev: SessionEvent): void {
  d.lastSeq = ev.seq;
  d.updatedAt = ev.ts;
  d.eventCount++;
  switch (ev.type) {
    case 'session.created':
      d.title = ev.title;
      d.config = mergeConfig(ev.config, {});
      d.createdAt = ev.ts;
      if (ev.parentId !== undefined) d.parentId = ev.parentId;
      break;
    case 'session.renamed': d.title = ev.title; break;
    case 'session.config_changed': d.config = mergeConfig(d.config, ev.patch); break;
    case 'session.state':
      d.state = ev.state;
      if (ev.state === 'error' && ev.error) d.lastError = ev.error;
      else delete d.lastError;
      break;
    case 'session.paused': d.paused = true; break;
    case 'session.resumed': d.paused = false; break;
    case 'prompt.queued': d.queue.push({ id: ev.promptId, text: ev.text, queuedAt: ev.ts }); break;
    case 'prompt.removed': d.queue = d.queue.filter((q) => q.id !== ev.promptId); break;
    case 'turn.started':
      d.queue = d.queue.filter((q) => q.id !== ev.promptId);
      d.turn = { turnId: ev.turnId, userMessageId: ev.messageId, rounds: 0, openCalls: [], used: { tokens: 0, costUsd: 0 }, config: structuredClone(d.config) };
      addMessage(d, { id: ev.messageId, role: 'user', content: ev.text }, ev.seq);
      break;
    case 'message.started':
      if (d.turn) {
        d.turn.rounds = ev.round;
        d.turn.streaming = { messageId: ev.messageId, text: '', thinking: '' };
      }
      break;
    case 'message.delta': {
      const s = d.turn?.streaming;
      if (s && s.messageId === ev.messageId) {
        if (ev.kind === 'text') s.text += ev.text;
        else s.thinking += ev.text;
      }
      break;
    }
    case 'message.completed':
      if (ev.partial) {
        // Kept for the record only: the model never sees a broken-off answer (the request goes again).
        if (ev.content.length > 0) d.transcript.push({ id: ev.messageId, role: 'assistant', content: ev.content, seq: ev.seq, partial: true });
        if (d.turn) d.turn.streaming = undefined;
        break;
      }
      // An empty assistant message is invalid for providers; the event still closes the stream.
      if (ev.content.length > 0) addMessage(d, { id: ev.messageId, role: 'assistant', content: ev.content }, ev.seq);
      if (d.turn) {
        d.turn.streaming = undefined;
        for (const p of ev.content) if (p.type === 'tool_call') d.turn.openCalls.push({ id: p.id, name: p.name });
      }
      break;
    case 'tool.completed':
      addMessage(d, {
        id: ev.messageId, role: 'tool', toolCallId: ev.callId, toolName: ev.name, content: ev.content,
        ...(ev.isError ? { isError: true } : {}),
      }, ev.seq);
      if (d.turn) d.turn.openCalls = d.turn.openCalls.filter((c) => c.id !== ev.callId);
      break;
    case 'approval.requested': d.pendingApprovals.push(ev.approval); break;
    case 'approval.resolved': {
      d.pendingApprovals = d.pendingApprovals.filter((a) => a.id !== ev.approvalId);
      const call = ev.resolution.decision === 'approve' ? d.turn?.openCalls.find((c) => c.id === ev.callId) : undefined;
      if (call) call.approved = true;
      break;
    }
    case 'usage.updated':
      if (d.turn) {
        d.turn.used.tokens += ev.usage.inputTokens + ev.usage.outputTokens;
        d.turn.used.costUsd += ev.requestCostUsd ?? 0;
      }
      d.lastUsage = ev.usage;
      d.totals = ev.totals;
      d.meter = meterOnUsage(ev.usage);
      if (d.requestsSinceCompaction !== undefined) d.requestsSinceCompaction++;
      break;
    case 'context.compacted':
      applyCompaction(d, ev);
      d.requestsSinceCompaction = 0;
      break;
    case 'tasks.updated': d.tasks = ev.tasks; break;
    case 'turn.completed': case 'turn.failed': case 'turn.cancelled': case 'turn.interrupted':
      endTurn(d);
      break;
    case 'knowledge.loaded': d.knowledge = ev.knowledge; break;
    case 'skill.attached': attachToPrompt(d, ev.text); break;
    case 'child.started': d.children.push({ id: ev.childId, title: ev.title, callId: ev.callId, status: 'running' }); break;
    case 'child.completed': {
      const c = d.children.find((x) => x.id === ev.childId);
      if (c) c.status = ev.status;
      break;
    }
    case 'session.detached': delete d.parentId; break;
    case 'tool.requested': case 'tool.started': {
      const call = d.turn?.openCalls.find((c) => c.id === ev.callId);
      if (call) call.phase = ev.type === 'tool.requested' ? 'requested' : 'started';
      break;
    }
    case 'provider.retry':
      if (d.turn?.turnId === ev.turnId) {
        d.pendingRetry = {
          turnId: ev.turnId, attempt: ev.attempt, error: ev.error, delayMs: ev.delayMs,
          ...(ev.retryAt !== undefined ? { retryAt: ev.retryAt } : {}), ...(ev.ask ? { ask: ev.ask } : {}),
          ...(ev.partialMessageId ? { partialMessageId: ev.partialMessageId } : {}),
        };
      }
      break;
    case 'provider.retrying': delete d.pendingRetry; break;
    case 'tool.output': case 'warning':
      break;
  }
  // Storage warnings: whether the history is being saved (the webview's fold takes the same step).
  const saving = nextHistorySaving(d.historySaving, ev);
  if (saving) d.historySaving = saving;
  else delete d.historySaving;
  d.context = contextUsage(d.meter, contextWindowFor(d.config));
}

/** Appends attached context to the turn's user message in the history only (the transcript keeps what the user typed). */
function attachToPrompt(d: SessionData, text: string): void {
  const id = d.turn?.userMessageId;
  for (let i = d.history.length - 1; i >= 0; i--) {
    const m = d.history[i];
    if (m.id !== id || m.role !== 'user') continue;
    d.history[i] = { ...m, content: `${m.content}\n\n${text}` };
    d.meter = meterOnMessage(d.meter, { id: m.id, role: 'user', content: text });
    return;
  }
}

function applyCompaction(d: SessionData, ev: Extract<SessionEvent, { type: 'context.compacted' }>): void {
  const gone = new Set(ev.compactedMessageIds);
  const summary: HistoryMessage = { id: ev.summaryMessageId, role: 'user', content: ev.summary };
  const at = d.history.findIndex((m) => gone.has(m.id));
  const kept = d.history.filter((m) => !gone.has(m.id));
  kept.splice(at < 0 ? Math.min(1, kept.length) : at, 0, summary);
  d.history = kept;
  let last = -1;
  for (let i = 0; i < d.transcript.length; i++) {
    if (gone.has(d.transcript[i].id)) { d.transcript[i] = { ...d.transcript[i], compacted: true }; last = i; }
  }
  d.transcript.splice(last < 0 ? d.transcript.length : last + 1, 0, { ...summary, seq: ev.seq });
  d.meter = { base: ev.after.tokens, added: 0 };
}

/** Folds a whole log. */
export function foldEvents(id: string, events: Iterable<SessionEvent>): SessionData {
  const d = initialData(id);
  for (const ev of events) applyEvent(d, ev);
  return d;
}

const clone = <T>(v: T): T => structuredClone(v);

/** A detached, serialisable view of the state. */
export function toSnapshot(d: SessionData): SessionSnapshot {
  return {
    id: d.id, title: d.title, ...(d.parentId !== undefined ? { parentId: d.parentId } : {}),
    createdAt: d.createdAt, updatedAt: d.updatedAt, config: clone(d.config), state: d.state,
    ...(d.lastError ? { lastError: clone(d.lastError) } : {}),
    lastSeq: d.lastSeq, queue: clone(d.queue), pendingApprovals: clone(d.pendingApprovals), tasks: clone(d.tasks),
    context: { ...d.context }, totals: { ...d.totals }, messageCount: d.transcript.length,
    ...(d.lastUsage ? { lastUsage: { ...d.lastUsage } } : {}),
    ...(d.knowledge ? { knowledge: clone(d.knowledge) } : {}),
    ...(d.children.length > 0 ? { children: clone(d.children) } : {}),
    ...(d.pendingRetry ? { pendingRetry: clone(d.pendingRetry) } : {}),
    ...(d.historySaving ? { historySaving: { ...d.historySaving } } : {}),
  };
}

/** The session's row in the store index. */
export function toIndexEntry(d: SessionData): SessionIndexEntry {
  return {
    id: d.id, title: d.title, ...(d.parentId !== undefined ? { parentId: d.parentId } : {}),
    createdAt: d.createdAt, updatedAt: d.updatedAt, lastSeq: d.lastSeq, eventCount: d.eventCount,
    messageCount: d.transcript.length, state: d.state, providerId: d.config.providerId, model: d.config.model,
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
  let partialMessageId: string | undefined;
  const s = turn.streaming;
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
    out.push({ type: 'session.state', state: 'idle' });
  } else if (end.kind === 'interrupted') {
    out.push({ type: 'turn.interrupted', turnId: turn.turnId, interruptedCallIds: callIds });
    out.push({ type: 'session.state', state: 'idle' });
  } else {
    out.push({ type: 'turn.failed', turnId: turn.turnId, error: end.error });
    out.push({ type: 'session.state', state: 'error', error: end.error });
  }
  return out;
}
