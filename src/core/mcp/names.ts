import { createHash } from 'node:crypto';

/** Providers accept tool names of [A-Za-z0-9_-], at most 64 characters. */
const MAX_TOOL_NAME = 64;

export function sanitizeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** `mcp__<server>__<tool>`, sanitised; over-long names are cut and suffixed with a short hash to stay unique. */
export function mcpToolName(server: string, tool: string): string {
  const full = `mcp__${sanitizeName(server)}__${sanitizeName(tool)}`;
  if (full.length <= MAX_TOOL_NAME) return full;
  const h = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_TOOL_NAME - 9)}_${h}`;
}
