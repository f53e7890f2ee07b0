import { configPatchSchema, configUpdateSchema } from '../../shared/config-schema';
import type { ConfigUpdate } from '../../shared/session';
import type { SessionConfig } from './types';
import { AgentError } from '../base/errors';

export { BUILTIN_DEFAULTS } from '../../shared/config-defaults';

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

/** Validates a config change (`updateConfig`), where `null` clears `thinking` or `reasoningEffort`; AgentError('bad_request'). */
export function parseConfigUpdate(patch: unknown): ConfigUpdate {
  const r = configUpdateSchema.safeParse(patch ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AgentError('bad_request', `Invalid session config${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}.`);
  }
  return r.data as ConfigUpdate;
}

export { mergeConfig } from '../../shared/config-defaults';
