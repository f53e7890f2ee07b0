import type { FileChangeKind, FileChangeSource, FileImage, RestoreFilePlan, RestoreScope } from './changes';
import type { SerializedError } from './errors';
import type { WorktreeApplyMode, WorktreeApplyResult, WorktreeBase, WorktreeState } from './worktree';
import type { AssistantPart, StopReason, Usage } from './model';
import type { AttachedRule, HookEventName, HookOutcome, PendingQuestion, QuestionAnswer } from './knowledge-types';
import type {
  ApprovalResolution, ChildSessionInfo, ConfigUpdate, ContextUsage, CostTotals, PendingApprovalInfo, SessionConfig, SessionKnowledge,
  SessionState, TaskItem,
} from './session';

/** How a tool call was let through: which rule or mode allowed it (shown in the UI and logged). */
export interface PermissionSource {
  decision: 'allow' | 'deny' | 'ask';
  /** e.g. "rule run_command(npm test:*) [workspace]", "mode auto-edit", "approved by user". */
  source: string;
  /**
   * For commands: whether it ran in the OS sandbox, and what the sandbox refused, e.g.
   * "sandboxed (bubblewrap): … network off" or "not sandboxed: bubblewrap is not installed".
   */
  sandbox?: string;
}

/**
 * Every state change of a session, in the order it happened. The session's log is exactly
 * this sequence; restore folds it back into state (session/reducer.ts). Bodies are plain JSON.
 */
export type SessionEventBody =
  | { type: 'session.created'; title: string; config: SessionConfig; parentId?: string }
  | { type: 'session.renamed'; title: string }
  | { type: 'session.config_changed'; patch: ConfigUpdate }
  /** Written by older versions only: the state is derived by the fold (src/shared/fold.ts) from the turn, the pause and the approvals. */
  | { type: 'session.state'; state: SessionState; error?: SerializedError }
  | { type: 'session.paused' }
  | { type: 'session.resumed' }
  | { type: 'prompt.queued'; promptId: string; text: string }
  | { type: 'prompt.removed'; promptId: string }
  /** The user message that opens a turn. */
  | { type: 'turn.started'; turnId: string; promptId: string; messageId: string; text: string }
  /** A model request begins (round = 1-based request number within the turn). */
  | { type: 'message.started'; turnId: string; messageId: string; round: number }
  /** Streamed text/thinking. May be coalesced on disk; `message.completed` is authoritative. */
  | { type: 'message.delta'; messageId: string; kind: 'text' | 'thinking'; text: string }
  /**
   * `partial`: the stream broke after this output; the text is kept in the transcript, marked, but
   * not in the model's history (the request is sent again or the turn ends).
   */
  | { type: 'message.completed'; turnId: string; messageId: string; content: AssistantPart[]; stopReason: StopReason; partial?: true }
  /**
   * The request failed and waits to be sent again. `retryAt` (ms since the epoch): it goes by
   * itself then (a countdown; `sessions.retry` "now" skips it). Without `retryAt` it waits for the
   * user (`ask`): `long_wait` the provider asked for longer than the cap ("wait" starts the
   * countdown, recorded as another provider.retry of the same attempt); `after_output` the stream
   * broke after output (`partialMessageId`). Cleared by provider.retrying or the turn's end.
   */
  | {
      type: 'provider.retry'; turnId: string; attempt: number; delayMs: number; error: SerializedError;
      retryAt?: number; ask?: 'long_wait' | 'after_output'; partialMessageId?: string;
    }
  /**
   * The wait is over and the request is sent again: the timer ran out, or the user said "retry now"
   * (`restart`: the turn was restored after a restart while waiting; it makes its request afresh).
   */
  | { type: 'provider.retrying'; turnId: string; attempt: number; by: 'timer' | 'user' | 'restart' }
  | { type: 'tool.requested'; turnId: string; callId: string; name: string; args: Record<string, unknown> }
  | { type: 'approval.requested'; approval: PendingApprovalInfo }
  | { type: 'approval.resolved'; approvalId: string; callId: string; resolution: ApprovalResolution }
  | { type: 'tool.started'; callId: string; permission: PermissionSource }
  /** Streamed tool output (e.g. run_command); may be coalesced on disk. */
  | { type: 'tool.output'; callId: string; chunk: string }
  /** The tool message added to history (`messageId`) with its result. */
  | { type: 'tool.completed'; turnId: string; callId: string; messageId: string; name: string; content: string; isError: boolean; durationMs: number; permission?: PermissionSource; interrupted?: boolean }
  /**
   * One model request's usage and price (null: the model has no known price). The fold derives
   * the context share and the totals from it; `context` and `totals` were written by older
   * versions and are ignored.
   */
  | {
      type: 'usage.updated'; usage: Usage; requestCostUsd: number | null; context?: ContextUsage; totals?: CostTotals;
      /** `sampling`: a completion an MCP server asked for (counted in the cost, not in the context meter). */
      source?: 'sampling';
    }
  | {
      type: 'context.compacted';
      method: 'llm' | 'truncate';
      /** Messages replaced by the summary (kept in the log, marked compacted). */
      compactedMessageIds: string[];
      /** The summary message that now stands in for them. */
      summaryMessageId: string;
      summary: string;
      before: { tokens: number; messages: number };
      after: { tokens: number; messages: number };
      /** e.g. "no model reachable: truncated instead". */
      note?: string;
      /** `overflow`: the provider said the request does not fit; the turn compacted and sent it again. */
      trigger: 'manual' | 'auto' | 'overflow';
    }
  | { type: 'tasks.updated'; tasks: TaskItem[] }
  /**
   * `max_rounds`: maxToolRounds reached; `limit`: maxTurnTokens / maxTurnCostUsd reached (`limit` says which).
   * Both end the turn cleanly after the last tool results.
   */
  | { type: 'turn.completed'; turnId: string; stopReason: StopReason | 'max_rounds' | 'limit'; rounds: number; limit?: { kind: 'tokens' | 'cost'; used: number; max: number } }
  | { type: 'turn.failed'; turnId: string; error: SerializedError }
  | { type: 'turn.cancelled'; turnId: string; interruptedCallIds: string[]; partialMessageId?: string }
  /** Written at restore for a turn that was running when the process died. */
  | { type: 'turn.interrupted'; turnId: string; interruptedCallIds: string[]; partialMessageId?: string }
  | { type: 'warning'; code: string; message: string }
  /** The rules files and skills this session's prompt is built from; recorded when the listing changes. */
  | { type: 'knowledge.loaded'; knowledge: SessionKnowledge }
  /** A skill whose name/description matched the prompt: its body is appended to the turn's user message (history only). */
  | { type: 'skill.attached'; turnId: string; name: string; reason: 'name' | 'description'; text: string }
  /** In the parent: spawn_session call `callId` started child `childId`. */
  | { type: 'child.started'; childId: string; callId: string; title: string; goal: string }
  /** In the parent: that child's answer went back as the tool result. */
  | { type: 'child.completed'; childId: string; callId: string; status: Exclude<ChildSessionInfo['status'], 'running'> }
  /** In a child: its parent was deleted with children 'keep'; it is a top-level session from now on. */
  | { type: 'session.detached' }
  /**
   * This session changed a file (src/core/changes). `path` is absolute, `label` what the user sees;
   * `renamed` moved `from` to `path`. Images hold hashes, never bodies (the bytes are in the
   * session's blob store). `callId`/`turnId`: the tool call or command; `restoreId`: the restore
   * (or redo) that wrote it; `via`: written through the editor's buffer (Ctrl+Z covers it) or to disk.
   */
  | {
      type: 'file.changed'; changeId: string; path: string; label: string; kind: FileChangeKind; from?: string; fromLabel?: string;
      before: FileImage; after: FileImage; source: FileChangeSource;
      turnId?: string; callId?: string; restoreId?: string; via?: 'editor' | 'disk';
    }
  /** A command's changes could not all be captured (scan capped, a file unreadable): said on the card and in the Changes view. */
  | { type: 'changes.incomplete'; callId?: string; turnId?: string; message: string }
  /** The user reviewed `path` and kept it: its baseline is now `baseline` (the whole file, or the baseline with one hunk taken). */
  | { type: 'changes.kept'; path: string; baseline: FileImage }
  /**
   * A restore of the checkpoint at `checkpointSeq` (record `key`) begins: the intent, with every file's plan.
   * Each file then gets a `file.changed` (source restore) or a `restore.file_skipped`; the restore
   * ends with `restore.completed`. Found open on the next start, it is finished then (`recovered`).
   * `redoOf`: this undoes restore `redoOf` (its files go back to what that restore found).
   */
  | { type: 'restore.started'; restoreId: string; key: string; checkpointSeq: number; scope: RestoreScope; files: RestoreFilePlan[]; redoOf?: string }
  | { type: 'restore.file_skipped'; restoreId: string; path: string; reason: string }
  /** Records from `fromSeq` on are rewound: kept in the log, out of the model's history; `meter` is the context meter then. */
  | { type: 'conversation.rewound'; restoreId: string; fromSeq: number; meter: { base: number; added: number } }
  /** Redo of a conversation rewind: the records restore `restoreId` rewound are back; `meter` as before that rewind. */
  | { type: 'conversation.unrewound'; restoreId: string; meter: { base: number; added: number } }
  | { type: 'restore.completed'; restoreId: string; restored: number; skipped: number; recovered?: true }
  /** Ends the copied history of a fork: this session began as a copy of `fromSessionId`'s events up to its `fromSeq` (copied, re-numbered, before this event). */
  | { type: 'session.forked'; fromSessionId: string; fromSeq: number; fromTitle: string }
  /**
   * The session works in a git worktree of its own (src/core/worktree), recorded right after
   * `session.created`: from here on every root of the session (file tools, search, commands,
   * the sandbox, the ledger, rules, skills) is `path`. `carried`: the main tree's uncommitted files copied in.
   * `inheritedFrom`: a child session working in its parent's worktree (the parent owns it: only the
   * parent applies, commits or discards it). `subdir`: the workspace folder's place inside the
   * repository (posix, e.g. "packages/app"; absent when the folder is the repository's top): the
   * session's root is `path`/`subdir` (see worktreeRoot in shared/worktree.ts).
   */
  | { type: 'worktree.created'; path: string; branch: string; repoRoot: string; base: WorktreeBase; carried?: { files: number }; inheritedFrom?: string; subdir?: string }
  /**
   * A check of the worktree (on open, before a turn, on request) found it in `state` (recorded only
   * when that differs from what the log says, or when something was repaired). `path`: where it is
   * now (changed when git knows it moved); `repaired`: what was done ("git worktree repair", "re-added
   * from branch agent/…"); `problem`: what is wrong and the way out.
   */
  | { type: 'worktree.checked'; state: WorktreeState; path: string; problem?: string; repaired?: string }
  /** The worktree's work was brought back into the main tree (`conflicts`: labels of files left with conflict markers). */
  | { type: 'worktree.applied'; mode: WorktreeApplyMode; outcome: WorktreeApplyResult['outcome']; files: number; conflicts: string[]; commit?: string }
  /** The worktree's changes were committed on the session branch. */
  | { type: 'worktree.committed'; commit: string; message: string; files: number }
  /** The user discarded the worktree (folder removed; `branchDeleted`: its branch too). The session keeps its history. */
  | { type: 'worktree.discarded'; branchDeleted: boolean }
  /** A running tool reported progress (MCP `notifications/progress`); the card shows the newest. Recorders throttle it. */
  | { type: 'tool.progress'; callId: string; progress: number; total?: number; message?: string }
  /**
   * A hook (Claude Code's format, src/core/hooks) ran, or was not run because it is not approved.
   * `callId`: the tool call it ran for (PreToolUse/PostToolUse: shown on that card); otherwise a transcript marker.
   * `context`: text it added to the model's context (kept in the model's history by core).
   */
  | {
      type: 'hook.ran'; hookEvent: HookEventName; command: string; source: string; outcome: HookOutcome; durationMs: number;
      callId?: string; turnId?: string; message?: string; context?: string;
    }
  /** An MCP server asks the user something (elicitation) or wants a completion (sampling). */
  | { type: 'question.asked'; question: PendingQuestion }
  | { type: 'question.answered'; questionId: string; answer: QuestionAnswer }
  /** Rules files added to the session's context from the next request on (nested files on its path, matching Cursor rules). */
  | { type: 'rules.attached'; turnId?: string; rules: AttachedRule[] }
  /** Tool definitions the model loaded on demand (search_tools): sent with every later request of the session. */
  | { type: 'tools.loaded'; turnId?: string; callId?: string; names: string[] }
  /**
   * The workspace memory changed through this session: `remember` added or updated an entry,
   * `forget` removed one, or the user undid a write (`undone`, `callId` the write undone).
   * `memoryPath`: the memory file. The card of `callId` shows it with an Undo button.
   * `previousText` (updated: the text before) and `topic` (the entry's heading) let undo restore it.
   */
  | { type: 'memory.changed'; callId?: string; entryId: string; action: 'added' | 'updated' | 'removed' | 'undone'; text: string; memoryPath: string; previousText?: string; topic?: string };

export type SessionEventType = SessionEventBody['type'];

/** A stored/emitted event: body plus per-session monotonic `seq` (1-based), time (ms) and session id. */
export type SessionEvent = SessionEventBody & { seq: number; ts: number; sessionId: string };

/** Narrow a SessionEvent by type. */
export type EventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;

/** Event types that may be merged on disk with the previous event of the same kind and target. */
export const COALESCIBLE_TYPES: ReadonlySet<SessionEventType> = new Set(['message.delta', 'tool.output']);
