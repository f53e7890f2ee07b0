/**
 * The composition root. Cheap at construction (activation); the session manager, its store
 * and tools are created on first use (the view resolves or a command runs). Everything
 * registered here is released with the extension context.
 */
import { CommandIsolation } from '../core/sandbox/isolation';
import { createCommandSandbox } from '../core/sandbox/create';
import * as vscode from 'vscode';
import { AgentError, toAgentError } from '../core/base/errors';
import { PermissionEngine } from '../core/approval/permission-engine';
import { createProvider } from '../core/providers/factory';
import { SessionManager } from '../core/session/manager';
import { JsonlSessionStore } from '../core/store/jsonl-store';
import { createBuiltinTools, ToolRegistry, vscodeRipgrepCandidates } from '../core/tools/builtins';
import { systemClock, type Logger } from '../core/ports';
import type { PermissionRule } from '../shared/session';
import type { ProviderKind } from '../shared/model';
import type { HostActionId } from '../shared/protocol';
import { DiffApprovals } from './diff-approval';
import { FocusTracker } from './focus';
import { noKeyNotice, VsCodeHostServices } from './host-services';
import { createRedactingLogger, SecretRegistry } from './logger';
import { computeProposedEdit } from './proposed-edit';
import { SecretStorageSecretSource } from './secrets';
import { hostRulesFrom, readSettings, SECTION, settingsEqual, formatProblem, type SettingKey, type SettingsRead } from './settings';
import { StatusBar } from './status-bar';
import { WorkspaceTrustState } from './trust';
import { createVsCodeKnowledge, type VsCodeKnowledge } from './knowledge/vscode-ports';
import { createWorkspaceRulesPort, HostRuleSink, WorkspaceRuleStore } from './knowledge/workspace-rules';
import { LazyKnowledgePort } from './webview/knowledge-port';
import { WebviewRouter } from './webview/router';
import { ChatPanels, ChatViewProvider, VIEW_ID } from './webview/surfaces';

export const APPROVAL_CONTEXT_KEY = 'agentSessions.approvalPending';

/** How the user can recognise this window in another one ("VS Code window opened 14:02"). */
function windowLabel(): string {
  const kind = vscode.env.uiKind === vscode.UIKind.Web ? 'browser tab' : 'window';
  const at = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${vscode.env.appName} ${kind} opened ${at}`;
}

export class ExtensionHost implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly secretRegistry = new SecretRegistry();
  readonly secrets: SecretStorageSecretSource;
  readonly trust: WorkspaceTrustState;
  readonly focus = new FocusTracker();
  readonly view: ChatViewProvider;
  readonly panels: ChatPanels;
  /** "Always allow" for this workspace and the answer about the workspace settings' allow rules (workspaceState). */
  private readonly workspaceRules: WorkspaceRuleStore;
  private readonly disposables: vscode.Disposable[] = [];
  private settingsCache: SettingsRead | undefined;
  private servicesInstance: VsCodeHostServices | undefined;
  private isolationInstance: CommandIsolation | undefined;
  private routerInstance: WebviewRouter | undefined;
  private managerPromise: Promise<SessionManager> | undefined;
  /** The session store, once the manager exists (for a raw export of a log). */
  private storeInstance: JsonlSessionStore | undefined;
  private diffs: DiffApprovals | undefined;
  private tools: ToolRegistry | undefined;
  private knowledgeParts: VsCodeKnowledge | undefined;
  /** Kind and base URL per profile id, handed to the manager once and updated in place on settings changes. */
  private readonly profileTable: Record<string, { kind: ProviderKind; baseUrl?: string }> = {};

  constructor(readonly context: vscode.ExtensionContext, private readonly runAction: (action: HostActionId, providerId?: string, sessionId?: string) => Promise<void>) {
    this.channel = vscode.window.createOutputChannel('Agent Sessions', { log: true });
    this.logger = createRedactingLogger(this.channel, this.secretRegistry);
    this.secrets = new SecretStorageSecretSource(context.secrets, this.secretRegistry, context.globalState);
    this.trust = new WorkspaceTrustState({
      get isTrusted() { return vscode.workspace.isTrusted; },
      onDidGrantWorkspaceTrust: (l) => vscode.workspace.onDidGrantWorkspaceTrust(l),
    });
    this.workspaceRules = new WorkspaceRuleStore(context.workspaceState);
    this.view = new ChatViewProvider(context.extensionUri, () => this.router());
    this.panels = new ChatPanels(context.extensionUri, () => this.router());
    this.disposables.push(
      this.channel, this.trust, this.focus,
      context.secrets.onDidChange((e) => { this.secrets.invalidate(e.key); this.servicesInstance?.refresh(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) this.onSettingsChanged(); }),
      this.trust.onDidChange(() => {
        this.logger.info('Workspace trusted: commands, workspace MCP servers, skills and rules are on.');
        // Workspace values of the restricted settings (mode, rules, MCP, skills folder…) apply from now on.
        this.onSettingsChanged();
      }),
    );
  }

  // --- settings ------------------------------------------------------------------------------

  settings(): SettingsRead {
    if (!this.settingsCache) {
      const config = vscode.workspace.getConfiguration(SECTION);
      this.settingsCache = readSettings((key: SettingKey) => config.inspect(key), { trusted: this.trust.isTrusted });
      this.reportProblems(this.settingsCache);
      const ignored = this.settingsCache.ignoredUntrusted;
      if (ignored.length > 0) this.logger.info(`Restricted Mode: the workspace values of ${ignored.join(', ')} are ignored until the workspace is trusted.`);
    }
    return this.settingsCache;
  }

  private reportProblems(read: SettingsRead): void {
    for (const p of read.problems) {
      const text = formatProblem(p);
      this.logger.warn(text);
      void vscode.window.showWarningMessage(text, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
      });
    }
  }

  /** Command isolation (the OS sandbox), shared by every session; its status goes to the webviews. */
  private isolation(): CommandIsolation {
    this.isolationInstance ??= new CommandIsolation(createCommandSandbox(), () => {
      const s = this.settings().settings;
      return { mode: s.sandbox, extraProtected: s.sandboxProtectedPaths, extraHidden: s.sandboxHiddenPaths, extraWritable: s.sandboxWritablePaths };
    });
    void this.isolationInstance.status().then((status) => {
      this.servicesInstance?.setSandbox(status);
      this.logger.info(`Commands: ${status.note}.`);
    }, (err: unknown) => this.logger.warn(`Sandbox probe failed: ${String(err)}`));
    return this.isolationInstance;
  }

  private onSettingsChanged(): void {
    const before = this.settingsCache;
    this.settingsCache = undefined;
    const now = this.settings();
    if (before && settingsEqual(before, now)) return;
    this.logger.info('Settings changed; new sessions use the new defaults.');
    this.refreshProfileTable();
    if (before && this.knowledgeParts) this.knowledgeSettingsChanged(before, now, this.knowledgeParts);
    void this.managerPromise?.then((m) => m.setDefaults(this.services().defaultConfig()), () => undefined);
    this.updateWorkspaceRulesNotice();
    this.servicesInstance?.refresh();
    if (this.isolationInstance) this.isolation();
  }

  /**
   * Saves an "always allow" rule of user scope into user settings. Workspace-scope rules never
   * come here: HostRuleSink keeps them in workspaceState, because a rule written to
   * .vscode/settings.json is a rule any repository can ship.
   */
  private async saveUserRule(rule: PermissionRule): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<Record<string, string[]>>('permissionRules')?.globalValue ?? {};
    const list = Array.isArray(current[rule.action]) ? current[rule.action]! : [];
    if (list.includes(rule.pattern)) return;
    await config.update('permissionRules', { allow: [], deny: [], ask: [], ...current, [rule.action]: [...list, rule.pattern] }, vscode.ConfigurationTarget.Global);
  }

  /** Rules for the permission engine, read per call (settings cache + workspaceState). */
  private hostRules(): PermissionRule[] {
    const { rules } = this.settings();
    return hostRulesFrom(rules, this.trust.isTrusted, this.workspaceRules.grants(rules.workspace.allow));
  }

  /** A banner while the workspace settings suggest allow rules the user has not answered. */
  private updateWorkspaceRulesNotice(): void {
    const services = this.servicesInstance;
    if (!services) return;
    const id = 'workspace-rules-pending';
    const allow = this.trust.isTrusted ? this.settings().rules.workspace.allow : [];
    const { state } = this.workspaceRules.state(allow);
    if (state !== 'pending') { services.clearNotice(id); return; }
    const list = [...new Set(allow)];
    const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
    this.logger.info(`The workspace settings suggest allow rules (${list.join(', ')}); they allow nothing until allowed in the Context panel.`);
    services.setNotice({
      id, severity: 'info',
      message: `This workspace's settings suggest allow rule${list.length === 1 ? '' : 's'} ${shown}. They allow nothing until you allow them in the Context panel.`,
    });
  }

  private knowledgeSettingsChanged(before: SettingsRead, now: SettingsRead, parts: VsCodeKnowledge): void {
    if (JSON.stringify(before.settings.mcpServers) !== JSON.stringify(now.settings.mcpServers)) void parts.knowledge.reloadMcpConfig();
    if (before.settings.userSkillsFolder !== now.settings.userSkillsFolder) {
      this.logger.info('agentSessions.userSkillsFolder changed; it takes effect after a window reload.');
      void vscode.window.showInformationMessage('Agent Sessions: the user skills folder changes after a window reload.', 'Reload Window').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.reloadWindow');
      });
    }
  }

  private refreshProfileTable(): void {
    for (const id of Object.keys(this.profileTable)) delete this.profileTable[id];
    for (const p of this.services().profiles()) this.profileTable[p.id] = { kind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}) };
  }

  // --- lazily created pieces -----------------------------------------------------------------

  services(): VsCodeHostServices {
    if (this.servicesInstance) return this.servicesInstance;
    this.servicesInstance = new VsCodeHostServices({
      logger: this.logger, settings: () => this.settings(), secrets: this.secrets, trust: this.trust,
      extensionVersion: (this.context.extension.packageJSON as { version?: string }).version,
      openExternal: async (href) => vscode.env.openExternal(vscode.Uri.parse(href, true)),
      viewDiff: async (approval) => this.diffApprovals().open(approval),
      runAction: this.runAction,
      setVisible: (c, s) => this.focus.setVisible(c, s),
      forget: (c) => this.focus.forget(c),
    });
    this.updateWorkspaceRulesNotice();
    return this.servicesInstance;
  }

  router(): WebviewRouter {
    if (!this.routerInstance) {
      // The Context panel's MCP status and skill diagnostics; loads the knowledge on first use.
      const workspaceRules = createWorkspaceRulesPort({
        store: this.workspaceRules, rules: () => this.settings().rules, trusted: () => this.trust.isTrusted,
        onChange: () => { this.updateWorkspaceRulesNotice(); this.servicesInstance?.refresh(); },
      });
      const knowledge = new LazyKnowledgePort({ load: () => this.knowledge(), logger: this.logger, workspaceRoot: this.workspaceRoots()[0], workspaceRules });
      this.disposables.push(knowledge);
      this.routerInstance = new WebviewRouter(() => this.manager(), this.services(), { knowledge });
    }
    return this.routerInstance;
  }

  private diffApprovals(): DiffApprovals {
    this.diffs ??= new DiffApprovals((approval) => {
      const tools = this.knowledgeParts?.knowledge.toolLookup(this.toolRegistry()) ?? this.toolRegistry();
      return computeProposedEdit(tools, approval, this.workspaceRoots());
    });
    return this.diffs;
  }

  private toolRegistry(): ToolRegistry {
    this.tools ??= new ToolRegistry(createBuiltinTools({ ripgrepPaths: vscodeRipgrepCandidates(vscode.env.appRoot) }));
    return this.tools;
  }

  workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** Rules, skills and MCP servers; created with the session manager (undefined until then). */
  async knowledge(): Promise<VsCodeKnowledge | undefined> {
    await this.manager();
    return this.knowledgeParts;
  }

  /** Created with the session manager; servers start (and may ask to start) in the background. */
  private createKnowledge(): VsCodeKnowledge {
    const t0 = performance.now();
    const parts = createVsCodeKnowledge({
      context: this.context, logger: this.logger, trust: this.trust, redactor: this.secretRegistry,
      workspaceRoot: this.workspaceRoots()[0], userSkillsFolder: this.settings().settings.userSkillsFolder,
    });
    this.knowledgeParts = parts;
    const { skills } = parts.knowledge.start();
    void skills.then(() => this.logger.info(`Skills loaded in ${(performance.now() - t0).toFixed(1)} ms (${parts.knowledge.skills?.list().length ?? 0} skills).`));
    return parts;
  }

  /** The file of a session's log (for "Export the raw log"); throws invalid_id for a hostile id. */
  async sessionLogPath(sessionId: string): Promise<string> {
    await this.manager();
    if (!this.storeInstance) throw new AgentError('invalid_state', 'The session store is not open.');
    return this.storeInstance.logPathOf(sessionId);
  }

  /** The session manager, created on first call. */
  manager(): Promise<SessionManager> {
    this.managerPromise ??= this.createManager().catch((err: unknown) => {
      this.managerPromise = undefined; // let the next use retry
      const e = toAgentError(err, 'storage');
      this.logger.error(`Could not start the session manager: ${e.message}`);
      void vscode.window.showErrorMessage(`Agent Sessions could not start: ${e.message}`, 'Open Logs').then((p) => { if (p) this.channel.show(); });
      throw e;
    });
    return this.managerPromise;
  }

  private async createManager(): Promise<SessionManager> {
    const t0 = performance.now();
    let dir = this.context.storageUri;
    if (!dir) {
      dir = vscode.Uri.joinPath(this.context.globalStorageUri, 'no-workspace');
      this.logger.info(`No folder is open: sessions are stored in ${dir.fsPath} and shared by every window without a folder.`);
    }
    const services = this.services();
    // Two windows on one workspace share this folder: each lock says which window holds it, so the
    // other one can tell the user where the session is and offer to take it over (store/lock-handover.ts).
    const store = new JsonlSessionStore({ directory: dir.fsPath, logger: this.logger, handover: { windowId: vscode.env.sessionId, label: windowLabel() } });
    this.storeInstance = store;
    store.onWarning((w) => this.logger.warn(`Store: ${w.code}${w.sessionId ? ` (${w.sessionId})` : ''}: ${w.message}`));
    this.refreshProfileTable();
    const read = this.settings();
    const knowledge = (this.knowledgeParts ?? this.createKnowledge()).knowledge;
    const manager = new SessionManager({
      ...knowledge.managerDeps(),
      store,
      createProvider,
      secrets: this.secrets,
      tools: this.toolRegistry(),
      permissions: new PermissionEngine(),
      isolation: this.isolation(),
      ruleSink: new HostRuleSink(this.workspaceRules, (rule) => this.saveUserRule(rule)),
      hostRules: () => this.hostRules(),
      workspaceRoots: this.workspaceRoots(),
      isWorkspaceTrusted: () => this.trust.isTrusted,
      logger: this.logger,
      redactor: this.secretRegistry,
      clock: systemClock,
      defaults: services.defaultConfig(),
      maxRunningSessions: read.settings.maxRunningSessions,
      // Read per request, so a settings change applies to the next retry.
      maxRetryWaitMs: () => this.settings().settings.maxRetryWaitSeconds * 1000,
      providerProfiles: this.profileTable,
      // Beside the session logs: long tool output saved whole for read_file (one folder per session).
      toolOutputDir: vscode.Uri.joinPath(dir, 'tool-output').fsPath,
    });
    await manager.init();
    this.wire(manager);
    this.logger.info(`Session manager ready in ${(performance.now() - t0).toFixed(1)} ms (${manager.list().length} sessions, storage ${dir.fsPath}).`);
    return manager;
  }

  /** Host reactions to session events: missing-key notices, the status bar, context keys, diff tabs. */
  private wire(manager: SessionManager): void {
    const status = new StatusBar(manager, VIEW_ID);
    this.disposables.push(status);
    const updateContext = (): void => {
      const id = this.focus.focused;
      const snap = id ? manager.get(id) : undefined;
      const pending = (snap?.pendingApprovals.length ?? 0) > 0 || manager.list().some((s) => s.state === 'awaiting_approval');
      void vscode.commands.executeCommand('setContext', APPROVAL_CONTEXT_KEY, pending);
    };
    const sub = manager.onEvent((e) => {
      if (e.type === 'approval.requested' || e.type === 'approval.resolved' || e.type === 'session.state') updateContext();
      if (e.type === 'approval.resolved') void this.diffs?.closeFor(e.approvalId).then(undefined, () => undefined);
      if (e.type === 'turn.failed' && e.error.code === 'auth') {
        const providerId = manager.get(e.sessionId)?.config.providerId;
        if (providerId) void this.onAuthFailure(providerId, e.error.message);
      }
      if (e.type === 'session.created') void this.checkKey(e.config.providerId);
    });
    const focusSub = this.focus.onDidChange(() => updateContext());
    this.disposables.push({ dispose: () => { sub.dispose(); focusSub.dispose(); } });
    this.wireKnowledgeRefresh(manager);
  }

  /** Rules files or skills changed on disk: the focused session's listing (knowledge.loaded) follows. */
  private wireKnowledgeRefresh(manager: SessionManager): void {
    const k = this.knowledgeParts?.knowledge;
    if (!k) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sub = k.onDidChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const id = this.focus.focused;
        if (!id || !manager.get(id)) return;
        manager.knowledge(id).then(undefined, (e: unknown) => this.logger.debug(`Knowledge refresh of ${id} failed: ${toAgentError(e).message}`));
      }, 300);
    });
    this.disposables.push({ dispose: () => { sub.dispose(); if (timer) clearTimeout(timer); } });
  }

  /** Warns once (banner + notification) when a provider that needs a key has none. */
  async checkKey(providerId: string): Promise<void> {
    const profile = this.services().profile(providerId);
    if (!profile?.requiresKey) return;
    if (!(await this.secrets.hasApiKey(providerId))) this.noKey(providerId);
    else this.services().clearNotice(`no-key:${providerId}`);
  }

  /**
   * A turn failed with `auth`. Keyless profiles (local servers) never get a "no key" banner; a
   * profile with a key set was refused by the server, which is said as such.
   */
  private async onAuthFailure(providerId: string, detail: string): Promise<void> {
    const profile = this.services().profile(providerId);
    const hasKey = await this.secrets.hasApiKey(providerId);
    if (profile?.requiresKey && !hasKey) { this.noKey(providerId, detail); return; }
    const label = profile?.label ?? providerId;
    this.logger.warn(`${label} refused the request: ${detail}`);
    const pick = await vscode.window.showErrorMessage(`${label} refused the credentials: ${detail}`, 'Set key');
    if (pick) await this.runAction('setApiKey', providerId);
  }

  private noKey(providerId: string, detail?: string): void {
    const profile = this.services().profile(providerId) ?? { id: providerId, label: providerId };
    const notice = noKeyNotice(profile);
    this.services().setNotice(notice);
    this.logger.warn(`${notice.message}${detail ? ` (${detail})` : ''}`);
    void vscode.window.showErrorMessage(`No API key for ${profile.label}.`, 'Set key').then((pick) => {
      if (pick) void this.runAction('setApiKey', providerId);
    });
  }

  async dispose(): Promise<void> {
    const m = this.managerPromise;
    this.routerInstance?.dispose();
    this.servicesInstance?.dispose();
    this.diffs?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    if (m) await m.then((x) => x.dispose(), () => undefined);
    // After the sessions stopped: no zombie server processes once the window closes.
    const k = this.knowledgeParts;
    this.knowledgeParts = undefined;
    if (k) await k.knowledge.shutdown().catch((e: unknown) => this.logger.warn(`MCP shutdown: ${toAgentError(e).message}`));
  }
}
