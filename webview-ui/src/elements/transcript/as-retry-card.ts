/**
 * The running turn's request waiting to be sent again (snapshot.pendingRetry): a live countdown
 * with "Retry now" and "Cancel"; when the provider asks for a wait longer than the cap, "Wait" /
 * "Retry now" / "Cancel"; when the stream broke after output, "Retry" / "Cancel". It draws only
 * the snapshot, so a reopened view shows the same card as the live one.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PendingRetry } from '../../../../src/shared/session';
import { formatCountdown, formatWait } from '../../../../src/shared/durations';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';

/** How often the countdown redraws, ms (it reads the clock each time, so it never drifts). */
const TICK_MS = 250;

@customElement('as-retry-card')
export class AsRetryCard extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .card { border: 1px solid var(--vscode-editorWarning-foreground, var(--vscode-focusBorder)); border-radius: 3px; padding: 6px 8px;
      background: var(--vscode-editorWidget-background, transparent); }
    .head { display: flex; gap: 6px; align-items: flex-start; }
    .head .codicon { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); margin-top: 1px; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
    .clock { font-variant-numeric: tabular-nums; font-weight: 600; }
  `];

  @property({ attribute: false }) retry!: PendingRetry;
  @property() sessionId = '';
  @consume({ context: hostClientContext }) private client?: HostClient;
  @state() private now = Date.now();
  @state() private sending = false;
  @state() private problem?: string;
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => { this.now = Date.now(); }, TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // A new question or countdown: the buttons work again.
    if (changed.has('retry')) { this.sending = false; this.problem = undefined; this.now = Date.now(); }
  }

  override render() {
    const r = this.retry;
    const cancel = html`<button class="secondary" @click=${this.cancel}>Cancel</button>`;
    if (r.ask === 'after_output') {
      return this.card('The answer broke off', html`<span class="muted">${r.error.message}</span>
        <div class="muted">${r.partialMessageId ? 'What arrived is kept above, marked partial; the model does not see it. ' : ''}Retry sends the same request again.</div>`,
        html`<button ?disabled=${this.sending} @click=${() => this.answer('now')}>${icon('refresh', { small: true })}Retry</button>${cancel}`);
    }
    if (r.ask === 'long_wait' || r.retryAt === undefined) {
      const wait = formatWait(r.delayMs);
      return this.card(`The provider asks to wait ${wait} before the next try`, html`<span class="muted">${r.error.message}</span>`,
        html`<button ?disabled=${this.sending} @click=${() => this.answer('wait')}>Wait ${wait}</button>
          <button class="secondary" ?disabled=${this.sending} @click=${() => this.answer('now')}>Retry now</button>${cancel}`);
    }
    const left = Math.max(0, r.retryAt - this.now);
    return this.card(html`Retrying in <span class="clock" role="timer" aria-label="Time until the retry">${formatCountdown(left)}</span> (attempt ${r.attempt})`,
      html`<span class="muted">${r.error.message}</span>`,
      html`<button ?disabled=${this.sending} @click=${() => this.answer('now')}>Retry now</button>${cancel}`);
  }

  private card(title: unknown, body: unknown, actions: unknown) {
    return html`<div class="card" role="group" aria-label="Retry pending">
      <div class="head">${icon('refresh')}<div><strong>${title}</strong> ${body}</div></div>
      <div class="actions">${actions}</div>
      ${this.problem ? html`<div class="error" role="alert">${this.problem}</div>` : nothing}
    </div>`;
  }

  private async answer(action: 'now' | 'wait'): Promise<void> {
    if (!this.client) return;
    this.sending = true;
    try {
      await this.client.request('sessions.retry', { sessionId: this.sessionId, action });
    } catch (err) {
      // E.g. the retry already went (the timer won the race): say so; the next event redraws the card.
      this.problem = err instanceof Error ? err.message : String(err);
      this.sending = false;
    }
  }

  private cancel(): void {
    emit(this, 'as-session-action', { sessionId: this.sessionId, action: 'cancel' });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-retry-card': AsRetryCard }
}
