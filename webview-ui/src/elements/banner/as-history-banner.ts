/**
 * The session tab's storage notice: "History is not being saved — retrying" with what failed,
 * while the latest storage warning says so; once it recovered, one "saved again" note (until the
 * next turn or until dismissed). Folded from the session's events (history-status.ts).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { HistorySaving } from '../../../../src/shared/history-status';
import { icon } from '../../codicons';
import { StoreController, sessionChanges } from '../../state/store-controller';
import { baseStyles } from '../../styles';
import { noticeStyles } from './notice-styles';

@customElement('as-history-banner')
export class AsHistoryBanner extends LitElement {
  static override styles = [baseStyles, noticeStyles, css`:host { display: block; }`];

  /** The session whose history is shown (followed through the store). */
  @property() sessionId = '';
  /** The `since` of a "saved again" note the user dismissed. */
  @state() private dismissed: number | undefined;
  private readonly store: StoreController = new StoreController(this, sessionChanges(() => this.sessionId, () => [this.saving]));

  private get saving(): HistorySaving | undefined {
    return this.store.value?.get(this.sessionId)?.snapshot?.historySaving;
  }

  override render() {
    const s = this.saving;
    if (!s) return nothing;
    if (s.state === 'failing') {
      return html`<div class="notice" role="alert" data-severity="error" data-history="failing">
        ${icon('warning')}<span class="message"><strong>History is not being saved — retrying.</strong> ${s.message}</span></div>`;
    }
    if (this.dismissed === s.since) return nothing;
    return html`<div class="notice" role="status" data-severity="info" data-history="recovered">
      ${icon('check')}<span class="message"><strong>History is being saved again.</strong> ${s.message}</span>
      <button class="icon" aria-label="Dismiss" title="Dismiss" @click=${() => { this.dismissed = s.since; }}>${icon('close')}</button></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-history-banner': AsHistoryBanner }
}
