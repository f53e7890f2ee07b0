/**
 * Tool-call arguments as streamed by either protocol. Arguments the model got wrong are the
 * model's mistake, not a broken stream: the call completes marked `invalid` (never executed) and
 * the model is told what was wrong, so the turn goes on and the model can call again.
 */

/** Characters of a bad argument string quoted back to the model (the rest is cut). */
export const MAX_QUOTED_ARGS = 2_000;

/** Parsed arguments (`{}` when unusable) and, when they were unusable, the error result for the model. */
export interface ToolArgs {
  args: Record<string, unknown>;
  invalid?: string;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v;
}

function quoted(raw: string): string {
  const shown = raw.length > MAX_QUOTED_ARGS ? `${raw.slice(0, MAX_QUOTED_ARGS)}…` : raw;
  const what = raw.length > MAX_QUOTED_ARGS ? `${raw.length} characters, the first ${MAX_QUOTED_ARGS} shown` : `${raw.length} characters`;
  return `Received (${what}):\n${shown}`;
}

/** The error result of a call whose arguments could not be used. */
function invalidArgs(name: string, problem: string, raw: string): string {
  return `The arguments of this ${name} call ${problem}, so it was not run. ${quoted(raw)}\nCall ${name} again with its arguments as one JSON object that matches its schema.`;
}

/** Reads a complete tool-call argument string; only a JSON object is usable (empty = `{}`). */
export function readToolArgs(raw: string, name: string): ToolArgs {
  if (raw.trim() === '') return { args: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { args: {}, invalid: invalidArgs(name, `are not valid JSON (${e instanceof Error ? e.message : String(e)})`, raw) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { args: {}, invalid: invalidArgs(name, `are not a JSON object (got ${kindOf(parsed)})`, raw) };
  }
  return { args: parsed as Record<string, unknown> };
}
