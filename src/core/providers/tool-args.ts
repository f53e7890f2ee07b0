/** Tool-call arguments as streamed by either protocol. */
import { protocolError } from './errors';

/** Parses a complete tool-call argument string; only a JSON object is acceptable (empty = `{}`). A bad one is an error, never executed. */
export function parseToolArgs(raw: string, name: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw protocolError(`arguments of tool call "${name}" are not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw protocolError(`arguments of tool call "${name}" are not a JSON object`);
  return parsed as Record<string, unknown>;
}
