/**
 * One tab per session: state badge, unread mark, "damaged" badge, changed-files count, the branch
 * of its own worktree, a marker when another shared-tree session changed the same files, children
 * nested under their parent, close.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { icon, type CodiconName } from '../../codicons';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { activityOf, changedFilesOf, type Activity, type SessionView } from '../../state/types';
import { overlapText, shortBranch, stateWord, worktreeOf, worktreeTooltip } from '../../state/worktree';

export interface TabItem {
  view: SessionView;
  depth: number;
}

const BADGE_LABEL: Record<Activity, string> = {
  streaming: 'streaming', waiting: 'waiting for approval', pausing: 'pausing at the next step', paused: 'paused', error: 'error', done: 'done', idle: '',
};
/** Streaming shows a progress ring (vscode-elements); the other states a codicon. */
const BADGE_ICON: Record<Exclude<Activity, 'streaming' | 'idle'>, CodiconName> = {
  waiting: 'shield', pausing: 'debug-pause', paused: 'debug-pause', error: 'error', done: 'check',
};

@customElement('as-tab-strip')
export class AsTabStrip extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; align-items: stretch; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); }
    /* Tabs scroll inside the list; the buttons after it never shrink or cover a tab. */
    [role='tablist'] { display: flex; flex: 1; min-width: 0; overflow-x: auto; scrollbar-width: thin; }
    .tab { flex: none; }
    .tab { display: flex; align-items: center; gap: 4px; padding: 4px 6px; cursor: pointer; white-space: nowrap; max-width: 220px;
      color: var(--vscode-tab-inactiveForeground, var(--vscode-foreground)); background: var(--vscode-tab-inactiveBackground, transparent);
      border-right: 1px solid var(--vscode-tab-border, transparent); }
    .tab[aria-selected='true'] { color: var(--vscode-tab-activeForeground, var(--vscode-foreground)); background: var(--vscode-tab-activeBackground, transparent);
      border-bottom: 2px solid var(--vscode-focusBorder); }
    .tab.child { font-size: 0.92em; }
    .depth-1 { padding-left: 18px; } .depth-2 { padding-left: 30px; } .depth-3 { padding-left: 42px; } .depth-4 { padding-left: 54px; }
    .title { overflow: hidden; text-overflow: ellipsis; }
    .badge { display: inline-flex; align-items: center; justify-content: center; width: 16px; height: 16px; flex: none; }
    .badge[data-activity='idle'] { width: 0; }
    vscode-progress-ring { width: 14px; height: 14px; }
    .badge[data-activity='streaming'] { color: var(--vscode-charts-blue, var(--vscode-foreground)); }
    .badge[data-activity='waiting'] { color: var(--vscode-editorWarning-foreground); }
    .badge[data-activity='pausing'] { opacity: 0.6; }
    .badge[data-activity='error'] { color: var(--vscode-errorForeground); }
    .badge[data-activity='done'] { color: var(--vscode-charts-green, var(--vscode-foreground)); }
    .unread { width: 6px; height: 6px; border-radius: 50%; background: var(--vscode-notificationsInfoIcon-foreground, var(--vscode-focusBorder)); }
    .new { align-self: center; margin: 0 2px; flex: none; }
    .new:last-child { margin-right: 4px; }
    .tab button.icon { min-width: 18px; min-height: 18px; padding: 0; visibility: hidden; }
    .tab:hover button.icon, .tab[aria-selected='true'] button.icon, .tab:focus-within button.icon { visibility: visible; }
    .closed-count { font-size: 11px; }
    .damaged { flex: none; font-size: 10px; line-height: 14px; padding: 0 4px; border-radius: 7px; text-transform: lowercase;
      color: var(--vscode-errorForeground); border: 1px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); }
    .changes { flex: none; display: inline-flex; align-items: center; gap: 1px; font-size: 11px; color: var(--vscode-descriptionForeground); }
    .title { min-width: 3em; }
    /* The title keeps its room first: the chip gives way (its tooltip has the whole branch). */
    .branch { flex: 0 4 auto; min-width: 24px; max-width: 100px; display: inline-flex; align-items: center; gap: 2px; font-size: 11px;
      padding: 0 4px 0 2px; border-radius: 7px; color: var(--vscode-descriptionForeground);
      border: 1px solid var(--vscode-widget-border, var(--vscode-descriptionForeground)); }
    .branch .name { overflow: hidden; text-overflow: ellipsis; }
    .branch[data-state]:not([data-state='ok']) { color: var(--vscode-editorWarning-foreground); border-color: var(--vscode-editorWarning-foreground); }
    .branch[data-state='discarded'] { opacity: 0.6; text-decoration: line-through; }
    .overlap { flex: none; display: inline-flex; color: var(--vscode-editorWarning-foreground); }
  `];

  /** Sessions in tab order (children right after their parent). */
  @property({ attribute: false }) items: TabItem[] = [];
  @property({ attribute: false }) visibleId: string | undefined;
  /** Ids of tabs the user closed (their sessions keep running). */
  @property({ attribute: false }) closed: ReadonlySet<string> = new Set();

  override render() {
    const shown = this.items.filter((i) => !this.closed.has(i.view.id) || i.view.id === this.visibleId);
    return html`
      <div role="tablist" aria-label="Sessions" @keydown=${this.onKeydown}>
        ${repeat(shown, (i) => i.view.id, (i) => this.renderTab(i))}
      </div>
      ${this.closed.size > 0 ? html`<button class="icon new" aria-label="Show closed tabs" title="Show ${this.closed.size} closed tab${this.closed.size === 1 ? '' : 's'}"
        @click=${() => emit(this, 'as-show-closed', {})}>${icon('eye')}<span class="closed-count" aria-hidden="true">${this.closed.size}</span></button>` : nothing}
      <button class="icon new" aria-label="New session" title="New session" @click=${() => emit(this, 'as-open-new', {})}>${icon('add')}</button>
    `;
  }

  private renderTab({ view, depth }: TabItem) {
    const activity = activityOf(view);
    const selected = view.id === this.visibleId;
    const parent = depth > 0 ? this.items.find((i) => i.view.id === view.parentId)?.view : undefined;
    const parentLabel = parent ? `child of ${parent.title || 'Untitled'}` : '';
    const changed = changedFilesOf(view);
    const changedText = changed > 0 ? `${changed} file${changed === 1 ? '' : 's'} changed` : '';
    const worktree = worktreeOf(view);
    const worktreeText = worktree ? `worktree branch ${worktree.branch}${worktree.state !== 'ok' ? ` (${stateWord(worktree.state)})` : ''}` : '';
    const overlap = view.sharedFiles?.length ? overlapText(view.sharedFiles) : '';
    const label = [view.title, BADGE_LABEL[activity], view.damaged ? `damaged: ${view.damaged.reason}` : '', worktreeText, changedText,
      overlap ? `files also changed by another session: ${overlap}` : '', view.unread ? 'unread' : ''].filter(Boolean).join(', ');
    return html`
      <div class="tab depth-${Math.min(depth, 4)} ${depth > 0 ? 'child' : ''}" role="tab" id="tab-${view.id}" data-session-id=${view.id}
        aria-selected=${selected ? 'true' : 'false'} aria-label=${label} aria-describedby=${parent ? `parent-of-${view.id}` : nothing} tabindex=${selected ? 0 : -1}
        @click=${() => emit(this, 'as-select-tab', { sessionId: view.id })}>
        ${depth > 0 ? html`<span aria-hidden="true" class="muted" title=${parentLabel}>${icon('type-hierarchy-sub', { small: true })}</span>` : nothing}
        ${parent ? html`<span class="sr-only" id="parent-of-${view.id}">${parentLabel}</span>` : nothing}
        <span class="badge" data-activity=${activity} aria-hidden="true" title=${BADGE_LABEL[activity]}>${this.renderBadge(activity)}</span>
        <span class="title">${view.title || 'Untitled'}</span>
        ${view.damaged ? html`<span class="damaged" data-damaged aria-hidden="true" title="Damaged log: ${view.damaged.reason}">damaged</span>` : nothing}
        ${worktree ? html`<span class="branch" data-branch data-state=${worktree.state} aria-hidden="true" title=${worktreeTooltip(worktree)}>${icon('git-branch', { small: true })}<span class="name">${shortBranch(worktree.branch)}</span></span>` : nothing}
        ${overlap ? html`<span class="overlap" data-overlap aria-hidden="true" title=${overlap}>${icon('warning', { small: true })}</span>` : nothing}
        ${changed > 0 ? html`<span class="changes" data-changes aria-hidden="true" title=${changedText}>${icon('files', { small: true })}${changed}</span>` : nothing}
        ${view.unread ? html`<span class="unread" data-unread aria-hidden="true"></span>` : nothing}
        <button class="icon" aria-label="Close tab ${view.title}" title="Close tab" tabindex="-1"
          @click=${(e: Event) => { e.stopPropagation(); emit(this, 'as-close-tab', { sessionId: view.id }); }}>${icon('close', { small: true })}</button>
      </div>`;
  }

  private renderBadge(activity: Activity) {
    if (activity === 'idle') return nothing;
    // role/aria-live overridden: the tab's own label already says "streaming"; the ring's default
    // role="alert" would make screen readers announce every streaming tab.
    if (activity === 'streaming') return html`<vscode-progress-ring role="presentation" aria-live="off" aria-label="streaming"></vscode-progress-ring>`;
    return icon(BADGE_ICON[activity], { small: true });
  }

  private onKeydown(e: KeyboardEvent): void {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="tab"]')];
    const i = tabs.findIndex((t) => t === e.target);
    if (i < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else if (e.key === 'Delete') {
      emit(this, 'as-close-tab', { sessionId: tabs[i].dataset.sessionId ?? '' });
      return;
    } else if (e.key === 'Enter' || e.key === ' ') {
      emit(this, 'as-select-tab', { sessionId: tabs[i].dataset.sessionId ?? '' });
      e.preventDefault();
      return;
    }
    if (next < 0) return;
    e.preventDefault();
    tabs[next].focus();
    emit(this, 'as-select-tab', { sessionId: tabs[next].dataset.sessionId ?? '' });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-tab-strip': AsTabStrip }
}
