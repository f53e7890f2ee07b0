import { fromJSONSchema, type ZodType } from 'zod';
import { AgentError, isAgentError } from '../base/errors';
import type { JsonSchema } from '../providers/types';
import type { ServerRequestHandlers, ToolContext, ToolDefinition, ToolResult, ValidationResult } from '../tools/types';
import { mcpToolName } from './names';

/** What one MCP tool call carries besides its arguments. */
export interface McpCallContext {
  signal: AbortSignal;
  /** Progress notifications of this call (a progress token is sent when given; each one resets the call's timeout). */
  onProgress?: ToolContext['onProgress'];
  /** The session's answers to the server's requests while this call runs (elicitation, sampling). */
  serverRequests?: ServerRequestHandlers;
  /** The session's folders (roots/list answers them while the call runs). */
  roots?: readonly string[];
}

/** What an MCP tool needs from the manager to run. */
export interface McpToolCaller {
  callTool(server: string, tool: string, args: Record<string, unknown>, call: McpCallContext): Promise<ToolResult>;
}

/** A tool as listed by a server. */
export interface McpToolListing {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
  annotations?: { readOnlyHint?: boolean; title?: string };
}

function compile(schema: JsonSchema): ZodType | undefined {
  try {
    return fromJSONSchema(schema as Parameters<typeof fromJSONSchema>[0]);
  } catch {
    // Schema features zod cannot express: fall back to "must be an object" and let the server validate.
    return undefined;
  }
}

/**
 * Wraps one server tool as a {@link ToolDefinition} named `mcp__<server>__<tool>`, kind 'mcp'
 * (the permission engine asks by default). Arguments are validated against the tool's JSON
 * schema (zod's fromJSONSchema) before anything is sent. A tool the server annotates
 * `readOnlyHint: true` runs in the read-only lane (at the same time as the message's other
 * read-only calls); the hint only schedules, it never allows a call without the usual permission.
 */
export function createMcpTool(server: string, listing: McpToolListing, caller: McpToolCaller, name = mcpToolName(server, listing.name)): ToolDefinition {
  const inputSchema: JsonSchema = { type: 'object', properties: {}, ...listing.inputSchema };
  const validator = compile(inputSchema);
  return {
    name,
    description: `${listing.description?.trim() || listing.annotations?.title || listing.name} (MCP server "${server}")`,
    inputSchema,
    kind: 'mcp',
    ...(listing.annotations?.readOnlyHint === true ? { readOnly: true } : {}),
    validate(args: unknown): ValidationResult<Record<string, unknown>> {
      const value = args ?? {};
      if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `Invalid arguments for ${name}: expected a JSON object.` };
      if (!validator) return { ok: true, value: value as Record<string, unknown> };
      const r = validator.safeParse(value);
      if (r.success) return { ok: true, value: value as Record<string, unknown> };
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
      return { ok: false, error: `Invalid arguments for ${name}: ${issues}. Expected schema: ${JSON.stringify(inputSchema).slice(0, 1500)}` };
    },
    async describe(args) {
      const preview = JSON.stringify(args);
      return { summary: `${server} › ${listing.name} ${preview.length > 200 ? `${preview.slice(0, 200)}…` : preview}`, target: listing.name };
    },
    async execute(args, ctx) {
      try {
        return await caller.callTool(server, listing.name, args, {
          signal: ctx.signal, roots: ctx.workspaceRoots,
          ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}), ...(ctx.serverRequests ? { serverRequests: ctx.serverRequests } : {}),
        });
      } catch (e) {
        if (isAgentError(e) && e.code === 'cancelled') throw e;
        const err = isAgentError(e) ? e : new AgentError('tool_failed', e instanceof Error ? e.message : String(e), { cause: e });
        return { content: err.message, isError: true };
      }
    },
  };
}
