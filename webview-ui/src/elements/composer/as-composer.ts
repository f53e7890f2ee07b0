/** The prompt box (Enter sends, Shift+Enter new line) and the queued prompts with remove buttons. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { QueuedPrompt } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';

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
  `];

  @property() sessionId = '';
  @property({ attribute: false }) queue: QueuedPrompt[] = [];
  /** A turn is running: a new prompt will be queued (the host decides). */
  @property({ type: Boolean }) busy = false;
  @property({ type: Boolean }) disabled = false;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  override render() {
    return html`
      ${this.queue.length > 0 ? html`
        <ul aria-label="Queued prompts">
          ${this.queue.map((q) => html`<li data-prompt-id=${q.id}>
            <span class="muted" title=${q.text}>Queued: ${q.text}</span>
            <button class="icon" aria-label="Remove queued prompt" title="Remove from queue"
              @click=${() => emit(this, 'as-remove-queued', { sessionId: this.sessionId, promptId: q.id })}>${icon('close', { small: true })}</button>
          </li>`)}
        </ul>` : nothing}
      <textarea aria-label="Prompt" placeholder=${this.busy ? 'A turn is running: your prompt will be queued' : 'Ask the agent… (Enter to send, Shift+Enter for a new line)'}
        ?disabled=${this.disabled} @keydown=${this.onKeydown}></textarea>
      <div class="bar">
        <span class="muted status">${this.busy ? html`<vscode-progress-ring role="presentation" aria-hidden="true" aria-live="off"></vscode-progress-ring>Running — new prompts are queued` : ''}
          ${this.queue.length > 0 ? html`<vscode-badge aria-label="${this.queue.length} queued">${this.queue.length}</vscode-badge>` : nothing}</span>
        <button ?disabled=${this.disabled} @click=${this.send}>${icon('send', { small: true })}${this.busy ? 'Queue' : 'Send'}</button>
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
    this.send();
  }

  private send(): void {
    const text = this.textarea.value;
    if (!text.trim() || this.disabled) return;
    emit(this, 'as-send', { sessionId: this.sessionId, text });
    this.textarea.value = '';
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-composer': AsComposer }
}
