/**
 * The one place the OpenAI SDK client's options are built, for Chat Completions and Responses
 * alike: base URL, the key in the header the endpoint wants (`Authorization: Bearer`, or Azure's
 * `api-key`, or `x-api-key`), the endpoint's fixed query (Azure `api-version`) and extra headers.
 * Type-only use of the SDK: building options loads nothing.
 */
import type { ClientOptions } from 'openai';
import type { ProviderEndpoint } from './types';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

type FetchFn = NonNullable<ClientOptions['fetch']>;

/**
 * The headers that carry the key. `api-key` / `x-api-key`: the key goes only in that header and
 * `Authorization` is removed (a `null` header clears the SDK's own Bearer header).
 */
export function openAIAuthHeaders(endpoint: Pick<ProviderEndpoint, 'apiKey' | 'authHeader'>): Record<string, string | null> {
  if (endpoint.authHeader === 'api-key' || endpoint.authHeader === 'x-api-key') {
    return { Authorization: null, ...(endpoint.apiKey ? { [endpoint.authHeader]: endpoint.apiKey } : {}) };
  }
  return {};
}

/** SDK client options for an endpoint; `fetch` is the request scope's (idle watchdog, cancellation). */
export function openAIClientOptions(endpoint: ProviderEndpoint, fetch: FetchFn): ClientOptions {
  const query = endpoint.query && Object.keys(endpoint.query).length > 0 ? endpoint.query : undefined;
  return {
    // Local servers (Ollama, LM Studio) need no key, but the SDK insists on one.
    apiKey: endpoint.apiKey || 'no-key',
    baseURL: endpoint.baseUrl || OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    maxRetries: 0, // retries are ours (retry.ts): only before output, visible to the user
    fetch,
    logLevel: 'off',
    // The profile's own headers first: they never replace how the key is sent.
    defaultHeaders: { ...endpoint.headers, ...openAIAuthHeaders(endpoint) },
    ...(query ? { defaultQuery: query } : {}),
  };
}
