/**
 * Built-in session defaults and how a config patch is merged: pure, shared by core and the
 * webview, because the one fold (fold.ts) builds a session's config from its events.
 */
import type { ClearableConfigKey, ConfigUpdate, SessionConfig } from './session';

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

const CLEARABLE: ReadonlySet<string> = new Set(['thinking', 'reasoningEffort', 'baseUrl', 'contextWindow'] satisfies ClearableConfigKey[]);

/** A config with every required field, from defaults plus a validated patch (a `null` clears its field). */
export function mergeConfig(base: SessionConfig, patch: ConfigUpdate): SessionConfig {
  const out = { ...base, ...patch, rules: [...(patch.rules ?? base.rules)] } as SessionConfig & Record<string, unknown>;
  // Drop explicit undefineds so logs and snapshots compare equal after a JSON round trip, and cleared fields.
  for (const key of Object.keys(out)) {
    if (out[key] === undefined || (out[key] === null && CLEARABLE.has(key))) delete out[key];
  }
  return out;
}
