/**
 * The turn's side of waiting before a request goes again, recorded so every view shows it (and a
 * reopened view shows the same): a countdown the user may skip ("retry now"), a question when the
 * provider asks for longer than the cap ("wait" / "retry now" / cancel), and a question after a
 * stream broke once output had started ("retry" / cancel). Cancel is the session's cancel: the
 * turn's abort signal ends every wait here.
 */
import type { SerializedError } from '../../shared/errors';
import type { RetryWait } from '../providers/types';
import type { ActiveTurn, RetryAction, TurnHost } from './turn-host';
import { AgentError } from '../base/errors';
import { DEFAULT_MAX_RETRY_WAIT_MS } from '../providers/retry';

export type { RetryAction } from './turn-host';

export class RetryWaits {
  constructor(private readonly host: TurnHost, private readonly turn: ActiveTurn) {}

  /** The longest server-requested wait honoured without asking, ms (the host's setting, read per request). */
  maxWaitMs(): number {
    const ms = this.host.env.maxRetryWaitMs?.();
    return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_MAX_RETRY_WAIT_MS;
  }

  /** StreamOptions.beforeRetry of this turn's requests: a retry before any output. */
  readonly beforeRetry = async (w: RetryWait): Promise<void> => {
    const deadline = this.host.env.clock.now() + w.delayMs;
    const base = { attempt: w.attempt, delayMs: w.delayMs, error: w.error.toJSON() };
    if (w.overCap) {
      this.turn.record.retryWait({ ...base, ask: 'long_wait' });
      if (await this.answer() === 'now') return this.went(w.attempt, 'user');
      // "wait": count down to the time the provider named (not a fresh full wait).
    }
    this.turn.record.retryWait({ ...base, retryAt: deadline });
    const by = await this.answer(deadline);
    return this.went(w.attempt, by === 'timer' ? 'timer' : 'user');
  };

  /** The stream broke after output: asks, and resolves once the user says retry (cancel rejects). */
  async afterOutput(attempt: number, error: SerializedError, partialMessageId: string | undefined): Promise<void> {
    this.turn.record.retryWait({ attempt, delayMs: 0, error, ask: 'after_output', ...(partialMessageId ? { partialMessageId } : {}) });
    await this.answer();
    await this.went(attempt, 'user');
  }

  /** Records that the request goes again, then holds while paused. */
  private async went(attempt: number, by: 'timer' | 'user'): Promise<void> {
    this.turn.record.retrying(attempt, by);
    await this.host.gate(this.turn);
  }

  /**
   * The user's answer (the session calls `turn.answerRetry`), or 'timer' at `deadline`; rejects
   * with `cancelled` when the turn is cancelled or dropped.
   */
  private answer(deadline?: number): Promise<RetryAction | 'timer'> {
    const { turn } = this;
    const signal = turn.abort.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) { reject(new AgentError('cancelled', 'The turn was cancelled.')); return; }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (turn.answerRetry === answer) turn.answerRetry = undefined;
      };
      const onAbort = (): void => { settle(); reject(new AgentError('cancelled', 'The turn was cancelled.')); };
      const answer = (a: RetryAction): void => { settle(); resolve(a); };
      turn.answerRetry = answer;
      if (deadline !== undefined) timer = setTimeout(() => { settle(); resolve('timer'); }, Math.max(0, deadline - this.host.env.clock.now()));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
