import type { HistoryMessage } from '../../shared/model';
import type { TaskItem } from '../../shared/session';
import type { ModelProvider } from '../providers/types';
import { AgentError } from '../base/errors';

/**
 * Compaction: replace the middle of a long history by a summary. Invariants:
 * - the original (first) user request stays verbatim and first;
 * - the most recent turns stay verbatim;
 * - a tool call is never separated from its result (cuts fall only before non-tool messages);
 * - open tasks are restated in the summary.
 * The session (session.ts) emits `context.compacted`; the reducer applies it.
 */

export interface CompactionPlan {
  /** The original user request, kept verbatim at the head of the history. */
  original?: HistoryMessage;
  /** Messages replaced by the summary (they stay in the log, marked compacted). */
  summarise: HistoryMessage[];
  /** Recent messages kept verbatim after the summary. */
  keep: HistoryMessage[];
}

export interface PlanOptions {
  /** How many of the latest user turns stay verbatim. Default 2. */
  keepTurns?: number;
  /** When the history is a single long turn: at least this many trailing messages stay. Default 4. */
  minKeepMessages?: number;
}

/** Decides what to summarise; undefined when there is nothing worth compacting. */
export function planCompaction(history: readonly HistoryMessage[], options: PlanOptions = {}): CompactionPlan | undefined {
  const keepTurns = Math.max(1, options.keepTurns ?? 2);
  const minKeep = Math.max(1, options.minKeepMessages ?? 4);
  const origIdx = history.findIndex((m) => m.role === 'user');
  if (origIdx < 0) return undefined;
  const first = origIdx + 1;

  // Preferred cut: the start of the keepTurns-th latest user turn.
  const userStarts: number[] = [];
  for (let i = first; i < history.length; i++) if (history[i].role === 'user') userStarts.push(i);
  let cut = userStarts.length >= keepTurns ? userStarts[userStarts.length - keepTurns] : -1;

  if (cut <= first) {
    // One long turn (or too few turns): cut inside it, before a non-tool message, keeping minKeep.
    cut = -1;
    for (let i = history.length - minKeep; i > first; i--) {
      if (history[i].role !== 'tool') { cut = i; break; }
    }
  }
  if (cut <= first) return undefined;
  return { original: history[origIdx], summarise: history.slice(first, cut), keep: history.slice(cut) };
}

/**
 * The smallest keep, for a request that did not fit (or a compaction right after another): the
 * original request, the request of the turn in progress (`currentRequestId`, verbatim) and that
 * turn's last round (its latest assistant message and the results after it); everything between
 * is summarised. Undefined when that leaves nothing to summarise.
 */
export function planTightCompaction(history: readonly HistoryMessage[], currentRequestId: string | undefined): CompactionPlan | undefined {
  const origIdx = history.findIndex((m) => m.role === 'user');
  if (origIdx < 0) return undefined;
  const first = origIdx + 1;
  let pinned = currentRequestId === undefined ? -1 : history.findIndex((m, i) => i > origIdx && m.id === currentRequestId);
  if (pinned < 0) {
    // No turn in progress (a manual compaction): the latest user request is the one kept.
    for (let i = history.length - 1; i > origIdx && pinned < 0; i--) if (history[i].role === 'user') pinned = i;
  }
  // The last round starts at the latest assistant message after the kept request (tool results
  // follow their call, so a cut before an assistant message never separates a call from its result).
  let cut = pinned < 0 ? history.length : pinned;
  for (let i = history.length - 1; i > Math.max(pinned, origIdx); i--) {
    if (history[i].role === 'assistant') { cut = i; break; }
  }
  const summarise = history.slice(first, cut).filter((_, i) => first + i !== pinned);
  if (summarise.length === 0) return undefined;
  const keep = [...(pinned >= first && pinned < cut ? [history[pinned]] : []), ...history.slice(cut)];
  return { original: history[origIdx], summarise, keep };
}

/** Instructions for the summarising model. */
export const SUMMARY_SYSTEM_PROMPT = [
  'You compress the middle part of a coding-agent conversation so the agent can continue the work.',
  'Write a concise but complete summary: decisions made, files read or changed (with paths), commands run and',
  'their outcome, errors met, and what was about to happen next. Keep exact identifiers, paths and numbers.',
  'Do not invent anything. Do not address the user. Output only the summary.',
].join('\n');

const MAX_RENDERED_TOOL_RESULT = 2_000;

/** Renders messages as plain text for the summarising model (long tool results are clipped). */
export function renderForSummary(messages: readonly HistoryMessage[]): string {
  const out: string[] = [];
  for (const m of messages) {
    if (m.role === 'user') out.push(`USER:\n${m.content}`);
    else if (m.role === 'tool') {
      const body = m.content.length > MAX_RENDERED_TOOL_RESULT
        ? `${m.content.slice(0, MAX_RENDERED_TOOL_RESULT)}\n…[${m.content.length - MAX_RENDERED_TOOL_RESULT} chars clipped]`
        : m.content;
      out.push(`TOOL RESULT (${m.toolName}${m.isError ? ', error' : ''}):\n${body}`);
    } else {
      const parts = m.content.map((p) => (p.type === 'text' ? p.text
        : p.type === 'thinking' ? '' : `[tool call ${p.name} ${JSON.stringify(p.args)}]`)).filter(Boolean);
      out.push(`ASSISTANT:\n${parts.join('\n')}`);
    }
  }
  return out.join('\n\n');
}

/** Open tasks restated for the summary (so the plan survives compaction). */
export function renderOpenTasks(tasks: readonly TaskItem[]): string {
  const open = tasks.filter((t) => t.status === 'pending' || t.status === 'in_progress');
  return open.length === 0 ? '' : `Open tasks:\n${open.map((t) => `- [${t.status}] ${t.title}`).join('\n')}`;
}

/** The text of the message that stands in for the compacted messages. */
export function summaryMessageText(summary: string, tasks: readonly TaskItem[], method: 'llm' | 'truncate'): string {
  const head = method === 'llm'
    ? '[Summary of the earlier part of this conversation, written when the context was compacted]'
    : '[Earlier messages were removed to free context; no summary could be written]';
  return [head, summary.trim(), renderOpenTasks(tasks)].filter(Boolean).join('\n\n');
}

/** Text used when no model can summarise: says what was dropped. */
export function truncationSummary(messages: readonly HistoryMessage[]): string {
  const tools = messages.filter((m) => m.role === 'tool').length;
  return `${messages.length} earlier message(s) (${tools} tool result(s)) were truncated.`;
}

export interface SummariseOptions {
  provider: ModelProvider;
  model: string;
  messages: readonly HistoryMessage[];
  tasks: readonly TaskItem[];
  signal: AbortSignal;
  maxOutputTokens?: number;
}

/** Asks a model for a summary; throws AgentError when the model fails or says nothing. */
export async function summariseWithModel(o: SummariseOptions): Promise<string> {
  const openTasks = renderOpenTasks(o.tasks);
  const content = `Summarise this conversation excerpt:\n\n${renderForSummary(o.messages)}${openTasks ? `\n\n${openTasks}` : ''}`;
  let text = '';
  let stopped = false;
  for await (const ev of o.provider.stream({
    model: o.model,
    system: SUMMARY_SYSTEM_PROMPT,
    messages: [{ id: 'compaction-request', role: 'user', content }],
    tools: [],
    maxOutputTokens: o.maxOutputTokens ?? 4_096,
    signal: o.signal,
  }, { maxRetries: 1 })) {
    if (ev.type === 'text_delta') text += ev.text;
    else if (ev.type === 'stop') stopped = true;
  }
  if (!stopped || !text.trim()) throw new AgentError('unknown', 'The summarising model returned no summary.');
  return text.trim();
}
