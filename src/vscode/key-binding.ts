/**
 * A key is bound to the host it was set for. When a request would carry it to another origin
 * (scheme://host:port) — a session config, an agent or a changed profile pointing the provider
 * somewhere else — the user is asked first ("Send once" / "Always for this host" / "Don't send"),
 * and without a yes the key is not sent: `check` throws AgentError('auth').
 * The bindings are a non-secret globalState record (provider id → origin); keys set before this
 * existed bind on first use to the profile's current URL. No 'vscode' import: the prompt is a port.
 */
import { AgentError } from '../core/base/errors';
import type { KeyTarget, Logger } from '../core/ports';
import type { ProviderKind } from '../shared/model';

/** The slice of `vscode.Memento` (globalState) that holds the bindings. */
export interface BindingMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** globalState key of the bindings. Holds provider ids and origins, never a key. */
export const KEY_HOSTS_KEY = 'agentSessions.apiKeyHosts';

/** Where each kind's requests go without a base URL (the SDKs' defaults). */
export const OFFICIAL_ORIGINS: Readonly<Record<ProviderKind, string | undefined>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  'vscode-lm': undefined,
};

/** The origin a request to `target` goes to, or undefined when it has none (vscode-lm, a URL that does not parse). */
export function targetOrigin(target: KeyTarget): string | undefined {
  if (target.baseUrl === undefined) return OFFICIAL_ORIGINS[target.kind];
  try {
    const origin = new URL(target.baseUrl).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** An origin as the user reads it: the host (with a non-default port); `http://` kept as a warning sign. */
export function hostLabel(origin: string): string {
  return origin.startsWith('https://') ? origin.slice('https://'.length) : origin;
}

/** The user's answer: send for this window (not saved), rebind the key to the new host, or refuse. */
export type KeyHostAnswer = 'once' | 'always' | 'deny';

export interface KeyHostQuestion {
  providerId: string;
  /** The profile's label ("OpenAI"). */
  label: string;
  /** Where the key was set for, and where the request would go (hostLabel form). */
  keyHost: string;
  targetHost: string;
}

/** Asks the user (a modal in VS Code). Undefined = dismissed = don't send. */
export type KeyHostPrompt = (question: KeyHostQuestion) => Promise<KeyHostAnswer | undefined>;

/** The profile a key belongs to, as it is configured now (for its label and the URL a legacy key binds to). */
export type ProfileLookup = (providerId: string) => ({ label: string } & KeyTarget) | undefined;

export interface KeyBindingOptions {
  /** Absent: a changed host is refused without asking. */
  prompt?: KeyHostPrompt;
  profileOf?: ProfileLookup;
  logger?: Logger;
}

export class KeyHostBindings {
  /** "Send once" answers: provider id → origins allowed in this window (never saved). */
  private readonly grants = new Map<string, Set<string>>();
  /** One question per provider and host at a time (parallel sessions wait for the same answer). */
  private readonly asking = new Map<string, Promise<KeyHostAnswer | undefined>>();
  /** Providers whose key was last withheld (until a request may carry it again). */
  private readonly withheldKeys = new Set<string>();

  constructor(private readonly memento: BindingMemento, private readonly options: KeyBindingOptions = {}) {}

  /** The origin the key of `providerId` is bound to, if any. */
  boundOrigin(providerId: string): string | undefined {
    const v = this.read()[providerId];
    return typeof v === 'string' ? v : undefined;
  }

  /** True when the last check for this provider withheld its key (an `auth` failure is ours, not the server's). */
  withheld(providerId: string): boolean {
    return this.withheldKeys.has(providerId);
  }

  /** Binds the key to where its profile points now (the key was just set); unknown profile: binds on first use. */
  async bindToProfile(providerId: string): Promise<void> {
    const profile = this.options.profileOf?.(providerId);
    await this.bind(providerId, profile ? targetOrigin(profile) : undefined);
  }

  /** Binds (or with undefined, unbinds) and drops this window's "Send once" answers. */
  async bind(providerId: string, origin: string | undefined): Promise<void> {
    this.grants.delete(providerId);
    const rec = this.read();
    if (rec[providerId] === origin) return;
    if (origin === undefined) delete rec[providerId];
    else rec[providerId] = origin;
    await this.memento.update(KEY_HOSTS_KEY, rec);
  }

  /** Resolves when the key of `providerId` may go to `target`; throws AgentError('auth') when the user says no. */
  async check(providerId: string, target: KeyTarget): Promise<void> {
    try {
      await this.checkOrAsk(providerId, target);
      this.withheldKeys.delete(providerId);
    } catch (e) {
      this.withheldKeys.add(providerId);
      throw e;
    }
  }

  private async checkOrAsk(providerId: string, target: KeyTarget): Promise<void> {
    const origin = targetOrigin(target);
    let bound = this.boundOrigin(providerId);
    if (bound === undefined) {
      // A key from before bindings existed: it belongs to where its profile points now.
      const profile = this.options.profileOf?.(providerId);
      bound = (profile && targetOrigin(profile)) ?? origin;
      if (bound !== undefined) await this.bind(providerId, bound);
    }
    if (origin !== undefined && origin === bound) return;
    if (origin !== undefined && this.grants.get(providerId)?.has(origin)) return;
    const label = this.options.profileOf?.(providerId)?.label ?? providerId;
    const keyHost = bound ? hostLabel(bound) : 'another host';
    const targetHost = origin ? hostLabel(origin) : (target.baseUrl ?? 'an unknown host');
    const answer = origin === undefined ? 'deny' : await this.ask({ providerId, label, keyHost, targetHost }, origin);
    if (answer === 'always' && origin !== undefined) {
      await this.bind(providerId, origin);
      this.options.logger?.info(`The ${label} key is now bound to ${targetHost} (was ${keyHost}).`);
      return;
    }
    if (answer === 'once' && origin !== undefined) {
      let set = this.grants.get(providerId);
      if (!set) this.grants.set(providerId, set = new Set());
      set.add(origin);
      this.options.logger?.info(`The ${label} key is sent to ${targetHost} in this window (it is bound to ${keyHost}).`);
      return;
    }
    this.options.logger?.warn(`The ${label} key was not sent to ${targetHost}: it was set for ${keyHost}.`);
    throw new AgentError('auth', `Your ${label} key was not sent to ${targetHost}: it was set for ${keyHost}.`, {
      retryable: false,
      hint: `If you trust ${targetHost}, send again and choose "Always for this host"; otherwise point the session back at ${keyHost} or add a separate profile with its own key.`,
    });
  }

  private ask(q: KeyHostQuestion, origin: string): Promise<KeyHostAnswer | undefined> {
    const prompt = this.options.prompt;
    if (!prompt) return Promise.resolve('deny');
    const id = `${q.providerId}\n${origin}`;
    let pending = this.asking.get(id);
    if (!pending) {
      pending = prompt(q).catch(() => undefined).finally(() => this.asking.delete(id));
      this.asking.set(id, pending);
    }
    return pending;
  }

  private read(): Record<string, string> {
    const raw = this.memento.get<unknown>(KEY_HOSTS_KEY);
    const out: Record<string, string> = {};
    if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
    return out;
  }
}
