/**
 * The model picker: a combobox showing the chosen model. Opening it asks the host for the
 * provider's models (`models.list`, cached by the host; "Refresh" asks the server again) and lists
 * them with context window, capability badges and price per million tokens; typing filters the
 * list (OpenRouter lists hundreds), and any typed id can be used. A listing error is said quietly
 * ("couldn't reach the server: showing suggestions"), the profile's suggestions shown instead.
 * Choosing dispatches `as-model-pick`; each listing received dispatches `as-models-listed`.
 */
import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ModelInfo, ModelListing } from '../../../../src/shared/protocol';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { HostRequestError, hostClientContext } from '../../host-client';
import { baseStyles } from '../../styles';
import { capabilityBadges, describeModel, filterModels, formatPrice, formatWindow } from './model-format';

/** Rows rendered at most; the rest are reached by typing (the count says so). */
const MAX_ROWS = 200;

/** A row of the open list: a listed model, or "Use ‹typed id›". */
type Row = { kind: 'model'; model: ModelInfo } | { kind: 'typed'; id: string };

@customElement('as-model-picker')
export class AsModelPicker extends LitElement {
  static override styles = [baseStyles, css`
    :host { position: relative; display: inline-block; min-width: 10em; max-width: 100%; }
    input { width: 100%; box-sizing: border-box; }
    .popup { position: absolute; z-index: 20; top: calc(100% + 2px); left: 0; width: max(100%, 30em); max-width: 90vw;
      background: var(--vscode-editorWidget-background, var(--vscode-dropdown-background, #252526));
      color: var(--vscode-editorWidget-foreground, var(--vscode-foreground));
      border: 1px solid var(--vscode-editorWidget-border, var(--vscode-widget-border, var(--vscode-focusBorder)));
      box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0, 0, 0, 0.36)); }
    .status { display: flex; align-items: center; gap: 4px; padding: 2px 4px 2px 6px; font-size: 0.9em; }
    .status .text { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    [role='listbox'] { max-height: 16em; overflow-y: auto; margin: 0; padding: 0; }
    [role='option'] { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 6px; padding: 2px 6px; cursor: pointer; }
    [role='option'][aria-selected='true'] { background: var(--vscode-list-activeSelectionBackground, var(--vscode-list-focusBackground));
      color: var(--vscode-list-activeSelectionForeground, inherit); }
    [role='option']:hover:not([aria-selected='true']) { background: var(--vscode-list-hoverBackground, transparent); }
    .id { font-family: var(--vscode-editor-font-family, monospace); }
    .meta { display: inline-flex; flex-wrap: wrap; gap: 4px; font-size: 0.85em; margin-left: auto; }
    .badge { padding: 0 4px; border-radius: 2px; background: var(--vscode-badge-background, transparent); color: var(--vscode-badge-foreground, inherit); }
    .more { padding: 2px 6px; font-size: 0.85em; }
  `];

  /** The provider profile whose models are listed. */
  @property() providerId = '';
  /** The chosen model id. */
  @property() value = '';
  /** Accessible name of the combobox. */
  @property() label = 'Model';
  /** The profile's suggested models, shown until (or unless) the host's listing arrives. */
  @property({ attribute: false }) suggested: ModelInfo[] = [];
  @property({ type: Boolean }) disabled = false;
  /** Leaving with a typed id chooses it (a form, where the id is read on submit); else leaving changes nothing. */
  @property({ type: Boolean, attribute: 'commit-on-blur' }) commitOnBlur = false;
  @state() private open = false;
  /** What was typed since opening (undefined: nothing, so the whole list shows). */
  @state() private typed: string | undefined;
  @state() private active = -1;
  @state() private listing: ModelListing | undefined;
  @state() private loading = false;
  /** The provider the listing (or the request in flight) is for. */
  private listedFor = '';
  private readonly client = new ContextConsumer(this, { context: hostClientContext });

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('providerId') && this.providerId !== this.listedFor) {
      this.listing = undefined;
      this.listedFor = '';
      this.open = false;
      this.typed = undefined;
    }
  }

  /** Listed models (the host's listing, else the suggestions), the current model included. */
  private models(): ModelInfo[] {
    const listed = this.listing?.models ?? this.suggested;
    return this.value && !listed.some((m) => m.id === this.value) ? [{ id: this.value }, ...listed] : listed;
  }

  private rows(): Row[] {
    const query = this.typed ?? '';
    const matches = filterModels(this.models(), query);
    const id = query.trim();
    const exact = id !== '' && matches.some((m) => m.id === id);
    return [...(id && !exact ? [{ kind: 'typed' as const, id }] : []), ...matches.map((model) => ({ kind: 'model' as const, model }))];
  }

  override render() {
    const rows = this.open ? this.rows() : [];
    const shown = rows.slice(0, MAX_ROWS);
    const activeId = this.active >= 0 && this.active < shown.length ? `opt-${this.active}` : '';
    const current = this.models().find((m) => m.id === this.value);
    return html`
      <input role="combobox" aria-label=${this.label} aria-autocomplete="list" aria-haspopup="listbox"
        aria-expanded=${this.open ? 'true' : 'false'} aria-controls="models" aria-activedescendant=${activeId || nothing}
        title=${current ? [current.id, describeModel(current)].filter(Boolean).join(' — ') : this.value}
        placeholder="model id" spellcheck="false" autocomplete="off" ?disabled=${this.disabled}
        .value=${this.typed ?? this.value}
        @click=${() => { this.show(); }} @input=${this.onInput} @keydown=${this.onKey} @focusout=${this.onFocusOut}>
      ${this.open ? html`
        <div class="popup" @focusout=${this.onFocusOut}>
          <div class="status">
            <span class="text muted" role="status" data-listing-status title=${this.listing?.error?.message ?? ''}>${this.statusText()}</span>
            <button type="button" class="icon" aria-label="Refresh models" title="Ask the server for its models again"
              ?disabled=${this.loading} @mousedown=${(e: Event) => { e.preventDefault(); }} @click=${() => { this.load(true); }}>${icon('refresh')}</button>
          </div>
          <div role="listbox" id="models" aria-label="Models">
            ${shown.map((row, i) => this.renderRow(row, i))}
          </div>
          ${rows.length > shown.length ? html`<div class="more muted">${rows.length - shown.length} more: type to filter</div>` : nothing}
        </div>` : nothing}`;
  }

  private renderRow(row: Row, i: number) {
    const pick = (e: Event) => { e.preventDefault(); this.pick(row.kind === 'model' ? row.model.id : row.id, row.kind === 'model' ? row.model : undefined); };
    const selected = i === this.active ? 'true' : 'false';
    if (row.kind === 'typed') {
      return html`<div role="option" id="opt-${i}" aria-selected=${selected} data-typed @mousedown=${pick}><span>Use “<span class="id">${row.id}</span>”</span></div>`;
    }
    const m = row.model;
    const price = formatPrice(m);
    return html`<div role="option" id="opt-${i}" aria-selected=${selected} data-model=${m.id} title=${describeModel(m)} @mousedown=${pick}>
      <span class="id">${m.id}</span>${m.label && m.label !== m.id ? html`<span class="muted">${m.label}</span>` : nothing}
      <span class="meta">
        ${m.contextWindow ? html`<span class="muted" data-window>${formatWindow(m.contextWindow)}</span>` : nothing}
        ${capabilityBadges(m.capabilities).map((b) => html`<span class="badge" data-badge=${b.text} title=${b.title}>${b.text}</span>`)}
        ${price ? html`<span class="muted" data-price>${price}</span>` : nothing}
      </span>
    </div>`;
  }

  private statusText(): string {
    if (this.loading) return 'Loading models…';
    const l = this.listing;
    if (!l) return 'Suggested models';
    if (l.error) return "Couldn't reach the server: showing suggestions";
    if (l.source === 'server') return `${l.models.length} model${l.models.length === 1 ? '' : 's'} from the server`;
    return 'Suggested models';
  }

  /** Opens the list (asking for the models the first time for this provider). */
  private show(): void {
    if (this.disabled || this.open) return;
    this.open = true;
    this.typed = undefined;
    this.active = this.rows().findIndex((r) => r.kind === 'model' && r.model.id === this.value);
    if (this.listedFor !== this.providerId) this.load(false);
  }

  private close(): void {
    this.open = false;
    this.typed = undefined;
    this.active = -1;
  }

  /** Asks the host for the provider's models; a failed request keeps the suggestions and says why. */
  private load(refresh: boolean): void {
    const client = this.client.value;
    const providerId = this.providerId;
    if (!client || !providerId) return;
    this.listedFor = providerId;
    this.loading = true;
    client.request('models.list', { providerId, ...(refresh ? { refresh: true } : {}) }).then(
      (listing) => {
        if (providerId !== this.providerId) return;
        this.listing = listing;
        emit(this, 'as-models-listed', { providerId, listing });
      },
      (e: unknown) => {
        if (providerId !== this.providerId) return;
        const error = e instanceof HostRequestError ? { code: e.code, message: e.message, retryable: e.retryable }
          : { code: 'network' as const, message: String(e), retryable: true };
        this.listing = { models: this.suggested, source: 'suggested', error };
      },
    ).finally(() => { if (providerId === this.providerId) this.loading = false; });
  }

  private pick(id: string, info: ModelInfo | undefined): void {
    const model = id.trim();
    this.close();
    if (!model) return;
    if (model !== this.value) emit(this, 'as-model-pick', { model, ...(info ? { info } : {}) });
  }

  private onInput(e: Event): void {
    const text = (e.target as HTMLInputElement).value;
    if (!this.open) this.show();
    this.typed = text;
    this.active = this.rows().length > 0 ? 0 : -1;
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.open ? this.rows().slice(0, MAX_ROWS) : [];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.open) { this.show(); return; }
      if (rows.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + rows.length) % rows.length;
      void this.updateComplete.then(() => this.renderRoot.querySelector(`#opt-${this.active}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (!this.open) { this.show(); return; }
      const row = rows[this.active];
      if (row) this.pick(row.kind === 'model' ? row.model.id : row.id, row.kind === 'model' ? row.model : undefined);
      else this.pick(this.typed ?? this.value, undefined);
    } else if (e.key === 'Escape' && this.open) {
      // Closing the list, not the form or dialog around it.
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  }

  /** Focus left the picker (not to its own list or refresh button): close (without choosing, unless commit-on-blur). */
  private onFocusOut(e: FocusEvent): void {
    const to = e.relatedTarget as Node | null;
    if (to && this.renderRoot.contains(to)) return;
    const typed = this.typed?.trim();
    if (this.commitOnBlur && typed) this.pick(typed, this.models().find((m) => m.id === typed));
    else this.close();
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-model-picker': AsModelPicker }
}
