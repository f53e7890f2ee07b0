/**
 * Provider profiles the user can pick: core's built-ins (src/core/providers/factory.ts: OpenAI,
 * Anthropic, and the local OpenAI-compatible Ollama and LM Studio, which need no key) merged with
 * `agentSessions.providers` (a settings profile with a built-in id replaces it, inheriting what it
 * leaves out). Pure: runs in plain Node tests.
 */
import type { ProviderKind } from '../shared/model';
import type { ModelPrice } from '../shared/pricing';
import type { ModelOverride } from '../shared/models';
import { BUILTIN_PROFILES, profileById, type ProviderProfile as CoreProviderProfile } from '../core/providers/factory';
import type { ProviderProfileSetting } from './settings';
import { providerNeedsKey } from './secrets';

/** A profile as the host uses it: models are suggestions, the default one first. */
export interface ProviderProfile {
  id: string;
  label: string;
  kind: ProviderKind;
  baseUrl?: string;
  models: string[];
  /** The model new sessions of this provider get when none is chosen. */
  defaultModel?: string;
  requiresKey: boolean;
  /** Per-model price overrides from settings (USD per million tokens). */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Per-model context window / capabilities from settings. */
  modelOverrides?: Readonly<Record<string, ModelOverride>>;
}

/** Core's profile with its default model listed first. */
function fromCore(p: CoreProviderProfile): ProviderProfile {
  return {
    id: p.id, label: p.label, kind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}),
    models: [p.defaultModel, ...p.models.filter((m) => m !== p.defaultModel)],
    defaultModel: p.defaultModel, requiresKey: p.requiresKey,
  };
}

/** Built-ins first (in core's order); a settings profile replaces the built-in of the same id or follows. */
export function mergeProfiles(
  fromSettings: readonly ProviderProfileSetting[],
  lookup: (id: string) => CoreProviderProfile | undefined = profileById,
  builtins: readonly CoreProviderProfile[] = BUILTIN_PROFILES,
): ProviderProfile[] {
  const out = builtins.map(fromCore);
  for (const s of fromSettings) {
    const core = lookup(s.id);
    const builtin = core ? fromCore(core) : undefined;
    const sameKind = builtin?.kind === s.kind;
    const baseUrl = s.baseUrl ?? (sameKind ? builtin?.baseUrl : undefined);
    const models = s.models.length > 0 ? [...s.models] : sameKind && builtin ? [...builtin.models] : [];
    const defaultModel = s.models.length > 0 ? s.models[0] : sameKind ? builtin?.defaultModel : undefined;
    const profile: ProviderProfile = {
      id: s.id,
      label: s.label ?? builtin?.label ?? s.id,
      kind: s.kind,
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      models,
      ...(defaultModel !== undefined ? { defaultModel } : {}),
      requiresKey: s.requiresKey ?? (builtin && sameKind && builtin.baseUrl === baseUrl ? builtin.requiresKey : providerNeedsKey({ baseUrl })),
      ...(s.prices ? { prices: s.prices } : {}), ...(s.modelOverrides ? { modelOverrides: s.modelOverrides } : {}),
    };
    const idx = out.findIndex((p) => p.id === s.id);
    if (idx >= 0) out[idx] = profile;
    else out.push(profile);
  }
  return out;
}
