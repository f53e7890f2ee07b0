/**
 * Transcript rows: what the webview draws, folded from transcript entries (snapshot/paging)
 * and live events. Rows are immutable values; a changed row is a new object, so Lit's keyed
 * `repeat` re-renders only that row.
 */
import type { SerializedError } from '../../../src/shared/errors';
import type { PermissionSource } from '../../../src/shared/events';
import type { ApprovalResolution, PendingApprovalInfo, TranscriptEntry } from '../../../src/shared/session';

export type ToolStatus = 'requested' | 'awaiting_approval' | 'running' | 'done' | 'error' | 'interrupted';

export type Row =
  | { kind: 'user'; key: string; text: string }
  /** `partial`: the stream broke after this output; kept for the record, not in the model's context. */
  | { kind: 'assistant'; key: string; text: string; thinking: string; streaming: boolean; partial?: true }
  | {
      kind: 'tool'; key: string; callId: string; name: string; args: Record<string, unknown>;
      status: ToolStatus; result?: string; durationMs?: number; permission?: PermissionSource;
      /** Streamed output (run_command), capped. */
      output: string;
      approval?: PendingApprovalInfo; resolution?: ApprovalResolution;
    }
  | { kind: 'marker'; key: string; variant: 'compacted' | 'failed' | 'cancelled' | 'interrupted' | 'retry' | 'warning' | 'note'; text: string; error?: SerializedError };

export type ToolRow = Extract<Row, { kind: 'tool' }>;

/** Streamed tool output kept per card (the log keeps all of it). */
export const MAX_TOOL_OUTPUT = 64 * 1024;

/** Rows of one transcript entry (an assistant message yields its text plus one card per tool call). */
export function rowsFromEntry(entry: TranscriptEntry): Row[] {
  switch (entry.role) {
    case 'user':
      return [{ kind: 'user', key: entry.id, text: entry.content }];
    case 'assistant': {
      const rows: Row[] = [];
      const text = entry.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
      const thinking = entry.content.filter((p) => p.type === 'thinking').map((p) => p.text).join('');
      if (text || thinking) rows.push({ kind: 'assistant', key: entry.id, text, thinking, streaming: false, ...(entry.partial ? { partial: true as const } : {}) });
      for (const p of entry.content) {
        if (p.type === 'tool_call') rows.push({ kind: 'tool', key: `tool:${p.id}`, callId: p.id, name: p.name, args: p.args, status: 'requested', output: '' });
      }
      return rows;
    }
    case 'tool':
      // Folded into the matching tool card by `applyToolResult`; a lone result still shows.
      return [{ kind: 'tool', key: `tool:${entry.toolCallId}`, callId: entry.toolCallId, name: entry.toolName, args: {}, status: entry.isError ? 'error' : 'done', result: entry.content, output: '' }];
  }
}

/** Folds entries (oldest first) into rows, merging tool results into their call cards. */
export function rowsFromEntries(entries: TranscriptEntry[]): Row[] {
  const rows: Row[] = [];
  const toolIndex = new Map<string, number>();
  for (const entry of entries) {
    if (entry.role === 'tool') {
      const i = toolIndex.get(entry.toolCallId);
      if (i !== undefined) {
        const row = rows[i] as ToolRow;
        rows[i] = { ...row, status: entry.isError ? 'error' : 'done', result: entry.content };
        continue;
      }
    }
    for (const row of rowsFromEntry(entry)) {
      if (row.kind === 'tool') toolIndex.set(row.callId, rows.length);
      rows.push(row);
    }
  }
  return rows;
}
