/**
 * What the SessionManager needs from the host (manager.ts): the store, providers, tools,
 * permissions, knowledge sources, the change ledger's part (LedgerDeps) and the worktrees' part.
 */
import type { ServerRequestsFactory, ToolCallHooks, TurnHooks } from './call-hooks';
import type { CommandIsolation } from '../sandbox/isolation';
import type { PermissionRule, SessionConfig } from './types';
import type { SessionStore } from '../store/types';
import type { ModelProvider, ProviderEndpoint, ProviderKind, Usage } from '../providers/types';
import type { ProfileEndpoint } from './endpoint';
import type { ModelPrice } from '../../shared/pricing';
import type { ModelOverride } from '../../shared/models';

/** What the engine knows of one provider profile (the host builds it from built-ins, presets and settings). */
export interface ProviderProfileRuntime extends ProfileEndpoint {
  kind: ProviderKind;
  models?: readonly string[];
  /** Per-model price overrides (USD per million tokens), over the pricing table. */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Per-model context window and capabilities, over the server's listing and the model table. */
  modelOverrides?: Readonly<Record<string, ModelOverride>>;
}
import type { ToolRegistryLike } from '../tools/types';
import type { PermissionEvaluator, RuleSink } from '../approval/types';
import type { Clock, Logger, SecretSource } from '../ports';
import type { Redactor } from '../base/redact';
import type { McpToolSource, RootKnowledge, RulesSource } from './knowledge';
import type { ChildDefaults } from './children';
import type { MemoryPort } from '../memory/store';
import type { SkillRegistry } from '../skills/registry';
import type { LedgerDeps } from '../changes/ledger-env';
import type { WorktreeDeps } from '../worktree/types';
import type { WorkspaceChoice } from '../../shared/worktree';
import type { AgentSource } from '../agents/registry';
import type { AutoTitleOptions } from './auto-title';

/** Everything the manager needs from the host (the change ledger's part: LedgerDeps). Nothing here holds an API key. */
export interface SessionManagerDeps extends LedgerDeps {
  store: SessionStore;
  createProvider(endpoint: ProviderEndpoint): ModelProvider;
  secrets: SecretSource;
  tools: ToolRegistryLike;
  permissions: PermissionEvaluator;
  /** Runs command tools in the OS sandbox where available (absent: commands are never sandboxed). */
  isolation?: CommandIsolation;
  /** Seams around every tool call of every session (hooks, rules attached on the way), run in order. */
  callHooks?: readonly ToolCallHooks[];
  /** Seams at every turn's edges (hooks). */
  turnHooks?: readonly TurnHooks[];
  /** Answers MCP servers' requests made during a call (elicitation, sampling); absent: declined. */
  serverRequests?: ServerRequestsFactory;
  /** Where workspace/user "always allow" rules go; without it only session scope can be saved. */
  ruleSink?: RuleSink;
  /** Workspace + user rules from settings (workspace rules omitted by the host when untrusted). */
  hostRules(): PermissionRule[];
  workspaceRoots: readonly string[];
  isWorkspaceTrusted(): boolean;
  logger: Logger;
  clock: Clock;
  /** Defaults for new sessions (merged over the built-ins). */
  defaults?: Partial<SessionConfig>;
  /** Most sessions with a turn in progress at once. Default 8. */
  maxRunningSessions?: number;
  /** Titles untitled sessions from their first prompt (auto-title.ts); absent: they keep "New session". */
  autoTitle?: AutoTitleOptions;
  /** Provider profiles by id: kind, endpoint settings, suggested models, price overrides. */
  providerProfiles?: Record<string, ProviderProfileRuntime>;
  /** USD cost of a request; null = unknown price. Default: the pricing table with the profile's price overrides. */
  costOf?(model: string, usage: Usage, providerId?: string): number | null;
  /** What a provider's server listing says of a model: window, capabilities (the host's discovery cache); absent: not asked. */
  listedModel?(providerId: string, model: string): ModelOverride | undefined;
  /** Rules files (AGENTS.md, CLAUDE.md, …) for the system prompt; RulesFilesLoader. */
  rules?: RulesSource;
  /** Skills: index in the system prompt, load_skill / manage_skill, prompt matching. Handles trust itself. */
  skills?: SkillRegistry;
  /** MCP tools (McpManager), merged into each session's tools minus its disabledMcpServers. Handles trust itself. */
  mcp?: McpToolSource;
  /** spawn_session: false turns it off; otherwise default limits for children. Default on, 25 rounds. */
  childSessions?: false | Partial<ChildDefaults>;
  /** Log events read to show an unopened session from its checkpoint (PREVIEW_TAIL_EVENTS); grows when a page needs more. */
  previewTailEvents?: number;
  /** Longest Retry-After waited for without asking the user, ms; read per request (setting maxRetryWaitSeconds). Default 60 000. */
  maxRetryWaitMs?: () => number;
  /** Scrubs secrets from every recorded event and reported error; the host feeds it the keys it knows. Default: generic rules only. */
  redactor?: Redactor;
  /** Folder for the full output of long tool calls (one sub-folder per session, read back with read_file); absent: long output is only capped. */
  toolOutputDir?: string;
  /** Gives sessions git worktrees of their own (absent: new sessions work in the shared tree; `worktrees.support()` says why). */
  worktrees?: WorktreeDeps;
  /** Where a new session works when create() names nothing (the setting); absent: the shared tree. */
  defaultWorkspace?(): WorkspaceChoice;
  /** Rules files, skills and MCP tools of a worktree's folder (absent or undefined: the workspace's). */
  rootKnowledge?(root: string): RootKnowledge | undefined;
  /** Custom agents (`.github/agents`, `.claude/agents`) for create({ agent }) and spawn_session's `agent`; absent: none. */
  agents?: AgentSource;
  /** The workspace memory (memory/store.ts): remember / recall / forget and its prompt section, in a trusted workspace only. */
  memory?: MemoryPort;
}
