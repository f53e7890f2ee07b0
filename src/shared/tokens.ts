import type { HistoryMessage, ToolSpec } from './model';

/**
 * Token estimates for the context meter and compaction. A chars/4 heuristic: good to ~20% for
 * English and code, which is all the meter needs between two provider-reported counts.
 */

/** Fixed per-message overhead (role markers, separators) the wire formats add. */
const MESSAGE_OVERHEAD = 4;

/** Estimated tokens of a plain string. */
export function estimateText(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Estimated tokens of one history message; tool calls count as the JSON the provider sends. */
export function estimateMessage(message: HistoryMessage): number {
  switch (message.role) {
    case 'user':
      return MESSAGE_OVERHEAD + estimateText(message.content);
    case 'tool':
      return MESSAGE_OVERHEAD + estimateText(message.toolCallId) + estimateText(message.content);
    case 'assistant': {
      let n = MESSAGE_OVERHEAD;
      for (const part of message.content) {
        if (part.type === 'text') n += estimateText(part.text);
        else if (part.type === 'thinking') n += estimateText(part.text) + estimateText(part.redacted ?? '');
        else n += estimateText(JSON.stringify({ id: part.id, name: part.name, arguments: part.args }));
      }
      return n;
    }
  }
}

/** Estimated tokens of a list of messages. */
export function estimateMessages(messages: readonly HistoryMessage[]): number {
  let n = 0;
  for (const m of messages) n += estimateMessage(m);
  return n;
}

/** Estimated tokens of the tool specs sent with every request. */
export function estimateTools(tools: readonly ToolSpec[]): number {
  return tools.length === 0 ? 0 : estimateText(JSON.stringify(tools));
}
