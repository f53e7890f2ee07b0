/**
 * The host ⇄ webview protocol: one typed method map (Continue's style), request/reply with
 * ids, events, cancellation and a version handshake (vscode-pull-request-github's style).
 *
 * Flow: the webview posts `ready`; the host answers with a `snapshot` and from then on posts
 * `event`s (deltas, never whole transcripts), `sessions` list changes and `host` state. The
 * webview calls methods with `request` and gets exactly one `reply` per id. The webview is
 * untrusted input: the host runs every inbound message through `parseWebviewMessage`
 * (./protocol-schema.ts, which imports this file's types; nothing here imports it back, so the
 * two never form an import cycle), which never throws.
 *
 * No Node, no DOM, no vscode. The webview imports only types from here plus
 * ./protocol-constants (so zod stays out of its bundle).
 */
import type { RestorePreview, RestoreResult, RestoreScope } from './changes';
import type { SerializedError } from './errors';
import type { SessionEvent } from './events';
import type { ModelCapabilities, OpenAIApi, ProviderKind } from './model';
import type { ModelPrice } from './pricing';
import type {
  ConfigUpdate, RuleScope, SessionConfig, SessionIndexEntry, SessionKnowledge, SessionMode, SessionSnapshot, SessionWriterInfo,
} from './session';
import type { TranscriptRecord } from './transcript';
import type { CustomAgentInfo, ElicitValue } from './knowledge-types';
import type { WorkspaceChoice, WorktreeApplyMode, WorktreeApplyResult, WorktreeDeleteChoice, WorktreeStatus, WorktreeSupport } from './worktree';

export { PROTOCOL_VERSION, PROTOCOL_LIMITS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TAIL_ENTRIES } from './protocol-constants';

// ---------------------------------------------------------------------------------------------
// Data carried by the protocol
// ---------------------------------------------------------------------------------------------

/** One row of the session list: a session index row (its event count stays on the host). */
export type SessionSummary = Omit<SessionIndexEntry, 'eventCount'>;

/** A session opened in the webview: its snapshot plus the newest transcript entries. */
export interface OpenedSession {
  snapshot: SessionSnapshot;
  /** Newest last. */
  entries: TranscriptRecord[];
  /** True when older entries exist (page with sessions.transcript). */
  hasMore: boolean;
  /** Seq up to which `snapshot` and `entries` are current; events with seq ≤ this are already folded in. */
  lastSeq: number;
  /** Another window writes this session: it is read-only here (the composer offers "Take over here"). */
  readOnlyBy?: SessionWriterInfo;
}

export interface ModelInfo {
  id: string;
  label?: string;
  contextWindow?: number;
  /** From the model table, the server's listing or the profile's override; absent = unknown. */
  capabilities?: ModelCapabilities;
  /** USD per million tokens (the pricing table or the profile's override); absent = unknown. */
  price?: ModelPrice;
}

/** `models.list`: the models a provider offers, as its server lists them (cached) or as suggested. */
export interface ModelListing {
  models: ModelInfo[];
  /** `server`: fetched from its models endpoint (`/v1/models`, Anthropic's `/v1/models`, vscode.lm); `suggested`: the profile's list. */
  source: 'server' | 'suggested';
  /** When the server's list was fetched (ms since epoch). */
  fetchedAt?: number;
  /** Why the server could not be asked (the suggested list is given instead). */
  error?: SerializedError;
}

/** A profile template the user can add (OpenRouter, Azure OpenAI, …): `providers.presets`, action `addPreset`. */
export interface ProviderPresetInfo {
  id: string;
  label: string;
  kind: ProviderKind;
  api?: OpenAIApi;
  baseUrl?: string;
  requiresKey: boolean;
  /** One line: what it is and what the user has to fill in. */
  description: string;
}

/** A local server or VS Code model source that answered a probe just now (`providers.probe`). */
export interface ProbedProvider {
  /** The profile to use (built-in `ollama`, `lmstudio`, `vscode-lm`, or a settings profile). */
  providerId: string;
  label: string;
  baseUrl?: string;
  /** Models it offered (at most a few dozen). */
  models: string[];
}

/** A provider profile from settings. Never carries the key itself, only whether one is set. */
export interface ProviderProfileInfo {
  id: string;
  label: string;
  kind: ProviderKind;
  baseUrl?: string;
  models: ModelInfo[];
  /** False for keyless local endpoints (e.g. Ollama). */
  requiresKey: boolean;
  hasKey: boolean;
  /** OpenAI kind: the API the profile speaks (absent = chat). */
  api?: OpenAIApi;
  /** The host the key was set for (a key is sent only there without asking). */
  keyHost?: string;
}

/** Actions a banner button may ask the host to run (`host.runAction`). The host decides what each does. */
export type HostActionId = 'trustWorkspace' | 'setApiKey' | 'openSettings' | 'openLogs'
  /** With a sessionId: go to the window that writes it (as far as VS Code lets an extension), or say which it is. */
  | 'switchWindow'
  /** With a sessionId: the existing "Export as Markdown", and a raw copy of its log file (e.g. a damaged one). */
  | 'exportMarkdown' | 'exportLog'
  /** With a presetId: add a provider profile from a preset (asks for what it needs, then the key). */
  | 'addPreset';

/** A message the webview shows as a banner, with an optional action button. */
export interface HostNotice {
  /** Stable id so the webview can replace/dismiss it (e.g. "no-key:openai"). */
  id: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  action?: { label: string; action: HostActionId; providerId?: string; sessionId?: string };
}

/** Host state the webview needs for banners and enabling features. */
export interface HostInfo {
  protocolVersion: number;
  extensionVersion?: string;
  workspaceTrusted: boolean;
  /** Why features are off when untrusted, e.g. "commands, workspace MCP servers and skills are off". */
  untrustedReason?: string;
  notices: HostNotice[];
  /** Defaults for the "+ new session" form. */
  defaults?: { providerId?: string; model?: string; mode?: SessionMode };
  /** Where new sessions work unless the user picks otherwise (the `agentSessions.worktrees` default; absent: `shared`). */
  defaultWorkspace?: 'shared' | 'worktree';
  /** Whether commands run in the OS sandbox here, in words ("sandboxed (bubblewrap): …" or "not sandboxed: <why>"). */
  sandbox?: { sandboxed: boolean; note: string };
}

/**
 * Config fields the webview may change. Permission rules, system prompt and tool lists are NOT
 * settable from the webview; the per-session knowledge switches (rules files, skills, MCP
 * servers) are: they only ever narrow what the session sees.
 */
export type ConfigPatch = Partial<Pick<SessionConfig,
  | 'providerId' | 'model' | 'mode' | 'autoCompact' | 'autoCompactThreshold' | 'maxOutputTokens'
  | 'disabledRuleIds' | 'skillOverrides' | 'disabledMcpServers' | 'disabledTools'>>
  /** `null` turns extended thinking off / goes back to the server's default effort. */
  & Pick<ConfigUpdate, 'thinking' | 'reasoningEffort'>;

/** An MCP server's status (mirrors core's McpServerStatus, which shared can't import). */
export type McpServerStatusInfo =
  | { state: 'stopped' }
  | { state: 'starting'; attempt: number }
  | { state: 'connected'; toolCount: number; pid?: number }
  | { state: 'failed'; error: SerializedError; stderrTail: string[]; attempts: number; restartInMs?: number }
  /** The HTTP server was lost (restart, network) and is being re-initialised; core's McpServerStatus. */
  | { state: 'reconnecting'; attempt: number; maxAttempts: number; retryInMs?: number; error: SerializedError }
  | { state: 'disabled' }
  | { state: 'blocked'; reason: 'untrusted' | 'not_approved'; message: string };

/** One configured MCP server as the Context panel lists it. */
export interface McpServerInfo {
  name: string;
  /** Transport: 'stdio' | 'http' | 'sse' (or an unsupported type named in the config). */
  type: string;
  source: { kind: 'vscode-mcp-json' | 'mcp-json' | 'settings'; scope: 'workspace' | 'user'; path?: string };
  /** Where it came from, for display: a workspace-relative file or "user settings". */
  sourceLabel: string;
  status: McpServerStatusInfo;
  /** Namespaced tool names (`mcp__server__tool`) while connected. */
  tools: string[];
}

/** A prompt an MCP server offers (prompts/list), shown as a slash command. */
export interface McpPromptInfo {
  server: string;
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean }[];
}

/** A problem in an MCP configuration file or setting (the rest of the servers still load). */
export interface McpConfigProblem {
  /** Workspace-relative file, or "settings". */
  source: string;
  server?: string;
  message: string;
}

/** What the Context panel shows for MCP (also pushed as the `mcp` host message on every change). */
export interface McpOverview {
  servers: McpServerInfo[];
  problems: McpConfigProblem[];
}

/** Global (all sessions, this window) actions on an MCP server. `allow` = forget a "Don't allow" and start it. */
export type McpActionId = 'restart' | 'enable' | 'disable' | 'allow';

/** A skill registry problem (invalid front matter, duplicate, huge file…); the rest of the registry still loads. */
export interface SkillDiagnosticInfo {
  severity: 'error' | 'warning' | 'info';
  /** Absolute path of the SKILL.md or folder concerned; '' for registry-wide notes. */
  path: string;
  message: string;
}

/**
 * Workspace permission rules for the Context panel. Allow rules in the workspace's committed
 * settings (`agentSessions.permissionRules` workspace/folder values, a file the repository can
 * ship) are suggestions: they allow nothing until the user allows that exact list, pinned by its
 * hash, so a changed list asks again. Their deny and ask rules apply as they are (they only restrict).
 */
export interface WorkspaceRulesInfo {
  /** Allow patterns from the workspace settings (deduplicated, as written). */
  suggested: string[];
  /** SHA-256 (hex) of the suggested list ('' when there is none); `workspaceRules.decide` names the list it answers. */
  hash: string;
  /** none: no suggestions · pending: waiting for the user · allowed / ignored: the user's answer for exactly this list. */
  state: 'none' | 'pending' | 'allowed' | 'ignored';
  /** Deny and ask rules from the workspace settings: they apply without confirmation. */
  restricting: Array<{ action: 'deny' | 'ask'; pattern: string }>;
  /** Rules saved with "always allow" for this workspace, kept in the extension's own workspace storage. */
  saved: Array<{ action: 'allow' | 'deny' | 'ask'; pattern: string }>;
  /** False in Restricted Mode: workspace settings rules and rules files are off, whatever is decided. */
  workspaceTrusted: boolean;
}

type Empty = Record<string, never>;
type SessionRef = { sessionId: string };

// ---------------------------------------------------------------------------------------------
// The method map: method → { params, result }
// ---------------------------------------------------------------------------------------------

export interface ProtocolMethods {
  'sessions.list': { params: Empty; result: { sessions: SessionSummary[] } };
  'sessions.create': {
    params: {
      providerId?: string; model?: string; mode?: SessionMode; title?: string; parentId?: string; workspace?: WorkspaceChoice;
      /** A custom agent's name (agents.list): the session runs as that agent. `not_found` when there is none. */
      agent?: string;
    };
    result: { snapshot: SessionSnapshot };
  };
  /** Loads the session if needed; `limit` = transcript entries (default DEFAULT_TAIL_ENTRIES). */
  'sessions.open': { params: SessionRef & { limit?: number }; result: OpenedSession };
  /** Pages backwards: entries with seq < beforeSeq, newest last. */
  'sessions.transcript': {
    params: SessionRef & { beforeSeq?: number; limit?: number };
    result: { entries: TranscriptRecord[]; hasMore: boolean };
  };
  'sessions.rename': { params: SessionRef & { title: string }; result: Empty };
  'sessions.delete': { params: SessionRef & { children?: 'delete' | 'keep'; worktree?: WorktreeDeleteChoice }; result: Empty };
  /** Starts a turn or queues the prompt when one runs (the host decides). */
  'sessions.send': { params: SessionRef & { text: string }; result: { promptId: string; queued: boolean } };
  'sessions.removeQueued': { params: SessionRef & { promptId: string }; result: { removed: boolean } };
  'sessions.pause': { params: SessionRef; result: Empty };
  'sessions.resume': { params: SessionRef; result: Empty };
  'sessions.cancel': { params: SessionRef; result: Empty };
  'sessions.compact': { params: SessionRef; result: Empty };
  /**
   * Answers the running turn's pending retry (snapshot.pendingRetry): `now` sends the request at
   * once (skips a countdown, or ignores a long wait); `wait` accepts a long wait (the countdown
   * starts). invalid_state when nothing waits, or `wait` for anything but a long-wait question.
   */
  'sessions.retry': { params: SessionRef & { action: 'now' | 'wait' }; result: Empty };
  /**
   * "Take over here" for a session another window writes: that window writes out its history and
   * shows it read-only; this one reads the log again and writes from now on. `read_only` error when
   * that window refuses or does not answer.
   */
  'sessions.takeOver': { params: SessionRef; result: OpenedSession };
  'sessions.updateConfig': { params: SessionRef & { patch: ConfigPatch }; result: { snapshot: SessionSnapshot } };
  /**
   * Side question ("btw"): answered from a copy of the session's history and runtime state,
   * also while it runs. Adds nothing to the history (no event). Cancel with a `cancel` message.
   */
  'sessions.ask': { params: SessionRef & { question: string }; result: { answer: string } };
  /** Re-reads the session's rules files and skills (records `knowledge.loaded` when they changed), plus skill diagnostics. */
  'knowledge.get': { params: SessionRef; result: { knowledge: SessionKnowledge; diagnostics: SkillDiagnosticInfo[] } };
  /** Every configured MCP server with its status; the webview then gets `mcp` messages on changes. */
  'mcp.list': { params: Empty; result: McpOverview };
  'mcp.action': { params: { name: string; action: McpActionId }; result: Empty };
  'workspaceRules.get': { params: Empty; result: WorkspaceRulesInfo };
  /** Allows or ignores the suggested allow rules; `invalid_state` when `hash` is not the list in the settings now. */
  'workspaceRules.decide': { params: { hash: string; decision: 'allow' | 'ignore' }; result: WorkspaceRulesInfo };
  /** Removes a rule saved for this workspace; `not_found` when there is no such rule. */
  'workspaceRules.forget': { params: { action: 'allow' | 'deny' | 'ask'; pattern: string }; result: WorkspaceRulesInfo };
  'approvals.resolve': {
    params: SessionRef & {
      approvalId: string;
      decision: 'approve' | 'deny';
      /** For deny: told to the model. */
      reason?: string;
      /** For approve: also save this allow rule (possibly edited by the user) in that scope. */
      alwaysAllow?: { pattern: string; scope: RuleScope; confirmBroad?: boolean };
    };
    result: Empty;
  };
  /** Opens VS Code's diff editor for a file-edit approval. */
  'approvals.viewDiff': { params: SessionRef & { approvalId: string }; result: Empty };
  /**
   * Events with seq > afterSeq. When the host can't replay (too many, or the log was compacted
   * on disk) it answers `reset: true` and the webview re-opens the session instead.
   */
  'events.since': { params: SessionRef & { afterSeq: number }; result: { events: SessionEvent[]; reset?: boolean } };
  /** The user clicked a link in the transcript; the host decides whether and how to open it. */
  'links.open': { params: { href: string; sessionId?: string }; result: { opened: boolean } };
  /** What restoring checkpoint `key` (a user message id or a compaction marker's key) would do; nothing is written. */
  'changes.preview': { params: SessionRef & { key: string; scope: RestoreScope }; result: { preview: RestorePreview } };
  /** Restores checkpoint `key`; conflicting files are skipped unless listed in `overwrite` (the user chose so per file). */
  'changes.restore': { params: SessionRef & { key: string; scope: RestoreScope; overwrite: string[] }; result: { result: RestoreResult } };
  /** Undoes restore `restoreId` (redo). */
  'changes.redo': { params: SessionRef & { restoreId: string; overwrite: string[] }; result: { result: RestoreResult } };
  /** Opens the session's Changes view (Source Control), or the diff of one changed file. */
  'changes.show': { params: SessionRef & { path?: string }; result: Empty };
  /** A new session (a new tab) with this session's history up to the end of the turn of record `key`. */
  'sessions.fork': { params: SessionRef & { key: string }; result: { snapshot: SessionSnapshot } };
  /** Whether a new session can get its own worktree here (the form shows the option disabled with the reason when not). */
  'worktrees.support': { params: Empty; result: { support: WorktreeSupport } };
  /** The session's worktree against its base (commits ahead, uncommitted files). */
  'worktrees.status': { params: SessionRef; result: { status: WorktreeStatus } };
  /**
   * A Bring-back action of the session's Changes view, run by the host with its own dialogs:
   * `apply` (merge the branch or apply as uncommitted changes; conflicts open in the merge editor),
   * `commit` (message drafted by the session's model, editable), `openScm`, `discard` (after confirmation).
   * `mode` preselects how `apply` brings the work back (absent: the host asks).
   * Result: what happened (`done: false` when the user dismissed a dialog).
   */
  'worktrees.action': {
    params: SessionRef & { action: 'apply' | 'commit' | 'openScm' | 'discard'; mode?: WorktreeApplyMode };
    result: { done: boolean; apply?: WorktreeApplyResult; commit?: string };
  };
  /** Opens (or shows) the session's terminal: a shell named after the session with its root as cwd; `follow`: the terminal that follows run_command's output. */
  'sessions.terminal': { params: SessionRef & { follow?: boolean }; result: Empty };
  /**
   * Answers an MCP server's question (snapshot.pendingQuestions): `accept` with the form's values
   * (elicitation; validated against the question's schema, `invalid_params` when they do not fit) or
   * to run a sampling request on the session's model; `decline`; `cancel`. `not_found` when it no longer waits.
   */
  'questions.answer': {
    params: SessionRef & { questionId: string; action: 'accept' | 'decline' | 'cancel'; content?: Record<string, ElicitValue> };
    result: Empty;
  };
  /** Prompts of the connected MCP servers the session sees: offered as slash commands (`/mcp.<server>.<prompt>`). */
  'mcp.prompts': { params: SessionRef; result: { prompts: McpPromptInfo[] } };
  /** Gets one prompt with its arguments filled in: the text the composer sends (resources inlined as text). */
  'mcp.prompt': { params: SessionRef & { server: string; name: string; args: Record<string, string> }; result: { text: string } };
  /** Custom agents found in the workspace and the user's folders (the new-session form offers them). */
  'agents.list': { params: Empty; result: { agents: CustomAgentInfo[]; problems: { source: string; message: string }[] } };
  /** Undoes memory write `entryId` of call `callId` (records `memory.changed` undone). `not_found` when it is gone. */
  'memory.undo': { params: SessionRef & { callId: string; entryId: string }; result: Empty };
  /** Opens the workspace memory file in an editor. */
  'memory.open': { params: Empty; result: Empty };
  'providers.list': { params: Empty; result: { providers: ProviderProfileInfo[] } };
  /** Models of a provider profile (`refresh`: ask the server again instead of the cache). `not_found`: no such profile. */
  'models.list': { params: { providerId: string; refresh?: boolean }; result: ModelListing };
  /** Profile templates the user can add. */
  'providers.presets': { params: Empty; result: { presets: ProviderPresetInfo[] } };
  /** Local servers (Ollama, LM Studio, …) and VS Code language models that answer right now; only those are listed. */
  'providers.probe': { params: Empty; result: { found: ProbedProvider[] } };
  'host.info': { params: Empty; result: HostInfo };
  /** A banner button (trust workspace, set key, …). */
  'host.runAction': { params: { action: HostActionId; providerId?: string; sessionId?: string; presetId?: string }; result: Empty };
}

export type MethodName = keyof ProtocolMethods;
export type ParamsOf<M extends MethodName> = ProtocolMethods[M]['params'];
export type ResultOf<M extends MethodName> = ProtocolMethods[M]['result'];

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** A request for one method (the union over every method, so `method` narrows `params`). */
export type RequestMessage = {
  [M in MethodName]: { kind: 'request'; id: string; method: M; params: ParamsOf<M> };
}[MethodName];

/** Webview → host. */
export type WebviewMessage =
  | {
      kind: 'ready';
      protocolVersion: number;
      /** The tab the webview shows, so the snapshot carries its transcript. */
      visibleSessionId?: string;
    }
  | RequestMessage
  | { kind: 'cancel'; id: string }
  /** The visible tab changed (the host uses it for "the focused approval" commands). */
  | { kind: 'visible'; sessionId: string | null };

export type ReplyMessage =
  | { kind: 'reply'; id: string; ok: true; result: unknown }
  | { kind: 'reply'; id: string; ok: false; error: SerializedError };

/** Host → webview. */
export type HostMessage =
  | {
      kind: 'snapshot';
      protocolVersion: number;
      sessions: SessionSummary[];
      /** Sessions opened for the webview (at least the visible one), with their transcript tails. */
      opened: OpenedSession[];
      host: HostInfo;
      providers?: ProviderProfileInfo[];
      /** Which tab to show (the one the webview asked for, if it still exists). */
      visibleSessionId?: string;
    }
  | ReplyMessage
  | { kind: 'event'; event: SessionEvent }
  /** The session list changed (created, deleted, renamed, state): the full list, small. */
  | { kind: 'sessions'; sessions: SessionSummary[] }
  | { kind: 'host'; host: HostInfo }
  /** MCP server status changed (sent to webviews that asked `mcp.list` at least once). */
  | ({ kind: 'mcp' } & McpOverview)
  /** Ask the webview to show a tab (e.g. status-bar click → first session waiting for approval). */
  | { kind: 'reveal'; sessionId: string; approvalId?: string }
  /**
   * Who writes a session changed: another window took it (`readOnlyBy`: read-only here from now on),
   * or this window took it over (no `readOnlyBy`: the webview opens it again, its history moved on).
   */
  | { kind: 'writer'; sessionId: string; readOnlyBy?: SessionWriterInfo };

export type HostMessageKind = HostMessage['kind'];
