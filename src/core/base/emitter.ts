import { IDisposable, toDisposable } from './disposable';

/** A subscribable event: call it with a listener, get back a disposable that unsubscribes. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

/**
 * A synchronous event emitter (VS Code's `Emitter` idiom). A listener that throws does not
 * stop delivery to the others; the error goes to `onListenerError`.
 */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<(e: T) => void>();
  private disposed = false;

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => queueMicrotask(() => { throw err; })) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => undefined);
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch (err) { this.onListenerError(err); }
    }
  }

  get hasListeners(): boolean { return this.listeners.size > 0; }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
