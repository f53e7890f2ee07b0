/**
 * A session whose log is damaged (the store keeps it on disk as it is): why, how many records could
 * not be read and where a copy was kept, with Export (Markdown / the raw log), Delete (confirmed
 * first: the log is never deleted without it) and "Open what can be read".
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SessionIndexEntry } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import { noticeStyles } from './notice-styles';

/** The damage as one sentence: reason, unreadable records, the copy kept. */
export function describeDamage(d: NonNullable<SessionIndexEntry['damaged']>): string {
  const n = d.unreadableRecords;
  return [
    `${d.reason.replace(/[.\s]+$/, '')}.`,
    n ? `${n} record${n === 1 ? '' : 's'} could not be read.` : '',
    d.copy ? `A copy was kept: ${d.copy}.` : '',
    'The log stays on disk as it is.',
  ].filter(Boolean).join(' ');
}

@customElement('as-damaged-session')
export class AsDamagedSession extends LitElement {
  static override styles = [baseStyles, noticeStyles, css`
    :host { display: block; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 8px; }
    .confirm { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 0 8px 6px; }
  `];

  @property() sessionId = '';
  @property() sessionTitle = '';
  @property({ attribute: false }) damaged: SessionIndexEntry['damaged'];
  /** What could be read is shown already: no "Open what can be read". */
  @property({ type: Boolean }) opened = false;
  @state() private confirmingDelete = false;

  override render() {
    const d = this.damaged;
    if (!d) return nothing;
    const id = this.sessionId;
    return html`
      <div class="notice" role="alert" data-severity="error" data-damaged>
        ${icon('warning')}<span class="message"><strong>This session's log is damaged.</strong> ${describeDamage(d)}</span>
      </div>
      <div class="actions" role="group" aria-label="Damaged session">
        ${this.opened ? nothing : html`<button @click=${() => emit(this, 'as-open-readable', { sessionId: id })}>Open what can be read</button>`}
        <button class="secondary" @click=${() => emit(this, 'as-host-action', { action: 'exportMarkdown', sessionId: id })}>Export as Markdown</button>
        <button class="secondary" title="Save a copy of the log file as it is on disk"
          @click=${() => emit(this, 'as-host-action', { action: 'exportLog', sessionId: id })}>Export the raw log</button>
        <button class="secondary" @click=${() => { this.confirmingDelete = true; }}>${icon('trash', { small: true })}Delete…</button>
      </div>
      ${this.confirmingDelete ? html`
        <div class="confirm" role="alertdialog" aria-label="Confirm delete">
          <span>Delete “${this.sessionTitle || id}” and its damaged log from disk? Export it first if you may need it; this cannot be undone.</span>
          <button @click=${() => { this.confirmingDelete = false; emit(this, 'as-delete', { sessionId: id }); }}>Delete the log</button>
          <button class="secondary" @click=${() => { this.confirmingDelete = false; }}>Keep it</button>
        </div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-damaged-session': AsDamagedSession }
}
