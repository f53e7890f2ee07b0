import { z } from 'zod';
import type { SessionConfig } from './types';
import { AgentError } from '../base/errors';

export { BUILTIN_DEFAULTS } from '../../shared/config-defaults';

const ruleSchema = z.object({
  action: z.enum(['allow', 'deny', 'ask']),
  pattern: z.string().min(1).max(1_000),
  scope: z.enum(['session', 'workspace', 'user']),
});

/** Runtime schema of a config patch (host and webview input crosses here). Unknown keys are refused. */
export const configPatchSchema = z.object({
  providerId: z.string().min(1).max(100),
  providerKind: z.enum(['openai', 'anthropic']),
  model: z.string().min(1).max(200),
  baseUrl: z.string().url().max(2_000).optional(),
  systemPrompt: z.string().max(100_000).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  thinking: z.object({ budgetTokens: z.number().int().positive() }).optional(),
  autoCompact: z.boolean(),
  autoCompactThreshold: z.number().gt(0).max(1),
  compactionModel: z.string().min(1).max(200).optional(),
  mode: z.enum(['ask', 'auto-edit', 'plan', 'full']),
  rules: z.array(ruleSchema).max(1_000),
  maxToolRounds: z.number().int().min(1).max(1_000),
  allowedTools: z.array(z.string().min(1)).optional(),
  approvalTimeoutMs: z.number().int().positive().nullable().optional(),
  streamIdleTimeoutMs: z.number().int().positive().optional(),
  disabledRuleIds: z.array(z.string().min(1).max(2_000)).max(1_000).optional(),
  skillOverrides: z.record(z.string().min(1).max(200), z.boolean()).optional(),
  disabledMcpServers: z.array(z.string().min(1).max(200)).max(1_000).optional(),
  maxTurnTokens: z.number().int().positive().optional(),
  maxTurnCostUsd: z.number().positive().optional(),
}).strict().partial();

/** Validates a config patch; throws AgentError('bad_request') with the first problem. */
export function parseConfigPatch(patch: unknown): Partial<SessionConfig> {
  const r = configPatchSchema.safeParse(patch ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AgentError('bad_request', `Invalid session config${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}.`);
  }
  return r.data as Partial<SessionConfig>;
}

export { mergeConfig } from '../../shared/config-defaults';
