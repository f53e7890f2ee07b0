import { AgentError, isAgentError } from '../base/errors';
import type { JsonSchema } from '../providers/types';
import type { ServerRequestHandlers, ToolContext, ToolDefinition, ToolResult, ValidationResult } from '../tools/types';
import { mcpToolName } from './names';
import { compileToolSchema, providerSchema } from './schema-validator';

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

/**
 * Wraps one server tool as a {@link ToolDefinition} named `mcp__<server>__<tool>`, kind 'mcp'
 * (the permission engine asks by default). Arguments are validated against the tool's JSON
 * schema with Ajv (schema-validator.ts; compiled once, here) before anything is sent; a schema
 * that does not compile makes every call fail naming the problem (`mcp.schemaProblem`), never
 * skips validation. The model receives the schema minus the keys providers reject (`$schema`, …).
 * A tool the server annotates `readOnlyHint: true` runs in the read-only lane (at the same time as the message's other
 * read-only calls); the hint only schedules, it never allows a call without the usual permission.
 */
export function createMcpTool(server: string, listing: McpToolListing, caller: McpToolCaller, name = mcpToolName(server, listing.name)): ToolDefinition {
  const schema: JsonSchema = { type: 'object', properties: {}, ...listing.inputSchema };
  const compiled = compileToolSchema(schema);
  const inputSchema = providerSchema(schema);
  const invalid = (problem: string): ValidationResult<Record<string, unknown>> => ({ ok: false, error: `Invalid arguments for ${name}: ${problem}` });
  return {
    name,
    description: `${listing.description?.trim() || listing.annotations?.title || listing.name} (MCP server "${server}")`,
    inputSchema,
    kind: 'mcp',
    mcp: { server, tool: listing.name, ...(compiled.ok ? {} : { schemaProblem: compiled.problem }) },
    ...(listing.annotations?.readOnlyHint === true ? { readOnly: true } : {}),
    validate(args: unknown): ValidationResult<Record<string, unknown>> {
      if (!compiled.ok) {
        return { ok: false, error: `${name} cannot be called: the input schema server "${server}" gives for it is invalid (${compiled.problem}), so its arguments cannot be checked. Tell the user; the server's maintainers need to fix the schema.` };
      }
      const value = args ?? {};
      if (typeof value !== 'object' || Array.isArray(value)) return invalid('expected a JSON object.');
      const problems = compiled.check(value);
      if (problems.length === 0) return { ok: true, value: value as Record<string, unknown> };
      return invalid(`${problems.join('; ')}. Expected schema: ${JSON.stringify(inputSchema).slice(0, 1500)}`);
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
