/**
 * Small ports that core declares and the host (src/vscode, or tests) implements.
 * Each is a handful of methods on purpose.
 */
import type { ProviderKind } from '../shared/model';

/** Structured, secret-free logging. Implemented by VS Code's LogOutputChannel in the host. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** Where API keys come from (VS Code SecretStorage in the host). Keys never leave this port into logs or events. */
export interface SecretSource {
  /**
   * The key for a provider profile id (e.g. "openai", "anthropic", "ollama"), or undefined when none
   * is set. `target` is where the request goes (its kind and base URL; no base URL = the kind's
   * official endpoint): a key is bound to the host it was set for, so for another host the source
   * asks the user first, and throws AgentError('auth') when the user says no (the key is not sent).
   */
  getApiKey(providerId: string, target?: KeyTarget): Promise<string | undefined>;
}

/** Where a request with a key would go (SecretSource.getApiKey). */
export interface KeyTarget {
  kind: ProviderKind;
  baseUrl?: string;
}

/** Time source, injectable so tests can control it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
