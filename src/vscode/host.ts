/**
 * The composition root: builds the host's pieces and wires them, nothing more. Cheap at
 * construction (activation); the session manager, its store and tools are created on first use
 * (the view resolves or a command runs). Each concern has its own small owner (./host/*:
 * settings, permission rules, key notices, the approval context key, knowledge refresh); each
 * piece is registered with one of two DisposableStores and released with the extension.
 */
import { CommandIsolation } from '../core/sandbox/isolation';
import { createCommandSandbox } from '../core/sandbox/create';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/base/disposable';
import { AgentError, toAgentError } from '../core/base/errors';
import { PermissionEngine } from '../core/approval/permission-engine';
import { createProvider } from '../core/providers/factory';
import { SessionManager } from '../core/session/manager';
import type { SessionManagerApi } from '../core/session/api';
import { JsonlSessionStore } from '../core/store/jsonl-store';
import { createWorkspaceWatcher } from '../core/changes/workspace-watch';
import { createBuiltinTools, ToolRegistry, vscodeRipgrepCandidates } from '../core/tools/builtins';
import { systemClock, type Logger } from '../core/ports';
import type { ProviderProfileRuntime } from '../core/session/manager-deps';
import type { HostActionId } from '../shared/protocol';
import { ChangesUi } from './changes/changes-ui';
import { createEditorPort } from './changes/editor-port';
import { EditorFileWriter } from './changes/editor-writer';
import { labelOf } from './changes/labels';
import { DiffApprovals } from './diff-approval';
import { FocusTracker } from './focus';
import { VsCodeHostServices } from './host-services';
import { ApprovalContextKey } from './host/approval-context-key';
import { HostRules } from './host/host-rules';
import { KeyNotices } from './host/key-notices';
import { KnowledgeRefresh } from './host/knowledge-refresh';
import { lazy } from './host/lazy';
import { homedir } from 'node:os';
import { WorkspaceAgents } from './agents/workspace-agents';
import { SettingsOwner } from './host/settings-owner';
import { createRedactingLogger, SecretRegistry } from './logger';
import { computeProposedEdit } from './proposed-edit';
import { SecretStorageSecretSource } from './secrets';
import { vscodeKeyHostPrompt } from './key-host-prompt';
import { runtimeProfileOf } from './providers';
import { SECTION, type SettingsRead } from './settings';
import { StatusBar } from './status-bar';
import { WorkspaceTrustState } from './trust';
import { createVsCodeKnowledge, type VsCodeKnowledge } from './knowledge/vscode-ports';
import { createVsCodeHooks } from './hooks/vscode-hooks';
import type { WorkspaceHooksHost } from './hooks/workspace-hooks-host';
import type { WorkspaceHooks } from '../core/hooks/workspace-hooks';
import { createWorkspaceRulesPort, WorkspaceRuleStore } from './knowledge/workspace-rules';
import { LazyKnowledgePort } from './webview/knowledge-port';
import { WebviewRouter } from './webview/router';
import { ChatPanels, ChatViewProvider, VIEW_ID } from './webview/surfaces';
import { DefaultWorkspace } from './worktree/default-workspace';
import { SessionTerminals } from './worktree/terminal';
import { createWorktreeDeps } from './worktree/worktree-deps';
import { WorktreeUi } from './worktree/worktree-ui';
import { releaseUnusedRoots } from './worktree/knowledge-lifetime';
import { MemoryHost } from './memory/memory-host';
import { VsCodeLmProvider } from './lm/vscode-lm-provider';
import { listVsCodeLmModels, probeVsCodeLm } from './lm/lm-models';
import { costOf } from '../shared/pricing';

export { APPROVAL_CONTEXT_KEY } from './host/approval-context-key';

/** How the user can recognise this window in another one ("VS Code window opened 14:02"). */
function windowLabel(): string {
  const kind = vscode.env.uiKind === vscode.UIKind.Web ? 'browser tab' : 'window';
  const at = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${vscode.env.appName} ${kind} opened ${at}`;
}

export class ExtensionHost implements vscode.Disposable {
  /**
   * Released first, before the sessions stop: what shows or follows sessions (router, host
   * services, diff tabs, status bar, notices, context key).
   */
  private readonly ui = new DisposableStore();
  /** Released after `ui`: the log channel, trust, focus, settings and their listeners. */
  private readonly base = new DisposableStore();
  readonly channel: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly secretRegistry = new SecretRegistry();
  readonly secrets: SecretStorageSecretSource;
  readonly trust: WorkspaceTrustState;
  readonly focus: FocusTracker;
  readonly view: ChatViewProvider;
  readonly panels: ChatPanels;
  private readonly settingsOwner: SettingsOwner;
  /** "Always allow" for this workspace and the answer about the workspace settings' allow rules (workspaceState). */
  private readonly workspaceRules: WorkspaceRuleStore;
  private readonly rules: HostRules;
  private readonly keyNotices: KeyNotices;
  private managerPromise: Promise<SessionManager> | undefined;
  /** The session store, once the manager exists (for a raw export of a log). */
  private storeInstance: JsonlSessionStore | undefined;
  private knowledgeParts: VsCodeKnowledge | undefined;
  /** The workspace's Claude Code hooks (src/vscode/hooks). */
  private hooksHost: WorkspaceHooksHost | undefined;
  /** The change ledger's views and review commands, once the manager exists (and keeps a ledger). */
  private changesUiInstance: ChangesUi | undefined;
  /** Sessions' terminals, once the manager exists. */
  private terminalsInstance: SessionTerminals | undefined;
  /** The worktree flows and merge sides, once the manager exists (and can give sessions worktrees). */
  private worktreeUiInstance: WorktreeUi | undefined;
  /** Where new sessions work unless they say (agentSessions.worktrees.default); told once when git cannot give worktrees here. */
  private readonly defaultWorkspace = new DefaultWorkspace({
    setting: () => this.settings().settings['worktrees.default'],
    support: async () => (await this.manager()).worktrees.support(),
    notify: (message) => { this.logger.info(message); void vscode.window.showInformationMessage(`Agent Sessions: ${message}`); },
  });
  /** The workspace memory file (agentSessions.memory.*) and Open Memory. */
  readonly memory = new MemoryHost({
    storageDir: () => (this.context.storageUri ?? vscode.Uri.joinPath(this.context.globalStorageUri, 'no-workspace')).fsPath,
    workspaceFolder: () => this.workspaceRoots()[0],
    enabled: () => this.settings().settings['memory.enabled'],
    fileSetting: () => this.settings().settings['memory.file'],
    redactor: this.secretRegistry, logger: () => this.logger,
  });
  /** Kind, endpoint settings and prices per profile id, handed to the manager once and updated in place on settings changes. */
  private readonly profileTable: Record<string, ProviderProfileRuntime> = {};

  /** Host services for the webviews (profiles, notices, host state). */
  readonly services = lazy(() => {
    const services = new VsCodeHostServices({
      logger: this.logger, settings: () => this.settings(), secrets: this.secrets, trust: this.trust,
      extensionVersion: (this.context.extension.packageJSON as { version?: string }).version,
      openExternal: async (href) => vscode.env.openExternal(vscode.Uri.parse(href, true)),
      viewDiff: async (approval) => this.diffApprovals().open(approval),
      showChanges: async (sessionId, path) => (await this.changesUi()).showChanges(sessionId, path),
      worktreeAction: async (sessionId, action, mode) => (await this.worktreeUi()).flows.run(sessionId, action, mode),
      openTerminal: async (sessionId, follow) => (await this.terminals()).open(sessionId, follow),
      openMemory: () => this.memory.open(),
      vscodeLmModels: () => listVsCodeLmModels(),
      probeExtra: async () => { const lm = await probeVsCodeLm(); return lm ? [lm] : []; },
      runAction: this.runAction,
      setVisible: (c, s) => this.focus.setVisible(c, s),
      forget: (c) => this.focus.forget(c),
    });
    this.rules.updateNotice(services);
    return services;
  }, this.ui);

  /** Every webview's connection; the Context panel's MCP status and skill diagnostics load the knowledge on first use. */
  readonly router = lazy(() => {
    const workspaceRules = createWorkspaceRulesPort({
      store: this.workspaceRules, rules: () => this.settings().rules, trusted: () => this.trust.isTrusted,
      onChange: () => {
        const services = this.services.peek;
        if (services) this.rules.updateNotice(services);
        services?.refresh();
      },
    });
    const knowledge = this.ui.add(new LazyKnowledgePort({ load: () => this.knowledge(), logger: this.logger, workspaceRoot: this.workspaceRoots()[0], workspaceRules, agents: this.agents() }));
    return new WebviewRouter(() => this.manager(), this.services(), { knowledge });
  }, this.ui);

  private readonly diffApprovals = lazy(() => new DiffApprovals((approval) => {
    const tools = this.knowledgeParts?.knowledge.toolLookup(this.toolRegistry()) ?? this.toolRegistry();
    return computeProposedEdit(tools, approval, this.workspaceRoots());
  }), this.ui);

  /** Custom agents (.github/agents, .claude/agents, ~/.claude/agents), re-read when their files change. */
  private readonly agents = lazy(() => new WorkspaceAgents({
    workspaceRoots: this.workspaceRoots(), homeDir: homedir(), isTrusted: () => this.trust.isTrusted,
    createWatcher: (base, pattern) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern)),
  }), this.ui);

  private readonly toolRegistry = lazy(() => new ToolRegistry(createBuiltinTools({ ripgrepPaths: vscodeRipgrepCandidates(vscode.env.appRoot) })));

  /** Command isolation (the OS sandbox), shared by every session; its status goes to the webviews. */
  private readonly isolation = lazy(() => new CommandIsolation(createCommandSandbox(), () => {
    const s = this.settings().settings;
    return { mode: s.sandbox, extraProtected: s.sandboxProtectedPaths, extraHidden: s.sandboxHiddenPaths, extraWritable: s.sandboxWritablePaths };
  }));

  constructor(readonly context: vscode.ExtensionContext, private readonly runAction: (action: HostActionId, providerId?: string, sessionId?: string, presetId?: string) => Promise<void>) {
    this.channel = this.base.add(vscode.window.createOutputChannel('Agent Sessions', { log: true }));
    this.logger = createRedactingLogger(this.channel, this.secretRegistry);
    // A key goes only to the host it was set for unless the user says so (key-binding.ts).
    this.secrets = new SecretStorageSecretSource(context.secrets, this.secretRegistry, context.globalState, {
      prompt: vscodeKeyHostPrompt, profileOf: (id) => this.services().profile(id), logger: this.logger,
    });
    this.trust = this.base.add(new WorkspaceTrustState({
      get isTrusted() { return vscode.workspace.isTrusted; },
      onDidGrantWorkspaceTrust: (l) => vscode.workspace.onDidGrantWorkspaceTrust(l),
    }));
    this.focus = this.base.add(new FocusTracker());
    this.settingsOwner = this.base.add(new SettingsOwner(this.trust, this.logger));
    this.workspaceRules = new WorkspaceRuleStore(context.workspaceState);
    this.rules = new HostRules({
      settings: () => this.settings(), trusted: () => this.trust.isTrusted, workspaceRules: this.workspaceRules, logger: this.logger,
      userRules: {
        read: () => vscode.workspace.getConfiguration(SECTION).inspect<Record<string, string[]>>('permissionRules')?.globalValue ?? {},
        write: (value) => vscode.workspace.getConfiguration(SECTION).update('permissionRules', value, vscode.ConfigurationTarget.Global),
      },
    });
    this.keyNotices = this.ui.add(new KeyNotices({
      services: () => this.services(), secrets: this.secrets, logger: this.logger, runAction: (a, p) => this.runAction(a, p),
      showError: (message, action) => vscode.window.showErrorMessage(message, action),
      viewVisible: () => this.view.isVisible || this.panels.anyVisible,
    }));
    this.view = new ChatViewProvider(context.extensionUri, () => this.router());
    this.panels = new ChatPanels(context.extensionUri, () => this.router());
    this.base.add(context.secrets.onDidChange((e) => { this.secrets.invalidate(e.key); this.services.peek?.refresh(); }));
    this.base.add(this.settingsOwner.onDidChange(({ before, now }) => this.onSettingsChanged(before, now)));
    this.base.add(this.trust.onDidChange(() => {
      this.logger.info('Workspace trusted: commands, workspace MCP servers, skills and rules are on.');
      // Workspace values of the restricted settings (mode, rules, MCP, skills folder…) apply from now on.
      this.settingsOwner.reload();
    }));
  }

  // --- settings ------------------------------------------------------------------------------

  settings(): SettingsRead {
    return this.settingsOwner.read();
  }

  private onSettingsChanged(before: SettingsRead | undefined, now: SettingsRead): void {
    this.logger.info('Settings changed; new sessions use the new defaults.');
    this.refreshProfileTable();
    if (before && this.knowledgeParts) this.knowledgeSettingsChanged(before, now, this.knowledgeParts);
    void this.managerPromise?.then((m) => m.setDefaults(this.services().defaultConfig()), () => undefined);
    const services = this.services.peek;
    if (services) this.rules.updateNotice(services);
    services?.refresh();
    if (this.isolation.peek) this.probeSandbox();
    if (this.managerPromise && before?.settings['worktrees.default'] !== now.settings['worktrees.default']) void this.defaultWorkspace.check();
  }

  /** Tells the webviews and the log whether commands run sandboxed (re-checked on settings changes). */
  private probeSandbox(): void {
    void this.isolation().status().then((status) => {
      this.services.peek?.setSandbox(status);
      this.logger.info(`Commands: ${status.note}.`);
    }, (err: unknown) => this.logger.warn(`Sandbox probe failed: ${String(err)}`));
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
    for (const p of this.services().profiles()) this.profileTable[p.id] = runtimeProfileOf(p);
  }

  // --- lazily created pieces -----------------------------------------------------------------

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

  /** The change ledger's views; creates the manager first. invalid_state when the manager keeps no ledger. */
  async changesUi(): Promise<ChangesUi> {
    await this.manager();
    if (!this.changesUiInstance) throw new AgentError('invalid_state', 'This window keeps no change ledger: there are no changes to review.');
    return this.changesUiInstance;
  }

  /** The change ledger's views if they exist already (nothing is created). */
  get changesUiPeek(): ChangesUi | undefined {
    return this.changesUiInstance;
  }

  /** The worktree flows; creates the manager first. invalid_state when this window cannot give sessions worktrees. */
  async worktreeUi(): Promise<WorktreeUi> {
    await this.manager();
    if (!this.worktreeUiInstance) throw new AgentError('invalid_state', 'This window cannot give sessions worktrees.');
    return this.worktreeUiInstance;
  }

  /** Sessions' terminals; creates the manager first. */
  async terminals(): Promise<SessionTerminals> {
    await this.manager();
    if (!this.terminalsInstance) throw new AgentError('invalid_state', 'The session manager is not ready.');
    return this.terminalsInstance;
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
      // New sessions are titled from their first prompt (a cheap model writes a short title).
      autoTitle: {},
      store,
      // VS Code's language models only the host can reach; every other kind is core's.
      createProvider: (endpoint) => (endpoint.kind === 'vscode-lm' ? new VsCodeLmProvider() : createProvider(endpoint)),
      // vscode-lm: billed by the model's vendor (a Copilot plan), so no price even for a known model name.
      costOf: (model, usage, providerId) => {
        const profile: ProviderProfileRuntime | undefined = providerId ? this.profileTable[providerId] : undefined;
        return profile?.kind === 'vscode-lm' ? null : costOf(model, usage, profile?.prices);
      },
      secrets: this.secrets,
      tools: this.toolRegistry(),
      permissions: new PermissionEngine(),
      isolation: this.isolation(),
      ruleSink: this.rules.sink(),
      hostRules: () => this.rules.rules(),
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
      // What a server's cached model listing says of a model: its window, and whether it calls tools (refused before the request if not).
      listedModel: (providerId, model) => this.services().models.listedModel(providerId, model),
      // Beside the session logs: long tool output saved whole for read_file (one folder per session).
      toolOutputDir: vscode.Uri.joinPath(dir, 'tool-output').fsPath,
      // Beside it: each session's change ledger (the bytes before and after its file changes).
      changesDir: vscode.Uri.joinPath(dir, 'changes').fsPath,
      // A file open in the editor is changed in its buffer (Ctrl+Z undoes it); unsaved user edits are never overwritten.
      fileWriter: new EditorFileWriter(createEditorPort(this.logger), labelOf),
      // What commands change: git status in a work tree, a capped .gitignore-aware scan elsewhere.
      workspaceWatcher: createWorkspaceWatcher({ maxFileBytes: read.settings['changes.maxFileBytes'] }),
      maxBlobBytes: read.settings['changes.maxFileBytes'],
      // A git worktree per session: where they go (the setting, else the extension's storage) and which git makes them.
      worktrees: createWorktreeDeps({
        storage: this.context.globalStorageUri, folderSetting: () => this.settings().settings['worktrees.folder'],
        workspaceRoots: () => this.workspaceRoots(), logger: this.logger,
      }),
      defaultWorkspace: () => this.defaultWorkspace.choice(),
      agents: this.agents(),
      ...this.hookSeams(),
      ...this.memory.managerDeps(),
    });
    this.probeSandbox();
    await manager.init();
    this.wire(manager);
    void this.defaultWorkspace.check();
    this.logger.info(`Session manager ready in ${(performance.now() - t0).toFixed(1)} ms (${manager.list().length} sessions, storage ${dir.fsPath}).`);
    return manager;
  }

  /** Host reactions to session events: missing-key notices, the status bar, context keys, diff tabs. */
  private wire(manager: SessionManager): void {
    this.ui.add(new StatusBar(manager, VIEW_ID));
    this.ui.add(new ApprovalContextKey(manager, this.focus, (key, value) => { void vscode.commands.executeCommand('setContext', key, value); }));
    this.ui.add(manager.onEvent((e) => {
      if (e.type === 'approval.resolved') void this.diffApprovals.peek?.closeFor(e.approvalId).then(undefined, () => undefined);
    }));
    this.keyNotices.watch(manager);
    const changes = (manager as SessionManagerApi).changes;
    if (changes) {
      this.changesUiInstance = this.ui.add(new ChangesUi({
        manager, changes, focus: this.focus, logger: this.logger,
        rootUri: () => vscode.workspace.workspaceFolders?.[0]?.uri,
        reveal: async (id) => { await vscode.commands.executeCommand(`${VIEW_ID}.focus`); this.router().reveal(id); },
      }));
    }
    const terminals = this.terminalsInstance = this.ui.add(new SessionTerminals({ manager, workspaceRoot: () => this.workspaceRoots()[0] }));
    // Deleting a session records no event; the chat view's tab change (or the delete command) tells.
    this.ui.add(this.focus.onDidChange(() => terminals.reconcile()));
    this.worktreeUiInstance = this.ui.add(new WorktreeUi({ manager, worktrees: manager.worktrees, logger: this.logger }));
    const k = this.knowledgeParts?.knowledge;
    if (k) {
      this.ui.add(new KnowledgeRefresh(k.onDidChange, manager, this.focus, this.logger));
      // A worktree's rules, skills and MCP servers go with its last session (deleted, or the worktree discarded).
      const releaseRoots = () => void releaseUnusedRoots(k.roots, manager.list()).catch((e: unknown) => this.logger.warn(`Worktree knowledge: ${toAgentError(e).message}`));
      this.ui.add(this.focus.onDidChange(releaseRoots));
      this.ui.add(manager.onEvent((e) => { if (e.type === 'worktree.discarded') releaseRoots(); }));
    }
  }

  /** Warns once (banner + notification) when a provider that needs a key has none. */
  checkKey(providerId: string): Promise<void> {
    return this.keyNotices.checkKey(providerId);
  }

  /** The workspace's hooks as the engine's seams (one object: tool calls and turn edges). */
  private hookSeams(): { callHooks: WorkspaceHooks[]; turnHooks: WorkspaceHooks[] } {
    const hooks = (this.hooksHost ??= createVsCodeHooks(this.context, this.workspaceRoots(), this.logger)).hooks;
    return { callHooks: [hooks], turnHooks: [hooks] };
  }

  async dispose(): Promise<void> {
    const m = this.managerPromise;
    this.ui.dispose();
    this.base.dispose();
    if (m) await m.then((x) => x.dispose(), () => undefined);
    this.hooksHost?.dispose();
    // After the sessions stopped: no zombie server processes once the window closes.
    const k = this.knowledgeParts;
    this.knowledgeParts = undefined;
    if (k) await k.knowledge.shutdown().catch((e: unknown) => this.logger.warn(`MCP shutdown: ${toAgentError(e).message}`));
  }
}
