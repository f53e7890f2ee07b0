/**
 * What a session knows of its model beyond the tables: a provider profile's per-model override
 * (settings) and what the server's model listing said (the host's discovery cache). Capabilities
 * feed the tools check (capability-check.ts); the window goes into the session's config, so the
 * context meter, compaction and tool budgets follow the model the session is on.
 */
import type { ModelCapabilities } from '../../shared/model';
import { capabilitiesOf, overrideFor, type ModelOverride } from '../../shared/models';
import type { SessionConfig } from './types';
import type { ConfigUpdate } from '../../shared/session';
import type { ProviderProfileRuntime } from './manager-deps';

/** The manager's deps this reads. */
export interface ModelKnowledgeDeps {
  providerProfiles?: Record<string, ProviderProfileRuntime>;
  listedModel?(providerId: string, model: string): ModelOverride | undefined;
}

/** What `model` of profile `providerId` can do: the profile's override, then the listing, then the model table. */
export function modelCapabilitiesFrom(deps: ModelKnowledgeDeps, providerId: string, model: string): ModelCapabilities | undefined {
  return capabilitiesOf(model, overrideFor(deps.providerProfiles?.[providerId]?.modelOverrides, model), deps.listedModel?.(providerId, model));
}

/** The window the profile's override or the server's listing gives `model`; undefined when neither says (the table applies). */
export function profileWindowOf(deps: ModelKnowledgeDeps, providerId: string, model: string): number | undefined {
  return overrideFor(deps.providerProfiles?.[providerId]?.modelOverrides, model)?.contextWindow ?? deps.listedModel?.(providerId, model)?.contextWindow;
}

/**
 * `patch` with the window of the model it switches to (provider or model changed, no window given):
 * the profile's or listing's, else — when `clearUnknown` (a running session's config) — none,
 * so the previous model's window does not stay. A patch that sets a window keeps it.
 */
export function withModelWindow<P extends ConfigUpdate>(
  deps: ModelKnowledgeDeps, patch: P, current: Pick<SessionConfig, 'providerId' | 'model'>, clearUnknown: boolean,
): P {
  if (patch.contextWindow !== undefined || (patch.model === undefined && patch.providerId === undefined)) return patch;
  const window = profileWindowOf(deps, patch.providerId ?? current.providerId, patch.model ?? current.model);
  if (window !== undefined) return { ...patch, contextWindow: window };
  // `null` clears it (and survives the log); a new session's patch just leaves it out.
  if (!clearUnknown) return patch;
  const { contextWindow: _dropped, ...rest } = patch;
  return { ...rest, contextWindow: null } as P;
}

/** A patch that names a provider profile but no kind gets the profile's kind. */
export function withProfileKind<P extends ConfigUpdate>(deps: Pick<ModelKnowledgeDeps, 'providerProfiles'>, patch: P): P {
  if (patch.providerId && !patch.providerKind) {
    const profile = deps.providerProfiles?.[patch.providerId];
    if (profile) return { ...patch, providerKind: profile.kind };
  }
  return patch;
}
