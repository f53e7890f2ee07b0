/**
 * The MCP servers of one folder other than the workspace's (a session's worktree), as that
 * folder's sessions see them. The folder's own config files (.vscode/mcp.json, .mcp.json; then
 * the settings servers, as for the workspace) decide which servers exist; a server whose launch
 * depends on the folder (src/core/mcp/config.ts dependsOnWorkspaceFolder), or whose config differs
 * from the workspace's server of that name, is started here, by a manager of its own rooted at the
 * folder; every other one is the workspace's, shared (never started twice).
 * Approvals are the workspace's: keys map the folder's files to the workspace's, so the answer the
 * user gave for a server holds here, and a server the user has not approved does not start.
 * Pure: no 'vscode'.
 */
import { relative, isAbsolute, join, sep } from 'node:path';
import { Disposable } from '../../core/base/disposable';
import { Emitter, type Event } from '../../core/base/emitter';
import { toAgentError } from '../../core/base/errors';
import { configHash, dependsOnWorkspaceFolder, readWorkspaceConfigs } from '../../core/mcp/config';
import { McpManager, type McpManagerOptions } from '../../core/mcp/manager';
import type { McpApprovalPort, McpApprovalStore, McpConfigSource, McpInputResolver, McpServerConfig } from '../../core/mcp/types';
import type { Logger } from '../../core/ports';
import type { McpToolSource } from '../../core/session/knowledge';
import type { WorkspaceTrust } from '../../core/skills/workspace-ports';
import type { AnyTool } from '../../core/tools/types';

export interface RootMcpDeps {
  /** Absolute folder the servers are read from and started for. */
  root: string;
  /** Absolute workspace folder its config files stand for (approval keys), if any. */
  workspaceRoot?: string;
  /** The workspace's manager: servers that do not depend on the folder are its, shared. */
  workspace: McpManager;
  trust: WorkspaceTrust;
  approval: McpApprovalPort;
  approvalStore: McpApprovalStore;
  /** Shared with the workspace's manager: one dialog per server, whoever asks. */
  approvalsInFlight?: Map<string, Promise<boolean>>;
  inputs?: McpInputResolver;
  /** Servers from settings, read fresh on every reload. */
  settingsServers(): McpServerConfig[];
  /**
   * Settles when the workspace's manager has applied its configuration (awaited before each
   * reload, so a server about to be shared is not started here meanwhile). Default: at once.
   */
  workspaceSettled?(): Promise<void>;
  logger: Logger;
  mcpOptions?: Partial<Pick<McpManagerOptions, 'callTimeoutMs' | 'connectTimeoutMs' | 'backoff' | 'env'>>;
}

/** A config file in `root` as the same file of `workspaceRoot` (other sources unchanged). */
export function workspaceSourceOf(source: McpConfigSource, root: string, workspaceRoot: string | undefined): McpConfigSource {
  if (!source.path || !workspaceRoot) return source;
  const rel = relative(root, source.path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return source;
  return { ...source, path: join(workspaceRoot, rel) };
}

export class RootMcp extends Disposable implements McpToolSource {
  /** The servers started for this folder (only these; shared ones run in the workspace's manager). */
  readonly own: McpManager;
  private readonly toolsChanged = this._register(new Emitter<void>());
  readonly onDidChangeTools: Event<void> = this.toolsChanged.event;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RootMcpDeps) {
    super();
    this.own = this._register(new McpManager({
      workspaceRoot: deps.root, trust: deps.trust, approval: deps.approval, approvalStore: deps.approvalStore,
      approvalSource: (s) => this.asWorkspace(s), logger: deps.logger,
      ...(deps.approvalsInFlight ? { approvalsInFlight: deps.approvalsInFlight } : {}),
      ...(deps.inputs ? { inputs: deps.inputs } : {}), ...deps.mcpOptions,
    }));
    this._register(this.own.onDidChangeTools(() => this.toolsChanged.fire()));
    this._register(deps.workspace.onDidChangeTools(() => this.toolsChanged.fire()));
  }

  /**
   * Re-reads the folder's config files and settings and applies them: servers that are now the
   * workspace's stop here, new or changed ones start. Resolves once every start has settled
   * (a start may wait for the approval dialog). Never rejects.
   */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.doReload(), () => this.doReload());
    return this.loading;
  }

  /**
   * The folder's own servers' tools, then the workspace's, minus `disabled` (server names) and
   * minus the workspace servers this folder runs itself or that depend on the workspace folder
   * (they act on the main tree). The folder's own tool wins a name clash.
   */
  tools(disabled: ReadonlySet<string> = new Set()): AnyTool[] {
    const own = this.own.tools(disabled);
    const skip = new Set(disabled);
    for (const s of this.own.list()) skip.add(s.name);
    for (const s of this.deps.workspace.list()) {
      const c = this.deps.workspace.config(s.name);
      if (c && dependsOnWorkspaceFolder(c, this.env())) skip.add(s.name);
    }
    const taken = new Set(own.map((t) => t.name));
    return [...own, ...this.deps.workspace.tools(skip).filter((t) => !taken.has(t.name))];
  }

  /** Stops this folder's servers and waits for their processes to exit. */
  async shutdown(): Promise<void> {
    await this.own.shutdown();
    this.dispose();
  }

  private async doReload(): Promise<void> {
    if (this._store.isDisposed) return;
    try {
      await this.deps.workspaceSettled?.().catch(() => undefined);
      const parsed = await readWorkspaceConfigs(this.deps.root);
      for (const d of parsed.diagnostics) this.deps.logger.warn(`[mcp] ${d.path}: ${d.message}`);
      const names = new Set(parsed.servers.map((s) => s.name));
      const all = [...parsed.servers, ...this.deps.settingsServers().filter((s) => !names.has(s.name))];
      const own = all.filter((c) => dependsOnWorkspaceFolder(c, this.env()) || !this.sameAsWorkspace(c));
      if (this._store.isDisposed) return;
      await this.own.setServers(own, parsed.inputs);
    } catch (e) {
      this.deps.logger.error(`MCP configuration of ${this.deps.root} could not be applied: ${toAgentError(e).message}`);
    }
  }

  /** True when the workspace runs a server of this name launched exactly like `c`. */
  private sameAsWorkspace(c: McpServerConfig): boolean {
    const w = this.deps.workspace.config(c.name);
    if (!w) return false;
    const mine = { ...c, source: this.asWorkspace(c.source) };
    return configHash(mine) === configHash(w) && (c.disabled === true) === (w.disabled === true) && c.callTimeoutMs === w.callTimeoutMs;
  }

  private asWorkspace(source: McpConfigSource): McpConfigSource {
    return workspaceSourceOf(source, this.deps.root, this.deps.workspaceRoot);
  }

  private env(): NodeJS.ProcessEnv {
    return this.deps.mcpOptions?.env ?? process.env;
  }
}
