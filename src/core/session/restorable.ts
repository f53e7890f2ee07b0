import type { ToolRegistryLike } from '../tools/types';
import type { ResumePoint } from './resume';

/**
 * Why the approvals of a turn restored after a restart cannot be asked again, if so: a tool is
 * gone (e.g. a built-in refused in an untrusted workspace) or no longer accepts the arguments.
 * MCP tools are given the benefit of the doubt: their server may still be connecting; the answer
 * looks them up again. `tools`: the view of the turn's config now.
 */
export function notRestorable(point: ResumePoint, tools: ToolRegistryLike): string | undefined {
  for (const a of point.pending.values()) {
    const tool = tools.get(a.toolName);
    if (!tool) {
      if (a.toolName.startsWith('mcp__')) continue;
      return `The approval for ${a.toolName} (${a.summary}) could not be restored: that tool is no longer available.`;
    }
    const valid = tool.validate(a.args);
    if (!valid.ok) return `The approval for ${a.toolName} (${a.summary}) could not be restored: ${valid.error}.`;
  }
  return undefined;
}
