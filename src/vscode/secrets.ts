/**
 * API keys live only in VS Code's SecretStorage. This is the SecretSource port over it.
 * Keys are registered with the redactor as they are read or stored; they are never logged,
 * posted to a webview, written to settings or put in an event.
 * A key is read only when a request needs it: whether a provider has one ("has a key?" for the
 * view, the no-key banner) comes from a non-secret record in globalState, kept on set/delete and
 * corrected whenever a read finds otherwise.
 * No 'vscode' import: the host passes `context.secrets` and `context.globalState`.
 */
import type { KeyTarget, SecretSource } from '../core/ports';
import type { SecretRegistry } from './logger';
import { KeyHostBindings, type KeyBindingOptions } from './key-binding';

/** The slice of `vscode.SecretStorage` we use. */
export interface SecretStoragePort {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** VS Code 1.105+: the keys this extension stored, without reading a value. */
  keys?(): PromiseLike<readonly string[]>;
}

/** The slice of `vscode.Memento` (globalState) that holds the key-presence record. */
export interface KeyPresenceMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const PREFIX = 'agentSessions.apiKey.';
/** globalState key of the record. Holds provider ids and booleans, never a key. */
export const PRESENCE_KEY = 'agentSessions.apiKeyPresence';

/** Which providers have a key. `complete`: every stored key is listed (absent id = no key). */
interface PresenceRecord {
  complete: boolean;
  has: Record<string, boolean>;
}

export function secretKeyFor(providerId: string): string {
  return `${PREFIX}${providerId}`;
}

/** An in-memory Memento, for hosts and tests that give none (the record then lasts one process). */
function memoryMemento(): KeyPresenceMemento {
  const map = new Map<string, unknown>();
  return { get: <T>(k: string) => map.get(k) as T | undefined, update: async (k, v) => { map.set(k, v); } };
}

/** SecretSource over SecretStorage, with a small cache so a turn does not hit the keychain each request. */
export class SecretStorageSecretSource implements SecretSource {
  private readonly cache = new Map<string, string | undefined>();
  /** Which host each key is for (key-binding.ts); kept in the same globalState. */
  readonly bindings: KeyHostBindings;

  constructor(
    private readonly storage: SecretStoragePort,
    private readonly registry: SecretRegistry,
    private readonly presence: KeyPresenceMemento = memoryMemento(),
    private readonly bindingOptions: KeyBindingOptions = {},
  ) {
    this.bindings = new KeyHostBindings(presence, bindingOptions);
  }

  /**
   * The key, when it may go to `target` (its profile's current endpoint when not given): a key is
   * sent only to the host it was set for unless the user says otherwise (KeyHostBindings.check
   * throws AgentError('auth') on "Don't send"). No key set: undefined, nobody is asked.
   */
  async getApiKey(providerId: string, target?: KeyTarget): Promise<string | undefined> {
    const value = await this.readKey(providerId);
    if (value === undefined) return undefined;
    if (target?.kind === 'vscode-lm') return undefined; // VS Code's models take no key of ours
    const where = target ?? this.profileTarget(providerId);
    if (where) await this.bindings.check(providerId, where);
    return value;
  }

  /** The key was just withheld from another host (KeyHostBindings): the `auth` failure is ours, not a refusal. */
  withheld(providerId: string): boolean {
    return this.bindings.withheld(providerId);
  }

  /** The origin the key of `providerId` is bound to (non-secret; for the view). */
  keyOrigin(providerId: string): string | undefined {
    return this.bindings.boundOrigin(providerId);
  }

  private profileTarget(providerId: string): KeyTarget | undefined {
    const p = this.bindingOptions.profileOf?.(providerId);
    return p ? { kind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}) } : undefined;
  }

  private async readKey(providerId: string): Promise<string | undefined> {
    if (this.cache.has(providerId)) return this.cache.get(providerId);
    const raw = await this.storage.get(secretKeyFor(providerId));
    const value = raw?.trim() ? raw.trim() : undefined;
    this.registry.add(value);
    this.cache.set(providerId, value);
    await this.record(providerId, value !== undefined);
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
    await this.record(providerId, true);
    // The key is for where its profile points now.
    await this.bindings.bindToProfile(providerId);
  }

  async deleteApiKey(providerId: string): Promise<void> {
    await this.storage.delete(secretKeyFor(providerId));
    this.cache.delete(providerId);
    await this.record(providerId, false);
    await this.bindings.bind(providerId, undefined);
  }

  /**
   * Whether a key is set, without reading it: the cache, else the record. With no record yet (keys
   * stored by an earlier version), SecretStorage.keys() lists them where VS Code has it; older VS
   * Code reads that provider's key once, and the record remembers the answer.
   */
  async hasApiKey(providerId: string): Promise<boolean> {
    if (this.cache.has(providerId)) return this.cache.get(providerId) !== undefined;
    let rec = this.read();
    const known = rec.has[providerId];
    if (known !== undefined) return known;
    if (!rec.complete && this.storage.keys) rec = await this.reconcileFromKeys();
    if (rec.complete) return rec.has[providerId] === true;
    return (await this.readKey(providerId)) !== undefined;
  }

  /** Called from `SecretStorage.onDidChange` (another window may have changed a key; it keeps the shared record). */
  invalidate(storageKey: string): void {
    if (storageKey.startsWith(PREFIX)) this.cache.delete(storageKey.slice(PREFIX.length));
  }

  private read(): PresenceRecord {
    const raw = this.presence.get<unknown>(PRESENCE_KEY);
    if (raw && typeof raw === 'object' && typeof (raw as PresenceRecord).has === 'object' && (raw as PresenceRecord).has !== null) {
      const r = raw as PresenceRecord;
      const has: Record<string, boolean> = {};
      for (const [id, v] of Object.entries(r.has)) if (typeof v === 'boolean') has[id] = v;
      return { complete: r.complete === true, has };
    }
    return { complete: false, has: {} }; // absent or damaged: rebuilt as keys are listed or read
  }

  private async record(providerId: string, has: boolean): Promise<void> {
    const rec = this.read();
    if (rec.has[providerId] === has) return;
    rec.has[providerId] = has;
    await this.presence.update(PRESENCE_KEY, rec);
  }

  private async reconcileFromKeys(): Promise<PresenceRecord> {
    const keys = await this.storage.keys!();
    const rec = this.read();
    for (const k of keys) if (k.startsWith(PREFIX)) rec.has[k.slice(PREFIX.length)] = true;
    rec.complete = true;
    await this.presence.update(PRESENCE_KEY, rec);
    return rec;
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
