/**
 * Workspace knowledge for the session manager: rules files (RulesFilesLoader), skills
 * (SkillRegistry: workspace folders + the user folder from settings) and MCP servers (McpManager:
 * .vscode/mcp.json, .mcp.json and settings). Created lazily with the session manager and handed to
 * it as `rules` / `skills` / `mcp` (the engine builds each session's tools from them: load_skill,
 * manage_skill, `mcp__<server>__<tool>` minus the session's switched-off servers).
 * File watchers keep everything live; trust changes reach the registries through their trust port
 * (untrusted: no workspace skills, no workspace MCP servers). Sessions rooted in a worktree of
 * their own get that folder's knowledge from `roots` (root-knowledge.ts), handed to the manager
 * as `rootKnowledge`. Pure: ports come in, no 'vscode'.
 */
import { Disposable } from '../../core/base/disposable';
import { Emitter, type Event } from '../../core/base/emitter';
import { toAgentError } from '../../core/base/errors';
import { RulesFilesLoader, type RulesFile } from '../../core/context/rules-files';
import type { McpConfigDiagnostic } from '../../core/mcp/config';
import { McpManager, type McpManagerOptions } from '../../core/mcp/manager';
import type { McpApprovalPort, McpApprovalStore, McpInputResolver, McpServerConfig, McpServerStatus } from '../../core/mcp/types';
import type { Logger } from '../../core/ports';
import type { McpToolSource, RootKnowledge, RulesSource } from '../../core/session/knowledge';
import { SkillRegistry } from '../../core/skills/registry';
import { createLoadSkillTool, createManageSkillTool } from '../../core/skills/tools';
import type { FileWatcher, WatchPattern, WorkspaceTrust } from '../../core/skills/workspace-ports';
import type { AnyTool, ToolRegistryLike } from '../../core/tools/types';
import type { ToolSpec } from '../../shared/model';
import { MCP_CONFIG_GLOBS, RootKnowledgeCache, RULES_GLOBS } from './root-knowledge';

export interface WorkspaceKnowledgeDeps {
  /** Absolute first workspace folder; without one there are no rules, no workspace skills or files. */
  workspaceRoot?: string;
  /** Absolute user skills folder (setting agentSessions.userSkillsFolder), if any. */
  userSkillsDir?: string;
  trust: WorkspaceTrust;
  watcher: FileWatcher;
  approval: McpApprovalPort;
  approvalStore: McpApprovalStore;
  inputs?: McpInputResolver;
  /** Servers from settings, read fresh on every config reload. */
  settingsServers(): McpServerConfig[];
  logger: Logger;
  /** MCP timeouts, backoff, environment (tests shorten them). */
  mcpOptions?: Partial<Pick<McpManagerOptions, 'callTimeoutMs' | 'connectTimeoutMs' | 'backoff' | 'env'>>;
  /** Bursts of config-file events are coalesced into one reload. Default 200 ms. */
  configDebounceMs?: number;
}

/** What the SessionManager takes (SessionManagerDeps.rules / skills / mcp). */
export interface KnowledgeManagerDeps {
  rules?: RulesSource;
  skills?: SkillRegistry;
  mcp: McpToolSource;
  /** A worktree session's knowledge (SessionManagerDeps.rootKnowledge / KnowledgeDeps.rootKnowledge). */
  rootKnowledge(root: string): RootKnowledge | undefined;
}

export class WorkspaceKnowledge extends Disposable {
  readonly rules: RulesFilesLoader | undefined;
  readonly skills: SkillRegistry | undefined;
  readonly mcp: McpManager;
  /** Knowledge of other folders (sessions' worktrees): acquire per session, release when it goes. */
  readonly roots: RootKnowledgeCache;
  private readonly changed = this._register(new Emitter<void>());
  /** Rules files, skills or MCP servers changed (listings, status): UIs re-read. */
  readonly onDidChange: Event<void> = this.changed.event;
  private mcpDiagnostics: McpConfigDiagnostic[] = [];
  private settingsProblems: string[] = [];
  private configTimer: ReturnType<typeof setTimeout> | undefined;
  private configLoad: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  constructor(private readonly deps: WorkspaceKnowledgeDeps) {
    super();
    this.logger = deps.logger;
    const root = deps.workspaceRoot;
    // Rules files steer the model like a prompt: none from an untrusted workspace (checked per load).
    if (root) this.rules = new RulesFilesLoader({ root, isTrusted: () => deps.trust.isTrusted() });
    // The registry needs a workspace root; without a folder only the user folder would remain,
    // and that case is rare enough to leave skills off (said in the log).
    if (root) {
      this.skills = this._register(new SkillRegistry({
        workspaceRoot: root, trust: deps.trust, watcher: deps.watcher, logger: deps.logger,
        ...(deps.userSkillsDir ? { userSkillsDir: deps.userSkillsDir } : {}),
      }));
      this._register(this.skills.onDidChange(() => this.changed.fire()));
    }
    // One approval dialog per server, whether the workspace's manager or a worktree's asks.
    const approvalsInFlight = new Map<string, Promise<boolean>>();
    this.mcp = this._register(new McpManager({
      workspaceRoot: root ?? '', trust: deps.trust, approval: deps.approval, approvalStore: deps.approvalStore, approvalsInFlight,
      logger: deps.logger, ...(deps.inputs ? { inputs: deps.inputs } : {}), ...deps.mcpOptions,
    }));
    this._register(this.mcp.onDidChangeStatus((e) => { this.logStatus(e.name, e.status); this.changed.fire(); }));
    this.roots = this._register(new RootKnowledgeCache({
      ...(root ? { workspaceRoot: root } : {}), ...(deps.userSkillsDir ? { userSkillsDir: deps.userSkillsDir } : {}),
      workspace: this.mcp, trust: deps.trust, watcher: deps.watcher, approval: deps.approval, approvalStore: deps.approvalStore,
      approvalsInFlight, ...(deps.inputs ? { inputs: deps.inputs } : {}), settingsServers: () => deps.settingsServers(),
      workspaceSettled: () => this.configLoad, logger: deps.logger,
      ...(deps.mcpOptions ? { mcpOptions: deps.mcpOptions } : {}),
      ...(deps.configDebounceMs !== undefined ? { configDebounceMs: deps.configDebounceMs } : {}),
    }));
    if (root) {
      const at = (globs: string[]): WatchPattern[] => globs.map((pattern) => ({ base: root, pattern }));
      this._register(deps.watcher.watch(at(MCP_CONFIG_GLOBS), () => this.scheduleConfigReload()));
      // The loader re-reads changed files on every turn by itself; the watcher keeps listings live.
      this._register(deps.watcher.watch(at(RULES_GLOBS), () => this.changed.fire()));
    }
    this._register({ dispose: () => { if (this.configTimer) clearTimeout(this.configTimer); } });
  }

  /** For SessionManagerDeps. */
  managerDeps(): KnowledgeManagerDeps {
    return {
      ...(this.rules ? { rules: this.rules } : {}), ...(this.skills ? { skills: this.skills } : {}), mcp: this.mcp,
      rootKnowledge: (folder) => this.roots.get(folder),
    };
  }

  /**
   * Loads skills and the MCP configuration (servers start and connect in the background of the
   * returned promise: await it only when you need the servers up). Never rejects.
   */
  start(): { skills: Promise<void>; mcp: Promise<void> } {
    if (!this.deps.workspaceRoot) this.logger.info('No folder is open: rules files and skills are off; MCP servers come from settings only.');
    const skills = (this.skills?.reload() ?? Promise.resolve()).then(() => this.changed.fire(), (e: unknown) => {
      this.logger.error(`Skills could not be loaded: ${toAgentError(e).message}`);
    });
    return { skills, mcp: this.reloadMcpConfig() };
  }

  /** Re-reads the workspace MCP files and settings; unchanged servers keep running. Never rejects. */
  reloadMcpConfig(): Promise<void> {
    this.configLoad = this.configLoad.then(() => this.doReloadMcp(), () => this.doReloadMcp());
    return this.configLoad;
  }

  private async doReloadMcp(): Promise<void> {
    if (this._store.isDisposed) return;
    try {
      const fromSettings = this.deps.settingsServers();
      this.mcpDiagnostics = this.deps.workspaceRoot
        ? await this.mcp.loadWorkspaceConfig(fromSettings)
        : (await this.mcp.setServers(fromSettings), []);
    } catch (e) {
      this.logger.error(`MCP configuration could not be applied: ${toAgentError(e).message}`);
    }
    // Which servers worktrees share may have changed (not awaited: they wait for this load).
    void this.roots.reloadMcp();
    this.changed.fire();
  }

  /** Problems with agentSessions.mcpServers, reported with the config diagnostics. */
  setSettingsProblems(problems: string[]): void {
    for (const p of problems) if (!this.settingsProblems.includes(p)) this.logger.warn(`[mcp] ${p}`);
    this.settingsProblems = problems;
  }

  /** Config-file problems (.vscode/mcp.json, .mcp.json) and settings problems from the last load. */
  configDiagnostics(): Array<{ path: string; server?: string; message: string }> {
    return [...this.mcpDiagnostics, ...this.settingsProblems.map((message) => ({ path: 'settings', message }))];
  }

  /** Workspace Trust now: untrusted, there are no rules files, workspace skills or workspace MCP servers. */
  get trusted(): boolean { return this.deps.trust.isTrusted(); }

  /** The rules files as they are on disk now (every file enabled: per-session switches live in the session). */
  async listRules(): Promise<RulesFile[]> {
    return this.rules ? this.rules.load() : [];
  }

  /**
   * Tool lookup for host features that describe a pending call (the diff editor for a manage_skill
   * approval): the built-ins first, then the skill tools, then the MCP tools.
   */
  toolLookup(base: ToolRegistryLike): ToolRegistryLike {
    const extra = (): AnyTool[] => [
      ...(this.skills ? [createLoadSkillTool(this.skills) as AnyTool, createManageSkillTool(this.skills) as AnyTool] : []),
      ...this.mcp.tools(),
    ];
    const all = (): AnyTool[] => [...base.list(), ...extra()];
    return {
      get: (name) => base.get(name) ?? extra().find((t) => t.name === name),
      list: all,
      specs: (allowed?: readonly string[]): ToolSpec[] => all()
        .filter((t) => !allowed || allowed.includes(t.name))
        .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    };
  }

  /** Stops every MCP server (the worktrees' too) and waits for their processes to exit. */
  async shutdown(): Promise<void> {
    await Promise.all([this.mcp.shutdown(), this.roots.shutdown()]);
    this.dispose();
  }

  private scheduleConfigReload(): void {
    if (this._store.isDisposed) return;
    if (this.configTimer) clearTimeout(this.configTimer);
    this.configTimer = setTimeout(() => {
      this.configTimer = undefined;
      this.logger.info('MCP configuration changed on disk; reloading.');
      void this.reloadMcpConfig();
    }, this.deps.configDebounceMs ?? 200);
  }

  private logStatus(name: string, s: McpServerStatus): void {
    switch (s.state) {
      case 'connected': this.logger.info(`[mcp] ${name}: connected (${s.toolCount} tools).`); return;
      case 'failed': {
        const tail = s.stderrTail.slice(-5).join(' | ');
        this.logger.warn(`[mcp] ${name}: failed: ${s.error.message}${s.restartInMs !== undefined ? ` (restart in ${s.restartInMs} ms)` : ' (stopped; restart it from "Show MCP Servers")'}${tail ? `; stderr: ${tail}` : ''}`);
        return;
      }
      case 'reconnecting': this.logger.warn(`[mcp] ${name}: reconnecting (attempt ${s.attempt} of ${s.maxAttempts}): ${s.error.message}`); return;
      case 'blocked': this.logger.info(`[mcp] ${name}: not started: ${s.message}`); return;
      default: this.logger.debug(`[mcp] ${name}: ${s.state}`);
    }
  }
}
