import type { KnowledgeRulesFile, KnowledgeSkill, SessionConfig, SessionKnowledge } from '../../shared/session';
import type { AttachedRule, MemoryInfo } from '../../shared/knowledge-types';
import type { HistoryMessage } from '../../shared/model';
import type { MemoryPort } from '../memory/store';
import type { ToolSpec } from '../../shared/model';
import type { RulesFile } from '../context/rules-files';
import type { SkillRegistry } from '../skills/registry';
import type { AnyTool, ToolRegistryLike } from '../tools/types';
import type { Logger } from '../ports';
import type { Event } from '../base/emitter';
import { composeRules } from '../context/rules-prompt';
import { createLoadSkillTool, createManageSkillTool } from '../skills/tools';
import { knowledgeSkill } from '../skills/knowledge-skill';
import { skillsIndexBudget } from '../skills/skills-index';
import { toAgentError } from '../base/errors';
import { contextWindowFor } from '../../shared/context-meter';
import { planTools, toolBudgetFor, type ToolPlan } from './tool-budget';
import { MemoryContext, firstPrompt } from '../memory/section';
import { createMemoryTools } from '../memory/tools';

/** What the engine needs of the rules-files loader (RulesFilesLoader implements it). */
export interface RulesSource {
  load(disabled?: ReadonlySet<string>): Promise<RulesFile[]>;
  /** The budget over all files sent, characters (absent: rules-prompt.ts's default). */
  readonly budgetChars?: number;
}

/** What the engine needs of the MCP manager (McpManager implements it). */
export interface McpToolSource {
  /** Tools of connected servers, minus the servers switched off for the session. */
  tools(disabledForSession?: ReadonlySet<string>): AnyTool[];
  readonly onDidChangeTools?: Event<void>;
}

/**
 * What of a session's own state its knowledge depends on: rules attached on the way (sent from
 * then on) and tools loaded on demand. Absent: a fresh session (nothing attached, nothing loaded).
 */
export interface KnowledgeSessionState {
  sessionId?: string;
  attachedRules?: readonly AttachedRule[];
  loadedTools?: readonly string[];
  /** The session's id and history (SessionData): the memory section is chosen for its first prompt. */
  id?: string;
  history?: readonly HistoryMessage[];
}

/** A skill body attached to a user message because the prompt matched the skill. */
export interface SkillAttachment {
  name: string;
  reason: 'name' | 'description';
  text: string;
}

/** Most skill bodies attached to one prompt (each costs context on every later request). */
const MAX_ATTACHED = 3;

/**
 * Tool names are matched exactly; a trailing `*` matches a prefix (`mcp__github__*`), so an
 * allowlist can name a whole MCP server whose tools come and go.
 */
export function toolAllowed(name: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  return allowed.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));
}

/** A read-only tool view: a fixed list of tools, first name wins; `hidden` ones are callable but not listed (deferred). */
class ToolView implements ToolRegistryLike {
  private readonly byName = new Map<string, AnyTool>();
  private readonly hidden = new Map<string, AnyTool>();
  constructor(tools: readonly AnyTool[], hidden: readonly AnyTool[] = []) {
    for (const t of tools) if (!this.byName.has(t.name)) this.byName.set(t.name, t);
    for (const t of hidden) if (!this.byName.has(t.name)) this.hidden.set(t.name, t);
  }
  get(name: string): AnyTool | undefined { return this.byName.get(name) ?? this.hidden.get(name); }
  list(): AnyTool[] { return [...this.byName.values()]; }
  specs(allowed?: readonly string[]): ToolSpec[] {
    return this.list().filter((t) => toolAllowed(t.name, allowed)).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  }
}

/**
 * Workspace knowledge read from one folder other than the workspace's (a session's worktree): its
 * rules files, skills and the MCP servers whose config depends on the folder (relative `cwd`,
 * `${workspaceFolder}`), started there. The host makes it (src/vscode/knowledge) and keeps one per
 * folder while sessions use it.
 */
export interface RootKnowledge {
  rules?: RulesSource;
  skills?: SkillRegistry;
  /** Tools of every MCP server as seen from this folder (shared servers plus the ones started here). */
  mcp?: McpToolSource;
}

export interface KnowledgeDeps {
  /** Built-in tools (the host's registry). */
  tools: ToolRegistryLike;
  rules?: RulesSource;
  skills?: SkillRegistry;
  mcp?: McpToolSource;
  /** Engine tools such as spawn_session (offered after the built-ins). */
  engineTools: readonly AnyTool[];
  isWorkspaceTrusted(): boolean;
  logger: Logger;
  /** Knowledge for a session rooted elsewhere (its worktree); absent or undefined: the workspace's own. */
  rootKnowledge?(root: string): RootKnowledge | undefined;
  /** The workspace memory (remember / recall / forget, and its section): only in a trusted workspace. */
  memory?: MemoryPort;
}

/** The knowledge one session uses: the workspace's, or its worktree's (RootKnowledge, each part falling back to the workspace's). */
interface Sources {
  rules?: RulesSource;
  skills?: SkillRegistry;
  mcp?: McpToolSource;
}

/**
 * Wires workspace knowledge into sessions: the per-session tool view (built-ins, load_skill /
 * manage_skill, engine tools, MCP tools minus per-session switched-off servers, then the
 * session's allowlist), the system-prompt sections (rules files, then the skills index — a fixed
 * order so the bytes stay stable while files do not change) and skill bodies matched to a prompt.
 * A session rooted elsewhere (its worktree: `root`) gets that folder's rules, skills and MCP
 * tools from `deps.rootKnowledge` when the host gives them, else the workspace's.
 */
export class KnowledgeWiring {
  /** load_skill / manage_skill per skill registry (the workspace's, and each worktree's). */
  private readonly skillTools = new WeakMap<SkillRegistry, { load: AnyTool; manage: AnyTool }>();

  private readonly memory?: { context: MemoryContext; tools: AnyTool[] };

  constructor(private readonly deps: KnowledgeDeps) {
    if (deps.memory) this.memory = { context: new MemoryContext(deps.memory), tools: createMemoryTools(deps.memory) as AnyTool[] };
  }

  /** The sources of a session rooted at `root` (undefined: the workspace's own). */
  private sources(root: string | undefined): Sources {
    const { deps } = this;
    const own = root === undefined ? undefined : deps.rootKnowledge?.(root);
    const rules = own?.rules ?? deps.rules;
    const skills = own?.skills ?? deps.skills;
    const mcp = own?.mcp ?? deps.mcp;
    return { ...(rules ? { rules } : {}), ...(skills ? { skills } : {}), ...(mcp ? { mcp } : {}) };
  }

  private skillToolsOf(skills: SkillRegistry): { load: AnyTool; manage: AnyTool } {
    let tools = this.skillTools.get(skills);
    if (!tools) {
      tools = { load: createLoadSkillTool(skills) as AnyTool, manage: createManageSkillTool(skills) as AnyTool };
      this.skillTools.set(skills, tools);
    }
    return tools;
  }

  /**
   * Every tool the session may call right now, its allowlist applied (`get` returns undefined for
   * the rest). `root`: the session's worktree folder (undefined: it works in the workspace).
   */
  toolsFor(config: SessionConfig, root?: string, state?: KnowledgeSessionState): ToolRegistryLike {
    const plan = this.toolPlan(config, root, state);
    return new ToolView(plan.sent, plan.hidden);
  }

  /**
   * The session's tools against the tool budget (tool-budget.ts): switched-off tools
   * (config.disabledTools) dropped, MCP definitions deferred past the budget, loaded ones appended.
   */
  private toolPlan(config: SessionConfig, root: string | undefined, state: KnowledgeSessionState | undefined): ToolPlan {
    const { deps } = this;
    const { skills, mcp } = this.sources(root);
    const out: AnyTool[] = deps.tools.list();
    if (skills) {
      const enabled = new Set(skills.enabledNames(config.skillOverrides ?? {}));
      const { load, manage } = this.skillToolsOf(skills);
      if (enabled.size > 0) {
        out.push({
          ...load,
          // The registry knows every skill; this session may have switched some off.
          execute: async (args: { name: string }, ctx) => (enabled.has(skills.resolve(args.name)?.info.name ?? args.name)
            ? load.execute(args, ctx)
            : { content: `Skill "${args.name}" is not available in this session. Available: ${[...enabled].join(', ')}.`, isError: true }),
        });
      }
      // Writing workspace skills needs a trusted workspace (skills steer future sessions).
      if (deps.isWorkspaceTrusted()) out.push(manage);
    }
    out.push(...deps.engineTools);
    // Memory steers future sessions: off in Restricted Mode.
    if (this.memory && deps.isWorkspaceTrusted()) out.push(...this.memory.tools);
    const allowed = (t: AnyTool): boolean => toolAllowed(t.name, config.allowedTools);
    return planTools({
      fixed: out.filter(allowed),
      mcp: mcp ? mcp.tools(new Set(config.disabledMcpServers ?? [])).filter(allowed) : [],
      disabled: new Set(config.disabledTools ?? []),
      loaded: state?.loadedTools ?? [],
      budget: toolBudgetFor(contextWindowFor(config)),
    });
  }

  /**
   * Loads rules files (re-reading only what changed) and the skills index for a session (`root`: as in toolsFor).
   * A loader failure is logged and leaves that section out: knowledge never fails a turn.
   */
  async prepare(config: SessionConfig, root?: string, state?: KnowledgeSessionState): Promise<{ sections: string[]; knowledge: SessionKnowledge }> {
    const sources = this.sources(root);
    const sections: string[] = [];
    let rules: KnowledgeRulesFile[] = [];
    let rulesBudget: SessionKnowledge['rulesBudget'];
    if (sources.rules) {
      try {
        // Root files always; nested and Cursor glob/requested files once attached (rules-prompt.ts).
        const composed = composeRules(await sources.rules.load(new Set(config.disabledRuleIds ?? [])), state?.attachedRules, sources.rules.budgetChars);
        sections.push(composed.section);
        rules = composed.listing;
        rulesBudget = composed.budget;
      } catch (e) {
        this.deps.logger.warn(`Rules files could not be loaded: ${toAgentError(e).message}`);
      }
    }
    let skills: KnowledgeSkill[] = [];
    let skillsIndex: SessionKnowledge['skillsIndex'];
    const reg = sources.skills;
    if (reg) {
      const overrides = config.skillOverrides ?? {};
      const enabled = reg.enabledNames(overrides);
      // Capped at a share of the model's context window (skills-index.ts).
      const index = reg.skillsIndex(enabled, skillsIndexBudget(contextWindowFor(config)));
      sections.push(index.text);
      if (index.text !== '') skillsIndex = { chars: index.chars, budget: index.budget, omitted: index.omitted };
      skills = reg.list().map((s) => knowledgeSkill(s, enabled, index.omitted));
    }
    let memory: MemoryInfo | undefined;
    if (this.memory && this.deps.isWorkspaceTrusted()) {
      try {
        const m = await this.memory.context.prepare(state?.sessionId ?? state?.id, firstPrompt(state?.history), config.contextWindow);
        sections.push(m.section);
        memory = m.info;
      } catch (e) {
        this.deps.logger.warn(`The memory file could not be read: ${toAgentError(e).message}`);
      }
    }
    const tools = this.toolPlan(config, root, state).info;
    return {
      sections: sections.filter((s) => s.trim() !== ''),
      knowledge: { rules, skills, tools, ...(skillsIndex ? { skillsIndex } : {}), ...(memory ? { memory } : {}), ...(rulesBudget ? { rulesBudget } : {}) },
    };
  }

  /** The rules files a session rooted at `root` sees (its switched-off ones marked), for rules attached on the way (rules-on-path.ts). */
  async rulesFiles(config: SessionConfig, root?: string): Promise<RulesFile[]> {
    const rules = this.sources(root).rules;
    return rules ? rules.load(new Set(config.disabledRuleIds ?? [])) : [];
  }

  /** Bodies of the enabled skills the prompt clearly matches (at most 3), ready to append to the user message. */
  async attachmentsFor(prompt: string, config: SessionConfig, root?: string): Promise<SkillAttachment[]> {
    const reg = this.sources(root).skills;
    if (!reg) return [];
    const out: SkillAttachment[] = [];
    for (const m of reg.matchPrompt(prompt, reg.enabledNames(config.skillOverrides ?? {})).slice(0, MAX_ATTACHED)) {
      try {
        const c = await reg.content(m.name);
        const files = c.files.length > 0 ? `\n\nBundled files (read them with read_file):\n${c.files.map((f) => `- ${f}`).join('\n')}` : '';
        out.push({ name: m.name, reason: m.reason, text: `<skill name="${m.name}">\n${c.body.trim()}${files}\n</skill>` });
      } catch (e) {
        this.deps.logger.warn(`Skill ${m.name} matched but could not be read: ${toAgentError(e).message}`);
      }
    }
    return out;
  }
}
