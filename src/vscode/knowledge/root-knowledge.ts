/**
 * Workspace knowledge for folders other than the workspace's: a session rooted in its own git
 * worktree reads that folder's rules files and skills, and gets the MCP servers as seen from it
 * (root-mcp.ts). One RootKnowledge per folder, counted: `acquire(root)` per session that works
 * there, `release(root)` when the session goes (deleted, its worktree discarded); the last
 * release stops the folder's watchers and MCP servers. The session engine asks synchronously
 * (`KnowledgeDeps.rootKnowledge(root)` → `get(root)`), so `get` makes one on first request.
 * User skills and the user's approvals are shared with the workspace. Pure: no 'vscode'.
 */
import { resolve, isAbsolute, basename } from 'node:path';
import { Disposable } from '../../core/base/disposable';
import { Emitter, type Event } from '../../core/base/emitter';
import { AgentError, toAgentError } from '../../core/base/errors';
import { RulesFilesLoader, type RulesFile } from '../../core/context/rules-files';
import type { RootKnowledge } from '../../core/session/knowledge';
import { SkillRegistry } from '../../core/skills/registry';
import type { FileWatcher, WatchPattern } from '../../core/skills/workspace-ports';
import { RootMcp, type RootMcpDeps } from './root-mcp';

/** Rules files the loader reads (src/core/context/rules-files.ts), as watch globs. */
export const RULES_GLOBS = [
  '**/AGENTS.md', '**/CLAUDE.md', '**/GEMINI.md', '.github/copilot-instructions.md', '.clinerules', '.clinerules/**', '.cursorrules', '.cursor/rules/**',
];
/** Workspace MCP config files (src/core/mcp/config.ts). */
export const MCP_CONFIG_GLOBS = ['.vscode/mcp.json', '.mcp.json'];

export interface RootKnowledgeDeps extends Omit<RootMcpDeps, 'root'> {
  /** Absolute user skills folder (shared by every folder), if any. */
  userSkillsDir?: string;
  watcher: FileWatcher;
  /** Bursts of MCP config-file events are coalesced into one reload. Default 200 ms. */
  configDebounceMs?: number;
}

/** One folder's knowledge while sessions use it. */
class RootEntry extends Disposable {
  readonly loader: RulesFilesLoader;
  readonly skills: SkillRegistry;
  readonly mcp: RootMcp;
  readonly knowledge: RootKnowledge;
  readonly skillsLoaded: Promise<void>;
  mcpLoaded: Promise<void>;
  /** Sessions that acquired it; an entry made by `get` alone is `implicit` until one does. */
  holds = 0;
  implicit = false;
  private configTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly root: string, deps: RootKnowledgeDeps, changed: () => void) {
    super();
    const trust = deps.trust;
    this.loader = new RulesFilesLoader({ root, isTrusted: () => trust.isTrusted() });
    this.skills = this._register(new SkillRegistry({
      workspaceRoot: root, trust, watcher: deps.watcher, logger: deps.logger,
      ...(deps.userSkillsDir ? { userSkillsDir: deps.userSkillsDir } : {}),
    }));
    this._register(this.skills.onDidChange(changed));
    this.mcp = this._register(new RootMcp({ ...deps, root }));
    const label = basename(root);
    this._register(this.mcp.own.onDidChangeStatus((e) => {
      const s = e.status;
      if (s.state === 'connected') deps.logger.info(`[mcp] ${e.name} (${label}): connected (${s.toolCount} tools).`);
      else if (s.state === 'failed') deps.logger.warn(`[mcp] ${e.name} (${label}): failed: ${s.error.message}`);
      else if (s.state === 'blocked') deps.logger.info(`[mcp] ${e.name} (${label}): not started: ${s.message}`);
      changed();
    }));
    const at = (globs: string[]): WatchPattern[] => globs.map((pattern) => ({ base: root, pattern }));
    this._register(deps.watcher.watch(at(RULES_GLOBS), changed));
    this._register(deps.watcher.watch(at(MCP_CONFIG_GLOBS), () => {
      if (this._store.isDisposed) return;
      if (this.configTimer) clearTimeout(this.configTimer);
      this.configTimer = setTimeout(() => { this.configTimer = undefined; void this.reloadMcp(); }, deps.configDebounceMs ?? 200);
    }));
    this._register({ dispose: () => { if (this.configTimer) clearTimeout(this.configTimer); } });

    this.skillsLoaded = this.skills.reload().then(changed, (e: unknown) => {
      deps.logger.error(`Skills of ${root} could not be loaded: ${toAgentError(e).message}`);
    });
    this.mcpLoaded = this.reloadMcp();
    const loader = this.loader;
    const skillsLoaded = this.skillsLoaded;
    this.knowledge = {
      // The engine loads rules first in every turn: waiting here for the folder's first skills
      // scan gives the first turn its skills index too.
      rules: { load: async (disabled?: ReadonlySet<string>): Promise<RulesFile[]> => { await skillsLoaded; return loader.load(disabled); } },
      skills: this.skills,
      mcp: this.mcp,
    };
  }

  reloadMcp(): Promise<void> {
    this.mcpLoaded = this.mcp.reload();
    return this.mcpLoaded;
  }

  /** Stops the folder's servers (waits for their processes) and every watcher. */
  async shutdown(): Promise<void> {
    await this.mcp.shutdown();
    this.dispose();
  }
}

export class RootKnowledgeCache extends Disposable {
  private readonly entries = new Map<string, RootEntry>();
  private readonly changed = this._register(new Emitter<string>());
  /** A folder's rules files, skills or MCP servers changed (its absolute path): listings re-read. */
  readonly onDidChange: Event<string> = this.changed.event;
  private readonly workspaceRoot: string | undefined;

  constructor(private readonly deps: RootKnowledgeDeps) {
    super();
    this.workspaceRoot = deps.workspaceRoot ? resolve(deps.workspaceRoot) : undefined;
  }

  /**
   * The knowledge of `root` (made on first request, then held until `release(root)`); undefined
   * for the workspace folder itself (its sessions use the workspace's knowledge).
   * For `KnowledgeDeps.rootKnowledge`. Throws bad_request for a relative path.
   */
  get(root: string): RootKnowledge | undefined {
    const key = this.keyOf(root);
    if (key === undefined) return undefined;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.create(key);
      entry.implicit = true;
    }
    return entry.knowledge;
  }

  /**
   * Holds `root`'s knowledge for one more session (call once per session working there, when it
   * is created or reopened); the first hold of a folder `get` made takes over that one.
   */
  acquire(root: string): RootKnowledge | undefined {
    const key = this.keyOf(root);
    if (key === undefined) return undefined;
    const entry = this.entries.get(key) ?? this.create(key);
    if (entry.implicit) { entry.implicit = false; entry.holds = 1; } else entry.holds++;
    return entry.knowledge;
  }

  /**
   * Lets go of one hold (or the one `get` made); the last one stops the folder's MCP servers,
   * watchers and loaders, and resolves once their processes exited. Unknown folders: nothing.
   */
  async release(root: string): Promise<void> {
    const key = this.keyOf(root);
    const entry = key === undefined ? undefined : this.entries.get(key);
    if (!entry) return;
    if (!entry.implicit && --entry.holds > 0) return;
    this.entries.delete(entry.root);
    await entry.shutdown();
    this.changed.fire(entry.root);
  }

  /** Folders held now. */
  roots(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Settles when the folder's first skills scan and its last MCP reload are done (servers
   * started or failed; a start may wait for the approval dialog). undefined when not held.
   */
  loaded(root: string): Promise<void> | undefined {
    const key = this.keyOf(root);
    const entry = key === undefined ? undefined : this.entries.get(key);
    return entry ? Promise.all([entry.skillsLoaded, entry.mcpLoaded]).then(() => undefined) : undefined;
  }

  /** The servers this folder started itself (diagnostics and tests); undefined when not held. */
  ownServers(root: string): RootMcp['own'] | undefined {
    const key = this.keyOf(root);
    return key === undefined ? undefined : this.entries.get(key)?.mcp.own;
  }

  /** Re-reads every folder's MCP configuration (the workspace's or the settings' changed). Never rejects. */
  async reloadMcp(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.reloadMcp()));
  }

  /** Stops every folder's servers and waits for their processes (window closing). */
  async shutdown(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.shutdown()));
    this.dispose();
  }

  /** Synchronous: kills every folder's server processes. Prefer `shutdown()` when you can await. */
  override dispose(): void {
    for (const e of this.entries.values()) e.dispose();
    this.entries.clear();
    super.dispose();
  }

  /** Normalised absolute folder, or undefined for the workspace folder. */
  private keyOf(root: string): string | undefined {
    if (typeof root !== 'string' || !isAbsolute(root)) {
      throw new AgentError('bad_request', `A session's folder must be an absolute path, not "${String(root)}".`, { hint: 'Pass the worktree folder as recorded for the session (SessionWorktree.path).' });
    }
    const key = resolve(root);
    return key === this.workspaceRoot ? undefined : key;
  }

  private create(root: string): RootEntry {
    if (this._store.isDisposed) throw new AgentError('invalid_state', 'The window is closing: no new folder knowledge is made.');
    const entry = new RootEntry(root, this.deps, () => { if (this.entries.get(root) === entry) this.changed.fire(root); });
    this.entries.set(root, entry);
    return entry;
  }
}
