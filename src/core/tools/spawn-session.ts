import { z } from 'zod';
import { defineTool } from './define';
import type { ToolContext, ToolDefinition, ToolResult } from './types';

/** The tool's name; the turn runner runs consecutive calls of it in one message concurrently. */
export const SPAWN_SESSION_TOOL = 'spawn_session';

const schema = z.object({
  goal: z.string().trim().min(1).max(20_000).describe('What the child session must achieve. Be specific: it starts with no other context than this.'),
  title: z.string().trim().min(1).max(80).optional().describe('Short tab title for the child session.'),
  allowedTools: z.array(z.string().min(1).max(200)).max(200).optional()
    .describe('Narrow the child to these tools (must be tools you have). Default: your tools except spawn_session.'),
  mode: z.enum(['plan', 'ask', 'auto-edit', 'full']).optional()
    .describe('Permission mode for the child; may be stricter than yours, never looser. Default: yours.'),
  model: z.string().min(1).max(200).optional().describe('Model for the child (same provider). Default: yours.'),
  maxRounds: z.number().int().min(1).max(200).optional().describe('Most model requests the child may make.'),
  maxTokens: z.number().int().min(1_000).optional().describe('Most tokens (input + output over all its requests) the child may use.'),
  agent: z.string().trim().min(1).max(100).optional()
    .describe('A custom agent the child runs as (its instructions and tools, never more tools than yours). Default: none.'),
  workspace: z.enum(['inherit', 'shared', 'worktree']).optional()
    .describe('Where the child works. "inherit" (default): where you work (your worktree, or the shared workspace). "shared": the shared workspace. '
      + '"worktree": a new git worktree of its own, from your branch\'s last commit when you work in a worktree (your uncommitted changes are not in it), else from HEAD.'),
}).strict();

export type SpawnSessionArgs = z.infer<typeof schema>;

/** Starts a child session and waits for its final answer (implemented by the session engine). */
export interface ChildSpawner {
  /**
   * Runs one child to the end of its first turn and returns its report for the parent.
   * Refusals (capacity, tools the parent lacks, a looser mode) are error results, never throws;
   * throws AgentError('cancelled') when `ctx.signal` aborts (the child is cancelled too).
   */
  spawn(args: SpawnSessionArgs, ctx: ToolContext): Promise<ToolResult>;
}

/**
 * `spawn_session`: delegates a self-contained sub-task to a child session that runs concurrently
 * (own tab, log, cost and approvals) and returns its final answer as this call's result.
 * Kind 'other': the child's own tool calls go through its own permission checks.
 */
export function createSpawnSessionTool(spawner: ChildSpawner, agents?: () => ReadonlyArray<{ name: string; description: string }>): ToolDefinition<SpawnSessionArgs> {
  const base = 'Start a child agent session for a self-contained sub-task and wait for its final answer. '
    + 'Several spawn_session calls in one message run at the same time. The child sees only the goal you give it.';
  const tool = defineTool({
    name: SPAWN_SESSION_TOOL,
    description: base,
    schema,
    kind: 'other',
    async describe(args) {
      const title = args.title ?? args.goal.slice(0, 60);
      const where = args.workspace && args.workspace !== 'inherit' ? ` in ${args.workspace === 'shared' ? 'the shared workspace' : 'a worktree of its own'}` : '';
      return { summary: `child session "${title}"${args.mode ? ` (${args.mode})` : ''}${where}` };
    },
    execute: (args, ctx) => spawner.spawn(args, ctx),
  });
  // Read per request: the custom agents the child may run as (`agent`), as the workspace has them now.
  if (agents) Object.defineProperty(tool, 'description', { enumerable: true, get: () => withAgents(base, agents()) });
  return tool;
}

/** The description with the custom agents listed (name — description), in the registry's stable order. */
function withAgents(base: string, agents: ReadonlyArray<{ name: string; description: string }>): string {
  if (agents.length === 0) return base;
  return `${base}\nCustom agents for "agent" (name — what it is for):\n${agents.map((a) => `- ${a.name} — ${a.description || '(no description)'}`).join('\n')}`;
}
