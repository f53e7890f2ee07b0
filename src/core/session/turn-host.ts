/**
 * The shapes a turn shares with the code it runs (tool calls, retry waits, compaction): the
 * session's side (TurnHost, TurnEnv) and the running turn's handle. In a file of their own so
 * turn-runner.ts and its helpers import them without importing each other (no import cycle).
 */
import type { Redactor } from '../base/redact';
import type { ModelCapabilities, Usage } from '../../shared/model';
import type { SessionConfig, SessionKnowledge } from './types';
import type { KnowledgeWiring } from './knowledge';
import type { PermissionEvaluator } from '../approval/types';
import type { ConfirmationManager } from '../approval/confirmations';
import type { CommandIsolation } from '../sandbox/isolation';
import type { ToolOutputFolder } from '../tools/spill';
import type { Clock, Logger } from '../ports';
import type { PermissionRule } from './types';
import type { SessionData } from './reducer';
import type { ProviderAccess } from './endpoint';
import type { TurnRecorder } from './turn-recorder';
import type { LedgerEnv } from '../changes/types';
import type { ChangeRecorder } from './change-recorder';
import type { ServerRequestHandlers, ToolResult } from '../tools/types';

/** The user's answer to a pending retry (`sessions.retry`). */
export type RetryAction = 'now' | 'wait';

/** What a turn needs from outside the session (provided by the SessionManager). */
export interface TurnEnv extends ProviderAccess {
  /** The session's tools (built-ins, skills, MCP, spawn_session), prompt sections and skill matching. */
  knowledge: KnowledgeWiring;
  /** Label of approvals raised in this session ("child ‹title› of ‹parent›"), if any. */
  approvalLabel(data: SessionData): string | undefined;
  permissions: PermissionEvaluator;
  confirmations: ConfirmationManager;
  hostRules(): PermissionRule[];
  /** The workspace's folders (a session works in `TurnHost.roots`: these, or its worktree's). */
  workspaceRoots: readonly string[];
  isWorkspaceTrusted(): boolean;
  logger: Logger;
  clock: Clock;
  /** USD cost of one request; null when the model's price is unknown. */
  costOf(model: string, usage: Usage, providerId?: string): number | null;
  /** What a profile's model can do (override, server listing, model table); undefined = unknown. Absent: the table alone. */
  modelCapabilities?(providerId: string, model: string): ModelCapabilities | undefined;
  /** Whether and how command tools run in the OS sandbox (absent: never sandboxed). */
  isolation?: CommandIsolation;
  /** Longest Retry-After waited for without asking the user, ms (setting maxRetryWaitSeconds; default 60 000). */
  maxRetryWaitMs?(): number;
  /** Spill folders for long tool output, one per session (absent: long output is only capped). */
  toolOutput?: ToolOutputFolder;
  /** Scrubs secrets from every event before it is folded, stored or fired, and from saved tool output (default: the generic rules). */
  redactor?: Redactor;
  /** The change ledger's blob stores, file writer and path locks (src/core/changes). */
  ledger?: LedgerEnv;
  /**
   * Whether the session's own worktree can be worked in now (src/core/worktree/service.ts):
   * `turn` (a turn starts: a quick look, a full git check when that fails or is due), `tool` (a
   * tool call starts: only the quick look). Throws AgentError('invalid_state') naming the problem
   * and the way out. Absent, or a session without a worktree: nothing to check.
   */
  checkWorkplace?(host: TurnHost, when: 'turn' | 'tool'): Promise<void>;
  /** Seams around every tool call (hooks, rules attached on the way); run in order. */
  callHooks?: readonly ToolCallHooks[];
  /** Seams at the turn's edges (hooks). */
  turnHooks?: readonly TurnHooks[];
  /** Answers of MCP servers' requests during a call (elicitation, sampling); absent: they are declined. */
  serverRequests?: ServerRequestsFactory;
}

/** The running turn's handle. Once the session drops it (cancel), its recorder records nothing. */
export interface ActiveTurn {
  turnId: string;
  /** Records what this turn does (made by the session; refuses once the session dropped the turn). */
  readonly record: TurnRecorder;
  /** The prompt that opened the turn (skills are matched against it). */
  prompt: string;
  /** Config captured at turn start: a model switch mid-turn applies to the next turn. */
  config: SessionConfig;
  abort: AbortController;
  /** Wakes a paused turn (resume or cancel). */
  wakers: Array<() => void>;
  /** Set while the turn's request waits to be sent again (snapshot.pendingRetry): the user's answer. */
  answerRetry?: (action: RetryAction) => void;
}

/** The session as seen by its turn runner (implemented by Session). */
export interface TurnHost {
  readonly data: SessionData;
  readonly env: TurnEnv;
  /**
   * The folders the session works in: its worktree's when it has one (even when that is missing
   * or discarded: never the main tree then), else the workspace's. File tools, search, commands,
   * the sandbox and the change ledger use these, never `env.workspaceRoots`.
   */
  readonly roots: readonly string[];
  /** Records the session's file changes (tools change files through `ToolContext.files`, which records with it). */
  readonly changes: ChangeRecorder;
  isCurrent(turn: ActiveTurn): boolean;
  /** Resolves when the turn may cross a boundary (not paused); throws `cancelled` once the turn is gone. */
  gate(turn: ActiveTurn): Promise<void>;
  flush(): Promise<void>;
}

// ---- Seams (re-exported by call-hooks.ts, where they are described) ----

/** One tool call as the seams see it (after its arguments were validated). */
export interface HookedCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** What a `before` seam decided. Absent fields: no opinion. */
export interface BeforeCallVerdict {
  /**
   * `deny`: refused (the reason goes to the model); `allow`: no approval card (a deny rule or a
   * sandbox refusal still wins); `ask`: an approval card even where a rule or the mode allows.
   */
  decision?: 'allow' | 'deny' | 'ask';
  /** Why (shown on the card and told to the model on deny). */
  reason?: string;
  /** Where the verdict came from, e.g. "hook PreToolUse .claude/settings.json". */
  source?: string;
}

/** Runs around every tool call of every session. Several may be installed; they run in order. */
export interface ToolCallHooks {
  /** Before the permission check. The strictest verdict of all seams wins (deny > ask > allow). */
  before?(host: TurnHost, turn: ActiveTurn, call: HookedCall): Promise<BeforeCallVerdict | undefined>;
  /** After the call ran (not for refused calls): text returned is appended to the result the model sees. */
  after?(host: TurnHost, turn: ActiveTurn, call: HookedCall, result: ToolResult): Promise<{ context?: string } | undefined>;
}

/** Runs at the turn's edges (Claude Code's UserPromptSubmit, Stop, SessionStart). */
export interface TurnHooks {
  /** The session's first turn starts (SessionStart): text returned joins the turn's user message (history only). */
  sessionStarted?(host: TurnHost, turn: ActiveTurn): Promise<{ context?: string } | undefined>;
  /** Before the prompt goes to the model: `block` ends the turn with that reason; `context` joins the user message (history only). */
  promptSubmitted?(host: TurnHost, turn: ActiveTurn): Promise<{ block?: string; context?: string } | undefined>;
  /**
   * The model answered without tool calls: `continueWith` makes the turn go on with another
   * request instead of ending. The seam records that text itself (`hook.ran` with `context`, no
   * `callId`), which the history folds as the next user message (reducer.ts); so does the
   * context of sessionStarted/promptSubmitted (joined to the user message).
   */
  stopping?(host: TurnHost, turn: ActiveTurn): Promise<{ continueWith?: string } | undefined>;
  /** What the seam has configured for the session (SessionKnowledge.hooks; src/core/hooks). */
  listing?(host: TurnHost): Promise<NonNullable<SessionKnowledge['hooks']>>;
}

/** Makes the handlers of an MCP server's requests during one call (elicitation, sampling). */
export type ServerRequestsFactory = (host: TurnHost, turn: ActiveTurn, call: HookedCall) => ServerRequestHandlers | undefined;
