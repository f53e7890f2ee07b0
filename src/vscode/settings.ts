/**
 * `agentSessions.*` settings: read, validated with zod, one key at a time. An invalid value
 * never breaks the extension: it is reported (naming the setting) and the default is used.
 * No 'vscode' import here: the host passes a small `inspect` port so this runs in plain Node.
 */
import { z } from 'zod';
import type { PermissionRule, SessionConfig, SessionMode } from '../shared/session';
import { modelOverrideSchema, modelPriceSchema } from '../shared/model-override-schema';

export const SECTION = 'agentSessions';

/** Header names that carry credentials or session state: refused in a profile's `headers` (keys go in SecretStorage). */
export const FORBIDDEN_PROFILE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'cookie', 'set-cookie', 'x-goog-api-key'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** Non-secret extra headers: valid names, none that carries a credential (those live in SecretStorage). */
const profileHeaders = z.record(z.string(), z.string().max(1_000)).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'not a valid HTTP header name' });
    else if (FORBIDDEN_PROFILE_HEADERS.includes(name.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'credential headers are not allowed here: set the key with "Agent Sessions: Set API Key" (and the profile\'s "authHeader")' });
    }
  }
});
/** A profile's price for one model as read (cache rates already filled in from the input price). */
export type PriceSetting = z.infer<typeof modelPriceSchema>;
export type ModelOverrideSetting = z.infer<typeof modelOverrideSchema>;

const providerProfileSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'id must be 1–64 letters, digits, "_", "-" or "."'),
  kind: z.enum(['openai', 'anthropic']),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  models: z.array(z.string().min(1)).default([]),
  /** False for local endpoints (Ollama, LM Studio) that need no key. Default: true unless baseUrl is loopback. */
  requiresKey: z.boolean().optional(),
  label: z.string().optional(),
  /** OpenAI kind: Chat Completions (default) or the Responses API. */
  api: z.enum(['chat', 'responses']).optional(),
  /** How the key is sent (Azure OpenAI: `api-key`; some Anthropic-format gateways: `x-api-key`). */
  authHeader: z.enum(['authorization', 'x-api-key', 'api-key']).optional(),
  /** Azure OpenAI `api-version`, sent as that query parameter on every request. */
  apiVersion: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'apiVersion must be like "2024-10-21" or "preview"').optional(),
  /** Extra non-secret headers (credentials go in SecretStorage, never here). */
  headers: profileHeaders.optional(),
  /** Per-model prices in USD per million tokens, over the built-in table. */
  prices: z.record(z.string().min(1), modelPriceSchema).optional(),
  /** Per-model corrections of the capability table (context window, tools, images, reasoning). */
  modelOverrides: z.record(z.string().min(1), modelOverrideSchema).optional(),
  /** The preset this profile was made from (Add Provider from Preset…). */
  preset: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
});
export type ProviderProfileSetting = z.infer<typeof providerProfileSchema>;

/** One `agentSessions.providers` entry, validated (defaults applied); throws a message naming the bad fields. */
export function parseProviderProfile(value: unknown): ProviderProfileSetting {
  const r = providerProfileSchema.safeParse(value);
  if (!r.success) throw new Error(`Invalid provider profile: ${r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
  return r.data;
}

const rulesSchema = z.object({
  allow: z.array(z.string().min(1)).default([]),
  deny: z.array(z.string().min(1)).default([]),
  ask: z.array(z.string().min(1)).default([]),
}).strict();
export type RulesSetting = z.infer<typeof rulesSchema>;

const mcpServerSchema = z.object({
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
}).refine((s) => (s.command === undefined) !== (s.url === undefined), 'each server needs exactly one of "command" or "url"');

/** Every setting with its schema and default. Keys are relative to `agentSessions.`. */
export const settingSchemas = {
  /** User settings only (package.json: application scope): a workspace profile could send a key to its own server. */
  providers: { schema: z.array(providerProfileSchema), default: [] as ProviderProfileSetting[], userOnly: true },
  defaultProvider: { schema: z.string().min(1), default: 'openai' },
  /** Empty = the provider's first model. */
  defaultModel: { schema: z.string(), default: '' },
  defaultMode: { schema: z.enum(['ask', 'auto-edit', 'plan', 'full']), default: 'ask' as SessionMode },
  autoCompactThreshold: { schema: z.number().min(0.5).max(0.95), default: 0.8 },
  /** 0 = wait forever. */
  approvalTimeoutSeconds: { schema: z.number().int().min(0).max(86_400), default: 0 },
  permissionRules: { schema: rulesSchema, default: { allow: [], deny: [], ask: [] } as RulesSetting },
  maxRunningSessions: { schema: z.number().int().min(1).max(64), default: 4 },
  streamIdleTimeoutSeconds: { schema: z.number().int().min(5).max(3_600), default: 60 },
  /** The longest wait a provider may ask for (Retry-After) that is waited out without asking; longer asks. 0 = always ask. */
  maxRetryWaitSeconds: { schema: z.number().int().min(0).max(86_400), default: 60 },
  /** Largest file whose content the change ledger keeps (bigger: recorded by hash and size, cannot be undone). 0 = keep none. */
  'changes.maxFileBytes': { schema: z.number().int().min(0).max(1_073_741_824), default: 2_097_152 },
  userSkillsFolder: { schema: z.string(), default: '' },
  mcpServers: { schema: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), mcpServerSchema), default: {} as Record<string, z.infer<typeof mcpServerSchema>> },
  /** OS sandbox for run_command: `auto` = where available. User settings only (a repository cannot turn it off). */
  sandbox: { schema: z.enum(['auto', 'off']), default: 'auto' as 'auto' | 'off', userOnly: true },
  /** More paths kept read-only inside the sandbox (absolute, or relative to each workspace folder). User settings only. */
  sandboxProtectedPaths: { schema: z.array(z.string().min(1).max(1_000)).max(200), default: [] as string[], userOnly: true },
  /** More paths hidden from sandboxed commands (absolute or `~/…`). User settings only. */
  sandboxHiddenPaths: { schema: z.array(z.string().min(1).max(1_000)).max(200), default: [] as string[], userOnly: true },
  /** More folders sandboxed commands may write (package caches such as `~/.npm`). User settings only. */
  sandboxWritablePaths: { schema: z.array(z.string().min(1).max(1_000)).max(200), default: [] as string[], userOnly: true },
  /** Where new sessions' git worktrees go (absolute, outside the workspace; empty: the extension's storage). User settings only. */
  'worktrees.folder': { schema: z.string().max(1_000), default: '', userOnly: true },
  /** Where a new session works unless the form says otherwise: the shared workspace, or a worktree of its own. */
  'worktrees.default': { schema: z.enum(['shared', 'worktree']), default: 'shared' as 'shared' | 'worktree' },
  /** Memory across sessions (remember / recall / forget and the memory section); off in Restricted Mode anyway. */
  'memory.enabled': { schema: z.boolean(), default: true },
  /** The memory file (a `.md` path; `~`, `${workspaceFolder}`); empty: memory.md in the workspace storage. User settings only. */
  'memory.file': { schema: z.string().max(1_000), default: '', userOnly: true },
} as const;

export type SettingKey = keyof typeof settingSchemas;

/**
 * Settings a workspace may not set: their workspace and folder values are reported and ignored.
 * package.json gives each `"scope": "application"`, so VS Code ignores those values too.
 */
export const USER_ONLY_SETTINGS: readonly SettingKey[] = (Object.keys(settingSchemas) as SettingKey[])
  .filter((k) => { const s = settingSchemas[k]; return 'userOnly' in s && s.userOnly; });
const USER_ONLY = new Set<string>(USER_ONLY_SETTINGS);

/** Why a workspace value of a user-only setting is ignored (the problem message says it). */
const USER_ONLY_REASON: Partial<Record<SettingKey, string>> = {
  providers: 'only user settings can define provider profiles, so a repository cannot send your prompts or API key to another server',
  'worktrees.folder': 'only user settings can choose where worktrees are written, so a repository cannot pick a folder on your disk',
  'memory.file': 'only user settings can choose where the memory file is written, so a repository cannot pick a file on your disk',
};
const SANDBOX_REASON = 'only user settings can change the command sandbox, so a repository cannot weaken it';

/**
 * Settings whose workspace and folder values are ignored in Restricted Mode: they decide what is
 * allowed without asking, what runs, where code and keys go and which skills load. Each is also
 * in package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`; we ignore them
 * here as well because VS Code applies that list only where it filters the configuration (not
 * in every host, e.g. forks), and this reader is what the engine uses. User values still apply.
 */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = [
  'defaultMode', 'permissionRules', 'mcpServers', 'providers', 'defaultProvider', 'userSkillsFolder', 'approvalTimeoutSeconds',
];
const RESTRICTED = new Set<SettingKey>(RESTRICTED_SETTINGS);
export type Settings = { [K in SettingKey]: (typeof settingSchemas)[K]['default'] };

/** The slice of `WorkspaceConfiguration.inspect` we use (values per scope). */
export interface SettingInspection {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}
export type InspectFn = (key: SettingKey) => SettingInspection | undefined;

export interface SettingProblem {
  /** Full id, e.g. `agentSessions.autoCompactThreshold`. */
  setting: string;
  /** Which scope held the bad value. */
  scope: 'user' | 'workspace' | 'workspaceFolder';
  message: string;
}

export interface SettingsRead {
  settings: Settings;
  /** Permission rules per scope (workspace = workspace + folder values), each validated. Untrusted: workspace is empty. */
  rules: { user: RulesSetting; workspace: RulesSetting };
  problems: SettingProblem[];
  /** Full ids of settings whose workspace or folder value was ignored because the workspace is untrusted. */
  ignoredUntrusted: string[];
}

export interface ReadSettingsOptions {
  /** Workspace Trust. Default false: a caller that does not say gets Restricted Mode. */
  trusted?: boolean;
}

type Scope = SettingProblem['scope'];
const SCOPES: ReadonlyArray<[Scope, keyof SettingInspection]> = [
  ['workspaceFolder', 'workspaceFolderValue'],
  ['workspace', 'workspaceValue'],
  ['user', 'globalValue'],
];

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

function parseAt<K extends SettingKey>(key: K, scope: Scope, value: unknown, problems: SettingProblem[]): Settings[K] | undefined {
  const r = settingSchemas[key].schema.safeParse(value);
  if (r.success) return r.data as Settings[K];
  problems.push({ setting: `${SECTION}.${key}`, scope, message: describeIssues(r.error) });
  return undefined;
}

/**
 * Reads every setting. The most specific valid scope wins (folder > workspace > user);
 * an invalid value in one scope is reported and skipped, falling back to the next scope or the default.
 * Untrusted, the workspace and folder values of RESTRICTED_SETTINGS are skipped (not reported:
 * Restricted Mode is not an error) and named in `ignoredUntrusted`.
 */
export function readSettings(inspect: InspectFn, options: ReadSettingsOptions = {}): SettingsRead {
  const trusted = options.trusted ?? false;
  const problems: SettingProblem[] = [];
  const ignored = new Set<string>();
  const settings = {} as Record<SettingKey, unknown>;
  for (const key of Object.keys(settingSchemas) as SettingKey[]) {
    const info = inspect(key) ?? {};
    let chosen: unknown;
    for (const [scope, field] of SCOPES) {
      if (info[field] === undefined) continue;
      if (scope !== 'user' && USER_ONLY.has(key)) {
        problems.push({ setting: `${SECTION}.${key}`, scope, message: USER_ONLY_REASON[key] ?? SANDBOX_REASON });
        continue;
      }
      if (scope !== 'user' && !trusted && RESTRICTED.has(key)) {
        ignored.add(`${SECTION}.${key}`);
        continue;
      }
      const parsed = parseAt(key, scope, info[field], problems);
      if (parsed !== undefined && chosen === undefined) chosen = parsed;
    }
    settings[key] = chosen ?? structuredClone(settingSchemas[key].default);
  }
  const ruleInfo = inspect('permissionRules') ?? {};
  const silent: SettingProblem[] = []; // already reported above
  const empty = (): RulesSetting => ({ allow: [], deny: [], ask: [] });
  const user = parseAt('permissionRules', 'user', ruleInfo.globalValue ?? empty(), silent) ?? empty();
  // Untrusted: the repository's rules are not even read (RESTRICTED_SETTINGS).
  const ws = (trusted ? parseAt('permissionRules', 'workspace', ruleInfo.workspaceValue ?? empty(), silent) : undefined) ?? empty();
  const folder = (trusted ? parseAt('permissionRules', 'workspaceFolder', ruleInfo.workspaceFolderValue ?? empty(), silent) : undefined) ?? empty();
  const workspace: RulesSetting = {
    allow: [...ws.allow, ...folder.allow], deny: [...ws.deny, ...folder.deny], ask: [...ws.ask, ...folder.ask],
  };
  return { settings: settings as Settings, rules: { user, workspace }, problems, ignoredUntrusted: [...ignored] };
}

/** What the user decided about workspace rules (src/vscode/knowledge/workspace-rules.ts keeps it). */
export interface WorkspaceRuleGrants {
  /** The user allowed exactly the allow list now in the workspace settings (pinned by its hash). */
  workspaceAllowConfirmed: boolean;
  /** "Always allow" rules saved for this workspace in the extension's own storage (the user's, not the repository's). */
  saved: RulesSetting;
}

const NO_GRANTS: WorkspaceRuleGrants = { workspaceAllowConfirmed: false, saved: { allow: [], deny: [], ask: [] } };

/**
 * Rules for the permission engine. User rules and the rules the user saved for this workspace
 * always apply. The workspace settings' (a file the repository ships) deny and ask rules apply
 * when trusted — they only restrict; their allow rules only once the user confirmed that list.
 */
export function hostRulesFrom(rules: SettingsRead['rules'], trusted: boolean, grants: WorkspaceRuleGrants = NO_GRANTS): PermissionRule[] {
  const out: PermissionRule[] = [];
  const add = (r: Partial<RulesSetting>, scope: 'user' | 'workspace', actions: ReadonlyArray<'deny' | 'ask' | 'allow'> = ['deny', 'ask', 'allow']): void => {
    for (const action of actions) for (const pattern of r[action] ?? []) out.push({ action, pattern, scope });
  };
  add(rules.user, 'user');
  if (trusted) add(rules.workspace, 'workspace', grants.workspaceAllowConfirmed ? ['deny', 'ask', 'allow'] : ['deny', 'ask']);
  add(grants.saved, 'workspace');
  return out;
}

/** Defaults for new sessions derived from settings (provider/model resolved by the caller). */
export function sessionDefaultsFrom(s: Settings): Partial<SessionConfig> {
  return {
    mode: s.defaultMode,
    autoCompact: true,
    autoCompactThreshold: s.autoCompactThreshold,
    approvalTimeoutMs: s.approvalTimeoutSeconds > 0 ? s.approvalTimeoutSeconds * 1000 : null,
    streamIdleTimeoutMs: s.streamIdleTimeoutSeconds * 1000,
  };
}

/** One notification-ready line per problem: names the setting, says what is wrong and what we do. */
export function formatProblem(p: SettingProblem): string {
  return `Setting "${p.setting}" (${p.scope === 'user' ? 'user' : p.scope === 'workspace' ? 'workspace' : 'folder'} settings) is invalid: ${p.message}. It is ignored; the default (or a valid value from a broader scope) is used instead.`;
}

/** The current settings plus change detection, so callers hot-swap only when something changed. */
export function settingsEqual(a: SettingsRead, b: SettingsRead): boolean {
  return JSON.stringify(a.settings) === JSON.stringify(b.settings) && JSON.stringify(a.rules) === JSON.stringify(b.rules);
}
