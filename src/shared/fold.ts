/**
 * The one fold of a session's events: its snapshot (state, queue, approvals, meter, totals…)
 * and its transcript records. Core folds every event with it (live and on restore) and adds
 * only the model's history on top (core/session/reducer.ts); the webview folds the events it
 * receives with it, on top of an opened snapshot and its newest records. So a live view and a
 * reopened view are built by the same function from the same data and cannot differ.
 *
 * Pure: no I/O, no clock, no DOM, no Node. It mutates the projection in place (appending is
 * O(1) in the session's length); collections the UI binds to (queue, approvals, tasks,
 * children) are replaced, and a changed record is a new object — except the streaming answer's
 * text, which grows in place (the effect `delta` says so).
 */
import type { SessionEvent } from './events';
import type { HistoryMessage } from './model';
import type { CostTotals, SessionSnapshot, SessionState } from './session';
import type { TranscriptRecord } from './transcript';
import { BUILTIN_DEFAULTS, mergeConfig } from './config-defaults';
import { contextUsage, contextWindowFor, meterOnMessage, meterOnUsage } from './context-meter';
import { nextHistorySaving } from './history-status';
import { priceOf } from './pricing';
import { MAX_TOOL_OUTPUT, toolKey } from './transcript';
import { foldChangeEvent } from './fold-changes';
import { foldWorktreeEvent } from './fold-worktree';
import { foldKnowledgeEvent } from './fold-knowledge';
import {
  compactionText, dropRecord, finishStreaming, limitText, markCompacted, markInterrupted, pushMarker, pushRecord,
  recordIndex, replaceRecord, retryText, updateTool,
} from './fold-records';

/** A session's snapshot plus its transcript records (all of them in core, the newest in a webview). */
export interface SessionProjection extends SessionSnapshot {
  records: TranscriptRecord[];
}

/** What a folded event changed, so a view can re-render precisely. */
export type FoldEffect =
  | { type: 'rows' }
  | { type: 'meta' }
  | { type: 'delta'; messageId: string; kind: 'text' | 'thinking'; text: string }
  | { type: 'none' };

/** Totals before any request: nothing spent, or unknown when the model has no price. */
function startingTotals(model: string): CostTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: priceOf(model) ? 0 : null };
}

/** The projection before the first event (`session.created` fills it in). */
export function initialProjection(id: string): SessionProjection {
  const config = { ...BUILTIN_DEFAULTS };
  return {
    id, title: '', createdAt: 0, updatedAt: 0, config, state: 'idle', paused: false, lastSeq: 0,
    queue: [], pendingApprovals: [], tasks: [], totals: startingTotals(config.model), requests: 0, meter: { base: 0, added: 0 },
    context: contextUsage({ base: 0, added: 0 }, contextWindowFor(config)), messageCount: 0, children: [], changes: [], records: [],
  };
}

/** A snapshot's projection with `records` (an open: the snapshot and its newest records). */
export function projectionOf(snapshot: SessionSnapshot, records: TranscriptRecord[]): SessionProjection {
  return { ...snapshot, records };
}

const EFFECT_ROWS: FoldEffect = { type: 'rows' };
const EFFECT_META: FoldEffect = { type: 'meta' };

/** Folds one event into `p` (the next seq). */
export function foldEvent(p: SessionProjection, ev: SessionEvent): FoldEffect {
  p.lastSeq = ev.seq;
  p.updatedAt = ev.ts;
  const effect = apply(p, ev);
  const saving = nextHistorySaving(p.historySaving, ev);
  if (saving) p.historySaving = saving;
  else delete p.historySaving;
  derive(p);
  return effect;
}

/** Context windows by config object: a config is replaced on change, never mutated, so this never goes stale. */
const windows = new WeakMap<SessionProjection['config'], number>();

function windowOf(config: SessionProjection['config']): number {
  let w = windows.get(config);
  if (w === undefined) {
    w = contextWindowFor(config);
    windows.set(config, w);
  }
  return w;
}

/** The derived fields: state, pausing and the context share. */
function derive(p: SessionProjection): void {
  p.state = stateOf(p);
  const turn = p.turn;
  if (p.paused && turn && (turn.streaming || turn.openCalls.some((c) => c.phase === 'started'))) p.pausing = true;
  else delete p.pausing;
  p.context = contextUsage(p.meter, windowOf(p.config));
}

function stateOf(p: SessionProjection): SessionState {
  if (p.turn) return p.paused ? 'paused' : p.pendingApprovals.length > 0 || (p.pendingQuestions?.length ?? 0) > 0 ? 'awaiting_approval' : 'running';
  return p.outcome === 'error' ? 'error' : 'idle';
}

function onMessage(p: SessionProjection, message: HistoryMessage): void {
  p.meter = meterOnMessage(p.meter, message);
}

function endTurn(p: SessionProjection): void {
  finishStreaming(p, p.turn?.streaming?.messageId);
  delete p.turn;
  p.paused = false;
  delete p.pendingRetry;
  // Questions die with the turn (core records their answers first; an older log may not have).
  delete p.pendingQuestions;
  // A child still marked running lost its spawn_session call (cancel, crash): it was cancelled with the turn.
  if (p.children.some((c) => c.status === 'running')) p.children = p.children.map((c) => (c.status === 'running' ? { ...c, status: 'cancelled' } : c));
}

function apply(p: SessionProjection, ev: SessionEvent): FoldEffect {
  switch (ev.type) {
    case 'session.created':
      p.title = ev.title;
      p.config = mergeConfig(ev.config, {});
      p.createdAt = ev.ts;
      if (ev.parentId !== undefined) p.parentId = ev.parentId;
      if (p.requests === 0) p.totals = startingTotals(p.config.model);
      return EFFECT_META;
    case 'session.renamed': p.title = ev.title; return EFFECT_META;
    case 'session.config_changed':
      p.config = mergeConfig(p.config, ev.patch);
      if (p.requests === 0) p.totals = startingTotals(p.config.model);
      return EFFECT_META;
    case 'session.state': return EFFECT_META; // older logs recorded it; the state is derived now
    case 'session.paused': p.paused = true; return EFFECT_META;
    case 'session.resumed': p.paused = false; return EFFECT_META;
    case 'prompt.queued': p.queue = [...p.queue, { id: ev.promptId, text: ev.text, queuedAt: ev.ts }]; return EFFECT_META;
    case 'prompt.removed': p.queue = p.queue.filter((q) => q.id !== ev.promptId); return EFFECT_META;
    case 'turn.started':
      p.queue = p.queue.filter((q) => q.id !== ev.promptId);
      // The config is shared, not copied: the fold replaces it on a change and never mutates it.
      p.turn = { turnId: ev.turnId, userMessageId: ev.messageId, rounds: 0, openCalls: [], used: { tokens: 0, costUsd: 0 }, config: p.config };
      delete p.outcome;
      delete p.lastError;
      pushRecord(p, { kind: 'user', key: ev.messageId, seq: ev.seq, text: ev.text });
      onMessage(p, { id: ev.messageId, role: 'user', content: ev.text });
      return EFFECT_ROWS;
    case 'message.started':
      if (p.turn) {
        p.turn.rounds = ev.round;
        p.turn.streaming = { messageId: ev.messageId };
        delete p.turn.cutMessageId;
      }
      if (recordIndex(p, ev.messageId) < 0) pushRecord(p, { kind: 'assistant', key: ev.messageId, seq: ev.seq, text: '', thinking: '', streaming: true });
      return EFFECT_ROWS;
    case 'message.delta': {
      const i = recordIndex(p, ev.messageId);
      const r = i >= 0 ? p.records[i] : undefined;
      if (r?.kind !== 'assistant' || !r.streaming) return { type: 'none' };
      // In place on purpose: a delta never re-renders the transcript (see the file comment).
      if (ev.kind === 'text') r.text += ev.text;
      else r.thinking += ev.text;
      return { type: 'delta', messageId: ev.messageId, kind: ev.kind, text: ev.text };
    }
    case 'message.completed': return completeMessage(p, ev);
    case 'tool.requested': {
      const call = p.turn?.openCalls.find((c) => c.id === ev.callId);
      if (call) call.phase = 'requested';
      updateTool(p, ev.callId, (r) => ({ ...r, name: ev.name, args: ev.args }));
      return EFFECT_ROWS;
    }
    case 'approval.requested': {
      const a = ev.approval;
      p.pendingApprovals = [...p.pendingApprovals.filter((x) => x.id !== a.id), a];
      updateTool(p, a.callId, (r) => {
        const { resolution: _gone, ...rest } = r;
        return { ...rest, status: 'awaiting_approval', approval: a };
      });
      return EFFECT_ROWS;
    }
    case 'approval.resolved': {
      p.pendingApprovals = p.pendingApprovals.filter((a) => a.id !== ev.approvalId);
      const approved = ev.resolution.decision === 'approve';
      const call = approved ? p.turn?.openCalls.find((c) => c.id === ev.callId) : undefined;
      if (call) call.approved = true;
      updateTool(p, ev.callId, (r) => {
        const { approval: _gone, ...rest } = r;
        return { ...rest, resolution: ev.resolution, status: approved ? 'running' : 'denied' };
      });
      return EFFECT_ROWS;
    }
    case 'tool.started': {
      const call = p.turn?.openCalls.find((c) => c.id === ev.callId);
      if (call) call.phase = 'started';
      if (p.turn) delete p.turn.cutMessageId;
      updateTool(p, ev.callId, (r) => ({ ...r, status: 'running', permission: ev.permission }));
      return EFFECT_ROWS;
    }
    case 'tool.output':
      return updateTool(p, ev.callId, (r) => ({ ...r, output: (r.output + ev.chunk).slice(-MAX_TOOL_OUTPUT) })) ? EFFECT_ROWS : { type: 'none' };
    case 'tool.completed': {
      if (p.turn) {
        p.turn.openCalls = p.turn.openCalls.filter((c) => c.id !== ev.callId);
        delete p.turn.cutMessageId;
      }
      onMessage(p, { id: ev.messageId, role: 'tool', toolCallId: ev.callId, toolName: ev.name, content: ev.content });
      updateTool(p, ev.callId, (r) => {
        const { approval: _gone, ...rest } = r;
        const permission = ev.permission ?? r.permission;
        const status = ev.interrupted ? 'interrupted' : permission?.decision === 'deny' ? 'denied' : ev.isError ? 'error' : 'done';
        return { ...rest, status, result: ev.content, durationMs: ev.durationMs, resultId: ev.messageId, ...(permission ? { permission } : {}) };
      });
      return EFFECT_ROWS;
    }
    case 'usage.updated': return foldUsage(p, ev);
    case 'context.compacted':
      markCompacted(p, new Set(ev.compactedMessageIds));
      pushMarker(p, ev, 'compacted', compactionText(ev), { summary: ev.summary });
      p.meter = { base: ev.after.tokens, added: 0 };
      p.requestsSinceCompaction = 0;
      return EFFECT_ROWS;
    case 'tasks.updated': p.tasks = ev.tasks; return EFFECT_META;
    case 'turn.completed': {
      endTurn(p);
      p.outcome = 'done';
      const limit = limitText(ev);
      if (limit) pushMarker(p, ev, 'limit', limit);
      return EFFECT_ROWS;
    }
    case 'turn.failed':
      endTurn(p);
      p.outcome = 'error';
      p.lastError = ev.error;
      pushMarker(p, ev, 'failed', `Turn failed: ${ev.error.message}`, { error: ev.error });
      return EFFECT_ROWS;
    case 'turn.cancelled': {
      markInterrupted(p, ev.partialMessageId ?? p.turn?.cutMessageId);
      endTurn(p);
      p.outcome = 'done';
      const n = ev.interruptedCallIds.length;
      pushMarker(p, ev, 'cancelled', `Turn cancelled${n ? ` (${n} tool call(s) interrupted)` : ''}`);
      return EFFECT_ROWS;
    }
    case 'turn.interrupted':
      markInterrupted(p, ev.partialMessageId ?? p.turn?.cutMessageId);
      endTurn(p);
      pushMarker(p, ev, 'interrupted', 'Turn interrupted (the editor closed while it ran)');
      return EFFECT_ROWS;
    case 'provider.retry': return foldRetry(p, ev);
    case 'provider.retrying': delete p.pendingRetry; return EFFECT_META;
    case 'warning': pushMarker(p, ev, 'warning', ev.message, { code: ev.code }); return EFFECT_ROWS;
    case 'knowledge.loaded': p.knowledge = ev.knowledge; return EFFECT_META;
    case 'skill.attached':
      // The skill's text joins the turn's user message in the model's history (core's half of the fold).
      p.meter = meterOnMessage(p.meter, { id: ev.turnId, role: 'user', content: ev.text });
      pushMarker(p, ev, 'note', `Skill “${ev.name}” attached (matched its ${ev.reason})`);
      return EFFECT_ROWS;
    case 'child.started':
      p.children = [...p.children, { id: ev.childId, title: ev.title, callId: ev.callId, status: 'running' }];
      pushMarker(p, ev, 'note', `Started child session “${ev.title}”: ${ev.goal}`);
      return EFFECT_ROWS;
    case 'child.completed':
      p.children = p.children.map((c) => (c.id === ev.childId ? { ...c, status: ev.status } : c));
      pushMarker(p, ev, 'note', `Child session finished (${ev.status})`);
      return EFFECT_ROWS;
    case 'session.detached': delete p.parentId; return EFFECT_META;
    default: {
      const changed = foldChangeEvent(p, ev) || foldWorktreeEvent(p, ev) || foldKnowledgeEvent(p, ev);
      // A newer host may send event types this build does not know yet: ignore them.
      return changed === 'rows' ? EFFECT_ROWS : changed === 'meta' ? EFFECT_META : { type: 'none' };
    }
  }
}

function completeMessage(p: SessionProjection, ev: Extract<SessionEvent, { type: 'message.completed' }>): FoldEffect {
  const text = ev.content.filter((c) => c.type === 'text').map((c) => c.text).join('');
  const thinking = ev.content.filter((c) => c.type === 'thinking').map((c) => c.text).join('');
  const turn = p.turn;
  if (turn?.streaming?.messageId === ev.messageId) delete turn.streaming;
  const i = recordIndex(p, ev.messageId);
  if (text || thinking) {
    const record: TranscriptRecord = {
      kind: 'assistant', key: ev.messageId, seq: i >= 0 ? p.records[i].seq : ev.seq, text, thinking, streaming: false,
      ...(ev.partial ? { partial: true as const } : {}),
    };
    if (i >= 0) replaceRecord(p, i, record);
    else pushRecord(p, record);
  } else if (i >= 0) {
    dropRecord(p, i);
  }
  // Kept for the record only: the model never sees a broken-off answer (the request goes again).
  if (ev.partial) return EFFECT_ROWS;
  if (ev.content.length > 0) onMessage(p, { id: ev.messageId, role: 'assistant', content: ev.content });
  for (const c of ev.content) {
    if (c.type !== 'tool_call') continue;
    turn?.openCalls.push({ id: c.id, name: c.name });
    if (recordIndex(p, toolKey(c.id)) < 0) pushRecord(p, { kind: 'tool', key: toolKey(c.id), seq: ev.seq, callId: c.id, name: c.name, args: c.args, status: 'requested', output: '' });
  }
  if (turn && ev.stopReason === 'other') turn.cutMessageId = ev.messageId;
  return EFFECT_ROWS;
}

function foldUsage(p: SessionProjection, ev: Extract<SessionEvent, { type: 'usage.updated' }>): FoldEffect {
  const u = ev.usage;
  const cost = ev.requestCostUsd;
  const sampling = ev.source === 'sampling';
  if (p.turn) {
    p.turn.used.tokens += u.inputTokens + u.outputTokens;
    p.turn.used.costUsd += cost ?? 0;
  }
  const t = p.totals;
  // Unknown once any request had an unknown price: never shown as a too-low number.
  const before = p.requests === 0 ? 0 : t.costUsd;
  p.totals = {
    inputTokens: t.inputTokens + u.inputTokens, outputTokens: t.outputTokens + u.outputTokens,
    cacheReadTokens: t.cacheReadTokens + (u.cacheReadTokens ?? 0), cacheWriteTokens: t.cacheWriteTokens + (u.cacheWriteTokens ?? 0),
    costUsd: before === null || cost === null ? null : before + cost,
  };
  p.requests++;
  // A server's sampling request is not the session's prompt: it costs, but leaves the meter alone.
  if (sampling) return EFFECT_META;
  p.lastUsage = u;
  p.meter = meterOnUsage(u);
  if (p.requestsSinceCompaction !== undefined) p.requestsSinceCompaction++;
  return EFFECT_META;
}

function foldRetry(p: SessionProjection, ev: Extract<SessionEvent, { type: 'provider.retry' }>): FoldEffect {
  if (p.turn?.turnId === ev.turnId) {
    p.pendingRetry = {
      turnId: ev.turnId, attempt: ev.attempt, error: ev.error, delayMs: ev.delayMs,
      ...(ev.retryAt !== undefined ? { retryAt: ev.retryAt } : {}), ...(ev.ask ? { ask: ev.ask } : {}),
      ...(ev.partialMessageId ? { partialMessageId: ev.partialMessageId } : {}),
    };
  }
  // One marker per attempt: "wait" turns the question into a countdown in the same row.
  const key = `retry:${ev.turnId}:${ev.attempt}`;
  const i = recordIndex(p, key);
  const text = retryText(ev);
  if (i >= 0) replaceRecord(p, i, { kind: 'marker', key, seq: p.records[i].seq, variant: 'retry', text, error: ev.error });
  else pushRecord(p, { kind: 'marker', key, seq: ev.seq, variant: 'retry', text, error: ev.error });
  return EFFECT_ROWS;
}

/** Folds a whole log. */
export function foldAll(id: string, events: Iterable<SessionEvent>): SessionProjection {
  const p = initialProjection(id);
  for (const ev of events) foldEvent(p, ev);
  return p;
}

/** The projection's snapshot: a detached copy of everything but the records. */
export function toSnapshot(p: SessionProjection): SessionSnapshot {
  const { records: _records, ...rest } = p;
  return structuredClone(rest);
}
