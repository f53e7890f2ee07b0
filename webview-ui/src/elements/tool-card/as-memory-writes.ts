/**
 * The memory writes of one remember / forget call, under its tool card: what was added, updated
 * or removed, in which file, with Undo (memory.undo; "undone" once the host recorded it, or the
 * host's reason when it could not, e.g. the entry was changed since) and Open (memory.open).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { icon } from '../../codicons';
import { baseStyles } from '../../styles';
import { hostClientContext, type HostClient } from '../../host-client';
import type { ToolRecord } from '../../../../src/shared/transcript';

type MemoryWrite = NonNullable<ToolRecord['memory']>[number];

const VERB: Record<MemoryWrite['action'], string> = { added: 'Remembered', updated: 'Memory updated', removed: 'Forgot' };

@customElement('as-memory-writes')
export class AsMemoryWrites extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; font-size: 0.9em; margin-top: 2px; padding: 0 6px; }
    .write { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
    .text { overflow-wrap: anywhere; }
    .path { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; }
    .undone .text { text-decoration: line-through; }
    ul { list-style: none; margin: 0; padding: 0; }
  `];

  @property() sessionId = '';
  @property() callId = '';
  @property({ attribute: false }) writes: MemoryWrite[] = [];
  @consume({ context: hostClientContext }) private client?: HostClient;
  /** Undo requests in flight, and the host's answer when it refused (by entry id). */
  @state() private busy = new Set<string>();
  @state() private failed = new Map<string, string>();
  @state() private done = new Set<string>();

  override render() {
    return html`<ul class="muted" aria-label="Memory writes">${this.writes.map((w) => this.renderWrite(w))}</ul>`;
  }

  private renderWrite(w: MemoryWrite) {
    const undone = w.undone === true || this.done.has(w.entryId);
    const problem = this.failed.get(w.entryId);
    return html`<li class="write ${undone ? 'undone' : ''}" data-memory-entry=${w.entryId}>
      ${icon('book', { small: true })}<span>${VERB[w.action]}:</span><span class="text">${w.text}</span>
      <span class="path" title=${w.memoryPath}>${basename(w.memoryPath)}</span>
      ${undone ? html`<span role="status">undone</span>`
        : html`<button class="secondary" ?disabled=${this.busy.has(w.entryId)} aria-label="Undo memory write: ${w.text}" @click=${() => this.undo(w)}>${icon('discard', { small: true })}Undo</button>`}
      <button class="secondary" aria-label="Open the memory file" @click=${() => this.open()}>Open</button>
      ${problem ? html`<span class="error" role="alert">${problem}</span>` : nothing}
    </li>`;
  }

  private async undo(w: MemoryWrite): Promise<void> {
    if (!this.client) return;
    this.busy = new Set([...this.busy, w.entryId]);
    this.failed = new Map([...this.failed].filter(([id]) => id !== w.entryId));
    try {
      await this.client.request('memory.undo', { sessionId: this.sessionId, callId: this.callId, entryId: w.entryId });
      this.done = new Set([...this.done, w.entryId]);
    } catch (err) {
      this.failed = new Map([...this.failed, [w.entryId, err instanceof Error ? err.message : String(err)]]);
    } finally {
      this.busy = new Set([...this.busy].filter((id) => id !== w.entryId));
    }
  }

  private open(): void {
    void this.client?.request('memory.open', {}).catch(() => undefined);
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

declare global {
  interface HTMLElementTagNameMap { 'as-memory-writes': AsMemoryWrites }
}
