/**
 * Tool-call ids must be unique in what is sent to the provider (both APIs refuse a repeated id,
 * and a repeated id would pair a result with the wrong call). Models and compatible servers do
 * repeat them: twice in one message (the model called twice with one id), or across messages
 * (servers that number calls per response). Both get a fresh id; a repeat within one message is
 * also refused (an error result), because it is the model's mistake and may be an accidental double.
 */
import type { AssistantPart, HistoryMessage } from '../../shared/model';
import type { ToolCallPart } from './resume';

/** Every tool-call id the history already uses. */
export function usedCallIds(history: readonly HistoryMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of history) {
    if (m.role !== 'assistant') continue;
    for (const p of m.content) if (p.type === 'tool_call') ids.add(p.id);
  }
  return ids;
}

/** The error result of a call whose id repeated one of the same message. */
export function duplicateCallText(name: string, id: string, freshId: string): string {
  return `This ${name} call is a duplicate: it repeated the id "${id}" of another call in the same message (tool-call ids must be unique), so it was given the id "${freshId}" and not run. If you meant to make this call as well, make it again.`;
}

/**
 * The part for a completed call: its own id unless that id is taken — by an earlier call of this
 * message (`inMessage`: fresh id, marked invalid as a duplicate) or by an earlier message (`used`:
 * fresh id, runs as usual).
 */
export function uniqueCallPart(
  call: { id: string; name: string; args: Record<string, unknown>; invalid?: string },
  inMessage: readonly AssistantPart[], used: ReadonlySet<string>, freshId: () => string,
): ToolCallPart {
  const base: ToolCallPart = { type: 'tool_call', id: call.id, name: call.name, args: call.args, ...(call.invalid !== undefined ? { invalid: call.invalid } : {}) };
  const taken = (id: string): boolean => used.has(id) || inMessage.some((p) => p.type === 'tool_call' && p.id === id);
  if (call.id && !taken(call.id)) return base;
  let id = freshId();
  while (taken(id)) id = freshId();
  const repeatedHere = inMessage.some((p) => p.type === 'tool_call' && p.id === call.id);
  return repeatedHere ? { ...base, id, invalid: duplicateCallText(call.name, call.id, id) } : { ...base, id };
}
