/**
 * How an element follows the webview store, the Lit way: it takes the store from `<as-app>`'s
 * context (@lit/context) and re-renders (requestUpdate) for the store changes its predicate says
 * concern it — typically the changes of the one session it shows. Subscribed while the element is
 * connected, unsubscribed when it leaves. A `delta` should not concern a Lit element: the
 * streaming element appends it (streaming-text.ts), so streaming never re-renders the transcript.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { storeContext, type StoreChange, type WebviewStore } from './store';

/** Whether a change concerns the element (re-render it). May act on the change itself (e.g. scroll). */
export type Concerns = (change: StoreChange) => boolean;

type Host = ReactiveControllerHost & HTMLElement;

export class StoreController implements ReactiveController {
  private readonly consumer: ContextConsumer<typeof storeContext, Host> | undefined;
  private unsubscribe: (() => void) | undefined;

  /**
   * `own`: the store of the element that provides it (`<as-app>` does not hear its own context
   * request); every other element leaves it out and gets the store from the context.
   */
  constructor(private readonly host: Host, private readonly concerns: Concerns, private readonly own?: () => WebviewStore | undefined) {
    // Added before this controller, so its hostConnected (the context request, answered
    // synchronously by the provider) runs before ours subscribes.
    if (!own) this.consumer = new ContextConsumer(host, { context: storeContext });
    host.addController(this);
  }

  /** The store (undefined outside an `<as-app>`). */
  get value(): WebviewStore | undefined {
    return this.own ? this.own() : this.consumer?.value;
  }

  hostConnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.value?.subscribe((change) => {
      if (this.concerns(change)) this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

/**
 * The changes of one session other than deltas (its snapshot, rows, writer, take-over). With
 * `watch`, only those that change one of the watched values (compared by identity: the fold
 * replaces what it changes), so an element skips the session's changes it does not show.
 */
export function sessionChanges(sessionId: () => string | undefined, watch?: () => readonly unknown[]): Concerns {
  let seen: readonly unknown[] | undefined;
  return (c) => {
    if (c.type !== 'session' || c.sessionId !== sessionId()) return false;
    if (!watch) return true;
    const now = watch();
    const changed = seen === undefined || now.length !== seen.length || now.some((x, i) => x !== seen?.[i]);
    seen = now;
    return changed;
  };
}
