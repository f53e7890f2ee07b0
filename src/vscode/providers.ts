/**
 * Provider profiles the user can pick: core's built-ins (src/core/providers/factory.ts: OpenAI,
 * Anthropic, and the local OpenAI-compatible Ollama and LM Studio, which need no key) merged with
 * `agentSessions.providers` (a settings profile with a built-in id replaces it, inheriting what it
 * leaves out). Pure: runs in plain Node tests.
 */
import type { OpenAIApi, ProviderKind } from '../shared/model';
import type { ModelPrice } from '../shared/pricing';
import type { ModelInfo } from '../shared/protocol';
import type { ProviderProfileRuntime } from '../core/session/manager-deps';
import { BUILTIN_PROFILES, profileById, type ProviderProfile as CoreProviderProfile } from '../core/providers/factory';
import type { ModelOverrideSetting, PriceSetting, ProviderProfileSetting } from './settings';
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
  /** OpenAI kind: the API it speaks (absent = chat). */
  api?: OpenAIApi;
  authHeader?: 'authorization' | 'x-api-key' | 'api-key';
  /** Query parameters on every request (`api-version` from the setting's `apiVersion`). */
  query?: Record<string, string>;
  /** Extra non-secret headers. */
  headers?: Record<string, string>;
  prices?: Record<string, ModelPrice>;
  modelOverrides?: Record<string, ModelOverrideSetting>;
  /** The preset it was made from. */
  preset?: string;
}

/** A price from settings with the table's conventions for what it leaves out (cache read = input, cache write = input). */
function priceFrom(s: PriceSetting): ModelPrice {
  return { input: s.input, output: s.output, cacheRead: s.cacheRead ?? s.input, cacheWrite: s.cacheWrite ?? s.input };
}

/** The endpoint and price fields a settings profile adds (none for a built-in). */
function extrasOf(s: ProviderProfileSetting): Partial<ProviderProfile> {
  return {
    ...(s.api ? { api: s.api } : {}), ...(s.authHeader ? { authHeader: s.authHeader } : {}),
    ...(s.apiVersion ? { query: { 'api-version': s.apiVersion } } : {}),
    ...(s.headers && Object.keys(s.headers).length > 0 ? { headers: { ...s.headers } } : {}),
    ...(s.prices ? { prices: Object.fromEntries(Object.entries(s.prices).map(([m, p]) => [m, priceFrom(p)])) } : {}),
    ...(s.modelOverrides ? { modelOverrides: structuredClone(s.modelOverrides) } : {}),
    ...(s.preset ? { preset: s.preset } : {}),
  };
}

/** What the engine gets of a profile (SessionManagerDeps.providerProfiles): kind, endpoint settings, models, prices. */
export function runtimeProfileOf(p: ProviderProfile): ProviderProfileRuntime {
  return {
    kind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}), models: [...p.models],
    ...(p.api ? { api: p.api } : {}), ...(p.authHeader ? { authHeader: p.authHeader } : {}),
    ...(p.query ? { query: { ...p.query } } : {}), ...(p.headers ? { headers: { ...p.headers } } : {}),
    ...(p.prices ? { prices: { ...p.prices } } : {}), ...(p.modelOverrides ? { modelOverrides: { ...p.modelOverrides } } : {}),
  };
}

/**
 * A suggested model as the profile says it: its price override and, from `modelOverrides`, its
 * context window and capabilities (capabilities only when all three are given; the model table
 * fills the rest where the host has one).
 */
export function profileModelInfo(p: ProviderProfile, id: string): ModelInfo {
  const o = p.modelOverrides && Object.hasOwn(p.modelOverrides, id) ? p.modelOverrides[id] : undefined;
  const price = p.prices && Object.hasOwn(p.prices, id) ? p.prices[id] : undefined;
  const caps = o && o.tools !== undefined && o.images !== undefined && o.reasoning !== undefined ? { tools: o.tools, images: o.images, reasoning: o.reasoning } : undefined;
  return { id, ...(o?.contextWindow !== undefined ? { contextWindow: o.contextWindow } : {}), ...(caps ? { capabilities: caps } : {}), ...(price ? { price } : {}) };
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
      ...extrasOf(s),
    };
    const idx = out.findIndex((p) => p.id === s.id);
    if (idx >= 0) out[idx] = profile;
    else out.push(profile);
  }
  return out;
}
