import type { ProviderKind, ReasoningEffort, Usage } from './model';
import type { SerializedError } from './errors';
import type { ChangedFile, RestoreScope } from './changes';
import type { SessionWorktree, SharedFileOverlap, WorktreeSummary } from './worktree';
import type { AttachedRule, HookEventName, MemoryInfo, PendingQuestion, SessionAgent, ToolBudgetInfo } from './knowledge-types';

/** Permission mode of a session; effective from the next tool call after a switch. */
export type SessionMode = 'ask' | 'auto-edit' | 'plan' | 'full';

export type RuleAction = 'allow' | 'deny' | 'ask';
export type RuleScope = 'session' | 'workspace' | 'user';

/** A permission rule like `run_command(npm test:*)`, `edit_file(src/**)`, `mcp__github__*`. */
export interface PermissionRule {
  action: RuleAction;
  pattern: string;
  scope: RuleScope;
}

/** Optional config fields a change may clear: `null` in a patch removes them (JSON keeps a null, not an undefined). */
export type ClearableConfigKey = 'thinking' | 'reasoningEffort' | 'baseUrl' | 'contextWindow';

/** A config change as recorded (`session.config_changed`): like a partial config, where `null` clears a clearable field. */
export type ConfigUpdate = Omit<Partial<SessionConfig>, ClearableConfigKey> & { [K in ClearableConfigKey]?: SessionConfig[K] | null };

/** Per-session configuration. Never contains an API key. */
export interface SessionConfig {
  /** Provider profile id (e.g. "openai", "anthropic", "ollama"); keys are looked up by this id. */
  providerId: string;
  providerKind: ProviderKind;
  model: string;
  baseUrl?: string;
  systemPrompt?: string;
  /** Model context window in tokens (defaults from the model table when unset). */
  contextWindow?: number;
  maxOutputTokens?: number;
  thinking?: { budgetTokens: number };
  /** OpenAI reasoning effort for reasoning models; unset = the server's default. */
  reasoningEffort?: ReasoningEffort;
  autoCompact: boolean;
  /** Share of the context window (0..1) at which a finished turn triggers compaction. Default 0.8. */
  autoCompactThreshold: number;
  /** Model used to write compaction summaries; defaults to the session's model. */
  compactionModel?: string;
  mode: SessionMode;
  rules: PermissionRule[];
  /** Maximum model requests in one turn. Default 50. */
  maxToolRounds: number;
  /** Tool names this session may use; undefined = every registered tool. */
  allowedTools?: string[];
  /** Auto-deny pending approvals after this many ms; undefined/null = wait forever. */
  approvalTimeoutMs?: number | null;
  /** Stream idle watchdog, ms. Default 60 000. */
  streamIdleTimeoutMs?: number;
  /** Rules files switched off for this session (RulesFile ids like `agents:src/AGENTS.md`). */
  disabledRuleIds?: string[];
  /** Per-session skill switches: name → enabled. Names not listed follow the default (enabled). */
  skillOverrides?: Record<string, boolean>;
  /** MCP servers whose tools this session does not see. */
  disabledMcpServers?: string[];
  /** Single tools this session does not see (exact names, e.g. `mcp__github__create_issue`). */
  disabledTools?: string[];
  /** The custom agent this session runs as (its prompt joins the system prompt; its tools narrow `allowedTools`). */
  agent?: SessionAgent;
  /** A turn ends cleanly (stop reason `limit`) once it has used this many tokens (input + output, all its requests). */
  maxTurnTokens?: number;
  /** A turn ends cleanly once its requests cost this much, USD (unknown prices never count as reached). */
  maxTurnCostUsd?: number;
}

export type SessionState = 'idle' | 'running' | 'awaiting_approval' | 'paused' | 'error';

/** A prompt waiting for the current turn to end. */
export interface QueuedPrompt {
  id: string;
  text: string;
  queuedAt: number;
}

export interface TaskItem {
  id: string;
  title: string;
  status: 'pending' | 'in_progress' | 'done' | 'cancelled';
}

/** Context meter: tokens in the next request's prompt, estimated, and share of the window. */
export interface ContextUsage {
  tokens: number;
  window: number;
  /** tokens / window, 0..1+ */
  fraction: number;
}

export interface CostTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** USD; null when the model's price is unknown (never shown as zero). */
  costUsd: number | null;
}

/**
 * A model request waiting to be sent again: a countdown (`retryAt`), or a question to the user
 * (`ask`) — the provider asked for a wait longer than the cap, or the stream broke after output.
 */
export interface PendingRetry {
  turnId: string;
  /** 1-based retry number within this request. */
  attempt: number;
  /** The failure of the last try. */
  error: SerializedError;
  /** The wait the provider asked for (Retry-After) or our backoff, ms. */
  delayMs: number;
  /** When the request goes again by itself (ms since the epoch); absent = it waits for the user. */
  retryAt?: number;
  ask?: 'long_wait' | 'after_output';
  /** For `after_output`: the partial message kept in the transcript. */
  partialMessageId?: string;
}

export interface PendingApprovalInfo {
  id: string;
  sessionId: string;
  callId: string;
  toolName: string;
  /** A readable one-line summary of the arguments. */
  summary: string;
  args: Record<string, unknown>;
  /** For edits: a unified diff of current vs proposed. */
  diff?: string;
  /** For commands: the analysed sub-commands. */
  subcommands?: string[];
  /** A narrow rule suggested for "always allow", e.g. `run_command(npm test:*)`. */
  suggestedRule?: string;
  /**
   * False when this approval cannot become a rule ("always allow" is not offered): writes to
   * sensitive targets, commands that cannot be fully analysed.
   */
  rememberable?: boolean;
  /** The sandbox refused the command: approving runs it once more without the sandbox. */
  unsandboxed?: boolean;
  /** Why it asks (e.g. "mode ask: commands ask", "sensitive target .vscode/settings.json"). */
  reason: string;
  requestedAt: number;
  /** Label for child sessions: "child ‹title› of ‹parent›". */
  label?: string;
}

export type ApprovalDecision = 'approve' | 'deny';

export interface ApprovalResolution {
  decision: ApprovalDecision;
  /** For deny: sent back to the model. */
  reason?: string;
  /**
   * For approve: also save this rule (allow) in that scope. `confirmBroad`: the user confirmed a
   * rule that allows more than the approved call (otherwise such a rule is refused with `needs_confirmation`).
   */
  alwaysAllow?: { pattern: string; scope: RuleScope; confirmBroad?: boolean };
  /** Who/what resolved it: 'user' | 'timeout' | 'cancel' | 'interrupted'. */
  by?: 'user' | 'timeout' | 'cancel' | 'interrupted';
}

/** Context meter state: `base` is what the provider last reported (input + output of the last request, since the answer becomes input next time), `added` the estimate of what joined the history since. */
export interface MeterState {
  base: number;
  added: number;
}

/** A tool call of a completed assistant message that has no result yet. */
export interface OpenToolCall {
  id: string;
  name: string;
  /** `requested`: permission/approval under way; `started`: the tool is executing. */
  phase?: 'requested' | 'started';
  /** The user approved it (a pause may hold an approved call before its tool starts). */
  approved?: true;
}

/** What the fold knows about the turn in progress (undefined between turns). */
export interface TurnProgress {
  turnId: string;
  /** Id of the user message that opened the turn (skill attachments extend it). */
  userMessageId: string;
  /** Model requests made so far in this turn. */
  rounds: number;
  /** The assistant message being streamed, if any (its text is its transcript record's). */
  streaming?: { messageId: string };
  /** Tool calls without a result yet, in call order. */
  openCalls: OpenToolCall[];
  /**
   * The session config when the turn started: the turn runs with it (a model switch meanwhile
   * applies to the next turn), also after a restart — the fold rebuilds it from the log.
   */
  config: SessionConfig;
  /** Spent by this turn's requests so far (maxTurnTokens / maxTurnCostUsd; unknown prices count 0). */
  used: { tokens: number; costUsd: number };
  /** An answer closed with stop reason `other` just now: a cancel or interruption right after cut it off. */
  cutMessageId?: string;
}

/**
 * A point-in-time, serialisable view of a session: everything the one fold (fold.ts) keeps
 * except the transcript records. Core keeps it as the session's state; the webview starts from
 * it and folds live events on top, with the same function.
 */
export interface SessionSnapshot {
  id: string;
  title: string;
  parentId?: string;
  createdAt: number;
  updatedAt: number;
  config: SessionConfig;
  /** Derived from the turn, the pause and the pending approvals (never recorded separately). */
  state: SessionState;
  /** Paused, but the turn has not reached its boundary yet (a stream or a tool still runs): "Pausing…". */
  pausing?: true;
  /** A pause was requested and not yet resumed (cleared when the turn ends). */
  paused: boolean;
  /** How the last turn ended, for the badge of an idle session (cleared when a turn starts). */
  outcome?: 'done' | 'error';
  /** The error of the last failed turn (cleared when a turn starts). */
  lastError?: SerializedError;
  lastSeq: number;
  queue: QueuedPrompt[];
  pendingApprovals: PendingApprovalInfo[];
  tasks: TaskItem[];
  /** Derived: the meter against the window of the config's model. */
  context: ContextUsage;
  meter: MeterState;
  /** Derived: the sum of the session's requests. */
  totals: CostTotals;
  /** Model requests made (totals stay "unknown" for an unpriced model before the first). */
  requests: number;
  /** Transcript records (what `sessions.transcript` pages through). */
  messageCount: number;
  lastUsage?: Usage;
  turn?: TurnProgress;
  /** Rules files and skills as last loaded for this session (set once a turn ran or `knowledge()` was asked). */
  knowledge?: SessionKnowledge;
  /** Child sessions started by this session (spawn_session), oldest first. */
  children: ChildSessionInfo[];
  /** The running turn's request waits to be sent again (countdown or question); see `sessions.retry`. */
  pendingRetry?: PendingRetry;
  /** Whether its history is being saved (from the history_not_saved / history_saved_again warnings; see history-status.ts). */
  historySaving?: HistorySaving;
  /**
   * Model requests answered since the last compaction (undefined: never compacted). A context that
   * is full again after 0–1 requests means compacting does not help (thrash): see session/overflow.ts.
   */
  requestsSinceCompaction?: number;
  /** Files this session changed and nobody kept since, in the order first changed (the change ledger; see shared/changes.ts). */
  changes: ChangedFile[];
  /** What of the session's changes could not be captured (newest last, at most 20). */
  changeNotes?: string[];
  /** A restore that began and has not ended (a crash in between: it is finished on the next open). */
  restoring?: { restoreId: string; key: string; scope: RestoreScope; redoOf?: string };
  /** This session is a fork of another one, from that one's event `seq`. */
  forkedFrom?: { sessionId: string; seq: number; title: string };
  /** The session works in a git worktree of its own (absent: in the shared workspace). See shared/worktree.ts. */
  worktree?: SessionWorktree;
  /** Questions of MCP servers waiting for the user (elicitation, sampling); the state is `awaiting_approval` while any waits. */
  pendingQuestions?: PendingQuestion[];
  /** Rules files attached on the way (rules.attached), in order: sent with every later request. */
  attachedRules?: AttachedRule[];
  /** Tools whose definitions the model loaded on demand (tools.loaded). */
  loadedTools?: string[];
}

/** A rules file as the session's UI lists it (the text itself stays in core). */
export interface KnowledgeRulesFile {
  /** Stable id used by `disabledRuleIds`. */
  id: string;
  kind: 'agents' | 'claude' | 'gemini' | 'copilot' | 'clinerules' | 'cursor';
  /** Workspace-relative posix path (the source shown in the UI). */
  relativePath: string;
  /** For nested AGENTS.md: the folder it governs ('' = everywhere). */
  scope: string;
  /** Bytes on disk. */
  size: number;
  /** Characters sent to the model (after the cap). */
  chars: number;
  truncated: boolean;
  enabled: boolean;
  /**
   * When it is sent: `always` (root files, alwaysApply rules), `path` (nested files: once the session
   * works under `scope`), `glob` (Cursor rules: once a file matching `globs` is involved), `requested`
   * (Cursor rules with only a description: listed for the model, which reads it when it needs it),
   * `manual` (Cursor rules with neither: never sent, only listed). Absent: always (older logs).
   */
  activation?: 'always' | 'path' | 'glob' | 'requested' | 'manual';
  globs?: string[];
  description?: string;
  /** In the context now (always-files, and on-path/glob/requested files once attached). */
  active?: boolean;
  /** Left out because the budget ran out (listed by path for the model, which may read it). */
  omitted?: boolean;
  /** Reached through a symbolic link (its target's path). */
  linkTarget?: string;
}

/** A skill as the session's UI lists it. */
export interface KnowledgeSkill {
  name: string;
  description: string;
  source: 'workspace' | 'user';
  /** Absolute path of its SKILL.md. */
  path: string;
  /** Enabled for this session (its per-session override, else on). */
  enabled: boolean;
  /** Another skill of the same name wins (shown so clashes are visible). */
  shadowed: boolean;
  /** Its folder's name when that differs from `name` (both load it). */
  folder?: string;
  /** Reached through a symbolic link. */
  linked?: boolean;
  /** Left out of the skills index sent to the model (over the budget); still loadable by name. */
  notIndexed?: boolean;
}

/** What a session's system prompt was built from. */
export interface SessionKnowledge {
  rules: KnowledgeRulesFile[];
  skills: KnowledgeSkill[];
  /** The skills index against its budget (characters); `omitted`: names left out of the index. */
  skillsIndex?: { chars: number; budget: number; omitted: string[] };
  /** The rules files' budget (characters) and what of it is used. */
  rulesBudget?: { chars: number; budget: number };
  /** The tool definitions' cost (Context panel). */
  tools?: ToolBudgetInfo;
  /** Memory added to the context. */
  memory?: MemoryInfo;
  /** Hooks configured for the workspace (approved or not). */
  hooks?: { hookEvent: HookEventName; matcher?: string; command: string; source: string; approved: boolean }[];
}

/** A child session as its parent lists it. */
export interface ChildSessionInfo {
  id: string;
  title: string;
  /** The parent's spawn_session call that started it. */
  callId: string;
  /** 'running' until the child's answer went back to the parent. */
  status: 'running' | 'completed' | 'limit' | 'failed' | 'cancelled';
}

/** One row of the session index: enough to list sessions without opening their logs. */
export interface SessionIndexEntry {
  id: string;
  title: string;
  parentId?: string;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
  eventCount: number;
  messageCount: number;
  state: SessionState;
  /** How its last turn ended (the tab's badge before the session is opened). */
  outcome?: 'done' | 'error';
  providerId: string;
  model: string;
  /** Files it changed that nobody kept yet (the status bar counts sessions with unreviewed changes). */
  changedFiles?: number;
  /** Its own worktree (tabs show the branch; deleting asks what to do with it). */
  worktree?: WorktreeSummary;
  /**
   * Derived by `list()`, never stored: other sessions of the shared tree (no worktree) that changed
   * a file this one changed too (both tabs show a marker). Only sessions opened in this window count.
   */
  sharedFiles?: SharedFileOverlap[];
  /** The log is damaged (kept on disk as it is): why, how many records could not be read, where a copy was kept. */
  damaged?: { reason: string; unreadableRecords?: number; copy?: string };
}

/** The other window that writes a session's log; this window shows the session read-only. */
export interface SessionWriterInfo {
  pid: number;
  /** Host name of its machine ('' when unknown). */
  host: string;
  /** VS Code's `env.sessionId` of that window, when it said. */
  windowId?: string;
  /** How a person recognises that window, e.g. "VS Code window opened 14:02". */
  label?: string;
  /** When it started writing the log (ms since epoch). */
  since: number;
}

/**
 * `failing` while the latest of the two warnings is history_not_saved; `recovered` after
 * history_saved_again, said once: until the next turn starts. `message` is the warning's text
 * (what failed, and that it is retrying), `since` its time (ms).
 */
export interface HistorySaving {
  state: 'failing' | 'recovered';
  message: string;
  since: number;
}
