import { z } from 'zod';
import { defineTool } from './define';
import type { AnyTool, ToolDefinition } from './types';

/** The engine tool that finds and loads deferred tool definitions (on-demand loading, session/tool-budget.ts). */
export const SEARCH_TOOLS_TOOL = 'search_tools';

/** Most matches one search lists. */
const MAX_MATCHES = 25;

const schema = z.object({
  query: z.string().max(500).optional().describe('Words describing what you need (matched against tool names and descriptions). Empty: list every deferred tool.'),
  load: z.array(z.string().min(1)).max(50).optional().describe('Exact names of deferred tools to load; their definitions are sent from your next request on.'),
});
export type SearchToolsArgs = z.infer<typeof schema>;

/** A deferred tool as search_tools lists it. */
function line(tool: AnyTool): string {
  const first = tool.description.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return `- ${tool.name}: ${first.length > 160 ? `${first.slice(0, 159)}…` : first}`;
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
}

/** Deferred tools ranked by how many query words their name (counted twice) and description contain; ties keep list order. */
export function searchDeferred(tools: readonly AnyTool[], query: string): AnyTool[] {
  const q = words(query);
  if (q.length === 0) return [...tools];
  const scored = tools.map((t, i) => {
    const name = t.name.toLowerCase();
    const desc = t.description.toLowerCase();
    let score = 0;
    for (const w of q) score += (name.includes(w) ? 2 : 0) + (desc.includes(w) ? 1 : 0);
    return { t, i, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.t);
}

/**
 * `search_tools`: offered when MCP tool definitions are over the session's tool budget and so
 * deferred (not sent). `query` lists matching deferred tools (name and one line); `load` records
 * them as loaded (ToolContext.loadTools → `tools.loaded`), so their definitions go with every
 * request from the next one on. `deferred`: the tools not sent now; `loaded`: names loaded already.
 */
export function createSearchToolsTool(deferred: readonly AnyTool[], loaded: ReadonlySet<string>): ToolDefinition<SearchToolsArgs> {
  const byName = new Map(deferred.map((t) => [t.name, t]));
  return defineTool({
    name: SEARCH_TOOLS_TOOL,
    description: `Find and load tool definitions that are not sent by default (${deferred.length} MCP tools are deferred to keep requests small). `
      + 'Call with `query` to list matching tools (name and one line each), then with `load: [names]` to load the ones you need; '
      + 'a loaded tool can be called from your next step on.',
    schema,
    kind: 'other',
    check(value) {
      return value.query === undefined && value.load === undefined ? 'give a `query`, a `load` list, or both.' : undefined;
    },
    async describe(args) {
      return { summary: args.load?.length ? `load tools: ${args.load.join(', ')}` : `search tools: ${args.query ?? ''}` };
    },
    async execute(args, ctx) {
      const out: string[] = [];
      if (args.load?.length) {
        const unknown = args.load.filter((n) => !byName.has(n) && !loaded.has(n));
        const fresh = [...new Set(args.load.filter((n) => byName.has(n) && !loaded.has(n)))];
        const already = args.load.filter((n) => loaded.has(n));
        if (fresh.length > 0) {
          if (!ctx.loadTools?.(fresh)) return { content: 'The tools could not be loaded (the turn has ended).', isError: true };
          out.push(`Loaded: ${fresh.join(', ')}. You can call ${fresh.length === 1 ? 'it' : 'them'} from your next step on.`);
        }
        if (already.length > 0) out.push(`Already loaded: ${already.join(', ')}.`);
        if (unknown.length > 0) out.push(`Not deferred tools (check the names with a query): ${unknown.join(', ')}.`);
      }
      if (args.query !== undefined) {
        const pending = deferred.filter((t) => !loaded.has(t.name));
        const hits = searchDeferred(pending, args.query);
        if (hits.length === 0) out.push(`No deferred tool matches "${args.query}". ${pending.length} deferred tools; an empty query lists them all.`);
        else {
          const shown = hits.slice(0, MAX_MATCHES);
          out.push(`${hits.length} matching deferred tool${hits.length === 1 ? '' : 's'}${hits.length > shown.length ? ` (first ${shown.length})` : ''}:`, ...shown.map(line),
            'Load the ones you need with search_tools { "load": [names] }.');
        }
      }
      const isError = out.length > 0 && args.load !== undefined && args.query === undefined && args.load.every((n) => !byName.has(n) && !loaded.has(n));
      return { content: out.join('\n'), ...(isError ? { isError: true } : {}) };
    },
  });
}
