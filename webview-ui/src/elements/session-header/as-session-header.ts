/**
 * Per-session header: model and mode pickers, context meter, cost, and the session actions
 * (compact / pause / resume / cancel) enabled only when they apply; rename and delete (confirmed).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
// live(): the select's .value is set before its options change (switching tabs), which clears the
// selection; comparing with the live option state re-selects the right one.
import { live } from 'lit/directives/live.js';
import type { ProviderProfileInfo } from '../../../../src/shared/protocol';
import type { SessionMode } from '../../../../src/shared/session';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import { actionsFor, type SessionView } from '../../state/types';
import { MODES } from '../new-session/as-new-session';

/** A trash can drawn inline: the 🗑 emoji has no glyph in many Linux fonts (it showed as a box). */
const TRASH_ICON = html`<svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M6 2h4v1h4v1H2V3h4V2zm-2 3h8l-.7 9H4.7L4 5zm2 1v7h1V6H6zm3 0v7h1V6H9z"/></svg>`;

/** 12345 → "12.3k". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** null (unknown price) is "—", never "$0". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

@customElement('as-session-header')
export class AsSessionHeader extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 4px 8px; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .meter { display: inline-flex; align-items: center; gap: 4px; }
    meter { width: 60px; height: 6px; }
    .meter[data-level='high'] .label { color: var(--vscode-editorWarning-foreground); }
    .spacer { flex: 1; }
    .confirm { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
  `];

  @property({ attribute: false }) view!: SessionView;
  @property({ attribute: false }) providers: ProviderProfileInfo[] = [];
  /** Bumped by the parent when the (mutable) view changed. */
  @property({ attribute: false }) version = 0;
  /** Child sessions of this one: deleting it asks what to do with them. */
  @property({ attribute: false }) childCount = 0;
  /** Side panels open in this tab (their toggles show as pressed). */
  @property({ attribute: false }) openPanels: ReadonlySet<string> = new Set();
  @state() private confirmingDelete = false;
  @state() private renaming = false;

  override render() {
    const v = this.view;
    const snap = v.snapshot;
    const can = actionsFor(v.state);
    const config = snap?.config;
    const provider = this.providers.find((p) => p.id === (config?.providerId ?? v.providerId));
    const models = [...new Set([...(provider?.models.map((m) => m.id) ?? []), config?.model ?? v.model])];
    const ctx = snap?.context;
    const pct = ctx && ctx.window > 0 ? Math.round(ctx.fraction * 100) : undefined;
    return html`
      <div class="row" role="toolbar" aria-label="Session ${v.title}">
        ${this.renaming ? html`
          <input aria-label="Session title" .value=${v.title} maxlength="200" @keydown=${this.onRenameKey} @blur=${() => { this.renaming = false; }}>`
          : html`<strong class="title">${v.title}</strong>
            <button class="icon" aria-label="Rename" title="Rename" @click=${this.startRename}>✎</button>`}
        <select aria-label="Model" .value=${config?.model ?? v.model} ?disabled=${!snap}
          @change=${(e: Event) => emit(this, 'as-config', { sessionId: v.id, patch: { model: (e.target as HTMLSelectElement).value } })}>
          ${models.map((m) => html`<option value=${m} .selected=${live(m === (config?.model ?? v.model))}>${m}</option>`)}
        </select>
        <select aria-label="Mode" .value=${config?.mode ?? 'ask'} ?disabled=${!snap}
          @change=${(e: Event) => emit(this, 'as-config', { sessionId: v.id, patch: { mode: (e.target as HTMLSelectElement).value as SessionMode } })}>
          ${MODES.map((m) => html`<option value=${m.id} .selected=${live(m.id === config?.mode)}>${m.id}</option>`)}
        </select>
        ${ctx ? html`
          <span class="meter" role="meter" aria-label="Context used" aria-valuemin="0" aria-valuemax=${ctx.window} aria-valuenow=${ctx.tokens}
            aria-valuetext="${ctx.tokens} of ${ctx.window} tokens (${pct ?? 0}%)" data-level=${(pct ?? 0) >= 80 ? 'high' : 'ok'}
            title="${ctx.tokens} of ${ctx.window} tokens">
            <meter aria-hidden="true" min="0" max=${ctx.window} high=${Math.round(ctx.window * 0.8)} .value=${ctx.tokens}></meter>
            <span class="label">${formatTokens(ctx.tokens)} / ${formatTokens(ctx.window)} (${pct ?? 0}%)</span>
          </span>` : nothing}
        <span class="cost" aria-label="Cost" title="Cost of this session">${formatCost(snap?.totals.costUsd)}</span>
        <button class="secondary" aria-pressed=${this.openPanels.has('context') ? 'true' : 'false'} title="Rules files, skills and MCP servers of this session"
          @click=${() => emit(this, 'as-toggle-panel', { panel: 'context' })}>Context</button>
        <button class="secondary" aria-pressed=${this.openPanels.has('btw') ? 'true' : 'false'} aria-label="Side question (btw)" title="Ask about this session without adding to its history"
          @click=${() => emit(this, 'as-toggle-panel', { panel: 'btw' })}>btw</button>
        <span class="spacer"></span>
        <button class="secondary" ?disabled=${!can.compact} @click=${() => this.action('compact')}>Compact</button>
        ${v.state === 'paused'
          ? html`<button class="secondary" ?disabled=${!can.resume} @click=${() => this.action('resume')}>Resume</button>`
          : html`<button class="secondary" ?disabled=${!can.pause} @click=${() => this.action('pause')}>Pause</button>`}
        <button class="secondary" ?disabled=${!can.cancel} @click=${() => this.action('cancel')}>Cancel</button>
        <button class="icon" aria-label="Delete session" title="Delete session" @click=${() => { this.confirmingDelete = true; }}>${TRASH_ICON}</button>
      </div>
      ${this.confirmingDelete ? html`
        <div class="confirm" role="alertdialog" aria-label="Confirm delete">
          <span>Delete “${v.title}” and its history? This cannot be undone.</span>
          ${this.childCount > 0 ? html`
            <span>It has ${this.childCount} child session${this.childCount === 1 ? '' : 's'}:</span>
            <button @click=${() => this.delete('delete')}>Delete children too</button>
            <button class="secondary" @click=${() => this.delete('keep')}>Keep children</button>
            <button class="secondary" @click=${() => { this.confirmingDelete = false; }}>Don't delete</button>` : html`
            <button @click=${() => this.delete()}>Delete</button>
            <button class="secondary" @click=${() => { this.confirmingDelete = false; }}>Keep</button>`}
        </div>` : nothing}
      ${snap?.lastError && v.state === 'error' ? html`<div class="error" role="status">${snap.lastError.message}${snap.lastError.hint ? ` — ${snap.lastError.hint}` : ''}</div>` : nothing}
    `;
  }

  private delete(children?: 'delete' | 'keep'): void {
    this.confirmingDelete = false;
    emit(this, 'as-delete', { sessionId: this.view.id, ...(children ? { children } : {}) });
  }

  private action(action: 'pause' | 'resume' | 'cancel' | 'compact'): void {
    emit(this, 'as-session-action', { sessionId: this.view.id, action });
  }

  private async startRename(): Promise<void> {
    this.renaming = true;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[aria-label="Session title"]');
    input?.focus();
    input?.select();
  }

  private onRenameKey(e: KeyboardEvent): void {
    const input = e.target as HTMLInputElement;
    if (e.key === 'Escape') this.renaming = false;
    if (e.key !== 'Enter') return;
    const title = input.value.trim();
    this.renaming = false;
    if (title && title !== this.view.title) emit(this, 'as-rename', { sessionId: this.view.id, title });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-session-header': AsSessionHeader }
}
