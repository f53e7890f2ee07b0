/**
 * Idle watchdog on the bytes of one HTTP request. The SDKs' timeouts stop applying once response
 * headers arrive, so a server that stops sending mid-stream would hang a turn forever. We wrap the
 * `fetch` given to the SDK: every body chunk (keep-alive pings and SSE comments included) re-arms
 * the timer; on expiry the request is aborted and the provider reports a `network` error.
 */
import { AgentError } from '../base/errors';
import { normalizeProviderError, type ErrorClassHints } from './errors';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * One request attempt: links the caller's AbortSignal to an internal controller (which the
 * watchdog can also abort), provides the watched `fetch`, and turns "the SDK stopped" into the
 * right error. Always call {@link dispose} (in `finally`): it clears the timer and aborts the
 * request if it is still open, so no timer or socket outlives the attempt.
 */
export class RequestScope {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private stalledFlag = false;
  private readonly onUserAbort = (): void => this.controller.abort(this.userSignal.reason);

  constructor(
    private readonly userSignal: AbortSignal,
    private readonly idleTimeoutMs: number = DEFAULT_IDLE_TIMEOUT_MS,
  ) {
    if (userSignal.aborted) this.controller.abort(userSignal.reason);
    else userSignal.addEventListener('abort', this.onUserAbort, { once: true });
  }

  /** Pass to the SDK call: aborted by the caller's signal or by the watchdog. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the watchdog fired. */
  get stalled(): boolean {
    return this.stalledFlag;
  }

  /** A fetch for the SDK whose response bodies re-arm the watchdog on every chunk. */
  wrapFetch(base: FetchFn = globalThis.fetch): FetchFn {
    return async (input, init) => {
      this.arm();
      const res = await base(input, init);
      this.arm();
      if (!res.body) return res;
      const body = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, ctl) => {
            this.arm();
            ctl.enqueue(chunk);
          },
          flush: () => this.disarm(),
        }),
      );
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }

  /** (Re)starts the idle timer. No-op once disposed or expired. */
  arm(): void {
    if (this.disposed || this.stalledFlag) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.expire(), this.idleTimeoutMs);
    // An armed timer must never be what keeps the process alive (the socket does that while it matters).
    (this.timer as { unref?: () => void }).unref?.();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    this.stalledFlag = true;
    this.controller.abort(this.stallError());
  }

  private stallError(): AgentError {
    return new AgentError('network', `Model stream stalled: no data for ${this.idleTimeoutMs} ms.`, {
      retryable: true,
      hint: 'The server stopped sending data. Retry, or raise the idle timeout for slow local models.',
    });
  }

  /**
   * The error for "the SDK stopped early or threw": stall → network, caller abort → cancelled,
   * otherwise the normalised `e` (undefined when the SDK simply ended and nothing interrupted it).
   */
  interruption(e?: unknown, hints?: ErrorClassHints): AgentError | undefined {
    if (this.stalledFlag) return this.stallError();
    if (this.userSignal.aborted) return new AgentError('cancelled', 'Cancelled.', { cause: e });
    return e === undefined ? undefined : normalizeProviderError(e, hints);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disarm();
    this.userSignal.removeEventListener('abort', this.onUserAbort);
    // Closes the socket of an unfinished stream (consumer stopped early, or an error mid-body).
    if (!this.controller.signal.aborted) this.controller.abort(new AgentError('cancelled', 'Request finished.'));
  }
}
