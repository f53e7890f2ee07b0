/**
 * The prompt box (Enter sends, Shift+Enter new line) and the queued prompts with remove buttons.
 * Read-only (another window writes the session): the box is disabled and says which window has it,
 * with "Open in the other window" and "Take over here". A session whose worktree is missing, damaged
 * or discarded cannot run: the box is disabled and says why.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AsPromptMenu } from './as-prompt-menu';
import './as-prompt-menu';
import type { SessionWriterInfo } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { StoreController, sessionChanges } from '../../state/store-controller';
import { activityOf, type Activity, type SessionView } from '../../state/types';
import { composerBlock } from '../../state/worktree';
import { baseStyles } from '../../styles';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';

/** What a busy session is doing, and that a prompt sent now waits in the queue. */
const BUSY_TEXT: Partial<Record<Activity, { status: string; placeholder: string; spinning: boolean }>> = {
  streaming: { status: 'Running — new prompts are queued', placeholder: 'A turn is running: your prompt will be queued', spinning: true },
  pausing: { status: 'Pausing at the next step — new prompts are queued', placeholder: 'Pausing: your prompt will be queued', spinning: true },
  paused: { status: 'Paused — resume to continue; new prompts are queued', placeholder: 'Paused: your prompt will be queued', spinning: false },
  waiting: { status: 'Waiting for your approval — new prompts are queued', placeholder: 'Waiting for your approval: your prompt will be queued', spinning: false },
};

@customElement('as-composer')
export class AsComposer extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 6px 8px; border-top: 1px solid var(--vscode-widget-border, transparent); }
    textarea { width: 100%; box-sizing: border-box; resize: vertical; min-height: 3em; max-height: 40vh; }
    .bar { display: flex; justify-content: space-between; align-items: center; gap: 6px; margin-top: 4px; }
    .status { display: inline-flex; align-items: center; gap: 6px; min-width: 0; }
    vscode-progress-ring { width: 14px; height: 14px; flex: none; }
    ul { list-style: none; margin: 0 0 6px; padding: 0; }
    li { display: flex; gap: 6px; align-items: center; }
    li span { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .read-only { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-bottom: 6px; padding: 4px 6px;
      background: var(--vscode-inputValidation-infoBackground, var(--vscode-editorWidget-background));
      border: 1px solid var(--vscode-inputValidation-infoBorder, var(--vscode-widget-border, transparent)); border-radius: 2px; }
    .read-only .why { flex: 1 1 16em; }
    .read-only .actions { display: flex; gap: 6px; }
  `];

  /** The session prompts go to; the composer follows its state, queue and writer through the store. */
  @property() sessionId = '';
  @query('textarea') private textarea!: HTMLTextAreaElement;
  /** Text after a leading `/` while the box holds only that: the MCP prompt menu is open. */
  @state() private slash?: string;
  @query('as-prompt-menu') private promptMenu?: AsPromptMenu;
  private readonly store = new StoreController(this, sessionChanges(() => this.sessionId, () => {
    const v = this.view;
    return [v?.state, v?.snapshot?.pausing, v?.snapshot?.queue, v?.loaded, v?.readOnlyBy, v?.takingOver, v?.snapshot?.worktree];
  }));

  private get view(): SessionView | undefined {
    return this.store.value?.get(this.sessionId);
  }

  override render() {
    const view = this.view;
    const queue = view?.snapshot?.queue ?? [];
    // A turn is under way (running, paused or waiting): a new prompt will be queued (the host decides).
    const busy = view ? BUSY_TEXT[activityOf(view)] : undefined;
    // Another window writes this session: nothing can be sent here until it is taken over.
    const readOnlyBy = view?.readOnlyBy;
    const locked = readOnlyBy !== undefined;
    // Its worktree is gone, damaged or discarded: a prompt would have nowhere to run.
    const blocked = view ? composerBlock(view) : undefined;
    const disabled = !view?.loaded || locked || blocked !== undefined;
    return html`
      ${readOnlyBy ? this.renderReadOnly(readOnlyBy, view?.takingOver ?? false) : nothing}
      ${queue.length > 0 ? html`
        <ul aria-label="Queued prompts">
          ${queue.map((q) => html`<li data-prompt-id=${q.id}>
            <span class="muted" title=${q.text}>Queued: ${q.text}</span>
            <button class="icon" aria-label="Remove queued prompt" title="Remove from queue" ?disabled=${locked}
              @click=${() => emit(this, 'as-remove-queued', { sessionId: this.sessionId, promptId: q.id })}>${icon('close', { small: true })}</button>
          </li>`)}
        </ul>` : nothing}
      ${this.slash !== undefined ? html`<as-prompt-menu .sessionId=${this.sessionId} .query=${this.slash} .choose=${(t: string) => { this.slash = undefined; this.setText(t); }}></as-prompt-menu>` : nothing}
      <textarea aria-label="Prompt" placeholder=${locked ? 'Read-only here: another window writes this session' : blocked ? `${blocked}.` : busy ? busy.placeholder : 'Ask the agent… (Enter to send, Shift+Enter for a new line)'}
        aria-describedby=${blocked ? 'blocked' : nothing} ?disabled=${disabled} @keydown=${this.onKeydown} @input=${() => { this.slash = /^\/(\S*)$/.exec(this.textarea.value)?.[1]; }}></textarea>
      <div class="bar">
        <span class="muted status">${blocked ? html`<span id="blocked" data-blocked>${blocked}</span>` : busy && !locked ? html`${busy.spinning ? html`<vscode-progress-ring role="presentation" aria-hidden="true" aria-live="off"></vscode-progress-ring>` : nothing}${busy.status}` : ''}
          ${queue.length > 0 ? html`<vscode-badge aria-label="${queue.length} queued">${queue.length}</vscode-badge>` : nothing}</span>
        <button ?disabled=${disabled} @click=${this.send}>${icon('send', { small: true })}${busy ? 'Queue' : 'Send'}</button>
      </div>`;
  }

  private renderReadOnly(by: SessionWriterInfo, takingOver: boolean) {
    const who = `${by.label ?? 'Another window'} (pid ${by.pid}${by.host ? ` on ${by.host}` : ''})`;
    return html`
      <div class="read-only" role="status" data-read-only>
        ${icon('lock')}
        <span class="why">Read-only here: <strong>${who}</strong> is writing this session's history. Continue it there, or take it over here (that window then shows it read-only).</span>
        <span class="actions">
          <button class="secondary" title="Go to the window that has this session"
            @click=${() => emit(this, 'as-host-action', { action: 'switchWindow', sessionId: this.sessionId })}>Open in the other window</button>
          <button ?disabled=${takingOver} title="That window saves what it has and stops; this one writes from now on"
            @click=${() => emit(this, 'as-take-over', { sessionId: this.sessionId })}>${takingOver ? 'Taking over…' : 'Take over here'}</button>
        </span>
      </div>`;
  }

  /** Puts text in the box (e.g. "send selection" from the host). */
  setText(text: string): void {
    this.textarea.value = text;
    this.textarea.focus();
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    if (this.slash !== undefined && this.promptMenu?.pickFirst()) return;
    this.send();
  }

  private send(): void {
    const text = this.textarea.value;
    const view = this.view;
    if (!text.trim() || !view?.loaded || view.readOnlyBy || composerBlock(view)) return;
    emit(this, 'as-send', { sessionId: this.sessionId, text });
    this.textarea.value = '';
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-composer': AsComposer }
}
