/**
 * The webview's KnowledgePort over the host's WorkspaceKnowledge (MCP manager, skill registry).
 * The knowledge is created with the session manager, so the port loads it on first use and
 * only then starts forwarding its change events: a webview that never opened the Context
 * panel never asked for MCP status. Pure: no 'vscode' import (the host hands in a loader).
 */
import { relative, isAbsolute, sep } from 'node:path';
import { Disposable, type IDisposable } from '../../core/base/disposable';
import { Emitter, type Event } from '../../core/base/emitter';
import { AgentError, toAgentError } from '../../core/base/errors';
import type { McpServerInfo as CoreMcpServerInfo } from '../../core/mcp/types';
import type { Logger } from '../../core/ports';
import type { SkillDiagnostic } from '../../core/skills/types';
import type { McpActionId, McpOverview, McpPromptInfo, McpServerInfo, SkillDiagnosticInfo } from '../../shared/protocol';
import type { KnowledgePort, WorkspaceRulesPort } from './ports';
import type { AgentsPort } from '../agents/workspace-agents';

/** The slice of the host's knowledge parts (src/vscode/knowledge/compose.ts VsCodeKnowledge) the port uses. */
export interface KnowledgeParts {
  knowledge: {
    readonly onDidChange: Event<void>;
    readonly mcp: {
      list(): CoreMcpServerInfo[];
      restart(name: string): Promise<void>;
      enable(name: string): Promise<void>;
      disable(name: string): Promise<void>;
      /** Prompts of the connected servers (slash commands), minus the servers switched off for the session. */
      prompts?(disabled?: ReadonlySet<string>): Promise<McpPromptInfo[]>;
      prompt?(server: string, name: string, args: Record<string, string>): Promise<string>;
    };
    readonly skills?: { diagnostics(): SkillDiagnostic[] } | undefined;
    configDiagnostics(): Array<{ path: string; server?: string; message: string }>;
  };
  /** "Don't allow" answers of workspace servers; `forget` lets the next start ask again. */
  approvals: { forget(server: string): Promise<void> };
}

export interface LazyKnowledgePortOptions {
  /** Resolves the knowledge parts (creating the session manager if needed); undefined when there are none. */
  load(): Promise<KnowledgeParts | undefined>;
  logger: Logger;
  /** For workspace-relative source labels. */
  workspaceRoot?: string;
  /** Workspace permission rules (read from settings, not from the knowledge: nothing needs loading). */
  workspaceRules?: WorkspaceRulesPort;
  /** Custom agents (agents.list). */
  agents?: AgentsPort;
}

export class LazyKnowledgePort extends Disposable implements KnowledgePort {
  private readonly changed = this._register(new Emitter<void>());
  readonly onDidChange: Event<void> = this.changed.event;
  private parts: Promise<KnowledgeParts | undefined> | undefined;
  private subscription: IDisposable | undefined;
  readonly workspaceRules: WorkspaceRulesPort | undefined;
  readonly agents: AgentsPort | undefined;

  constructor(private readonly opts: LazyKnowledgePortOptions) {
    super();
    this.workspaceRules = opts.workspaceRules;
    this.agents = opts.agents;
    this._register({ dispose: () => this.subscription?.dispose() });
  }

  private ensure(): Promise<KnowledgeParts | undefined> {
    this.parts ??= this.opts.load().then((p) => {
      if (p && !this._store.isDisposed && !this.subscription) this.subscription = p.knowledge.onDidChange(() => this.changed.fire());
      return p;
    }, (err: unknown) => {
      this.parts = undefined; // the manager failed to start: let the next call retry
      throw err;
    });
    return this.parts;
  }

  async mcpOverview(): Promise<McpOverview> {
    const p = await this.ensure();
    if (!p) return { servers: [], problems: [] };
    return {
      servers: p.knowledge.mcp.list().map((s) => this.toInfo(s)),
      problems: p.knowledge.configDiagnostics().map((d) => ({
        source: d.path === 'settings' ? 'settings' : this.label(d.path), ...(d.server !== undefined ? { server: d.server } : {}), message: d.message,
      })),
    };
  }

  /**
   * Validates the server name, then runs the action in the background: a (re)start may wait for
   * a modal "allow?" dialog or a slow connect, far longer than a webview request may take. The
   * outcome reaches the webview as `mcp` status messages; a failure is logged.
   */
  async mcpAction(name: string, action: McpActionId): Promise<void> {
    const p = await this.ensure();
    if (!p || !p.knowledge.mcp.list().some((s) => s.name === name)) throw new AgentError('not_found', `No MCP server named "${name}".`);
    const mcp = p.knowledge.mcp;
    const run = async (): Promise<void> => {
      switch (action) {
        case 'restart': return mcp.restart(name);
        case 'enable': return mcp.enable(name);
        case 'disable': return mcp.disable(name);
        case 'allow': await p.approvals.forget(name); return mcp.restart(name);
      }
    };
    run().catch((err: unknown) => this.opts.logger.warn(`[mcp] ${action} ${name} failed: ${toAgentError(err).message}`));
  }

  async mcpPrompts(disabled: readonly string[]): Promise<McpPromptInfo[]> {
    const p = await this.ensure();
    return (await p?.knowledge.mcp.prompts?.(new Set(disabled))) ?? [];
  }

  async mcpPrompt(server: string, name: string, args: Record<string, string>): Promise<string> {
    const p = await this.ensure();
    if (!p?.knowledge.mcp.prompt) throw new AgentError('not_found', `MCP server "${server}" offers no prompts here.`);
    return p.knowledge.mcp.prompt(server, name, args);
  }

  async skillDiagnostics(): Promise<SkillDiagnosticInfo[]> {
    const p = await this.ensure();
    return (p?.knowledge.skills?.diagnostics() ?? []).map((d) => ({ severity: d.severity, path: d.path, message: d.message }));
  }

  private toInfo(s: CoreMcpServerInfo): McpServerInfo {
    const sourceLabel = s.source.path ? this.label(s.source.path) : s.source.scope === 'user' ? 'user settings' : 'workspace settings';
    return { name: s.name, type: s.type, source: { ...s.source }, sourceLabel, status: structuredClone(s.status), tools: [...s.tools] };
  }

  /** Workspace-relative posix path when inside the workspace, else the path as it is. */
  private label(path: string): string {
    const root = this.opts.workspaceRoot;
    if (!root || !isAbsolute(path)) return path;
    const rel = relative(root, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
  }
}
