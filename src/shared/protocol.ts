/**
 * The host ⇄ webview protocol: one typed method map (Continue's style), request/reply with
 * ids, events, cancellation and a version handshake (vscode-pull-request-github's style).
 *
 * Flow: the webview posts `ready`; the host answers with a `snapshot` and from then on posts
 * `event`s (deltas, never whole transcripts), `sessions` list changes and `host` state. The
 * webview calls methods with `request` and gets exactly one `reply` per id. The webview is
 * untrusted input: the host runs every inbound message through `parseWebviewMessage`
 * (./protocol-schema.ts, re-exported here), which never throws.
 *
 * No Node, no DOM, no vscode. The webview imports only types from here plus
 * ./protocol-constants (so zod stays out of its bundle).
 */
import type { SerializedError } from './errors';
import type { SessionEvent } from './events';
import type { ProviderKind } from './model';
import type {
  RuleScope, SessionConfig, SessionMode, SessionSnapshot, SessionState, TranscriptEntry,
} from './session';

export { PROTOCOL_VERSION, PROTOCOL_LIMITS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TAIL_ENTRIES } from './protocol-constants';
export { parseWebviewMessage, webviewMessageSchema, methodParamSchemas } from './protocol-schema';
export type { ParseResult } from './protocol-schema';

// ---------------------------------------------------------------------------------------------
// Data carried by the protocol
// ---------------------------------------------------------------------------------------------

/** One row of the session list (same shape as core's SessionIndexEntry, which shared can't import). */
export interface SessionSummary {
  id: string;
  title: string;
  parentId?: string;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
  messageCount: number;
  state: SessionState;
  providerId: string;
  model: string;
}

/** A session opened in the webview: its snapshot plus the newest transcript entries. */
export interface OpenedSession {
  snapshot: SessionSnapshot;
  /** Newest last. */
  entries: TranscriptEntry[];
  /** True when older entries exist (page with sessions.transcript). */
  hasMore: boolean;
  /** Seq up to which `snapshot` and `entries` are current; events with seq ≤ this are already folded in. */
  lastSeq: number;
}

export interface ModelInfo {
  id: string;
  label?: string;
  contextWindow?: number;
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
}

/** Actions a banner button may ask the host to run (`host.runAction`). The host decides what each does. */
export type HostActionId = 'trustWorkspace' | 'setApiKey' | 'openSettings' | 'openLogs';

/** A message the webview shows as a banner, with an optional action button. */
export interface HostNotice {
  /** Stable id so the webview can replace/dismiss it (e.g. "no-key:openai"). */
  id: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  action?: { label: string; action: HostActionId; providerId?: string };
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
}

/** Config fields the webview may change. Rules, system prompt and tool lists are NOT settable from the webview. */
export type ConfigPatch = Partial<Pick<SessionConfig,
  'providerId' | 'model' | 'mode' | 'autoCompact' | 'autoCompactThreshold' | 'thinking' | 'maxOutputTokens'>>;

type Empty = Record<string, never>;
type SessionRef = { sessionId: string };

// ---------------------------------------------------------------------------------------------
// The method map: method → { params, result }
// ---------------------------------------------------------------------------------------------

export interface ProtocolMethods {
  'sessions.list': { params: Empty; result: { sessions: SessionSummary[] } };
  'sessions.create': {
    params: { providerId?: string; model?: string; mode?: SessionMode; title?: string; parentId?: string };
    result: { snapshot: SessionSnapshot };
  };
  /** Loads the session if needed; `limit` = transcript entries (default DEFAULT_TAIL_ENTRIES). */
  'sessions.open': { params: SessionRef & { limit?: number }; result: OpenedSession };
  /** Pages backwards: entries with seq < beforeSeq, newest last. */
  'sessions.transcript': {
    params: SessionRef & { beforeSeq?: number; limit?: number };
    result: { entries: TranscriptEntry[]; hasMore: boolean };
  };
  'sessions.rename': { params: SessionRef & { title: string }; result: Empty };
  'sessions.delete': { params: SessionRef & { children?: 'delete' | 'keep' }; result: Empty };
  /** Starts a turn or queues the prompt when one runs (the host decides). */
  'sessions.send': { params: SessionRef & { text: string }; result: { promptId: string; queued: boolean } };
  'sessions.removeQueued': { params: SessionRef & { promptId: string }; result: { removed: boolean } };
  'sessions.pause': { params: SessionRef; result: Empty };
  'sessions.resume': { params: SessionRef; result: Empty };
  'sessions.cancel': { params: SessionRef; result: Empty };
  'sessions.compact': { params: SessionRef; result: Empty };
  'sessions.updateConfig': { params: SessionRef & { patch: ConfigPatch }; result: { snapshot: SessionSnapshot } };
  'approvals.resolve': {
    params: SessionRef & {
      approvalId: string;
      decision: 'approve' | 'deny';
      /** For deny: told to the model. */
      reason?: string;
      /** For approve: also save this allow rule (possibly edited by the user) in that scope. */
      alwaysAllow?: { pattern: string; scope: RuleScope };
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
  'providers.list': { params: Empty; result: { providers: ProviderProfileInfo[] } };
  'host.info': { params: Empty; result: HostInfo };
  /** A banner button (trust workspace, set key, …). */
  'host.runAction': { params: { action: HostActionId; providerId?: string }; result: Empty };
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
      /** Last seq the webview saw per session (persisted via setState), for replay. */
      lastSeqs?: Record<string, number>;
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
  /** Ask the webview to show a tab (e.g. status-bar click → first session waiting for approval). */
  | { kind: 'reveal'; sessionId: string; approvalId?: string };

export type HostMessageKind = HostMessage['kind'];
