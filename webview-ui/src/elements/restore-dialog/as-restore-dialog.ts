/**
 * The restore preview: before a checkpoint is restored, what it would do — each file with its
 * action and line counts, the files someone else changed since (left as they are unless the user
 * ticks "Overwrite" for that file), the files that cannot be put back and why, and how many
 * messages get rewound. Nothing is written until Restore. A modal <dialog> (Escape cancels); it
 * asks the host itself (changes.preview / changes.restore) and shows the host's errors in place.
 * It also lists the files a redo left as they were.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { RestorePreview, RestorePreviewFile, RestoreScope } from '../../../../src/shared/changes';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { HostRequestError, hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';
import type { RestoreRequest } from './restore-request';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';

const SCOPES: Array<{ id: RestoreScope; label: string }> = [
  { id: 'both', label: 'Files and conversation' },
  { id: 'files', label: 'Files only' },
  { id: 'conversation', label: 'Conversation only' },
];

const ACTION_TEXT: Record<RestorePreviewFile['action'], { label: string; title: string }> = {
  revert: { label: 'revert', title: 'Its content goes back' },
  delete: { label: 'delete', title: 'The session created it: it is removed' },
  recreate: { label: 'recreate', title: 'The session deleted it: it comes back' },
};

@customElement('as-restore-dialog')
export class AsRestoreDialog extends LitElement {
  static override styles = [baseStyles, css`
    dialog { width: min(560px, 92vw); max-height: 84vh; box-sizing: border-box; padding: 12px 14px; display: flex; flex-direction: column; gap: 8px;
      color: var(--vscode-foreground); background: var(--vscode-editorWidget-background, var(--vscode-editor-background));
      border: 1px solid var(--vscode-widget-border, var(--vscode-contrastBorder, transparent)); border-radius: 4px;
      box-shadow: 0 0 8px 2px var(--vscode-widget-shadow, transparent); }
    dialog:not([open]) { display: none; }
    dialog::backdrop { background: var(--vscode-widget-shadow, transparent); }
    h2 { font-size: 1.1em; margin: 0; display: flex; align-items: center; gap: 6px; }
    p { margin: 0; }
    fieldset { border: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
    legend { float: left; margin-right: 8px; padding: 0; }
    fieldset label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
    .files { list-style: none; margin: 0; padding: 0; overflow-y: auto; min-height: 0; flex: 0 1 auto;
      border: 1px solid var(--vscode-widget-border, transparent); border-radius: 2px; }
    .files li { padding: 4px 6px; display: flex; flex-direction: column; gap: 2px; }
    .files li + li { border-top: 1px solid var(--vscode-widget-border, transparent); }
    .line { display: flex; align-items: center; gap: 6px; min-width: 0; }
    .path { font-family: var(--vscode-editor-font-family); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1 1 auto; min-width: 0; }
    .action { flex: none; font-size: 0.85em; padding: 0 5px; border-radius: 8px; border: 1px solid var(--vscode-widget-border, var(--vscode-descriptionForeground)); }
    .counts { flex: none; font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
    .added { color: var(--vscode-gitDecoration-addedResourceForeground, var(--vscode-charts-green, var(--vscode-foreground))); }
    .removed { color: var(--vscode-gitDecoration-deletedResourceForeground, var(--vscode-errorForeground)); }
    .conflict { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; padding-left: 2px; }
    .conflict .why { display: inline-flex; align-items: center; gap: 4px; color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
    .conflict label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
    .unrestorable { display: inline-flex; align-items: center; gap: 4px; padding-left: 2px; }
    li[data-conflict] { background: var(--vscode-inputValidation-warningBackground, transparent); }
    .error[role='alert'] { display: flex; gap: 4px; align-items: flex-start; padding: 4px 6px; border-radius: 2px;
      background: var(--vscode-inputValidation-errorBackground, transparent); border: 1px solid var(--vscode-inputValidation-errorBorder, transparent); }
    .buttons { display: flex; justify-content: flex-end; gap: 6px; margin-top: 4px; }
    .loading { display: flex; align-items: center; gap: 6px; }
    vscode-progress-ring { width: 16px; height: 16px; }
  `];

  @property({ attribute: false }) request!: RestoreRequest;
  @consume({ context: hostClientContext }) private client?: HostClient;
  @state() private scope: RestoreScope = 'both';
  @state() private preview: RestorePreview | undefined;
  @state() private loading = false;
  @state() private restoring = false;
  @state() private error: string | undefined;
  /** Conflicting files the user chose to overwrite. */
  @state() private overwrite: ReadonlySet<string> = new Set();
  @query('dialog') private dialog!: HTMLDialogElement;
  /** Answers to older previews (another scope picked meanwhile) are dropped. */
  private previewRun = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('request')) return;
    const r = this.request;
    this.scope = 'both';
    this.overwrite = new Set();
    this.error = undefined;
    this.restoring = false;
    this.preview = r.kind === 'restore' ? r.preview : undefined;
    if (r.kind === 'restore' && !r.preview) void this.load();
  }

  protected override updated(): void {
    if (!this.dialog.open) this.dialog.showModal();
  }

  override render() {
    const r = this.request;
    return html`<dialog aria-labelledby="title" aria-describedby="what" @cancel=${this.close}>
      ${r.kind === 'skipped' ? this.renderSkipped(r) : this.renderRestore(r)}
    </dialog>`;
  }

  private renderRestore(r: Extract<RestoreRequest, { kind: 'restore' }>) {
    const p = this.preview;
    const resend = r.resend !== undefined;
    return html`
      <h2 id="title">${icon('history')}${resend ? 'Edit and resend' : 'Restore checkpoint'}</h2>
      <p id="what">Back to just before ${r.label}.${resend ? ' Files and conversation go back; then the message is in the prompt box to edit.' : ''}</p>
      ${resend ? nothing : html`
        <fieldset aria-label="What to restore" ?disabled=${this.restoring}>
          <legend class="muted">Restore:</legend>
          ${SCOPES.map((s) => html`<label><input type="radio" name="scope" value=${s.id} .checked=${this.scope === s.id}
            @change=${() => this.pickScope(s.id)}>${s.label}</label>`)}
        </fieldset>`}
      ${this.loading || !p ? html`<div class="loading muted" role="status">${this.loading ? html`<vscode-progress-ring role="presentation" aria-hidden="true" aria-live="off"></vscode-progress-ring>Looking at what would change…` : ''}</div>`
        : this.renderPreview(p)}
      ${this.error ? html`<div class="error" role="alert">${icon('error', { small: true })}<span>${this.error}</span></div>` : nothing}
      <div class="buttons">
        <button ?disabled=${!p || this.loading || this.restoring} @click=${this.restore}>${this.restoring ? 'Restoring…' : resend ? 'Restore and edit' : 'Restore'}</button>
        <button class="secondary" @click=${this.close}>Cancel</button>
      </div>`;
  }

  private renderPreview(p: RestorePreview) {
    const files = p.files;
    const touched = p.scope !== 'conversation';
    return html`
      ${touched ? html`<p>${files.length === 0 ? 'No file goes back: the session changed none since then.' : `${files.length} file${files.length === 1 ? '' : 's'}:`}</p>` : nothing}
      ${files.length > 0 ? html`<ul class="files" aria-label="Files">${files.map((f) => this.renderFile(f))}</ul>` : nothing}
      <p data-rewound-count>${p.scope === 'files' ? 'The conversation stays as it is.'
        : p.rewoundRecords === 0 ? 'No message is rewound.'
        : `${p.rewoundRecords} message${p.rewoundRecords === 1 ? ' is' : 's are'} rewound: kept in the transcript (dimmed), out of the model's context.`}</p>`;
  }

  private renderFile(f: RestorePreviewFile) {
    const action = ACTION_TEXT[f.action];
    const chosen = this.overwrite.has(f.path);
    return html`<li data-path=${f.path} ?data-conflict=${f.conflict !== undefined} ?data-unrestorable=${f.unrestorable !== undefined}>
      <div class="line">
        <span class="action" data-action=${f.action} title=${action.title}>${action.label}</span>
        <span class="path" title=${f.path}>${f.label}</span>
        ${f.added !== undefined || f.removed !== undefined ? html`<span class="counts" aria-label="${f.added ?? 0} lines added, ${f.removed ?? 0} removed">
          <span class="added">+${f.added ?? 0}</span> <span class="removed">−${f.removed ?? 0}</span></span>` : nothing}
      </div>
      ${f.unrestorable !== undefined ? html`<div class="unrestorable error" data-unrestorable-reason>${icon('error', { small: true })}<span>Cannot be put back: ${f.unrestorable}</span></div>`
        : f.conflict !== undefined ? html`<div class="conflict">
          <span class="why" title=${f.conflict}>${icon('warning', { small: true })}Changed since by someone else: ${f.conflict}</span>
          <label><input type="checkbox" aria-label="Overwrite ${f.label}" .checked=${chosen} ?disabled=${this.restoring}
            @change=${(e: Event) => this.choose(f.path, (e.target as HTMLInputElement).checked)}>Overwrite</label>
          <span class="muted">${chosen ? 'their edit is replaced' : 'their edit stays'}</span>
        </div>` : nothing}
    </li>`;
  }

  private renderSkipped(r: Extract<RestoreRequest, { kind: 'skipped' }>) {
    return html`
      <h2 id="title">${icon('redo')}Redo left ${r.skipped.length} file${r.skipped.length === 1 ? '' : 's'} as ${r.skipped.length === 1 ? 'it was' : 'they were'}</h2>
      <p id="what">Someone changed ${r.skipped.length === 1 ? 'it' : 'them'} since the restore, so the redo did not overwrite ${r.skipped.length === 1 ? 'it' : 'them'}.</p>
      <ul class="files" aria-label="Files left as they were">${r.skipped.map((s) => html`<li data-path=${s.path}>
        <div class="line"><span class="path" title=${s.path}>${s.path}</span></div>
        <div class="conflict"><span class="why">${icon('warning', { small: true })}${s.reason}</span></div></li>`)}</ul>
      <div class="buttons">
        <button class="secondary" @click=${() => emit(this, 'as-show-changes', { sessionId: r.sessionId })}>${icon('files', { small: true })}Show changes</button>
        <button @click=${this.close}>Close</button>
      </div>`;
  }

  private pickScope(scope: RestoreScope): void {
    if (scope === this.scope) return;
    this.scope = scope;
    void this.load();
  }

  private choose(path: string, on: boolean): void {
    const next = new Set(this.overwrite);
    if (on) next.add(path);
    else next.delete(path);
    this.overwrite = next;
  }

  private async load(): Promise<void> {
    const r = this.request;
    if (r.kind !== 'restore' || !this.client) return;
    const run = ++this.previewRun;
    this.loading = true;
    this.error = undefined;
    try {
      const { preview } = await this.client.request('changes.preview', { sessionId: r.sessionId, key: r.key, scope: this.scope });
      if (run === this.previewRun) this.preview = preview;
    } catch (err) {
      if (run === this.previewRun) { this.preview = undefined; this.error = messageOf(err); }
    } finally {
      if (run === this.previewRun) this.loading = false;
    }
  }

  private async restore(): Promise<void> {
    const r = this.request;
    const p = this.preview;
    if (r.kind !== 'restore' || !p || !this.client || this.restoring) return;
    // Only files still in conflict in what was shown: a choice made under another scope does not count.
    const overwrite = p.files.filter((f) => f.conflict !== undefined && f.unrestorable === undefined && this.overwrite.has(f.path)).map((f) => f.path);
    this.restoring = true;
    this.error = undefined;
    try {
      const { result } = await this.client.request('changes.restore', { sessionId: r.sessionId, key: r.key, scope: p.scope, overwrite });
      emit(this, 'as-restore-done', { sessionId: r.sessionId, result, ...(r.resend !== undefined ? { resend: r.resend } : {}) });
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.restoring = false;
    }
  }

  private close(e?: Event): void {
    e?.preventDefault();
    this.dialog?.close();
    emit(this, 'as-restore-close', {});
  }
}

function messageOf(err: unknown): string {
  if (err instanceof HostRequestError && err.hint) return `${err.message} — ${err.hint}`;
  return err instanceof Error ? err.message : String(err);
}

declare global {
  interface HTMLElementTagNameMap { 'as-restore-dialog': AsRestoreDialog }
}
