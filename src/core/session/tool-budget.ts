import type { ToolBudgetInfo, ToolCost } from '../../shared/knowledge-types';
import type { AnyTool } from '../tools/types';
import { estimateTools } from '../../shared/tokens';
import { createSearchToolsTool } from '../tools/search-tools';

/**
 * The tool budget: how many tokens of MCP tool definitions go with every request. Setting-free:
 * a tenth of the model's context window, at most {@link MAX_TOOL_BUDGET_TOKENS} (8k; a 128k-token
 * model gets 8k, an 32k-token local model 3.2k). Built-in and engine tools are not counted against
 * it (they are always sent); MCP servers are what grows without bound. Past the budget the enabled
 * MCP tools' definitions are deferred, whole servers at a time (the cheapest servers stay sent while
 * they fit), and `search_tools` is offered to find and load them. The order of what is sent is fixed
 * (built-ins, engine tools, sent MCP tools in listing order, search_tools, then loaded tools in load
 * order) so the prompt cache keeps its prefix as tools are loaded.
 */
export const MAX_TOOL_BUDGET_TOKENS = 8_000;
/** Share of the context window the budget may take. */
export const TOOL_BUDGET_WINDOW_SHARE = 0.1;
/** Tokens kept free for search_tools' own definition when servers are deferred. */
const SEARCH_TOOLS_RESERVE = 300;

/** The session's tool budget in tokens (`contextWindow`: the model's window, tokens). */
export function toolBudgetFor(contextWindow: number | undefined): number {
  if (!contextWindow || contextWindow <= 0) return MAX_TOOL_BUDGET_TOKENS;
  return Math.min(MAX_TOOL_BUDGET_TOKENS, Math.round(contextWindow * TOOL_BUDGET_WINDOW_SHARE));
}

const costs = new WeakMap<AnyTool, number>();

/** Estimated tokens of one tool's definition as the provider receives it (cached per tool object). */
export function toolCost(tool: AnyTool): number {
  let n = costs.get(tool);
  if (n === undefined) {
    n = estimateTools([{ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }]);
    costs.set(tool, n);
  }
  return n;
}

/** The tools of one session's requests. */
export interface ToolPlan {
  /** Sent with every request, in order. */
  sent: AnyTool[];
  /** Callable but not sent (deferred, not loaded yet); calling one loads it. */
  hidden: AnyTool[];
  info: ToolBudgetInfo;
}

export interface ToolPlanInput {
  /** Built-in, skill and engine tools (always sent), allowlist applied. */
  fixed: readonly AnyTool[];
  /** MCP tools in listing order, allowlist applied (switched-off ones still in: listed, not sent). */
  mcp: readonly AnyTool[];
  /** config.disabledTools. */
  disabled: ReadonlySet<string>;
  /** Loaded on demand so far, in load order (snapshot.loadedTools). */
  loaded: readonly string[];
  budget: number;
}

/** A deferred tool that, called by name before it was loaded, loads itself and runs. */
function selfLoading(tool: AnyTool): AnyTool {
  return {
    ...tool,
    execute: async (args, ctx) => {
      ctx.loadTools?.([tool.name]);
      return tool.execute(args, ctx);
    },
  };
}

/** Which servers' definitions are deferred: the costliest first, until what stays fits in `room`. */
function deferredServers(mcp: readonly AnyTool[], room: number): Set<string> {
  const byServer = new Map<string, number>();
  for (const t of mcp) byServer.set(serverOf(t), (byServer.get(serverOf(t)) ?? 0) + toolCost(t));
  const cheapestFirst = [...byServer].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const out = new Set<string>();
  let used = 0;
  for (const [server, tokens] of cheapestFirst) {
    if (out.size === 0 && used + tokens <= room) used += tokens;
    else out.add(server); // once one server is deferred, every costlier one is too (a stable cut)
  }
  return out;
}

function serverOf(tool: AnyTool): string {
  return tool.mcp?.server ?? '';
}

/**
 * Plans what one request carries: switched-off tools dropped, MCP definitions deferred past the
 * budget (search_tools offered instead), loaded ones appended in load order. Deterministic for
 * the same tools, config and loaded list.
 */
export function planTools(input: ToolPlanInput): ToolPlan {
  const { disabled, budget } = input;
  const fixed = input.fixed.filter((t) => !disabled.has(t.name));
  const mcp = input.mcp.filter((t) => !disabled.has(t.name));
  const mcpTokens = mcp.reduce((n, t) => n + toolCost(t), 0);
  const onDemand = mcpTokens > budget;
  const deferServers = onDemand ? deferredServers(mcp, budget - SEARCH_TOOLS_RESERVE) : new Set<string>();
  const deferred = mcp.filter((t) => deferServers.has(serverOf(t)));
  const deferredNames = new Set(deferred.map((t) => t.name));
  const loadedNames = input.loaded.filter((n, i) => deferredNames.has(n) && input.loaded.indexOf(n) === i);
  const loaded = new Set(loadedNames);
  const sent: AnyTool[] = [...fixed, ...mcp.filter((t) => !deferredNames.has(t.name))];
  if (onDemand) {
    sent.push(createSearchToolsTool(deferred, loaded) as AnyTool);
    const byName = new Map(deferred.map((t) => [t.name, t]));
    for (const n of loadedNames) sent.push(byName.get(n) as AnyTool);
  }
  const hidden = deferred.filter((t) => !loaded.has(t.name)).map(selfLoading);
  const row = (t: AnyTool, off: boolean): ToolCost => ({
    name: t.name, tokens: toolCost(t), disabled: off,
    ...(t.mcp ? { server: t.mcp.server } : {}),
    ...(deferredNames.has(t.name) ? { deferred: true } : {}),
    ...(loaded.has(t.name) ? { loaded: true } : {}),
    ...(t.mcp?.schemaProblem ? { schemaProblem: t.mcp.schemaProblem } : {}),
  });
  const tools: ToolCost[] = [
    ...sent.filter((t) => !t.mcp || !deferredNames.has(t.name)).map((t) => row(t, false)),
    ...deferred.map((t) => row(t, false)),
    ...[...input.fixed, ...input.mcp].filter((t) => disabled.has(t.name)).map((t) => row(t, true)),
  ];
  return {
    sent, hidden,
    info: {
      sentTokens: sent.reduce((n, t) => n + toolCost(t), 0),
      allTokens: [...fixed, ...mcp].reduce((n, t) => n + toolCost(t), 0),
      budget, onDemand, tools,
    },
  };
}
