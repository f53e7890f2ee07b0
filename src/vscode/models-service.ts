/**
 * `models.list` for the webview's model picker: the models a provider profile's server lists
 * (core's discovery, cached per profile and base URL), each with its context window, capabilities
 * and price (profile override, then the listing, then the tables). When the server cannot be
 * asked (no key, not running, refused), the profile's suggested models with the reason in `error`.
 * The key comes from SecretSource with the request's target, so a key is only sent where it is
 * bound (the source asks otherwise). Pure: no 'vscode' import; vscode.lm models come in as a hook.
 */
import { AgentError, toAgentError } from '../core/base/errors';
import type { Clock, Logger, SecretSource } from '../core/ports';
import { systemClock } from '../core/ports';
import { discoverModels, type DiscoveredModel, type DiscoveryOptions } from '../core/providers/discovery';
import { ModelDiscoveryCache } from '../core/providers/discovery-cache';
import type { ProviderEndpoint } from '../core/providers/types';
import type { ProviderProfileRuntime } from '../core/session/manager-deps';
import { capabilitiesOf, knownContextWindow, overrideFor, type ModelOverride } from '../shared/models';
import { overridePriceOf, priceOf } from '../shared/pricing';
import type { ModelInfo, ModelListing } from '../shared/protocol';
import type { ProviderProfile } from './providers';

/** A merged profile as the service reads it; endpoint extras and overrides when the profile carries them. */
export type ListableProfile = Pick<ProviderProfile, 'id' | 'label' | 'kind' | 'baseUrl' | 'models' | 'requiresKey'>
  & Partial<Pick<ProviderProfileRuntime, 'headers' | 'api' | 'authHeader' | 'query' | 'prices' | 'modelOverrides'>>;

export interface ModelsServiceDeps {
  /** The merged profiles (built-ins, presets, settings), read on every call. */
  profiles(): readonly ListableProfile[];
  secrets: Pick<SecretSource, 'getApiKey'>;
  /** Kind `vscode-lm`: the models VS Code offers now (absent: the suggestions). */
  vscodeLmModels?(refresh: boolean): Promise<ModelInfo[]>;
  /** Passed to discovery (tests: a loopback server's fetch, a short timeout). */
  discovery?: Pick<DiscoveryOptions, 'fetch' | 'timeoutMs' | 'maxShow'>;
  cache?: ModelDiscoveryCache;
  clock?: Clock;
  logger?: Logger;
}

export class ModelsService {
  private readonly cache: ModelDiscoveryCache;
  private readonly clock: Clock;

  constructor(private readonly deps: ModelsServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.cache = deps.cache ?? new ModelDiscoveryCache({ clock: this.clock });
  }

  /** `models.list`: AgentError('not_found') for an unknown profile; otherwise never throws (errors go in `error`). */
  async listModels(providerId: string, refresh: boolean): Promise<ModelListing> {
    const profile = this.deps.profiles().find((p) => p.id === providerId);
    if (!profile) throw new AgentError('not_found', `There is no provider profile "${providerId}".`);
    try {
      if (profile.kind === 'vscode-lm') {
        if (!this.deps.vscodeLmModels) return this.suggested(profile);
        return { models: await this.deps.vscodeLmModels(refresh), source: 'server', fetchedAt: this.clock.now() };
      }
      const listing = await this.cache.get(profile.id, profile.baseUrl, () => this.fetchListing(profile), refresh);
      return { models: listing.models.map((d) => infoOf(profile, d.id, d)), source: 'server', fetchedAt: listing.fetchedAt };
    } catch (e) {
      const err = toAgentError(e);
      this.deps.logger?.info('models.list: server not asked or failed; suggestions instead', { providerId, code: err.code });
      return this.suggested(profile, err);
    }
  }

  /**
   * What the cached listing of a profile says of a model: its window and capabilities (for the
   * session: SessionManagerDeps.listedModel). Never asks the server.
   */
  listedModel(providerId: string, model: string): ModelOverride | undefined {
    const profile = this.deps.profiles().find((p) => p.id === providerId);
    if (!profile) return undefined;
    const m = this.cache.peek(profile.id, profile.baseUrl)?.models.find((x) => x.id === model);
    return m ? { ...m.capabilities, ...(m.contextWindow !== undefined ? { contextWindow: m.contextWindow } : {}) } : undefined;
  }

  /** Forgets cached listings (a profile's settings or key changed). */
  clear(providerId?: string): void {
    this.cache.clear(providerId);
  }

  private async fetchListing(profile: ListableProfile): Promise<DiscoveredModel[]> {
    const target = { kind: profile.kind, ...(profile.baseUrl !== undefined ? { baseUrl: profile.baseUrl } : {}) };
    const apiKey = await this.deps.secrets.getApiKey(profile.id, target);
    if (profile.requiresKey && !apiKey) {
      throw new AgentError('auth', `No API key for ${profile.label}, so its models cannot be listed.`, { hint: 'Set a key for this provider (command "Agent Sessions: Set API Key").' });
    }
    const endpoint: ProviderEndpoint = {
      ...target, ...(apiKey ? { apiKey } : {}),
      ...(profile.headers ? { headers: profile.headers } : {}), ...(profile.authHeader ? { authHeader: profile.authHeader } : {}),
      ...(profile.query ? { query: profile.query } : {}),
    };
    return discoverModels(profile.id, endpoint, { ...this.deps.discovery });
  }

  private suggested(profile: ListableProfile, error?: AgentError): ModelListing {
    return { models: profile.models.map((id) => infoOf(profile, id)), source: 'suggested', ...(error ? { error: error.toJSON() } : {}) };
  }
}

/** A model's picker entry: profile override first, then what the server listed, then the tables. */
export function infoOf(profile: Pick<ListableProfile, 'prices' | 'modelOverrides'>, id: string, listed?: DiscoveredModel): ModelInfo {
  const override = overrideFor(profile.modelOverrides, id);
  const contextWindow = knownContextWindow(id, override, listed?.contextWindow !== undefined ? { contextWindow: listed.contextWindow } : undefined);
  const capabilities = capabilitiesOf(id, override, listed?.capabilities);
  const price = overridePriceOf(id, profile.prices) ?? listed?.price ?? priceOf(id);
  return {
    id, ...(listed?.label && listed.label !== id ? { label: listed.label } : {}),
    ...(contextWindow !== undefined ? { contextWindow } : {}), ...(capabilities ? { capabilities } : {}), ...(price ? { price } : {}),
  };
}
