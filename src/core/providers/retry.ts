/**
 * Bounded retries of retryable provider errors, only while nothing has been yielded yet (once the
 * user saw output, a retry would duplicate it; the session offers that retry itself). Every retry
 * is announced with a `retry` event; the wait itself is the caller's (`beforeRetry`) or a sleep.
 * A server's Retry-After is honoured as sent: up to `maxRetryWaitMs` it is waited for, beyond it
 * the caller decides (the session asks the user) or the error is thrown — never a retry too early.
 */
import { AgentError } from '../base/errors';
import type { RetryWait, StreamEvent, StreamOptions } from './types';
import { normalizeProviderError } from './errors';
import { formatWait } from '../../shared/durations';

export type { RetryWait };

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** Longest server-requested wait honoured without asking (the `agentSessions.maxRetryWaitSeconds` default). */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
/** First backoff step; doubles per attempt (before jitter and the cap). */
export const BASE_BACKOFF_MS = 1_000;

/**
 * Delay before retry number `attempt` (1-based): the server's retry-after when given (never cut:
 * an earlier retry only fails again), else exponential backoff with jitter (50–100 % of
 * base·2^(attempt-1)) capped by `maxBackoffMs`.
 */
export function backoffDelay(attempt: number, error: AgentError, maxBackoffMs: number, random: () => number = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.max(0, error.retryAfterMs);
  const exp = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(Math.min(maxBackoffMs, exp) * (0.5 + random() * 0.5));
}

/** Resolves after `ms`, or rejects with `cancelled` as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AgentError('cancelled', 'Cancelled.'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AgentError('cancelled', 'Cancelled.'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error itself, saying how long the server asked to wait (it was too long to wait without asking). */
function tooLongToWait(err: AgentError, delayMs: number, maxRetryWaitMs: number): AgentError {
  return new AgentError(err.code, err.message, {
    retryable: err.retryable, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err.status !== undefined ? { status: err.status } : {}), cause: err,
    hint: `The provider asks to wait ${formatWait(delayMs)} before the next try, longer than the ${formatWait(maxRetryWaitMs)} waited without asking (setting "agentSessions.maxRetryWaitSeconds"). Try again later.`,
  });
}

/**
 * Runs `attempt` and retries it on retryable errors while it has yielded nothing, up to
 * `options.maxRetries` times. Errors leave as AgentError; an abort is `cancelled`.
 */
export async function* withRetry(
  attempt: (n: number) => AsyncIterable<StreamEvent>,
  signal: AbortSignal,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  for (let n = 0; ; n++) {
    let yielded = false;
    try {
      for await (const ev of attempt(n)) {
        yielded = true;
        yield ev;
      }
      return;
    } catch (e) {
      const err = signal.aborted ? new AgentError('cancelled', 'Cancelled.', { cause: e }) : normalizeProviderError(e);
      if (yielded || !err.retryable || n >= maxRetries || err.code === 'cancelled') throw err;
      const delayMs = backoffDelay(n + 1, err, maxBackoffMs);
      const overCap = err.retryAfterMs !== undefined && delayMs > maxRetryWaitMs;
      if (overCap && !options.beforeRetry) throw tooLongToWait(err, delayMs, maxRetryWaitMs);
      yield { type: 'retry', attempt: n + 1, delayMs, error: err.toJSON(), ...(overCap ? { overCap: true as const } : {}) };
      if (options.beforeRetry) await options.beforeRetry({ attempt: n + 1, delayMs, error: err, overCap, signal });
      else await abortableSleep(delayMs, signal);
      if (signal.aborted) throw new AgentError('cancelled', 'Cancelled.');
    }
  }
}
