/**
 * Per-session header: model picker (with the reasoning effort / thinking budget next to it) and mode picker, context meter, cost, and the session actions
 * (compact / pause / resume / cancel) enabled only when they apply; rename and delete (confirmed,
 * asking what to do with its worktree); a terminal in the session's folder; how many files the
 * session changed (opens its Changes view), the session it was forked from, and its worktree row.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
// live(): the select's .value is set before its options change (switching tabs), which clears the
// selection; comparing with the live option state re-selects the right one.
import { live } from 'lit/directives/live.js';
import type { HostInfo, ModelListing, ProviderProfileInfo } from '../../../../src/shared/protocol';
import type { SessionMode } from '../../../../src/shared/session';
import type { WorktreeDeleteChoice, WorktreeStatus } from '../../../../src/shared/worktree';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';
import { StoreController, sessionChanges } from '../../state/store-controller';
import { actionsFor, changedFilesOf, type SessionView } from '../../state/types';
import { describeInUse, knowledgeInUse } from '../knowledge-panel/knowledge-format';
import { MODES, fullModeHint } from '../new-session/as-new-session';
import { composerBlock, worktreeOf } from '../../state/worktree';
import { renderWorktreeDelete } from './worktree-delete';
import { renderEffortControl } from './effort-control';
import '../model-picker/as-model-picker';
import './as-worktree-bar';
import '@vscode-elements/elements/dist/vscode-badge/index.js';

/** 12345 → "12.3k". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/**
 * null (an unpriced model: unknown, before and after its replies) is "—", never "$0"; nothing
 * spent on a priced model is "$0.00"; amounts under a cent keep four decimals so they show.
 */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** What the header says about a paused session: "Pausing…" until the turn holds at its boundary. */
function pauseText(v: SessionView): string | undefined {
  if (v.state !== 'paused') return undefined;
  return v.snapshot?.pausing ? 'Pausing…' : 'Paused';
}

@customElement('as-session-header')
export class AsSessionHeader extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 4px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .row + .row { margin-top: 4px; }
    .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 2px; }
    .title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
    .title-group { display: flex; align-items: center; gap: 2px; min-width: 0; flex: 1 1 auto; }
    .sep { width: 1px; align-self: stretch; margin: 2px 3px; background: var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
    vscode-badge { margin-left: -2px; }
    .meter { display: inline-flex; align-items: center; gap: 4px; }
    meter { width: 60px; height: 6px; }
    meter::-webkit-meter-bar { background: var(--vscode-input-background, transparent); border: 1px solid var(--vscode-widget-border, var(--vscode-input-border, transparent)); border-radius: 2px; }
    meter::-webkit-meter-optimum-value { background: var(--vscode-progressBar-background, var(--vscode-focusBorder)); }
    meter::-webkit-meter-suboptimum-value { background: var(--vscode-editorWarning-foreground); }
    .meter[data-level='high'] .label { color: var(--vscode-editorWarning-foreground); }
    .spacer { flex: 1; }
    .agent { display: inline-flex; align-items: center; gap: 3px; font-size: 0.9em; white-space: nowrap; }
    .run-state { flex: none; font-size: 0.9em; }
    .confirm { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
    button.link { background: transparent; color: var(--vscode-textLink-foreground); padding: 0 2px; border: none; }
    button.link:hover:not(:disabled) { background: transparent; text-decoration: underline; }
    .forked { display: flex; align-items: center; gap: 4px; font-size: 0.9em; min-width: 0; }
    .forked .from { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    fieldset.worktree-choice { border: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: center; flex-basis: 100%; }
    fieldset.worktree-choice legend { float: left; margin-right: 4px; padding: 0; }
    fieldset.worktree-choice label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
    .loss { flex-basis: 100%; color: var(--vscode-editorWarning-foreground); }
  `];

  /** The session shown; the header follows its changes through the store. */
  @property() sessionId = '';
  @property({ attribute: false }) providers: ProviderProfileInfo[] = [];
  /** Whether commands run in the OS sandbox (from the host), shown on the mode picker. */
  @property({ attribute: false }) sandbox: HostInfo['sandbox'];
  /** Child sessions of this one: deleting it asks what to do with them. */
  @property({ attribute: false }) childCount = 0;
  /** Side panels open in this tab (their toggles show as pressed). */
  @property({ attribute: false }) openPanels: ReadonlySet<string> = new Set();
  @state() private confirmingDelete = false;
  @state() private renaming = false;
  /** What deleting does with the session's own worktree (asked when it has one). */
  @state() private worktreeChoice: WorktreeDeleteChoice = 'keep';
  /** The worktree's status when the delete was asked (what removing it would lose). */
  @state() private deleteStatus: WorktreeStatus | undefined;
  /** The last model listing the picker received, per provider (what the effort control knows of a model). */
  @state() private listings: ReadonlyMap<string, ModelListing> = new Map();
  @consume({ context: hostClientContext }) private client?: HostClient;
  private readonly store = new StoreController(this, sessionChanges(() => this.sessionId));

  private get view(): SessionView | undefined {
    return this.store.value?.get(this.sessionId);
  }

  override render() {
    const v = this.view;
    if (!v) return nothing;
    const snap = v.snapshot;
    const can = actionsFor(v.state);
    const config = snap?.config;
    const provider = this.providers.find((p) => p.id === (config?.providerId ?? v.providerId));
    const model = config?.model ?? v.model;
    const providerId = config?.providerId ?? v.providerId;
    const info = this.listings.get(providerId)?.models.find((m) => m.id === model) ?? provider?.models.find((m) => m.id === model);
    const ctx = snap?.context;
    const pct = ctx && ctx.window > 0 ? Math.round(ctx.fraction * 100) : undefined;
    const inUse = knowledgeInUse(snap?.knowledge, config);
    const paused = pauseText(v);
    return html`
      <div class="row" role="toolbar" aria-label="Session ${v.title}">
        <span class="title-group">
          ${this.renaming ? html`
            <input aria-label="Session title" .value=${v.title} maxlength="200" @keydown=${this.onRenameKey} @blur=${() => { this.renaming = false; }}>`
            : html`<strong class="title" title=${v.title}>${v.title}</strong>
              <button class="icon" aria-label="Rename" title="Rename" @click=${this.startRename}>${icon('edit')}</button>`}
          ${paused ? html`<span class="run-state muted" role="status" aria-label="Session state"
            title=${v.snapshot?.pausing ? 'Pausing at the next step: the answer or tool call under way finishes first' : 'Paused: resume to continue'}>${paused}</span>` : nothing}
        </span>
        <span class="actions">
          <button class="icon" aria-label="Context" aria-pressed=${this.openPanels.has('context') ? 'true' : 'false'}
            title="Context: rules files, skills and MCP servers of this session${inUse ? ` (${describeInUse(inUse)})` : ''}"
            @click=${() => emit(this, 'as-toggle-panel', { panel: 'context' })}>${icon('book')}${inUse && inUse.rules + inUse.skills > 0
              ? html`<vscode-badge variant="counter" aria-hidden="true" data-knowledge-count>${inUse.rules + inUse.skills}</vscode-badge>` : nothing}</button>
          <button class="icon" aria-pressed=${this.openPanels.has('btw') ? 'true' : 'false'} aria-label="Side question (btw)" title="Side question (btw): ask about this session without adding to its history"
            @click=${() => emit(this, 'as-toggle-panel', { panel: 'btw' })}>${icon('comment-discussion')}</button>
          ${this.renderTerminalButtons(v)}
          <span class="sep" aria-hidden="true"></span>
          <button class="icon" aria-label="Compact" title="Compact: summarise the history to free context" ?disabled=${!can.compact} @click=${() => this.action('compact')}>${icon('fold')}</button>
          ${v.state === 'paused'
            ? html`<button class="icon" aria-label="Resume" title="Resume" ?disabled=${!can.resume} @click=${() => this.action('resume')}>${icon('debug-continue')}</button>`
            : html`<button class="icon" aria-label="Pause" title="Pause at the next tool boundary" ?disabled=${!can.pause} @click=${() => this.action('pause')}>${icon('debug-pause')}</button>`}
          <button class="icon" aria-label="Cancel" title="Cancel the running turn" ?disabled=${!can.cancel} @click=${() => this.action('cancel')}>${icon('debug-stop')}</button>
          <span class="sep" aria-hidden="true"></span>
          <button class="icon" aria-label="Delete session" title="Delete session" @click=${() => this.askDelete()}>${icon('trash')}</button>
        </span>
      </div>
      <div class="row">
        <as-model-picker .providerId=${providerId} .value=${model} .suggested=${provider?.models ?? []} ?disabled=${!snap}
          @as-model-pick=${(e: CustomEvent<{ model: string }>) => { e.stopPropagation(); emit(this, 'as-config', { sessionId: v.id, patch: { model: e.detail.model } }); }}
          @as-models-listed=${(e: CustomEvent<{ providerId: string; listing: ModelListing }>) => { e.stopPropagation(); this.listings = new Map(this.listings).set(e.detail.providerId, e.detail.listing); }}></as-model-picker>
        ${renderEffortControl(config, info?.capabilities?.reasoning, !snap, (patch) => emit(this, 'as-config', { sessionId: v.id, patch }))}
        ${config?.agent ? html`<span class="agent" title=${`Runs as the custom agent ${config.agent.name} (${config.agent.source})`}>${icon('robot')} ${config.agent.name}</span>` : nothing}
        <select aria-label="Mode" .value=${config?.mode ?? 'ask'} ?disabled=${!snap} title=${config?.mode === 'full' ? fullModeHint(this.sandbox) : `Mode: ${config?.mode ?? 'ask'}`}
          @change=${(e: Event) => emit(this, 'as-config', { sessionId: v.id, patch: { mode: (e.target as HTMLSelectElement).value as SessionMode } })}>
          ${MODES.map((m) => html`<option value=${m.id} .selected=${live(m.id === config?.mode)} title=${m.id === 'full' ? fullModeHint(this.sandbox) : m.label}>${m.id === 'full' && this.sandbox ? `full (${this.sandbox.sandboxed ? 'sandboxed' : 'no sandbox'})` : m.id}</option>`)}
        </select>
        ${ctx ? html`
          <span class="meter" role="meter" aria-label="Context used" aria-valuemin="0" aria-valuemax=${ctx.window} aria-valuenow=${ctx.tokens}
            aria-valuetext="${ctx.tokens} of ${ctx.window} tokens (${pct ?? 0}%)" data-level=${(pct ?? 0) >= 80 ? 'high' : 'ok'}
            title="${ctx.tokens} of ${ctx.window} tokens">
            <meter aria-hidden="true" min="0" max=${ctx.window} high=${Math.round(ctx.window * 0.8)} .value=${ctx.tokens}></meter>
            <span class="label">${formatTokens(ctx.tokens)} / ${formatTokens(ctx.window)} (${pct ?? 0}%)</span>
          </span>` : nothing}
        <span class="cost" aria-label="Cost" title="Cost of this session">${formatCost(snap?.totals.costUsd)}</span>
        ${this.renderChanges(v)}
      </div>
      ${snap?.forkedFrom ? this.renderForkedFrom(snap.forkedFrom) : nothing}
      <as-worktree-bar .sessionId=${v.id}></as-worktree-bar>
      ${this.confirmingDelete ? html`
        <div class="confirm" role="alertdialog" aria-label="Confirm delete" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.confirmingDelete = false; }}>
          <span>Delete “${v.title}” and its history? This cannot be undone.</span>
          ${this.renderWorktreeDelete(v)}
          ${this.childCount > 0 ? html`
            <span>It has ${this.childCount} child session${this.childCount === 1 ? '' : 's'}:</span>
            <button @click=${() => this.delete('delete')}>Delete children too</button>
            <button class="secondary" @click=${() => this.delete('keep')}>Keep children</button>
            <button class="secondary" @click=${() => { this.confirmingDelete = false; }}>Don't delete</button>` : html`
            <button @click=${() => this.delete()}>Delete</button>
            <button class="secondary" @click=${() => { this.confirmingDelete = false; }}>Keep</button>`}
        </div>` : nothing}
    `;
  }

  /** "N files changed" (hidden at 0): opens the Changes view; its tooltip says what could not be captured. */
  private renderChanges(v: SessionView) {
    const n = changedFilesOf(v);
    if (n === 0) return nothing;
    const note = v.snapshot?.changeNotes?.at(-1);
    const title = `Show the files this session changed (Changes view)${note ? `\nNot all changes captured: ${note}` : ''}`;
    return html`<button class="link changes" data-changes-count title=${title} @click=${() => emit(this, 'as-show-changes', { sessionId: this.sessionId })}>
      ${icon('files', { small: true })}${n} file${n === 1 ? '' : 's'} changed${note ? html`${icon('warning', { small: true })}` : nothing}</button>`;
  }

  /** A terminal in the session's folder (its worktree or the workspace), and the one that follows its commands. */
  private renderTerminalButtons(v: SessionView) {
    const w = worktreeOf(v);
    const blocked = w && (w.state === 'missing' || w.state === 'broken' || w.state === 'discarded') ? composerBlock(v) : undefined;
    const where = w ? `its worktree ${w.path}` : 'the workspace';
    return html`
      <button class="icon" aria-label="Terminal" data-terminal ?disabled=${blocked !== undefined}
        title=${blocked ?? `Terminal: a shell in ${where}`} @click=${() => emit(this, 'as-terminal', { sessionId: v.id })}>${icon('terminal')}</button>
      <button class="icon" aria-label="Follow commands" data-follow ?disabled=${blocked !== undefined}
        title=${blocked ?? 'Follow commands: a terminal that shows the commands this session runs, as they run'}
        @click=${() => emit(this, 'as-terminal', { sessionId: v.id, follow: true })}>${icon('output')}</button>`;
  }

  /** The session's own worktree (not a parent's, not discarded): deleting asks what becomes of it. */
  private ownWorktree(v: SessionView) {
    const w = worktreeOf(v);
    return w && !w.inheritedFrom && w.state !== 'discarded' ? w : undefined;
  }

  private renderWorktreeDelete(v: SessionView) {
    const w = this.ownWorktree(v);
    if (!w) return nothing;
    return renderWorktreeDelete({
      branch: w.branch, path: w.path, choice: this.worktreeChoice, status: this.deleteStatus,
      onPick: (choice) => { this.worktreeChoice = choice; },
    });
  }

  private askDelete(): void {
    this.confirmingDelete = true;
    this.worktreeChoice = 'keep';
    this.deleteStatus = undefined;
    const v = this.view;
    const w = v ? this.ownWorktree(v) : undefined;
    if (!v || !w || !this.client || w.state === 'missing' || w.state === 'broken') return;
    const sessionId = v.id;
    this.client.request('worktrees.status', { sessionId }).then(({ status }) => {
      if (this.confirmingDelete && sessionId === this.sessionId) this.deleteStatus = status;
    }, () => { /* Unknown status: the choices stay, without saying what they lose. */ });
  }

  /** "Forked from ‹title›": a link to that tab while it is in the list. */
  private renderForkedFrom(from: { sessionId: string; title: string }) {
    const there = this.store.value?.get(from.sessionId) !== undefined;
    return html`<div class="row forked muted" data-forked-from>${icon('repo-forked', { small: true })}<span>Forked from</span>
      ${there ? html`<button class="link from" title="Show “${from.title}”" @click=${() => emit(this, 'as-select-tab', { sessionId: from.sessionId })}>${from.title}</button>`
        : html`<span class="from" title=${from.title}>${from.title}</span>`}</div>`;
  }

  private delete(children?: 'delete' | 'keep'): void {
    this.confirmingDelete = false;
    const v = this.view;
    const worktree = v && this.ownWorktree(v) ? this.worktreeChoice : undefined;
    emit(this, 'as-delete', { sessionId: this.sessionId, ...(children ? { children } : {}), ...(worktree ? { worktree } : {}) });
  }

  private action(action: 'pause' | 'resume' | 'cancel' | 'compact'): void {
    emit(this, 'as-session-action', { sessionId: this.sessionId, action });
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
    if (title && title !== this.view?.title) emit(this, 'as-rename', { sessionId: this.sessionId, title });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-session-header': AsSessionHeader }
}
