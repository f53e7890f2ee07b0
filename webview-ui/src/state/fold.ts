/**
 * Folds one live SessionEvent into a session's view state. Pure except for one deliberate
 * exception: a streaming assistant row's `text`/`thinking` grow in place, so a delta never
 * re-renders the transcript (the streaming element appends the delta itself).
 */
import type { SessionEvent } from '../../../src/shared/events';
import { nextHistorySaving } from '../../../src/shared/history-status';
import type { SessionView } from './types';
import { MAX_TOOL_OUTPUT, type Row, type ToolRow } from './rows';
import { formatWait } from '../../../src/shared/durations';

/** What a folded event changed, so the store can notify precisely. */
export type FoldEffect =
  | { type: 'rows' }
  | { type: 'meta' }
  | { type: 'delta'; messageId: string; kind: 'text' | 'thinking'; text: string }
  | { type: 'none' };

/** Events that make a hidden tab "unread". */
const UNREAD_TYPES = new Set<SessionEvent['type']>(['message.completed', 'approval.requested', 'turn.completed', 'turn.failed']);

export function marksUnread(event: SessionEvent): boolean {
  return UNREAD_TYPES.has(event.type);
}

function indexOfKey(view: SessionView, key: string): number {
  return view.rows.findIndex((r) => r.key === key);
}

function replaceRow(view: SessionView, index: number, row: Row): void {
  view.rows = view.rows.slice();
  view.rows[index] = row;
}

function pushRow(view: SessionView, row: Row): void {
  view.rows = [...view.rows, row];
}

function updateTool(view: SessionView, callId: string, patch: (row: ToolRow) => ToolRow, create?: () => ToolRow): boolean {
  const i = indexOfKey(view, `tool:${callId}`);
  if (i >= 0) {
    replaceRow(view, i, patch(view.rows[i] as ToolRow));
    return true;
  }
  if (create) {
    pushRow(view, patch(create()));
    return true;
  }
  return false;
}

/** Storage warnings: whether the history is being saved (core's reducer takes the same step). */
function foldHistorySaving(view: SessionView, event: SessionEvent): void {
  const snap = view.snapshot;
  if (!snap) return;
  const next = nextHistorySaving(snap.historySaving, event);
  if (next === snap.historySaving) return;
  const { historySaving: _gone, ...rest } = snap;
  view.snapshot = next ? { ...rest, historySaving: next } : rest;
}

/** Applies `event` (already known to be the next seq) to `view`. */
export function foldEvent(view: SessionView, event: SessionEvent): FoldEffect {
  foldHistorySaving(view, event);
  const snap = view.snapshot;
  switch (event.type) {
    case 'session.created':
      view.title = event.title;
      view.parentId = event.parentId;
      return { type: 'meta' };
    case 'session.renamed':
      view.title = event.title;
      return { type: 'meta' };
    case 'session.config_changed':
      if (snap) view.snapshot = { ...snap, config: { ...snap.config, ...event.patch } };
      return { type: 'meta' };
    case 'session.state':
      view.state = event.state;
      if (event.state === 'error') view.outcome = 'error';
      if (snap) view.snapshot = { ...snap, state: event.state, lastError: event.error };
      return { type: 'meta' };
    case 'session.paused':
      view.state = 'paused';
      return { type: 'meta' };
    case 'session.resumed':
      return { type: 'meta' };
    case 'prompt.queued':
      if (snap) view.snapshot = { ...snap, queue: [...snap.queue, { id: event.promptId, text: event.text, queuedAt: event.ts }] };
      return { type: 'meta' };
    case 'prompt.removed':
      if (snap) view.snapshot = { ...snap, queue: snap.queue.filter((q) => q.id !== event.promptId) };
      return { type: 'meta' };
    case 'turn.started':
      if (snap) view.snapshot = { ...snap, queue: snap.queue.filter((q) => q.id !== event.promptId) };
      view.outcome = undefined;
      pushRow(view, { kind: 'user', key: event.messageId, text: event.text });
      return { type: 'rows' };
    case 'message.started':
      if (indexOfKey(view, event.messageId) < 0) pushRow(view, { kind: 'assistant', key: event.messageId, text: '', thinking: '', streaming: true });
      view.streamingMessageId = event.messageId;
      return { type: 'rows' };
    case 'message.delta': {
      const i = indexOfKey(view, event.messageId);
      if (i < 0) {
        pushRow(view, { kind: 'assistant', key: event.messageId, text: '', thinking: '', streaming: true });
        foldEvent(view, event);
        return { type: 'rows' };
      }
      const row = view.rows[i];
      if (row.kind !== 'assistant') return { type: 'none' };
      // In place on purpose: see the file comment.
      if (event.kind === 'text') row.text += event.text;
      else row.thinking += event.text;
      return { type: 'delta', messageId: event.messageId, kind: event.kind, text: event.text };
    }
    case 'message.completed': {
      const text = event.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
      const thinking = event.content.filter((p) => p.type === 'thinking').map((p) => p.text).join('');
      const i = indexOfKey(view, event.messageId);
      const row: Row = { kind: 'assistant', key: event.messageId, text, thinking, streaming: false, ...(event.partial ? { partial: true as const } : {}) };
      if (i >= 0) {
        if (text || thinking) replaceRow(view, i, row);
        else view.rows = view.rows.filter((_, j) => j !== i);
      } else if (text || thinking) pushRow(view, row);
      for (const p of event.content) {
        if (p.type === 'tool_call' && !event.partial && indexOfKey(view, `tool:${p.id}`) < 0) {
          pushRow(view, { kind: 'tool', key: `tool:${p.id}`, callId: p.id, name: p.name, args: p.args, status: 'requested', output: '' });
        }
      }
      if (view.streamingMessageId === event.messageId) view.streamingMessageId = undefined;
      return { type: 'rows' };
    }
    case 'tool.requested':
      updateTool(view, event.callId, (r) => ({ ...r, args: event.args, name: event.name }),
        () => ({ kind: 'tool', key: `tool:${event.callId}`, callId: event.callId, name: event.name, args: event.args, status: 'requested', output: '' }));
      return { type: 'rows' };
    case 'approval.requested': {
      const a = event.approval;
      if (snap) view.snapshot = { ...snap, pendingApprovals: [...snap.pendingApprovals.filter((p) => p.id !== a.id), a] };
      updateTool(view, a.callId, (r) => ({ ...r, status: 'awaiting_approval', approval: a, resolution: undefined }),
        () => ({ kind: 'tool', key: `tool:${a.callId}`, callId: a.callId, name: a.toolName, args: a.args, status: 'requested', output: '' }));
      return { type: 'rows' };
    }
    case 'approval.resolved':
      if (snap) view.snapshot = { ...snap, pendingApprovals: snap.pendingApprovals.filter((p) => p.id !== event.approvalId) };
      updateTool(view, event.callId, (r) => ({ ...r, approval: undefined, resolution: event.resolution, status: event.resolution.decision === 'approve' ? 'running' : 'error' }));
      return { type: 'rows' };
    case 'tool.started':
      updateTool(view, event.callId, (r) => ({ ...r, status: 'running', permission: event.permission }));
      return { type: 'rows' };
    case 'tool.output':
      updateTool(view, event.callId, (r) => ({ ...r, output: (r.output + event.chunk).slice(-MAX_TOOL_OUTPUT) }));
      return { type: 'rows' };
    case 'tool.completed':
      updateTool(view, event.callId, (r) => ({
        ...r, result: event.content, durationMs: event.durationMs, permission: event.permission ?? r.permission, approval: undefined,
        status: event.interrupted ? 'interrupted' : event.isError ? 'error' : 'done',
      }), () => ({ kind: 'tool', key: `tool:${event.callId}`, callId: event.callId, name: event.name, args: {}, status: 'done', output: '' }));
      return { type: 'rows' };
    case 'usage.updated':
      if (snap) view.snapshot = { ...snap, context: event.context, totals: event.totals, lastUsage: event.usage };
      return { type: 'meta' };
    case 'context.compacted':
      // The meter drops to what is left (the core's meter does the same); no usage event follows.
      if (snap) {
        const window = snap.context.window;
        view.snapshot = { ...snap, context: { tokens: event.after.tokens, window, fraction: window > 0 ? event.after.tokens / window : 0 } };
      }
      pushRow(view, {
        kind: 'marker', key: `m:${event.seq}`, variant: 'compacted',
        text: `Context compacted (${event.trigger === 'overflow' ? 'the request did not fit' : event.trigger}, ${event.method}): ${event.before.messages} messages / ${event.before.tokens} tokens → ${event.after.messages} / ${event.after.tokens}${event.note ? ` — ${event.note}` : ''}`,
      });
      return { type: 'rows' };
    case 'tasks.updated':
      if (snap) view.snapshot = { ...snap, tasks: event.tasks };
      return { type: 'meta' };
    case 'turn.completed':
      view.outcome = 'done';
      finishStreaming(view);
      clearRetry(view);
      return { type: 'rows' };
    case 'turn.failed':
      view.outcome = 'error';
      finishStreaming(view);
      clearRetry(view);
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'failed', text: `Turn failed: ${event.error.message}`, error: event.error });
      return { type: 'rows' };
    case 'turn.cancelled':
      view.outcome = 'done';
      finishStreaming(view);
      clearRetry(view);
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'cancelled', text: `Turn cancelled${event.interruptedCallIds.length ? ` (${event.interruptedCallIds.length} tool call(s) interrupted)` : ''}` });
      return { type: 'rows' };
    case 'turn.interrupted':
      finishStreaming(view);
      clearRetry(view);
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'interrupted', text: 'Turn interrupted (the editor closed while it ran)' });
      return { type: 'rows' };
    case 'provider.retry': {
      // The live card (countdown, buttons) draws snapshot.pendingRetry, as the core's fold has it.
      if (snap) {
        view.snapshot = {
          ...snap, pendingRetry: {
            turnId: event.turnId, attempt: event.attempt, error: event.error, delayMs: event.delayMs,
            ...(event.retryAt !== undefined ? { retryAt: event.retryAt } : {}), ...(event.ask ? { ask: event.ask } : {}),
            ...(event.partialMessageId ? { partialMessageId: event.partialMessageId } : {}),
          },
        };
      }
      // One marker per attempt: "wait" turns the question into a countdown in the same row.
      const key = `retry:${event.turnId}:${event.attempt}`;
      const row: Row = { kind: 'marker', key, variant: 'retry', text: retryText(event), error: event.error };
      const i = indexOfKey(view, key);
      if (i >= 0) replaceRow(view, i, row); else pushRow(view, row);
      return { type: 'rows' };
    }
    case 'provider.retrying':
      clearRetry(view);
      return { type: 'meta' };
    case 'warning':
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'warning', text: event.message });
      return { type: 'rows' };
    case 'knowledge.loaded':
      // The header counts the rules files and skills in use; the Context panel reads the same data.
      if (snap) view.snapshot = { ...snap, knowledge: event.knowledge };
      return { type: 'meta' };
    case 'skill.attached':
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'note', text: `Skill “${event.name}” attached (matched its ${event.reason})` });
      return { type: 'rows' };
    case 'child.started':
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'note', text: `Started child session “${event.title}”: ${event.goal}` });
      return { type: 'rows' };
    case 'child.completed':
      pushRow(view, { kind: 'marker', key: `m:${event.seq}`, variant: 'note', text: `Child session finished (${event.status})` });
      return { type: 'rows' };
    case 'session.detached':
      view.parentId = undefined;
      return { type: 'meta' };
    default:
      // A newer host may send event types this webview does not know yet: ignore them.
      return { type: 'none' };
  }
}

/** The marker's words for a retry (the card beside it counts down). */
function retryText(event: Extract<SessionEvent, { type: 'provider.retry' }>): string {
  if (event.ask === 'after_output') return `The answer broke off (attempt ${event.attempt}): ${event.error.message}`;
  if (event.ask === 'long_wait') return `The provider asks to wait ${formatWait(event.delayMs)} before retrying (attempt ${event.attempt}): ${event.error.message}`;
  return `Retrying (attempt ${event.attempt}) in ${formatWait(event.delayMs)}: ${event.error.message}`;
}

function clearRetry(view: SessionView): void {
  if (view.snapshot?.pendingRetry) view.snapshot = { ...view.snapshot, pendingRetry: undefined };
}

function finishStreaming(view: SessionView): void {
  const id = view.streamingMessageId;
  view.streamingMessageId = undefined;
  if (!id) return;
  const i = indexOfKey(view, id);
  const row = view.rows[i];
  if (row?.kind === 'assistant' && row.streaming) replaceRow(view, i, { ...row, streaming: false });
}
