/**
 * The session engine's side of custom agents: resolving an agent's name for a new session
 * (manager.create, spawn_session) into a config patch plus warnings, and the list spawn_session
 * offers the model.
 */
import type { SessionConfig } from '../../shared/session';
import type { CustomAgentInfo } from '../../shared/knowledge-types';
import type { AgentSource } from './registry';
import { AgentError } from '../base/errors';
import { mergeConfig } from '../../shared/config-defaults';
import { applyAgent } from './apply';

export interface SessionAgentsDeps {
  source?: AgentSource | undefined;
  /** Provider profiles by id, with the models each offers (absent: not known, the agent's model is not used). */
  profiles?: Readonly<Record<string, { models?: readonly string[] }>> | undefined;
  defaults(): SessionConfig;
  /** Tool names a session with this config may call (rooted at `root`). */
  toolNames(config: SessionConfig, root?: string): string[];
}

/** A resolved agent: the patch to merge over the new session's, and warnings to record. */
export interface AgentResolution {
  patch: Partial<SessionConfig>;
  warnings: Array<{ code: string; message: string }>;
}

export class SessionAgents {
  /** The workspace's agents as last read (spawn_session's description lists them). */
  private last: CustomAgentInfo[] = [];

  constructor(private readonly deps: SessionAgentsDeps) {
    void this.refresh();
  }

  /** Reads the workspace's agents again (the registry answers from its cache until a watched file changes). */
  async refresh(): Promise<void> {
    try { this.last = await this.list(); } catch { /* the registry reports its own problems; keep what was known */ }
  }

  /**
   * The workspace's agents as last read, for spawn_session's description. Re-reads in the
   * background (the registry answers from its cache until a watched file changes), so a change
   * shows from the next request on.
   */
  known(): CustomAgentInfo[] {
    void this.refresh();
    return this.last;
  }

  /** The agents offered (name, description, tools) for a session at `root`; none when no source is wired. */
  async list(root?: string): Promise<CustomAgentInfo[]> {
    if (!this.deps.source) return [];
    return (await this.deps.source.list(root)).agents.map((a) => a.info);
  }

  /**
   * Applies agent `name` over `patch` (merged with the defaults, or with `base` for a child).
   * AgentError('not_found') naming the agents there are when it does not exist.
   */
  async resolve(name: string, patch: Partial<SessionConfig>, root?: string, base?: SessionConfig): Promise<AgentResolution> {
    const found = await this.deps.source?.find(name, root);
    if (!found) {
      const names = (await this.list(root)).map((a) => a.name);
      throw new AgentError('not_found', `There is no custom agent "${name}". ${names.length > 0 ? `Agents: ${names.join(', ')}.` : 'Add one as .github/agents/<name>.agent.md or .claude/agents/<name>.md.'}`);
    }
    const config = mergeConfig(base ?? this.deps.defaults(), patch);
    const applied = applyAgent({
      agent: found, config, offeredModels: this.deps.profiles?.[config.providerId]?.models, toolNames: () => this.deps.toolNames(config, root),
    });
    return { patch: { ...patch, ...applied.patch }, warnings: applied.notes.map((message) => ({ code: 'agent_note', message })) };
  }
}
