/**
 * Small ports that core declares and the host (src/vscode, or tests) implements.
 * Each is a handful of methods on purpose.
 */

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
  /** The key for a provider profile id (e.g. "openai", "anthropic", "ollama"), or undefined when none is set. */
  getApiKey(providerId: string): Promise<string | undefined>;
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
