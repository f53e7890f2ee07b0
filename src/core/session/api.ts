import type { Event } from '../base/emitter';
import type { SessionEvent } from './events';
import type { ApprovalResolution, ConfigUpdate, SessionConfig, SessionKnowledge, SessionSnapshot } from './types';
import type { TranscriptRecord } from '../../shared/transcript';
import type { AskOptions, AskResult } from './side-question';
import type { SessionIndexEntry, SessionWriterInfo } from '../store/types';
import type { ChangesApi } from '../changes/types';
import type { WorktreeApi } from '../worktree/types';
import type { WorkspaceChoice, WorktreeDeleteChoice } from '../../shared/worktree';
import type { ElicitValue } from '../../shared/knowledge-types';

export interface CreateSessionOptions {
  title?: string;
  /** Overrides of the manager's defaults (provider, model, mode, …). */
  config?: Partial<SessionConfig>;
  parentId?: string;
  /**
   * Where it works (default: the setting's default via the manager, else `shared`). A worktree is
   * made before the session is: when git fails, nothing is created and the error says why.
   */
  workspace?: WorkspaceChoice;
  /** A custom agent's name: the session runs as it (prompt, tools, model). AgentError('not_found') when there is none. */
  agent?: string;
}

export interface SendResult {
  promptId: string;
  /** True when a turn was running and the prompt waits in the queue. */
  queued: boolean;
}

export interface TranscriptPage {
  entries: TranscriptRecord[];
  /** True when older entries exist before the first returned one. */
  hasMore: boolean;
}

/**
 * What the host (src/vscode, the webview router, tests, benchmarks) may do with sessions.
 * Implemented by SessionManager (session/manager.ts). Every method that names a session
 * throws AgentError('not_found') for an unknown id and AgentError('invalid_id') for a hostile one.
 */
export interface SessionManagerApi {
  /** Every event of every session, live, in per-session seq order. */
  readonly onEvent: Event<SessionEvent>;

  /** Creates a session (persisted at once). */
  create(options?: CreateSessionOptions): Promise<SessionSnapshot>;
  /** All sessions from the index plus live state; does not read logs of unopened sessions. */
  list(): SessionIndexEntry[];
  /** Loads a session's log if needed and returns its snapshot. */
  open(sessionId: string): Promise<SessionSnapshot>;
  /** Snapshot of an opened session, or undefined when not opened (or unknown). */
  get(sessionId: string): SessionSnapshot | undefined;
  /** Transcript page, newest last; `beforeSeq` pages backwards; `limit` default 100, clamped to 1..1000. */
  transcript(sessionId: string, options?: { limit?: number; beforeSeq?: number }): Promise<TranscriptPage>;
  /** Events with seq > afterSeq (replay for reconnecting views). */
  eventsSince(sessionId: string, afterSeq: number): Promise<SessionEvent[]>;

  rename(sessionId: string, title: string): Promise<void>;
  /**
   * Cancels, then deletes the log and index row. Children: 'delete' (default) deletes them (and
   * theirs) too; 'keep' detaches them first, into top-level sessions that go on running.
   * Worktree (default 'keep'): keep its worktree and branch, remove the worktree folder only, or both.
   */
  delete(sessionId: string, options?: { children?: 'delete' | 'keep'; worktree?: WorktreeDeleteChoice }): Promise<void>;
  /** Changes config; a running turn keeps its model, the next turn uses the new one. */
  /** `null` clears `thinking` / `reasoningEffort`. */
  updateConfig(sessionId: string, patch: ConfigUpdate): Promise<SessionSnapshot>;
  /** Hot-swaps the defaults used for new sessions. */
  setDefaults(patch: Partial<SessionConfig>): void;

  /** Starts a turn, or queues the prompt when one runs. Empty prompts are refused (bad_request). */
  send(sessionId: string, text: string): Promise<SendResult>;
  removeQueued(sessionId: string, promptId: string): Promise<boolean>;
  /** Holds at the next boundary (no new model request, no new tool start). */
  pause(sessionId: string): Promise<void>;
  resume(sessionId: string): Promise<void>;
  /** Aborts the stream and running tools, rejects pending approvals; no-op when idle. */
  cancel(sessionId: string): Promise<void>;
  /** Summarises older history; refused (invalid_state) while a turn runs. */
  compact(sessionId: string): Promise<void>;
  resolveApproval(sessionId: string, approvalId: string, resolution: ApprovalResolution): Promise<void>;
  /**
   * Answers an MCP server's question (snapshot.pendingQuestions): `accept` with the form's values
   * (elicitation; bad_request when they do not fit its schema) or to run a sampling request on the
   * session's model; `decline`; `cancel`. not_found when the question no longer waits. Optional (hosts without MCP).
   */
  answerQuestion?(sessionId: string, questionId: string, action: 'accept' | 'decline' | 'cancel', content?: Record<string, ElicitValue>): Promise<void>;
  /**
   * Answers the running turn's pending retry (snapshot.pendingRetry): `now` sends the request at
   * once, `wait` accepts a wait longer than the cap. invalid_state when nothing waits for that answer.
   */
  retry(sessionId: string, action: 'now' | 'wait'): Promise<void>;
  /**
   * Side question ("btw") from a copy of the history and runtime state, also while a turn runs;
   * records nothing. Empty or oversized question → bad_request; aborted → cancelled.
   */
  ask(sessionId: string, question: string, options?: AskOptions): Promise<AskResult>;
  /** Re-reads the session's rules files and skills (records `knowledge.loaded` when they changed). */
  knowledge(sessionId: string): Promise<SessionKnowledge>;
  /**
   * Undoes memory write `entryId` of call `callId` (added → removed, updated → previous text,
   * removed → added again) and records `memory.changed` undone. not_found when the entry was
   * changed since (left as it is) or there is no such write; invalid_state when undone already.
   * Optional so hosts and fakes without memory need not implement it.
   */
  undoMemory?(sessionId: string, callId: string, entryId: string): Promise<void>;

  /** The change ledger: each session's changed files, review, checkpoint restore, redo and fork (absent in hosts without it). */
  readonly changes?: ChangesApi;
  /** Sessions' own git worktrees: support, check, status, commit, apply, discard (absent in hosts without git). */
  readonly worktrees?: WorktreeApi;

  /**
   * Optional (stores shared between windows). The other window that writes this session's log, when
   * it is read-only here (every method that would record refuses with AgentError('read_only')).
   */
  readOnlyBy?(sessionId: string): SessionWriterInfo | undefined;
  /** Optional. "Take over here": this window becomes the session's writer; the other shows it read-only. */
  takeOver?(sessionId: string): Promise<SessionSnapshot>;
  /** Optional. A session became read-only here (`readOnlyBy` set) or writable (taken over). */
  readonly onDidChangeWriter?: Event<{ sessionId: string; readOnlyBy?: SessionWriterInfo }>;

  /**
   * Stops every session and closes the store (window reload, extension host exit). A turn that only
   * waits for the user (a pending approval, or paused at a boundary) stays open in the log, recording
   * nothing, so the next start restores it; any other running turn is recorded as interrupted.
   * Pending appends are flushed before the store closes.
   */
  dispose(): Promise<void>;
}
