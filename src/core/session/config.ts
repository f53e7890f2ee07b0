import { configPatchSchema } from '../../shared/config-schema';
import type { SessionConfig } from './types';
import { AgentError } from '../base/errors';

/** Built-in defaults; the host overrides them with settings (SessionManager deps.defaults / setDefaults). */
export const BUILTIN_DEFAULTS: SessionConfig = {
  providerId: 'openai',
  providerKind: 'openai',
  model: 'gpt-4o-mini',
  autoCompact: true,
  autoCompactThreshold: 0.8,
  mode: 'ask',
  rules: [],
  maxToolRounds: 50,
};

/**
 * Runtime schema of a config patch (host and webview input crosses here). Unknown keys are refused.
 * Defined once in src/shared, where the webview protocol derives its own patch schema from it.
 */
export { configPatchSchema };

/** Validates a config patch; throws AgentError('bad_request') with the first problem. */
export function parseConfigPatch(patch: unknown): Partial<SessionConfig> {
  const r = configPatchSchema.safeParse(patch ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AgentError('bad_request', `Invalid session config${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}.`);
  }
  return r.data as Partial<SessionConfig>;
}

/** A config with every required field, from defaults plus a validated patch. */
export function mergeConfig(base: SessionConfig, patch: Partial<SessionConfig>): SessionConfig {
  const out: SessionConfig = { ...base, ...patch, rules: [...(patch.rules ?? base.rules)] };
  // Drop explicit undefineds so logs and snapshots compare equal after a JSON round trip.
  for (const key of Object.keys(out) as (keyof SessionConfig)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}
