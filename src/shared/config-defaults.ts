/**
 * Built-in session defaults and how a config patch is merged: pure, shared by core and the
 * webview, because the one fold (fold.ts) builds a session's config from its events.
 */
import type { SessionConfig } from './session';

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

/** A config with every required field, from defaults plus a validated patch. */
export function mergeConfig(base: SessionConfig, patch: Partial<SessionConfig>): SessionConfig {
  const out: SessionConfig = { ...base, ...patch, rules: [...(patch.rules ?? base.rules)] };
  // Drop explicit undefineds so logs and snapshots compare equal after a JSON round trip.
  for (const key of Object.keys(out) as (keyof SessionConfig)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}
