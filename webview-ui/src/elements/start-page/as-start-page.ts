/**
 * The empty view as a short start page: pick a provider (a key set in place when it needs one —
 * typed into VS Code's own password box on the host, never here), add one from a preset, or use a
 * local server that answers right now (`providers.probe`: only those that answer are listed),
 * then "Start session". The full form ("More options…") stays a click away.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { HostInfo, ProbedProvider, ProviderPresetInfo, ProviderProfileInfo } from '../../../../src/shared/protocol';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';

/** Whether a profile still needs a key before it can answer. */
export function needsKey(p: ProviderProfileInfo | undefined): boolean {
  return p !== undefined && p.requiresKey && !p.hasKey;
}

@customElement('as-start-page')
export class AsStartPage extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 12px 16px; }
    h2 { font-size: 1.1em; margin: 0 0 8px; font-weight: 600; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 6px 0; }
    section { margin-top: 12px; }
    h3 { font-size: 1em; margin: 0 0 4px; font-weight: 600; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 6px; padding: 2px 0; }
    select { max-width: 100%; }
  `];

  @property({ attribute: false }) providers: ProviderProfileInfo[] = [];
  @property({ attribute: false }) defaults: HostInfo['defaults'];
  @consume({ context: hostClientContext }) private client?: HostClient;
  /** The chosen profile (default: the host's default provider). */
  @state() private providerId = '';
  /** The model to start with when a probed server was picked (its first listed model). */
  @state() private model: string | undefined;
  @state() private presets: ProviderPresetInfo[] = [];
  /** Undefined while probing. */
  @state() private found: ProbedProvider[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) { this.found = []; return; }
    void client.request('providers.presets', {}).then((r) => { this.presets = r.presets; }, () => { this.presets = []; });
    await this.probe();
  }

  /** Asks which local servers answer now (only those are listed). */
  private async probe(): Promise<void> {
    this.found = undefined;
    try {
      this.found = (await this.client?.request('providers.probe', {}))?.found ?? [];
    } catch {
      this.found = [];
    }
  }

  private chosen(): ProviderProfileInfo | undefined {
    const id = this.providerId || this.defaults?.providerId;
    return this.providers.find((p) => p.id === id) ?? this.providers[0];
  }

  override render() {
    const chosen = this.chosen();
    const demo = this.providers.filter((p) => p.id.startsWith('demo-'));
    return html`
      <h2>Start a session</h2>
      <div class="row">
        <label for="start-provider">Provider</label>
        <select id="start-provider" @change=${(e: Event) => { this.providerId = (e.target as HTMLSelectElement).value; this.model = undefined; }}>
          ${this.providers.map((p) => html`<option value=${p.id} .selected=${p.id === chosen?.id}>${p.label}${needsKey(p) ? ' (no key)' : ''}</option>`)}
        </select>
        ${needsKey(chosen) ? html`<span class="error" data-no-key>No API key for ${chosen?.label}.</span>
          <button data-set-key @click=${() => emit(this, 'as-host-action', { action: 'setApiKey', ...(chosen ? { providerId: chosen.id } : {}) })}>Set key</button>` : nothing}
      </div>
      <div class="row">
        <button data-start ?disabled=${!chosen} @click=${this.start}>${icon('add', { small: true })}Start session</button>
        <button class="secondary" @click=${() => emit(this, 'as-open-new', {})}>More options…</button>
      </div>
      ${demo.length > 0 ? html`<div class="muted" data-demo>Demo mode: ${demo.map((p) => p.label).join(', ')} answer${demo.length === 1 ? 's' : ''} from a fake model on this machine — no key needed.</div>` : nothing}
      <section aria-label="Local servers">
        <h3>Use a local server <button class="secondary" data-probe-again ?disabled=${this.found === undefined} @click=${() => { void this.probe(); }}>Look again</button></h3>
        ${this.renderFound()}
      </section>
      ${this.presets.length > 0 ? html`<section aria-label="Add a provider">
        <select aria-label="Add a provider" data-add-preset @change=${(e: Event) => this.addPreset(e.target as HTMLSelectElement)}>
          <option value="" selected>Add a provider…</option>
          ${this.presets.map((p) => html`<option value=${p.id} title=${p.description}>${p.label}</option>`)}
        </select>
      </section>` : nothing}`;
  }

  private renderFound() {
    if (this.found === undefined) return html`<div class="muted">Looking for local servers…</div>`;
    if (this.found.length === 0) return html`<div class="muted" data-none-running>None running.</div>`;
    return html`<ul>${this.found.map((f) => {
      const profile = this.providers.find((p) => p.id === f.providerId);
      const preset = profile ? undefined : this.presets.find((p) => p.id === f.providerId);
      const what = `${f.models.length} model${f.models.length === 1 ? '' : 's'}`;
      return html`<li data-found=${f.providerId}>
        <span>${f.label} <span class="muted">(${what})</span></span>
        ${profile ? html`<button class="secondary" @click=${() => { this.providerId = profile.id; this.model = f.models[0]; }}>Use</button>`
          : preset ? html`<button class="secondary" @click=${() => emit(this, 'as-host-action', { action: 'addPreset', presetId: preset.id })}>Add</button>` : nothing}
      </li>`;
    })}</ul>`;
  }

  private addPreset(select: HTMLSelectElement): void {
    const presetId = select.value;
    select.value = '';
    if (presetId) emit(this, 'as-host-action', { action: 'addPreset', presetId });
  }

  private start(): void {
    const chosen = this.chosen();
    if (!chosen) return;
    emit(this, 'as-new-session', { providerId: chosen.id, ...(this.model ? { model: this.model } : {}) });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-start-page': AsStartPage }
}
