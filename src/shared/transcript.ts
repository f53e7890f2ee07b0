/**
 * Transcript records: the complete UI record of what happened in a session, one per user
 * prompt, assistant answer, tool call and marker, in the order they began. The one fold
 * (fold.ts) builds them from events — in core for pages and opens, in the webview live — so a
 * reopened view and a live view are drawn from the same data. Plain JSON; a changed record is a
 * new object (except the streaming answer's text, which grows in place).
 */
import type { SerializedError } from './errors';
import type { PermissionSource } from './events';
import type { ApprovalResolution, PendingApprovalInfo } from './session';
import type { HookRunInfo, PendingQuestion, QuestionAnswer } from './knowledge-types';

/** How far a tool call got. `denied`: the user, a rule or the mode refused it. */
export type ToolStatus = 'requested' | 'awaiting_approval' | 'running' | 'done' | 'error' | 'denied' | 'interrupted';

/** What every record has. */
interface RecordBase {
  /** Unique in the session: a message id, `tool:<callId>`, `m:<seq>` or `retry:<turn>:<attempt>`. */
  key: string;
  /** Seq of the event that created the record (pages are cut by it). */
  seq: number;
  /** Compaction replaced it in the model's context; kept for the record. */
  compacted?: true;
  /** A checkpoint restore rewound it (the restore's id): kept in the log, out of the model's history. */
  rewound?: string;
}

export interface UserRecord extends RecordBase {
  kind: 'user';
  text: string;
}

export interface AssistantRecord extends RecordBase {
  kind: 'assistant';
  text: string;
  thinking: string;
  /** Still streaming (the turn's current message). */
  streaming: boolean;
  /** The stream broke after this output and the request went again: not in the model's context. */
  partial?: true;
  /** Cut off by a cancel or by the editor closing while it streamed. */
  interrupted?: true;
}

export interface ToolRecord extends RecordBase {
  kind: 'tool';
  callId: string;
  name: string;
  args: Record<string, unknown>;
  status: ToolStatus;
  /** The result the model got. */
  result?: string;
  durationMs?: number;
  /** Which rule, mode or person let it through, or refused it. */
  permission?: PermissionSource;
  /** Streamed output (run_command), the newest {@link MAX_TOOL_OUTPUT} characters. */
  output: string;
  /** The approval waiting for the user, while it waits. */
  approval?: PendingApprovalInfo;
  /** How the approval was answered. */
  resolution?: ApprovalResolution;
  /** Id of the tool message that carries the result (compaction marks by message id). */
  resultId?: string;
  /** Files this call changed (labels, in order; a command's found by a workspace scan). */
  files?: string[];
  /** What of this call's changes could not be captured (a capped scan, an unreadable file). */
  changeNote?: string;
  /** The newest progress it reported (MCP progress notifications). */
  progress?: { progress: number; total?: number; message?: string };
  /** Hooks that ran for this call (PreToolUse, PostToolUse), in order. */
  hooks?: HookRunInfo[];
  /** Questions its MCP server asked during the call (elicitation, sampling) and how they were answered. */
  questions?: { question: PendingQuestion; answer?: QuestionAnswer }[];
  /** Memory writes this call made (remember / forget); `undone` once the user undid it. */
  memory?: { entryId: string; action: 'added' | 'updated' | 'removed'; text: string; memoryPath: string; undone?: boolean }[];
}

export type MarkerVariant = 'compacted' | 'failed' | 'cancelled' | 'interrupted' | 'limit' | 'retry' | 'warning' | 'note' | 'restore' | 'question' | 'hook';

export interface MarkerRecord extends RecordBase {
  kind: 'marker';
  variant: MarkerVariant;
  text: string;
  error?: SerializedError;
  /** Warnings: the warning's code. */
  code?: string;
  /** Compaction: the summary that now stands in for the compacted messages. */
  summary?: string;
  /** Restore markers: the restore (its redo names it). */
  restoreId?: string;
  /** Restore markers: this restore undid restore `redoOf`. */
  redoOf?: string;
  /** Question markers (a server question outside any tool call): the question and, once answered, the answer. */
  question?: PendingQuestion;
  answer?: QuestionAnswer;
  /** Hook markers (UserPromptSubmit, Stop, SessionStart): what ran. */
  hook?: HookRunInfo;
}

export type TranscriptRecord = UserRecord | AssistantRecord | ToolRecord | MarkerRecord;

/** Streamed tool output kept per card (the log keeps all of it). */
export const MAX_TOOL_OUTPUT = 64 * 1024;

/** The record key of a tool call. */
export function toolKey(callId: string): string {
  return `tool:${callId}`;
}
