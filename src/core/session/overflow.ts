/**
 * When the context does not fit: the words for it. A request the provider refused as too long
 * is compacted once and sent again (turn-runner.ts); compacting again is pointless — and would
 * loop — when the context is full again right after a compaction (0–1 requests since, "thrash").
 * Then the turn stops, or the automatic compaction is skipped, with a message that says what the
 * window is, what fills it and what the user can do.
 */
import type { HistoryMessage, ToolSpec } from '../../shared/model';
import type { SessionData } from './reducer';
import { AgentError } from '../base/errors';
import { buildSystemPrompt } from '../context/system-prompt';
import { estimateMessage, estimateMessages, estimateText, estimateTools } from '../../shared/tokens';

/** True when the last compaction was followed at once (0–1 requests) by a full context again. */
export function compactedJustNow(d: SessionData): boolean {
  return d.requestsSinceCompaction !== undefined && d.requestsSinceCompaction <= 1;
}

/** What a request is made of, in estimated tokens. */
export interface ContextParts {
  window: number;
  model: string;
  /** Base instructions, tool guidance and the session's own prompt. */
  system: number;
  /** Rules files and the skills index (part of the system prompt). */
  sections: number;
  tools: { count: number; tokens: number };
  conversation: number;
  largest?: { what: string; tokens: number; toolResult: boolean };
}

function describeMessage(m: HistoryMessage): { what: string; toolResult: boolean } {
  if (m.role === 'tool') return { what: `a ${m.toolName} result`, toolResult: true };
  if (m.role === 'user') return { what: m.content.startsWith('[Summary of') || m.content.startsWith('[Earlier messages') ? 'the compaction summary' : 'a request', toolResult: false };
  return { what: 'an answer of the model', toolResult: false };
}

/**
 * The parts of the next request (estimates: chars/4). `sections`: the rules-files and skills
 * sections of the prompt when known (the turn has them), else the enabled rules files as last loaded.
 */
export function contextParts(d: SessionData, specs: readonly ToolSpec[], sections?: readonly string[]): ContextParts {
  const cfg = d.turn?.config ?? d.config;
  const system = estimateText(buildSystemPrompt({ sessionPrompt: cfg.systemPrompt, agent: cfg.agent, tools: specs }));
  const sectionTokens = sections
    ? sections.reduce((sum, s) => sum + estimateText(s), 0)
    : Math.ceil((d.knowledge?.rules ?? []).filter((r) => r.enabled).reduce((sum, r) => sum + r.chars, 0) / 4);
  let largest: ContextParts['largest'];
  for (const m of d.history) {
    const tokens = estimateMessage(m);
    if (!largest || tokens > largest.tokens) largest = { ...describeMessage(m), tokens };
  }
  return {
    window: d.context.window, model: cfg.model, system, sections: sectionTokens,
    tools: { count: specs.length, tokens: estimateTools(specs) }, conversation: estimateMessages(d.history),
    ...(largest ? { largest } : {}),
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** "The window of gpt-4o is 128,000 tokens. The request is about …: system prompt …, … tool definitions …, conversation … (largest: …)." */
export function describeParts(p: ContextParts): string {
  const total = p.system + p.sections + p.tools.tokens + p.conversation;
  const sections = p.sections > 0 ? ` (of which rules files and skills ~${n(p.sections)})` : '';
  const largest = p.largest ? ` (largest: ${p.largest.what}, ~${n(p.largest.tokens)})` : '';
  return `The context window of ${p.model} is ${n(p.window)} tokens. The request is about ${n(total)} tokens (estimated): `
    + `system prompt ~${n(p.system + p.sections)}${sections}, ${p.tools.count} tool definitions ~${n(p.tools.tokens)}, conversation ~${n(p.conversation)}${largest}.`;
}

/** What the user can do, most effective first. */
function actions(p: ContextParts, canCompactTighter: boolean): string {
  const out = ['Switch to a model with a larger context window (or set the session\'s context window if the model\'s is larger than assumed)'];
  if (canCompactTighter) out.push('compact now (right after a compaction it keeps only the latest request and its last round)');
  out.push('start a new session with a shorter request', 'or turn off rules files, skills, MCP servers or tools in the Context panel');
  let text = `${out.join(', ')}.`;
  if (p.largest?.toolResult && p.largest.tokens > p.window * 0.25) {
    text += ` The largest part is ${p.largest.what} of ~${n(p.largest.tokens)} tokens: ask for a smaller part (a line range, a narrower command).`;
  }
  return text;
}

/** Why compacting did not (or cannot) help. */
export type OverflowStop = 'still_too_long' | 'refilled' | 'nothing_to_compact';

const STOP_TEXT: Record<OverflowStop, string> = {
  still_too_long: 'The request does not fit in the model\'s context window, even after compacting the session.',
  refilled: 'The context filled up again right after it was compacted, so compacting once more would not help.',
  nothing_to_compact: 'The request does not fit in the model\'s context window, and there is nothing left to compact.',
};

/** The turn's end when compacting does not help: code context_overflow, with the parts and the actions. */
export function overflowStopError(why: OverflowStop, parts: ContextParts, cause: AgentError): AgentError {
  return new AgentError('context_overflow', `${STOP_TEXT[why]} ${describeParts(parts)} The provider said: ${cause.message}`, {
    retryable: false, cause, ...(cause.status !== undefined ? { status: cause.status } : {}), hint: actions(parts, false),
  });
}

/** The warning when a finished turn would compact again right after the last compaction. */
export function thrashWarning(parts: ContextParts, fraction: number, threshold: number): string {
  return `Automatic compaction was skipped: the context is at ${Math.round(fraction * 100)}% right after the last compaction `
    + `(the threshold is ${Math.round(threshold * 100)}%), so compacting again would not free enough. ${describeParts(parts)} ${actions(parts, true)}`;
}
