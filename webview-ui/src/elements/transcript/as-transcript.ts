/**
 * The transcript of one session, virtualised: only rows in or near the viewport are in the
 * DOM (spacers stand in for the rest); it sticks to the bottom while new rows arrive unless
 * the user scrolled up; scrolling to the top pages older entries in. It re-renders when the
 * session's rows change (or its retry card, or whether checkpoint actions apply), never for a
 * delta: the streaming element appends it. Records offer checkpoint actions in a hover toolbar
 * (record-actions.ts); rewound records stay, dimmed, under a heading that folds their run.
 */
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CODICONS, icon } from '../../codicons';
import { emit } from '../../events';
import { markdownContent } from '../../markdown/markdown-directive';
import { renderMarkdown, type SanitizedHtml } from '../../markdown/render';
import { baseStyles } from '../../styles';
import type { AssistantRecord, MarkerRecord, TranscriptRecord } from '../../../../src/shared/transcript';
import type { StoreChange } from '../../state/store';
import { StoreController } from '../../state/store-controller';
import { recordsOf, type SessionView } from '../../state/types';
import { computeWindow } from './virtual-window';
import { actionContext, displayRows, excerpt, recordActions, type ActionContext, type DisplayRow, type RecordAction } from './record-actions';
import '../hook-runs/as-hook-runs';
import './streaming-text';
import './as-retry-card';
import './as-error-actions';
import '../tool-card/as-tool-card';
import '../question-card/as-question-card';

/** The copy button comes from sanitised Markdown as an empty button: its icon is drawn here. */
const glyph = (cp: number) => unsafeCSS(`"\\${cp.toString(16)}"`);

/** Rendered Markdown per (immutable) row, so scrolling back doesn't re-parse. */
const markdownCache = new WeakMap<AssistantRecord, SanitizedHtml>();

function markdownOf(row: AssistantRecord): SanitizedHtml {
  let out = markdownCache.get(row);
  if (out === undefined) {
    out = renderMarkdown(row.text);
    markdownCache.set(row, out);
  }
  return out;
}

const thinkingSummary = html`<summary><span class="chevron">${icon('chevron-right', { small: true })}</span>${icon('lightbulb', { small: true })}Thinking</summary>`;

@customElement('as-transcript')
export class AsTranscript extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; min-height: 0; }
    .scroller { height: 100%; overflow-y: auto; overflow-anchor: none; padding: 0 8px; box-sizing: border-box; }
    .row { padding: 6px 0; }
    .user { white-space: pre-wrap; word-break: break-word; padding: 6px 8px; border-radius: 3px;
      background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); }
    .assistant { word-break: break-word; }
    .assistant.streaming as-streaming-text[data-kind='text'] { white-space: pre-wrap; }
    .assistant p { margin: 4px 0; }
    .assistant a[data-href] { color: var(--vscode-textLink-foreground); text-decoration: underline; cursor: pointer; }
    .assistant a[data-href]:hover { color: var(--vscode-textLink-activeForeground); }
    .assistant code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background, transparent); }
    .code-block { position: relative; }
    .code-block pre { padding: 6px; overflow-x: auto; background: var(--vscode-textCodeBlock-background, transparent); }
    .code-block .copy { position: absolute; top: 2px; right: 2px; padding: 2px; min-width: 22px; min-height: 22px; border-radius: 5px;
      background: var(--vscode-editorWidget-background, transparent); color: var(--vscode-icon-foreground, var(--vscode-foreground));
      border: 1px solid var(--vscode-widget-border, transparent); opacity: 0.7; }
    .code-block:hover .copy, .code-block .copy:focus-visible, .code-block .copy[data-copied] { opacity: 1; }
    .code-block .copy:hover { background: var(--vscode-toolbar-hoverBackground, var(--vscode-editorWidget-background)); }
    .code-block .copy::before { font: normal normal normal 16px/1 codicon; content: ${glyph(CODICONS.copy)}; }
    .code-block .copy[data-copied='ok']::before { content: ${glyph(CODICONS.check)}; }
    .code-block .copy[data-copied='failed']::before { content: ${glyph(CODICONS.error)}; color: var(--vscode-errorForeground); }
    .md-image { color: var(--vscode-descriptionForeground); }
    /* An answer that has not produced text yet still takes a line; an empty "Thinking" is hidden. */
    .assistant.streaming { min-height: 1.4em; }
    details.thinking:has(> as-streaming-text[data-empty]) { display: none; }
    details.thinking { color: var(--vscode-descriptionForeground); white-space: pre-wrap; }
    details.thinking > summary { cursor: pointer; white-space: normal; display: inline-flex; align-items: center; gap: 4px; }
    details.thinking > summary::-webkit-details-marker { display: none; }
    details.thinking > summary::marker { content: ''; }
    details.thinking > summary .chevron { display: inline-flex; transition: transform 0.1s; }
    details.thinking[open] > summary .chevron { transform: rotate(90deg); }
    details.thinking[open] { border-left: 2px solid var(--vscode-textBlockQuote-border, var(--vscode-widget-border, transparent)); padding-left: 6px; margin-bottom: 4px; }
    .marker { text-align: center; font-size: 0.9em; color: var(--vscode-descriptionForeground);
      border-top: 1px dashed var(--vscode-widget-border, var(--vscode-descriptionForeground)); padding-top: 4px; }
    .marker[data-variant='failed'], .marker[data-variant='interrupted'] { color: var(--vscode-errorForeground); }
    .more { text-align: center; padding: 4px; }
    .assistant[data-partial] { border-left: 2px solid var(--vscode-editorWarning-foreground, var(--vscode-widget-border, transparent)); padding-left: 6px; }
    .marker details.summary { text-align: start; margin-top: 4px; }
    .marker .summary-text { white-space: pre-wrap; }
    .partial-note { display: flex; gap: 4px; align-items: center; font-size: 0.9em; color: var(--vscode-descriptionForeground); }
    .retry-slot { padding: 6px 0; }
    .empty { padding: 16px; text-align: center; }
    .row { position: relative; }
    /* Out of sight until hovered or focused, but still in the tab order (opacity, not visibility). */
    .actions { position: absolute; top: 2px; right: 2px; display: flex; gap: 1px; opacity: 0; z-index: 1;
      background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); border: 1px solid var(--vscode-widget-border, transparent); border-radius: 5px; }
    .row:hover .actions, .actions:focus-within { opacity: 1; }
    .row[data-rewound] > .content { opacity: 0.5; }
    .rewound-label { display: inline-flex; align-items: center; gap: 2px; font-size: 0.85em; margin-bottom: 2px; }
    .rewound-run { display: flex; align-items: center; gap: 6px; font-size: 0.9em; color: var(--vscode-descriptionForeground); }
    .rewound-run::before, .rewound-run::after { content: ''; flex: 1; border-top: 1px dotted var(--vscode-widget-border, var(--vscode-descriptionForeground)); }
    button.link { background: transparent; color: var(--vscode-textLink-foreground); padding: 0 2px; border: none; }
    button.link:hover:not(:disabled) { background: transparent; text-decoration: underline; }
    .marker .redo { margin-top: 4px; }
  `];

  /** The session shown; the transcript follows its rows through the store. */
  @property() sessionId = '';
  @query('.scroller') private scroller!: HTMLElement;
  private readonly store = new StoreController(this, (c) => this.concerns(c));
  /** The retry card last rendered (it comes and goes with meta events too). */
  private shownRetry: unknown;
  /** Whether checkpoint actions applied at the last render (a turn's end may change only the meta). */
  private shownActions = '';
  /** Runs of rewound records the user folded (by their heading's key). */
  private collapsed = new Set<string>();

  private readonly heights = new Map<string, number>();
  private spacerHeights: [number, number] = [0, 0];
  private stickToBottom = true;
  private frame = 0;
  private lastSessionId = '';
  private lastFirstKey: string | undefined;
  private prevScrollHeight = 0;
  private loadingOlder = false;

  private get view(): SessionView | undefined {
    return this.store.value?.get(this.sessionId);
  }

  private concerns(c: StoreChange): boolean {
    if (c.type === 'delta') {
      // Streaming grows the last row without a render: keep following it.
      if (c.sessionId === this.sessionId && this.stickToBottom && this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
      return false;
    }
    if (c.type !== 'session' || c.sessionId !== this.sessionId) return false;
    return c.rows || this.view?.snapshot?.pendingRetry !== this.shownRetry || actionsSignature(this.actionContext()) !== this.shownActions;
  }

  private actionContext(): ActionContext {
    const view = this.view;
    return actionContext(view?.snapshot, view?.readOnlyBy !== undefined);
  }

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const records = recordsOf(view);
    this.shownRetry = view.snapshot?.pendingRetry;
    const ctx = this.actionContext();
    this.shownActions = actionsSignature(ctx);
    if (view.id !== this.lastSessionId) {
      this.lastSessionId = view.id;
      this.heights.clear();
      this.stickToBottom = true;
      this.collapsed = new Set();
    }
    const rows = displayRows(records, this.collapsed);
    const scrollTop = this.scroller?.scrollTop ?? Number.MAX_SAFE_INTEGER;
    const viewport = this.scroller?.clientHeight || 800;
    const keys = rows.map((r) => r.key);
    const w = computeWindow(keys, this.heights, this.stickToBottom ? Number.MAX_SAFE_INTEGER : scrollTop, viewport);
    const visible = rows.slice(w.start, w.end);
    this.spacerHeights = [w.before, w.after];
    return html`
      <div class="scroller" role="log" aria-label="Transcript" tabindex="0" @scroll=${this.onScroll} @click=${this.onClick} @keydown=${this.onKeydown}>
        ${view.hasMore ? html`<div class="more"><button class="secondary" @click=${this.loadOlder}>Load older messages</button></div>` : nothing}
        ${rows.length === 0 ? html`<div class="empty muted">${view.loaded ? 'No messages yet. Type a prompt below.' : 'Loading…'}</div>` : nothing}
        <div class="spacer before" aria-hidden="true"></div>
        ${repeat(visible, (r) => r.key, (r) => this.renderDisplayRow(r, records, ctx))}
        <div class="spacer after" aria-hidden="true"></div>
        ${view.snapshot?.pendingRetry ? html`<div class="retry-slot"><as-retry-card .retry=${view.snapshot.pendingRetry} .sessionId=${view.id}></as-retry-card></div>` : nothing}
      </div>`;
  }

  private renderDisplayRow(d: DisplayRow, records: readonly TranscriptRecord[], ctx: ActionContext) {
    if (d.kind === 'rewound') {
      return html`<div class="row" data-key=${d.key} data-kind="rewound-run"><div class="rewound-run" role="note">
        ${icon('discard', { small: true })}<span>${d.count} message${d.count === 1 ? '' : 's'} rewound</span>
        <button class="link" aria-expanded=${d.collapsed ? 'false' : 'true'} aria-label="${d.collapsed ? 'Show' : 'Hide'} ${d.count} rewound message${d.count === 1 ? '' : 's'}"
          @click=${() => this.toggleRun(d.key)}>${d.collapsed ? 'show' : 'hide'}</button>
      </div></div>`;
    }
    const r = d.record;
    const actions = recordActions(records, d.index, ctx);
    return html`<div class="row" data-key=${r.key} data-kind=${r.kind} ?data-rewound=${r.rewound !== undefined}>
      ${actions.length > 0 && !actions.includes('redo') ? this.renderActions(r, actions) : nothing}
      <div class="content">
        ${r.rewound !== undefined ? html`<div class="rewound-label muted" title="Rewound by a checkpoint restore: kept for the record, the model no longer sees it">${icon('discard', { small: true })}rewound</div>` : nothing}
        ${this.renderRow(r, actions.includes('redo'))}
      </div>
    </div>`;
  }

  private renderActions(r: TranscriptRecord, actions: RecordAction[]) {
    const button = (action: RecordAction) => {
      switch (action) {
        case 'restore': return html`<button class="icon" aria-label="Restore checkpoint…" title="Restore checkpoint…: put files and conversation back to just before this"
          @click=${() => emit(this, 'as-restore-checkpoint', { sessionId: this.sessionId, key: r.key, label: checkpointLabel(r) })}>${icon('history')}</button>`;
        case 'fork': return html`<button class="icon" aria-label="Fork from here" title="Fork from here: a new session with the history up to the end of this turn"
          @click=${() => emit(this, 'as-fork', { sessionId: this.sessionId, key: r.key })}>${icon('repo-forked')}</button>`;
        case 'edit': return r.kind === 'user' ? html`<button class="icon" aria-label="Edit and resend" title="Edit and resend: restore to just before this message and edit it in the prompt box"
          @click=${() => emit(this, 'as-edit-resend', { sessionId: this.sessionId, key: r.key, text: r.text, label: checkpointLabel(r) })}>${icon('edit')}</button>` : nothing;
        default: return nothing;
      }
    };
    return html`<div class="actions" role="toolbar" aria-label=${r.kind === 'user' ? 'Message actions' : r.kind === 'assistant' ? 'Answer actions' : 'Checkpoint actions'}>${actions.map(button)}</div>`;
  }

  private toggleRun(key: string): void {
    if (!this.collapsed.delete(key)) this.collapsed.add(key);
    this.requestUpdate();
  }

  private renderRedo(row: MarkerRecord) {
    const restoreId = row.restoreId;
    if (restoreId === undefined) return nothing;
    return html`<div><button class="secondary redo" title="Put back what this restore changed (files, and the conversation while no turn ran since)"
      @click=${() => emit(this, 'as-redo', { sessionId: this.sessionId, restoreId })}>${icon('redo', { small: true })}Redo (undo this restore)</button></div>`;
  }

  private renderRow(row: TranscriptRecord, redo = false) {
    switch (row.kind) {
      case 'user':
        return html`<div class="user" aria-label="You">${row.text}</div>`;
      case 'assistant':
        if (row.streaming) {
          return html`<div class="assistant streaming" data-message-id=${row.key} aria-busy="true">
            <details class="thinking">${thinkingSummary}<as-streaming-text data-kind="thinking" .sessionId=${this.sessionId} .messageId=${row.key} .kind=${'thinking'} .initial=${row.thinking}></as-streaming-text></details>
            <as-streaming-text data-kind="text" .sessionId=${this.sessionId} .messageId=${row.key} .kind=${'text'} .initial=${row.text}></as-streaming-text>
          </div>`;
        }
        return html`<div class="assistant" data-message-id=${row.key} ?data-partial=${row.partial === true}>
          ${row.partial ? html`<div class="partial-note" role="note">${icon('warning', { small: true })}Partial answer: the stream broke off here. Kept for the record; the model does not see it.</div>` : nothing}
          ${row.interrupted ? html`<div class="partial-note" role="note" data-interrupted>${icon('circle-slash', { small: true })}Interrupted: the answer was cut off here.</div>` : nothing}
          ${row.thinking ? html`<details class="thinking">${thinkingSummary}${row.thinking}</details>` : nothing}
          <div class="markdown" ${markdownContent(markdownOf(row))}></div>
        </div>`;
      case 'tool':
        return html`<as-tool-card .row=${row} .sessionId=${this.sessionId}></as-tool-card>`;
      case 'marker':
        if (row.hook) return html`<div class="marker hook" role="note" data-variant=${row.variant}><as-hook-runs .runs=${[row.hook]}></as-hook-runs></div>`;
        if (row.question) return html`<as-question-card .question=${row.question} .answer=${row.answer}></as-question-card>`;
        return html`<div class="marker" role="note" data-variant=${row.variant}>${row.text}${row.error?.hint ? html`<div>${row.error.hint}</div>` : nothing}${row.variant === 'failed' && row.error ? html`<as-error-actions .error=${row.error} .sessionId=${this.sessionId}></as-error-actions>` : nothing}${row.summary ? html`<details class="summary"><summary>Summary the model now sees</summary><div class="summary-text">${row.summary}</div></details>` : nothing}${redo ? this.renderRedo(row) : nothing}</div>`;
    }
  }

  override willUpdate(): void {
    this.prevScrollHeight = this.scroller?.scrollHeight ?? 0;
  }

  override updated(): void {
    // Sized through CSSOM, not a style attribute: the webview's CSP forbids inline style attributes.
    const [before, after] = this.spacerHeights;
    this.renderRoot.querySelector<HTMLElement>('.spacer.before')?.style.setProperty('height', `${before}px`);
    this.renderRoot.querySelector<HTMLElement>('.spacer.after')?.style.setProperty('height', `${after}px`);
    let changed = false;
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('.row')) {
      const key = el.dataset.key ?? '';
      const h = el.offsetHeight;
      if (h > 0 && this.heights.get(key) !== h) {
        this.heights.set(key, h);
        changed = true;
      }
    }
    const view = this.view;
    if (!view) return;
    const firstKey = recordsOf(view)[0]?.key;
    if (this.lastFirstKey !== undefined && firstKey !== this.lastFirstKey && !this.stickToBottom) {
      // Older rows were prepended: keep what the user was looking at in place.
      this.scroller.scrollTop += this.scroller.scrollHeight - this.prevScrollHeight;
    }
    this.lastFirstKey = firstKey;
    if (this.stickToBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
    if (changed) this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.requestUpdate();
    });
  }

  private onScroll(): void {
    const s = this.scroller;
    this.stickToBottom = s.scrollTop + s.clientHeight >= s.scrollHeight - 24;
    if (s.scrollTop < 200 && this.view?.hasMore) void this.loadOlder();
    this.schedule();
  }

  private loadOlder(): void {
    if (this.loadingOlder) return;
    this.loadingOlder = true;
    emit(this, 'as-load-older', { sessionId: this.sessionId });
    // The parent loads and re-renders us; allow another request after a moment.
    setTimeout(() => { this.loadingOlder = false; }, 500);
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const link = target.closest<HTMLElement>('a[data-href]');
    if (link) {
      e.preventDefault();
      emit(this, 'as-open-link', { href: link.dataset.href ?? '', sessionId: this.sessionId });
      return;
    }
    const copy = target.closest<HTMLButtonElement>('button.copy');
    if (copy) {
      const code = copy.parentElement?.querySelector('code')?.textContent ?? '';
      const show = (state: 'ok' | 'failed' | undefined, label: string): void => {
        copy.setAttribute('aria-label', label);
        copy.title = label;
        if (state) copy.dataset.copied = state;
        else delete copy.dataset.copied;
      };
      navigator.clipboard.writeText(code).then(() => show('ok', 'Copied'), () => show('failed', 'Copy failed'));
      setTimeout(() => show(undefined, 'Copy code'), 2000);
    }
  }

  private onKeydown(e: KeyboardEvent): void {
    const link = (e.target as HTMLElement).closest<HTMLElement>('a[data-href]');
    if (link && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      emit(this, 'as-open-link', { href: link.dataset.href ?? '', sessionId: this.sessionId });
    }
  }
}

/** What the dialog calls a checkpoint: the message it goes back before, or the compaction. */
function checkpointLabel(r: TranscriptRecord): string {
  return r.kind === 'user' ? `your message “${excerpt(r.text)}”` : 'this compaction';
}

/** Changes of the context that change which actions show (a re-render is due). */
function actionsSignature(ctx: ActionContext): string {
  return `${ctx.busy}|${ctx.readOnly}|${ctx.turnStartSeq}|${ctx.redoableKey}`;
}

declare global {
  interface HTMLElementTagNameMap { 'as-transcript': AsTranscript }
}
