/**
 * The window's custom agents: an AgentRegistry over the workspace folders and ~/.claude/agents,
 * re-read when a watched agent file is created, changed or deleted. The session manager resolves
 * `agent` names through it (manager deps `agents`) and the webview lists it (`agents.list`).
 * No 'vscode' import: the host passes the watcher factory.
 */
import { Disposable } from '../../core/base/disposable';
import { Emitter, type Event } from '../../core/base/emitter';
import { AgentRegistry, type AgentListing, type AgentSource } from '../../core/agents/registry';
import type { ParsedAgent } from '../../core/agents/parse';
import type { CustomAgentInfo } from '../../shared/knowledge-types';
import { VsCodeFileWatcher, type CreateFsWatcher } from '../knowledge/file-watcher';

export interface WorkspaceAgentsOptions {
  workspaceRoots: readonly string[];
  /** The user's home folder (~/.claude/agents); absent: no user agents. */
  homeDir?: string;
  createWatcher: CreateFsWatcher;
  /**
   * Whether the workspace is trusted. Workspace agents steer the model (their prompt joins the
   * system prompt), so in Restricted Mode only the user's own agents are offered, like rules files.
   * Absent: trusted.
   */
  isTrusted?(): boolean;
}

/** What `agents.list` answers. */
export interface AgentsOverview {
  agents: CustomAgentInfo[];
  problems: { source: string; message: string }[];
}

/** The webview's side (KnowledgePort.agents). */
export interface AgentsPort {
  overview(): Promise<AgentsOverview>;
}

export class WorkspaceAgents extends Disposable implements AgentSource, AgentsPort {
  private readonly registry: AgentRegistry;
  private readonly changed = this._register(new Emitter<void>());
  /** An agent file was created, changed or deleted (the registry forgot what it had read). */
  readonly onDidChange: Event<void> = this.changed.event;

  constructor(private readonly options: WorkspaceAgentsOptions) {
    super();
    this.registry = new AgentRegistry({ workspaceRoots: options.workspaceRoots, ...(options.homeDir ? { homeDir: options.homeDir } : {}) });
    const patterns = options.workspaceRoots.flatMap((base) => [{ base, pattern: '.github/agents/*.agent.md' }, { base, pattern: '.claude/agents/*.md' }]);
    if (options.homeDir) patterns.push({ base: options.homeDir, pattern: '.claude/agents/*.md' });
    this._register(new VsCodeFileWatcher(options.createWatcher).watch(patterns, () => {
      this.registry.invalidate();
      this.changed.fire();
    }));
  }

  /** Agents for a session at `root` (a worktree: read from there, not watched; undefined: the workspace). */
  async list(root?: string): Promise<AgentListing> {
    return this.trusted(await this.registry.list(root));
  }

  async find(name: string, root?: string): Promise<ParsedAgent | undefined> {
    return (await this.list(root)).agents.find((a) => a.info.name === name);
  }

  /** The workspace's agents and the files that did not load, for the new-session form. */
  async overview(): Promise<AgentsOverview> {
    return toOverview(await this.list());
  }

  /** In Restricted Mode: the user's agents only, and a line saying why the workspace's are not offered. */
  private trusted(l: AgentListing): AgentListing {
    if (this.options.isTrusted?.() !== false) return l;
    const hidden = l.agents.filter((a) => a.info.scope === 'workspace');
    if (hidden.length === 0) return l;
    return {
      agents: l.agents.filter((a) => a.info.scope !== 'workspace'),
      problems: [...l.problems, {
        path: hidden[0].info.source,
        message: `${hidden.length} workspace agent(s) (${hidden.map((a) => a.info.name).join(', ')}) are off in Restricted Mode: their prompts would steer the model. Trust the workspace to use them.`,
      }],
    };
  }
}

function toOverview(l: AgentListing): AgentsOverview {
  return { agents: l.agents.map((a) => ({ ...a.info })), problems: l.problems.map((p) => ({ source: p.path, message: p.message })) };
}
