/**
 * Our history → VS Code `LanguageModelChatMessage`s, and the response's parts → our stream events.
 * Pure: the `vscode` constructors come in as {@link LmFactory} (the provider passes the real ones,
 * tests a tiny fake), so this runs in plain Node.
 *
 * The API's limits, as it requires them: there is no system role (the system prompt travels as the
 * first part of the first user message); tool calls are `LanguageModelToolCallPart`s of assistant
 * messages and their results `LanguageModelToolResultPart`s of the next user message (the API has no
 * error flag on a result, so an error result says so in its text); consecutive messages of one role
 * are merged, so user and assistant alternate. Thinking is not sent back (there is no slot for it).
 */
import type { HistoryMessage, StreamEvent, ToolSpec } from '../../core/providers/types';
import { readToolArgs } from '../../core/providers/tool-args';

/** The `vscode` constructors the mapping needs (generic so tests can use plain objects). */
export interface LmFactory<Msg, Part> {
  user(parts: Part[]): Msg;
  assistant(parts: Part[]): Msg;
  text(value: string): Part;
  toolCall(callId: string, name: string, input: object): Part;
  toolResult(callId: string, content: Part[]): Part;
}

/** A tool as `LanguageModelChatRequestOptions.tools` takes it (`LanguageModelChatTool`). */
export interface LmTool {
  name: string;
  description: string;
  inputSchema: object;
}

/** Prefix of a tool result the tool reported as an error (the API has no flag for it). */
export const TOOL_ERROR_PREFIX = 'Error: ';

type Role = 'user' | 'assistant';

/** Builds the request's messages: system prompt first in the first user message, roles alternating. */
export function toLmMessages<Msg, Part>(system: string, history: readonly HistoryMessage[], f: LmFactory<Msg, Part>): Msg[] {
  const turns: Array<{ role: Role; parts: Part[] }> = [];
  const push = (role: Role, parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else turns.push({ role, parts });
  };
  for (const m of history) {
    if (m.role === 'user') {
      push('user', [f.text(m.content)]);
    } else if (m.role === 'tool') {
      push('user', [f.toolResult(m.toolCallId, [f.text(m.isError ? `${TOOL_ERROR_PREFIX}${m.content}` : m.content)])]);
    } else {
      const parts: Part[] = [];
      for (const p of m.content) {
        if (p.type === 'text' && p.text) parts.push(f.text(p.text));
        else if (p.type === 'tool_call') parts.push(f.toolCall(p.id, p.name, p.args));
      }
      push('assistant', parts); // an interrupted, empty reply: nothing to replay
    }
  }
  if (system) {
    const first = turns[0];
    if (first?.role === 'user') first.parts.unshift(f.text(system));
    else turns.unshift({ role: 'user', parts: [f.text(system)] });
  }
  return turns.map((t) => (t.role === 'user' ? f.user(t.parts) : f.assistant(t.parts)));
}

/** Our tool specs as `LanguageModelChatTool`s. */
export function toLmTools(tools: readonly ToolSpec[]): LmTool[] {
  return tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
}

/** What one streamed part is, as far as we care (the provider classifies with `instanceof`). */
export type LmPart =
  | { kind: 'text'; value: string }
  | { kind: 'tool_call'; callId: string; name: string; input: unknown }
  | { kind: 'other' };

/**
 * Turns the response's parts into stream events. One instance per response: it numbers calls that
 * came without an id and remembers whether any tool was called (for the stop reason).
 */
export class LmPartReader {
  private calls = 0;
  private readonly seenIds = new Set<string>();
  /** The text produced so far (output tokens are counted from it). */
  text = '';

  get calledTools(): boolean {
    return this.calls > 0;
  }

  read(part: LmPart): StreamEvent[] {
    if (part.kind === 'text') {
      if (!part.value) return [];
      this.text += part.value;
      return [{ type: 'text_delta', text: part.value }];
    }
    if (part.kind !== 'tool_call') return [];
    this.calls += 1;
    let id = part.callId || `vscode_lm_call_${this.calls}`;
    if (this.seenIds.has(id)) id = `${id}_${this.calls}`;
    this.seenIds.add(id);
    const name = part.name;
    // The API hands the input over parsed; a provider that passed a string gets it parsed here.
    const raw = typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {});
    const { args, invalid } = readToolArgs(raw, name);
    return [
      { type: 'tool_call_start', id, name },
      { type: 'tool_call_end', id, name, args, ...(invalid !== undefined ? { invalid } : {}) },
    ];
  }
}
