import type { ModelProvider, ProviderEndpoint } from '../providers/types';
import type { SecretSource } from '../ports';
import type { SessionConfig } from './types';

/** How a session reaches its model provider (provided by the SessionManager; part of TurnEnv). */
export interface ProviderAccess {
  createProvider(endpoint: ProviderEndpoint): ModelProvider;
  secrets: SecretSource;
  /** How a provider profile is reached (base URL when the session config has none, API, auth header, …). */
  profileEndpoint(providerId: string): ProfileEndpoint | undefined;
}

/** The endpoint settings a provider profile carries (everything but kind and key). */
export type ProfileEndpoint = Pick<ProviderEndpoint, 'baseUrl' | 'headers' | 'api' | 'authHeader' | 'query'>;

/** The part of a session config that names its provider endpoint. */
export type EndpointConfig = Pick<SessionConfig, 'providerId' | 'providerKind' | 'baseUrl'>;

/**
 * The endpoint a session config talks to: its provider kind, its base URL (the config's own, else
 * its provider profile's, else the provider's default) and the profile's API key, looked up now —
 * so a key changed in SecretStorage applies to the next request. The one place this is worked out,
 * for turns, compaction and side questions alike.
 */
export async function resolveEndpoint(access: Pick<ProviderAccess, 'secrets' | 'profileEndpoint'>, cfg: EndpointConfig): Promise<ProviderEndpoint> {
  const profile = access.profileEndpoint(cfg.providerId);
  const baseUrl = baseUrlOf(cfg, profile);
  // The source checks the key's binding to its host against where this request goes.
  const apiKey = await access.secrets.getApiKey(cfg.providerId, { kind: cfg.providerKind, ...(baseUrl ? { baseUrl } : {}) });
  return {
    ...(profile?.headers ? { headers: profile.headers } : {}), ...(profile?.api ? { api: profile.api } : {}),
    ...(profile?.authHeader ? { authHeader: profile.authHeader } : {}), ...(profile?.query ? { query: profile.query } : {}),
    kind: cfg.providerKind, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}),
  };
}

/** Where a config's requests go without asking for a key: its own base URL, else its profile's (undefined = the kind's official endpoint). */
export function endpointBaseUrl(access: Pick<ProviderAccess, 'profileEndpoint'>, cfg: EndpointConfig): string | undefined {
  return baseUrlOf(cfg, access.profileEndpoint(cfg.providerId));
}

function baseUrlOf(cfg: EndpointConfig, profile: ProfileEndpoint | undefined): string | undefined {
  return cfg.baseUrl ?? profile?.baseUrl;
}

/** A provider for the config's endpoint (resolveEndpoint). The key lives only in that provider: never keep it. */
export async function connectProvider(access: ProviderAccess, cfg: EndpointConfig): Promise<ModelProvider> {
  return access.createProvider(await resolveEndpoint(access, cfg));
}

/** The endpoint part of a runtime profile (drops kind, models and prices). */
export function profileEndpointOf(p: ProfileEndpoint | undefined): ProfileEndpoint | undefined {
  if (!p) return undefined;
  return {
    ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}), ...(p.headers ? { headers: p.headers } : {}),
    ...(p.api ? { api: p.api } : {}), ...(p.authHeader ? { authHeader: p.authHeader } : {}), ...(p.query ? { query: p.query } : {}),
  };
}
