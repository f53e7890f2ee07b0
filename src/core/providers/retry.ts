/**
 * Bounded retries of retryable provider errors, only while nothing has been yielded yet (once the
 * user saw output, a retry would duplicate it). Every retry is announced with a `retry` event.
 */
import { AgentError } from '../base/errors';
import type { StreamEvent, StreamOptions } from './types';
import { normalizeProviderError } from './errors';

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** First backoff step; doubles per attempt (before jitter and the cap). */
export const BASE_BACKOFF_MS = 1_000;

/**
 * Delay before retry number `attempt` (1-based): the server's retry-after when given, else
 * exponential backoff with jitter (50–100 % of base·2^(attempt-1)); always capped by `maxBackoffMs`.
 */
export function backoffDelay(attempt: number, error: AgentError, maxBackoffMs: number, random: () => number = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.min(maxBackoffMs, Math.max(0, error.retryAfterMs));
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
      yield { type: 'retry', attempt: n + 1, delayMs, error: err.toJSON() };
      await abortableSleep(delayMs, signal);
    }
  }
}
