/**
 * The text of a message being streamed. A plain element (no Lit render): each delta is
 * appended to one text node, so streaming never re-renders the transcript or the row. It asks
 * `<as-app>` for the store with a context request (the @lit/context protocol, without Lit).
 */
import { ContextEvent } from '@lit/context';
import { storeContext, type WebviewStore } from '../../state/store';

export class AsStreamingText extends HTMLElement {
  sessionId = '';
  messageId = '';
  kind: 'text' | 'thinking' = 'text';
  /** Text already received when the element was created (re-created on scroll-back). */
  initial = '';
  private store: WebviewStore | undefined;
  private node: Text | undefined;
  private unsubscribe: (() => void) | undefined;

  connectedCallback(): void {
    if (!this.node) {
      this.node = document.createTextNode(this.initial);
      this.append(this.node);
    }
    // Lets CSS hide an empty "Thinking" section (most answers have no thinking).
    this.toggleAttribute('data-empty', this.node.length === 0);
    // Answered synchronously by the provider (as-app) when there is one.
    if (!this.store) this.dispatchEvent(new ContextEvent(storeContext, this, (store: WebviewStore) => { this.store = store; }));
    this.unsubscribe = this.store?.subscribe((change) => {
      if (change.type === 'delta' && change.sessionId === this.sessionId && change.messageId === this.messageId && change.kind === this.kind) {
        this.node?.appendData(change.text);
        if (change.text) this.removeAttribute('data-empty');
      }
    });
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

if (!customElements.get('as-streaming-text')) customElements.define('as-streaming-text', AsStreamingText);

declare global {
  interface HTMLElementTagNameMap { 'as-streaming-text': AsStreamingText }
}
