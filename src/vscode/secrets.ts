/**
 * API keys live only in VS Code's SecretStorage. This is the SecretSource port over it.
 * Keys are registered with the log redactor as they are read or stored; they are never
 * logged, posted to a webview, written to settings or put in an event.
 * No 'vscode' import: the host passes `context.secrets` (it satisfies SecretStoragePort).
 */
import type { SecretSource } from '../core/ports';
import type { SecretRegistry } from './logger';

/** The slice of `vscode.SecretStorage` we use. */
export interface SecretStoragePort {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

const PREFIX = 'agentSessions.apiKey.';

export function secretKeyFor(providerId: string): string {
  return `${PREFIX}${providerId}`;
}

/** SecretSource over SecretStorage, with a small cache so a turn does not hit the keychain each request. */
export class SecretStorageSecretSource implements SecretSource {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly storage: SecretStoragePort, private readonly registry: SecretRegistry) {}

  async getApiKey(providerId: string): Promise<string | undefined> {
    if (this.cache.has(providerId)) return this.cache.get(providerId);
    const raw = await this.storage.get(secretKeyFor(providerId));
    const value = raw?.trim() ? raw.trim() : undefined;
    this.registry.add(value);
    this.cache.set(providerId, value);
    return value;
  }

  async setApiKey(providerId: string, value: string): Promise<void> {
    const trimmed = value.trim();
    if (!trimmed) {
      await this.deleteApiKey(providerId);
      return;
    }
    this.registry.add(trimmed);
    await this.storage.store(secretKeyFor(providerId), trimmed);
    this.cache.set(providerId, trimmed);
  }

  async deleteApiKey(providerId: string): Promise<void> {
    await this.storage.delete(secretKeyFor(providerId));
    this.cache.delete(providerId);
  }

  async hasApiKey(providerId: string): Promise<boolean> {
    return (await this.getApiKey(providerId)) !== undefined;
  }

  /** Called from `SecretStorage.onDidChange` (another window may have changed a key). */
  invalidate(storageKey: string): void {
    if (storageKey.startsWith(PREFIX)) this.cache.delete(storageKey.slice(PREFIX.length));
  }
}

/** True for URLs on this machine (Ollama, LM Studio…): those endpoints need no key. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '0.0.0.0';
  } catch {
    return false; // not a URL: treat as remote (key required)
  }
}

/** Whether a provider profile needs an API key: explicit flag, else "not loopback". */
export function providerNeedsKey(profile: { baseUrl?: string; requiresKey?: boolean }): boolean {
  return profile.requiresKey ?? !isLoopbackUrl(profile.baseUrl);
}
