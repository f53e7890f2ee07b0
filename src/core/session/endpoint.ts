import type { ModelProvider, ProviderEndpoint } from '../providers/types';
import type { SecretSource } from '../ports';
import type { SessionConfig } from './types';

/** How a session reaches its model provider (provided by the SessionManager; part of TurnEnv). */
export interface ProviderAccess {
  createProvider(endpoint: ProviderEndpoint): ModelProvider;
  secrets: SecretSource;
  /** Base URL of a provider profile, when the session config has none. */
  profileBaseUrl(providerId: string): string | undefined;
}

/** The part of a session config that names its provider endpoint. */
export type EndpointConfig = Pick<SessionConfig, 'providerId' | 'providerKind' | 'baseUrl'>;

/**
 * The endpoint a session config talks to: its provider kind, its base URL (the config's own, else
 * its provider profile's, else the provider's default) and the profile's API key, looked up now —
 * so a key changed in SecretStorage applies to the next request. The one place this is worked out,
 * for turns, compaction and side questions alike.
 */
export async function resolveEndpoint(access: Pick<ProviderAccess, 'secrets' | 'profileBaseUrl'>, cfg: EndpointConfig): Promise<ProviderEndpoint> {
  const apiKey = await access.secrets.getApiKey(cfg.providerId);
  const baseUrl = cfg.baseUrl ?? access.profileBaseUrl(cfg.providerId);
  return { kind: cfg.providerKind, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** A provider for the config's endpoint (resolveEndpoint). The key lives only in that provider: never keep it. */
export async function connectProvider(access: ProviderAccess, cfg: EndpointConfig): Promise<ModelProvider> {
  return access.createProvider(await resolveEndpoint(access, cfg));
}
