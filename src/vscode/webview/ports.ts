/**
 * What the webview router needs from its surroundings, as small ports. The VS Code host
 * implements them (host.ts); tests pass fakes. No 'vscode' import in src/vscode/webview/*
 * except the view/panel classes, so the router runs in plain Node.
 */
import type { IDisposable } from '../../core/base/disposable';
import type { Event } from '../../core/base/emitter';
import type { Logger } from '../../core/ports';
import type {
  HostActionId, HostInfo, HostMessage, McpActionId, McpOverview, ModelListing, ParamsOf, ProbedProvider, ProviderPresetInfo, ProviderProfileInfo,
  SkillDiagnosticInfo, WorkspaceRulesInfo,
} from '../../shared/protocol';
import type { McpPromptInfo } from '../../shared/protocol';
import type { ConfigUpdate, PendingApprovalInfo, SessionConfig } from '../../shared/session';
import type { WorktreeApplyMode, WorktreeApplyResult } from '../../shared/worktree';
import type { AgentsPort } from '../agents/workspace-agents';

/** The slice of `vscode.Webview` the router talks to. */
export interface WebviewPort {
  postMessage(message: HostMessage): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => void): IDisposable;
}

/** Host-side services the handlers delegate to (everything that is not the session manager). */
export interface HostServices {
  readonly logger: Logger;
  /** Fires when trust, notices or defaults change; every ready webview gets a `host` message. */
  readonly onDidChangeHost: Event<void>;
  /** Fires when provider profiles or key presence change. */
  readonly onDidChangeProviders?: Event<void>;
  hostInfo(): HostInfo;
  providers(): Promise<ProviderProfileInfo[]>;
  /** Config for a new session from the "+" form (fills kind/baseUrl/model from the provider profile). */
  newSessionConfig(params: ParamsOf<'sessions.create'>): Partial<SessionConfig>;
  /** Expands a webview config patch (e.g. a provider switch also sets kind and baseUrl). */
  expandConfigPatch(patch: ParamsOf<'sessions.updateConfig'>['patch']): ConfigUpdate;
  /** Opens the diff editor for a file-edit approval. */
  viewDiff(approval: PendingApprovalInfo): Promise<void>;
  /** Opens a session's Changes view (Source Control), or the diff of one file it changed. */
  showChanges?(sessionId: string, path?: string): Promise<void>;
  /** A Bring-back action of a session's worktree (its dialogs are the host's: pick a mode, edit the message, confirm a discard). */
  worktreeAction?(sessionId: string, action: 'apply' | 'commit' | 'openScm' | 'discard', mode?: WorktreeApplyMode): Promise<{ done: boolean; apply?: WorktreeApplyResult; commit?: string }>;
  /** Opens the session's terminal (cwd its root); `follow`: the one that follows run_command's output. */
  openTerminal?(sessionId: string, follow: boolean): Promise<void>;
  /** Opens the workspace memory file in an editor (absent: the host keeps no memory). */
  openMemory?(): Promise<void>;
  /** Opens an already validated http(s)/mailto URL outside VS Code. */
  openExternal(href: string): Promise<boolean>;
  /** `sessionId`: the session a per-session action (switchWindow, exportMarkdown, exportLog) is about. */
  runAction(action: HostActionId, providerId?: string, sessionId?: string, presetId?: string): Promise<void>;
  /** `models.list`: a provider's models (server listing, cached; else the suggestions). Absent: suggestions only. */
  listModels?(providerId: string, refresh: boolean): Promise<ModelListing>;
  /** `providers.presets`. Absent: none. */
  presets?(): ProviderPresetInfo[];
  /** `providers.probe`: local servers and VS Code models that answer now. Absent: none. */
  probeProviders?(): Promise<ProbedProvider[]>;
  /** The webview's visible tab changed (drives "focused session" commands). `null` = none. */
  setVisible(connectionId: string, sessionId: string | null): void;
  /** The connection went away. */
  forget(connectionId: string): void;
}

/**
 * Workspace knowledge beyond one session, for the Context panel: MCP servers (status, global
 * actions) and skill-registry diagnostics. The VS Code host binds it to WorkspaceKnowledge
 * (./knowledge-port.ts); tests pass a fake. Absent when the host has no knowledge wired.
 */
export interface KnowledgePort {
  /** Server status or configuration changed (coalesced by the router before it pushes `mcp`). */
  readonly onDidChange: Event<void>;
  mcpOverview(): Promise<McpOverview>;
  /** Throws AgentError('not_found') for an unknown server. */
  mcpAction(name: string, action: McpActionId): Promise<void>;
  skillDiagnostics(): Promise<SkillDiagnosticInfo[]>;
  /** Prompts of the connected MCP servers (slash commands), minus `disabled` servers; absent: none. */
  mcpPrompts?(disabled: readonly string[]): Promise<McpPromptInfo[]>;
  /** One prompt filled in, as text (resources inlined); not_found when the server has no prompts. */
  mcpPrompt?(server: string, name: string, args: Record<string, string>): Promise<string>;
  /** Workspace permission rules waiting for confirmation or saved for this workspace; absent when the host has none. */
  readonly workspaceRules?: WorkspaceRulesPort;
  /** Custom agents (`agents.list`); absent when the host has none. */
  readonly agents?: AgentsPort;
}

/** The Context panel's workspace permission rules (src/vscode/knowledge/workspace-rules.ts). */
export interface WorkspaceRulesPort {
  info(): WorkspaceRulesInfo;
  /** Throws AgentError('invalid_state') when `hash` is not the list in the settings now (or there is none). */
  decide(hash: string, decision: 'allow' | 'ignore'): Promise<WorkspaceRulesInfo>;
  /** Throws AgentError('not_found') for a rule that is not saved. */
  forget(action: 'allow' | 'deny' | 'ask', pattern: string): Promise<WorkspaceRulesInfo>;
}
