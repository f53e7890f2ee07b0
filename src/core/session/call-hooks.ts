/**
 * Seams around each tool call and turn that workspace conventions plug into: Claude Code hooks
 * (src/core/hooks), rules attached on the way (nested AGENTS.md, Cursor globs), MCP server
 * questions. The session engine calls them; it knows nothing of what they do.
 */
import type { ToolResult, ServerRequestHandlers } from '../tools/types';
import type { ActiveTurn, TurnHost } from './turn-host';

/** One tool call as the seams see it (after its arguments were validated). */
export interface HookedCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** What a `before` seam decided. Absent fields: no opinion. */
export interface BeforeCallVerdict {
  /**
   * `deny`: refused (the reason goes to the model); `allow`: no approval card (a deny rule or a
   * sandbox refusal still wins); `ask`: an approval card even where a rule or the mode allows.
   */
  decision?: 'allow' | 'deny' | 'ask';
  /** Why (shown on the card and told to the model on deny). */
  reason?: string;
  /** Where the verdict came from, e.g. "hook PreToolUse .claude/settings.json". */
  source?: string;
}

/** Runs around every tool call of every session. Several may be installed; they run in order. */
export interface ToolCallHooks {
  /** Before the permission check. The strictest verdict of all seams wins (deny > ask > allow). */
  before?(host: TurnHost, turn: ActiveTurn, call: HookedCall): Promise<BeforeCallVerdict | undefined>;
  /** After the call ran (not for refused calls): text returned is appended to the result the model sees. */
  after?(host: TurnHost, turn: ActiveTurn, call: HookedCall, result: ToolResult): Promise<{ context?: string } | undefined>;
}

/** Runs at the turn's edges (Claude Code's UserPromptSubmit, Stop, SessionStart). */
export interface TurnHooks {
  /** The session's first turn starts (SessionStart): text returned joins the turn's user message (history only). */
  sessionStarted?(host: TurnHost, turn: ActiveTurn): Promise<{ context?: string } | undefined>;
  /** Before the prompt goes to the model: `block` ends the turn with that reason; `context` joins the user message (history only). */
  promptSubmitted?(host: TurnHost, turn: ActiveTurn): Promise<{ block?: string; context?: string } | undefined>;
  /** The model answered without tool calls: `continueWith` sends that text to the model as the next user message instead of ending. */
  stopping?(host: TurnHost, turn: ActiveTurn): Promise<{ continueWith?: string } | undefined>;
}

/** Makes the handlers of an MCP server's requests during one call (elicitation, sampling). */
export type ServerRequestsFactory = (host: TurnHost, turn: ActiveTurn, call: HookedCall) => ServerRequestHandlers | undefined;

/** The strictest of several verdicts (deny > ask > allow > none). */
export function strictestVerdict(verdicts: readonly (BeforeCallVerdict | undefined)[]): BeforeCallVerdict | undefined {
  const rank = { deny: 3, ask: 2, allow: 1 } as const;
  let best: BeforeCallVerdict | undefined;
  for (const v of verdicts) {
    if (!v?.decision) continue;
    if (!best?.decision || rank[v.decision] > rank[best.decision]) best = v;
  }
  return best;
}
