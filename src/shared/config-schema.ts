/**
 * The one runtime schema of a session config patch. Core validates every patch with it
 * (settings defaults, `create`, `updateConfig`, checkpoints); the webview protocol takes the
 * fields the webview may set from it (`webviewConfigPatchSchema`), so a value is accepted or
 * refused the same way on both sides of the boundary. Unknown keys are refused.
 *
 * Lives in src/shared (zod, no Node, no DOM) because both src/shared/protocol-schema.ts and
 * src/core use it; the webview bundle imports neither.
 */
import { z } from 'zod';
import { PROTOCOL_LIMITS as L } from './protocol-constants';
import type { SessionConfig } from './session';
import { PROVIDER_KINDS, REASONING_EFFORTS } from './model';

/** A non-empty string of at most `max` UTF-16 units without control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const printable = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]+$/, 'contains control characters');

/** Skill names are lowercase-hyphenated (Agent Skills format), which also keeps `__proto__` out. */
const skillName = z.string().min(1).max(L.name).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'not a skill name');

export const sessionModeSchema = z.enum(['ask', 'auto-edit', 'plan', 'full']);
export const ruleScopeSchema = z.enum(['session', 'workspace', 'user']);

/** Tokens: whole, positive, and below anything a model offers (a typo of 10^9 is refused). */
const tokens = z.number().int().min(1).max(10_000_000);

// Not strict: a rule read back from an older log or checkpoint with an extra key loses the key, not the rule.
const ruleSchema = z.object({
  action: z.enum(['allow', 'deny', 'ask']),
  pattern: z.string().min(1).max(L.rulePattern),
  scope: ruleScopeSchema,
});

/** One schema per SessionConfig field; `satisfies` fails the build when a field is added or removed. */
const configFields = {
  providerId: printable(L.name),
  providerKind: z.enum(PROVIDER_KINDS),
  model: printable(L.name),
  baseUrl: z.string().url().max(2_000).optional(),
  systemPrompt: z.string().max(100_000).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: tokens.optional(),
  /** Present = extended thinking on with this budget; off is "no `thinking`", never a budget of 0. */
  thinking: z.strictObject({ budgetTokens: tokens }).optional(),
  reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
  autoCompact: z.boolean(),
  /** Share of the window; below 5 % a session would compact after nearly every turn. */
  autoCompactThreshold: z.number().min(0.05).max(1),
  compactionModel: printable(L.name).optional(),
  mode: sessionModeSchema,
  rules: z.array(ruleSchema).max(1_000),
  maxToolRounds: z.number().int().min(1).max(1_000),
  allowedTools: z.array(z.string().min(1)).optional(),
  approvalTimeoutMs: z.number().int().positive().nullable().optional(),
  streamIdleTimeoutMs: z.number().int().positive().optional(),
  disabledRuleIds: z.array(printable(L.ruleId)).max(L.switches).optional(),
  skillOverrides: z.record(skillName, z.boolean())
    .refine((r) => Object.keys(r).length <= L.switches, `at most ${L.switches} skills`).optional(),
  disabledMcpServers: z.array(printable(L.name)).max(L.switches).optional(),
  disabledTools: z.array(printable(L.name)).max(L.switches).optional(),
  agent: z.strictObject({ name: printable(L.name), source: z.string().min(1).max(2_000), prompt: z.string().max(100_000) }).optional(),
  maxTurnTokens: z.number().int().positive().optional(),
  maxTurnCostUsd: z.number().positive().optional(),
} satisfies Record<keyof SessionConfig, z.ZodType>;

/** Runtime schema of a config patch: every field optional, unknown keys refused. */
export const configPatchSchema = z.strictObject(configFields).partial();

/** Runtime schema of a config change (`updateConfig`): a patch where `null` clears `thinking`, `reasoningEffort`, `baseUrl` or `contextWindow`. */
export const configUpdateSchema = configPatchSchema.extend({
  thinking: configFields.thinking.nullable(),
  reasoningEffort: configFields.reasoningEffort.nullable(),
  baseUrl: configFields.baseUrl.nullable(),
  contextWindow: configFields.contextWindow.nullable(),
});

/**
 * What the webview may change (protocol `ConfigPatch`). Permission rules, the system prompt and
 * tool lists are not among them; the knowledge switches are: they only narrow what a session sees.
 */
export const webviewConfigPatchSchema = configUpdateSchema.pick({
  providerId: true, model: true, mode: true, autoCompact: true, autoCompactThreshold: true, thinking: true, reasoningEffort: true,
  maxOutputTokens: true, disabledRuleIds: true, skillOverrides: true, disabledMcpServers: true, disabledTools: true,
});

/** The fields of a new session the webview may choose (`sessions.create`). */
export const webviewNewSessionFields = {
  providerId: configFields.providerId.optional(),
  model: configFields.model.optional(),
  mode: configFields.mode.optional(),
};
