import type { ErrorCode, SerializedError } from '../../shared/errors';

export type { ErrorCode, SerializedError };

/** Codes that are worth retrying by default (a caller may still decide otherwise). */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'overloaded', 'network']);

export interface AgentErrorOptions {
  /** Overrides the default retryability of the code. */
  retryable?: boolean;
  /** For `rate_limited` / `overloaded`: how long the server asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** HTTP status, when the error came from an HTTP response. */
  status?: number;
  /** A short hint for the user: what to do next. */
  hint?: string;
  cause?: unknown;
}

/**
 * A typed engine error: the one error vocabulary of the engine. Everyone branches on `code`,
 * never on message text; `retryable` says whether the same request may succeed later. Provider
 * errors are normalised into this shape in one place (providers/errors.ts).
 */
export class AgentError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.hint = options.hint;
  }

  /** A plain, serialisable view (for events, logs and the webview). Never contains secrets. */
  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
    };
  }
}

export function isAgentError(e: unknown): e is AgentError {
  return e instanceof AgentError;
}

/** Wraps anything thrown into an {@link AgentError} (unknown errors keep their message). */
export function toAgentError(e: unknown, fallback: ErrorCode = 'unknown'): AgentError {
  if (e instanceof AgentError) return e;
  if (e instanceof Error && e.name === 'AbortError') return new AgentError('cancelled', 'Cancelled.', { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new AgentError(fallback, message, { cause: e });
}
