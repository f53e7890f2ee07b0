/**
 * Seams around each tool call and turn that workspace conventions plug into: Claude Code hooks
 * (src/core/hooks), rules attached on the way (nested AGENTS.md, Cursor globs), MCP server
 * questions. The session engine calls them; it knows nothing of what they do. The shapes live in
 * turn-host.ts (TurnEnv carries them; one file, so no import cycle) and are re-exported here.
 */
import type { BeforeCallVerdict } from './turn-host';

export type { BeforeCallVerdict, HookedCall, ServerRequestsFactory, ToolCallHooks, TurnHooks } from './turn-host';

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
