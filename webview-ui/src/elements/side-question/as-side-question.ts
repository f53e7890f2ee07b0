/**
 * Side question ("btw"): ask about a session — also while it runs — without adding anything
 * to its history. The answer shows here, never in the transcript. One question at a time per
 * session; each tab keeps its own question, answer or error while you switch tabs.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { PROTOCOL_LIMITS } from '../../../../src/shared/protocol-constants';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';

/** Shown when the question is empty (the host refuses it with the same words). */
export const EMPTY_QUESTION = 'The side question is empty. Type a question about this session.';

/** How long an answer may take, ms (an LLM call on a long history). */
const ASK_TIMEOUT_MS = 180_000;

interface Slot {
  question: string;
  answer?: string;
  asked?: string;
  error?: string;
  pending?: AbortController;
}

@customElement('as-side-question')
export class AsSideQuestion extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 6px 8px; border-bottom: 1px solid var(--vscode-widget-border, transparent);
      background: var(--vscode-editorWidget-background, transparent); }
    form { display: flex; gap: 6px; align-items: center; }
    input { flex: 1; min-width: 0; }
    .answer { margin-top: 6px; white-space: pre-wrap; max-height: 30vh; overflow: auto; }
    .q { font-style: italic; }
  `];

  @property() sessionId = '';
  @consume({ context: hostClientContext }) private client!: HostClient;
  /** Per-session state, so switching tabs keeps each tab's question and answer. */
  @state() private slots = new Map<string, Slot>();
  @query('input') private input!: HTMLInputElement;

  private current(): Slot {
    let s = this.slots.get(this.sessionId);
    if (!s) { s = { question: '' }; this.slots.set(this.sessionId, s); }
    return s;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const s of this.slots.values()) s.pending?.abort();
  }

  override render() {
    const s = this.current();
    return html`
      <form role="search" aria-label="Side question about this session" @submit=${this.onSubmit}>
        <input aria-label="Side question (not added to the session)" placeholder="btw… ask about this session (not added to its history)"
          maxlength=${PROTOCOL_LIMITS.question} .value=${s.question} @input=${this.onInput}
          aria-invalid=${s.error === EMPTY_QUESTION ? 'true' : 'false'} aria-describedby="side-status">
        ${s.pending
          ? html`<button type="button" class="secondary" @click=${() => s.pending?.abort()}>Stop</button>`
          : html`<button type="submit">Ask</button>`}
      </form>
      <div id="side-status" class="answer" role="status" aria-live="polite">
        ${s.pending ? html`<span class="muted">Thinking about “${s.asked}”…</span>` : nothing}
        ${s.error ? html`<span class="error" data-side-error>${s.error}</span>` : nothing}
        ${s.answer !== undefined && !s.pending ? html`<div class="muted q">${s.asked}</div><div data-side-answer>${s.answer}</div>` : nothing}
      </div>`;
  }

  private onInput(e: Event): void {
    const s = this.current();
    s.question = (e.target as HTMLInputElement).value;
    if (s.error === EMPTY_QUESTION && s.question.trim()) { s.error = undefined; this.requestUpdate(); }
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    void this.ask();
  }

  /** Asks the host; refuses an empty question here already (the host would too). */
  async ask(): Promise<void> {
    const sessionId = this.sessionId;
    const s = this.current();
    if (s.pending) return;
    const question = s.question.trim();
    if (!question) {
      s.error = EMPTY_QUESTION;
      this.requestUpdate();
      this.input?.focus();
      return;
    }
    const controller = new AbortController();
    Object.assign(s, { pending: controller, asked: question, error: undefined, answer: undefined });
    this.requestUpdate();
    try {
      const { answer } = await this.client.request('sessions.ask', { sessionId, question }, { signal: controller.signal, timeoutMs: ASK_TIMEOUT_MS });
      s.answer = answer || '(no answer)';
      s.question = '';
    } catch (err) {
      s.error = controller.signal.aborted ? 'Stopped.' : err instanceof Error ? err.message : String(err);
    } finally {
      s.pending = undefined;
      this.requestUpdate();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-side-question': AsSideQuestion }
}
