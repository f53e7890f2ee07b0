/** The "+" form: provider profile, model, mode, an optional title, and where it works (the shared workspace or a worktree of its own). */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { HostInfo, ProviderProfileInfo } from '../../../../src/shared/protocol';
import type { SessionMode } from '../../../../src/shared/session';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import { WorkspaceChoiceController } from './workspace-choice';
import './as-agent-picker';
import '../model-picker/as-model-picker';

export const MODES: Array<{ id: SessionMode; label: string }> = [
  { id: 'ask', label: 'Ask before edits and commands' },
  { id: 'auto-edit', label: 'Auto-edit (commands ask)' },
  { id: 'plan', label: 'Plan (read-only)' },
  { id: 'full', label: 'Full access' },
];

/** What mode `full` means here: commands sandboxed, or guarded by the analysis alone (and why). */
export function fullModeHint(sandbox: HostInfo['sandbox']): string {
  return sandbox ? `Full access: edits and commands run without asking; commands are ${sandbox.note}` : 'Full access: edits and commands run without asking';
}

/** The label of a mode option (full says whether commands are sandboxed). */
export function modeLabel(id: SessionMode, label: string, sandbox: HostInfo['sandbox']): string {
  if (id !== 'full' || !sandbox) return label;
  return `${label} (${sandbox.sandboxed ? 'commands sandboxed' : 'commands not sandboxed'})`;
}

@customElement('as-new-session')
export class AsNewSession extends LitElement {
  static override styles = [baseStyles, css`
    form { display: grid; grid-template-columns: max-content 1fr; gap: 6px 8px; padding: 8px; align-items: center;
      border-bottom: 1px solid var(--vscode-widget-border, transparent); background: var(--vscode-sideBar-background, transparent); }
    .actions { grid-column: 1 / -1; display: flex; gap: 6px; }
    .hint { grid-column: 1 / -1; }
    .choices { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 12px; }
    .choices.stacked { flex-direction: column; align-items: flex-start; }
    .choices label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
    .choices label.disabled { cursor: default; opacity: 0.6; }
    .base { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px; }
    .base input { width: 16em; max-width: 100%; }
  `];

  @property({ attribute: false }) providers: ProviderProfileInfo[] = [];
  @property({ attribute: false }) defaults: HostInfo['defaults'];
  @property({ attribute: false }) sandbox: HostInfo['sandbox'];
  /** The host's default for "Where it works" (absent: the shared workspace). */
  @property({ attribute: false }) defaultWorkspace: HostInfo['defaultWorkspace'];
  @state() private providerId = '';
  @state() private model = '';
  @state() private mode: SessionMode = 'ask';
  @state() private typedTitle = '';
  private readonly workspace = new WorkspaceChoiceController(this, () => this.defaultWorkspace);

  override connectedCallback(): void {
    super.connectedCallback();
    this.providerId = this.defaults?.providerId ?? this.providers[0]?.id ?? '';
    this.model = this.defaults?.model ?? this.provider()?.models[0]?.id ?? '';
    this.mode = this.defaults?.mode ?? 'ask';
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLSelectElement>('select')?.focus();
  }

  private provider(): ProviderProfileInfo | undefined {
    return this.providers.find((p) => p.id === this.providerId);
  }

  override render() {
    const provider = this.provider();
    const models = provider?.models ?? [];
    return html`
      <form aria-label="New session" @submit=${this.onSubmit} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') emit(this, 'as-cancel-new', {}); }}>
        <label for="provider">Provider</label>
        <select id="provider" .value=${this.providerId} @change=${(e: Event) => {
          this.providerId = (e.target as HTMLSelectElement).value;
          this.model = this.provider()?.models[0]?.id ?? '';
        }}>
          ${this.providers.map((p) => html`<option value=${p.id} .selected=${p.id === this.providerId}>${p.label}${p.requiresKey && !p.hasKey ? ' (no key)' : ''}</option>`)}
        </select>
        <span>Model</span>
        <as-model-picker id="model" .providerId=${this.providerId} .value=${this.model} .suggested=${models} commit-on-blur
          @as-model-pick=${(e: CustomEvent<{ model: string }>) => { e.stopPropagation(); this.model = e.detail.model; }}
          @as-models-listed=${(e: Event) => { e.stopPropagation(); }}></as-model-picker>
        <label for="mode">Mode</label>
        <select id="mode" .value=${this.mode} @change=${(e: Event) => { this.mode = (e.target as HTMLSelectElement).value as SessionMode; }}>
          ${MODES.map((m) => html`<option value=${m.id} .selected=${m.id === this.mode} title=${m.id === 'full' ? fullModeHint(this.sandbox) : m.label}>${modeLabel(m.id, m.label, this.sandbox)}</option>`)}
        </select>
        <label for="title">Title</label>
        <input id="title" name="title" placeholder="optional" maxlength="200" @input=${(e: Event) => { this.typedTitle = (e.target as HTMLInputElement).value; }}>
        <as-agent-picker></as-agent-picker>
        ${this.workspace.render(this.typedTitle.trim())}
        ${provider?.requiresKey && !provider.hasKey ? html`<span class="hint"><span class="error">No API key set for ${provider.label}.</span>
          <button type="button" class="secondary" data-set-key @click=${() => emit(this, 'as-host-action', { action: 'setApiKey', providerId: provider.id })}>Set key</button></span>` : ''}
        <div class="actions">
          <button type="submit">Create session</button>
          <button type="button" class="secondary" @click=${() => emit(this, 'as-cancel-new', {})}>Cancel</button>
        </div>
      </form>`;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const title = this.renderRoot.querySelector<HTMLInputElement>('#title')?.value.trim();
    const workspace = this.workspace.read(this.renderRoot);
    if (workspace === null) return;
    const agent = this.renderRoot.querySelector('as-agent-picker')?.value;
    emit(this, 'as-new-session', {
      ...(this.providerId ? { providerId: this.providerId } : {}),
      ...(this.model ? { model: this.model } : {}),
      mode: this.mode,
      ...(title ? { title } : {}),
      ...(workspace ? { workspace } : {}),
      ...(agent ? { agent } : {}),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-new-session': AsNewSession }
}
