/**
 * The session header's worktree row, for a session that works in a git worktree of its own: its
 * branch (opens Source Control on the worktree), what it holds against its base (commits ahead,
 * uncommitted files: asked of the host when the row shows and after each worktree event, turn
 * and change), the Bring-back actions Apply… / Commit… / Discard… (the host runs their dialogs;
 * hidden for a parent's worktree and a discarded one), what the last action did, and a banner
 * when the worktree is not ok (missing, moved, locked, damaged, discarded).
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ProtocolMethods } from '../../../../src/shared/protocol';
import type { WorktreeStatus } from '../../../../src/shared/worktree';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { hostClientContext, type HostClient } from '../../host-client';
import { StoreController, sessionChanges } from '../../state/store-controller';
import type { SessionView } from '../../state/types';
import { problemText, shortBranch, statusText, worktreeOf, type WorktreeFacts } from '../../state/worktree';
import { baseStyles } from '../../styles';
import { noticeStyles } from '../banner/notice-styles';

type Action = ProtocolMethods['worktrees.action']['params']['action'];
type ActionResult = ProtocolMethods['worktrees.action']['result'];

/** The host's dialogs wait for the user (a commit message to edit, a merge to pick): no short timeout. */
const ACTION_TIMEOUT_MS = 30 * 60_000;
/** Status is asked once things settle (a burst of file changes asks once). */
const STATUS_DELAY_MS = 250;

const BUSY_TEXT: Partial<Record<Action, string>> = { apply: 'Applying…', commit: 'Committing…', discard: 'Discarding…' };

/** What an action that returned says (null: nothing to say, e.g. a dismissed dialog). */
export function resultText(action: Action, out: ActionResult, branch: string): { text: string; warn: boolean } | null {
  if (!out.done) return null;
  if (action === 'apply' && out.apply) {
    const n = out.apply.conflicts.length;
    return {
      text: n > 0 ? `${out.apply.message} — ${n} file${n === 1 ? '' : 's'} with conflicts to resolve (${out.apply.conflicts.map((c) => c.label).slice(0, 5).join(', ')}${n > 5 ? ', …' : ''})` : out.apply.message,
      warn: n > 0,
    };
  }
  if (action === 'commit' && out.commit) return { text: `Committed ${out.commit.slice(0, 8)} on ${branch}`, warn: false };
  return null;
}

@customElement('as-worktree-bar')
export class AsWorktreeBar extends LitElement {
  static override styles = [baseStyles, noticeStyles, css`
    :host { display: block; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin-top: 4px; font-size: 0.95em; }
    button.link { background: transparent; color: var(--vscode-textLink-foreground); padding: 0 2px; border: none; max-width: 100%; }
    button.link:hover:not(:disabled) { background: transparent; text-decoration: underline; }
    .branch { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--vscode-editor-font-family); }
    .bring-back { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; margin-left: auto; }
    .result { display: flex; align-items: center; gap: 6px; margin-top: 4px; }
    .result[data-warn] > .codicon { color: var(--vscode-editorWarning-foreground); }
    .notice { margin: 4px -8px 0; }
  `];

  @property() sessionId = '';
  @consume({ context: hostClientContext }) private client?: HostClient;
  @state() private status: WorktreeStatus | undefined;
  @state() private busy: Action | undefined;
  @state() private result: { text: string; warn: boolean } | undefined;
  @state() private error: string | undefined;
  private readonly store = new StoreController(this, sessionChanges(() => this.sessionId, () => {
    const v = this.view;
    return [v?.snapshot?.worktree, v?.state, v?.snapshot?.changes.length, v?.loaded];
  }));
  /** What the last status was asked for (the worktree, the state, the changes). */
  private asked: readonly unknown[] = [];
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private statusRun = 0;

  private get view(): SessionView | undefined {
    return this.store.value?.get(this.sessionId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.statusTimer);
    this.statusRun++;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) {
      this.status = undefined;
      this.result = undefined;
      this.error = undefined;
      this.busy = undefined;
      this.asked = [];
    }
  }

  protected override updated(): void {
    const v = this.view;
    const w = v ? worktreeOf(v) : undefined;
    const now = [this.sessionId, v?.snapshot?.worktree, v?.state, v?.snapshot?.changes.length];
    if (!w || now.every((x, i) => x === this.asked[i])) return;
    this.asked = now;
    clearTimeout(this.statusTimer);
    // A folder that is gone, damaged or discarded has no status to ask for.
    if (w.state === 'missing' || w.state === 'broken' || w.state === 'discarded') {
      this.status = undefined;
      return;
    }
    this.statusTimer = setTimeout(() => { void this.fetchStatus(); }, this.status ? STATUS_DELAY_MS : 0);
  }

  private async fetchStatus(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const run = ++this.statusRun;
    const sessionId = this.sessionId;
    try {
      const { status } = await client.request('worktrees.status', { sessionId });
      if (run === this.statusRun && sessionId === this.sessionId) this.status = status;
    } catch {
      // The row then shows no figures; the banner (from the next check) says what is wrong.
      if (run === this.statusRun && sessionId === this.sessionId) this.status = undefined;
    }
  }

  override render() {
    const v = this.view;
    const w = v ? worktreeOf(v) : undefined;
    if (!v || !w) return nothing;
    const discarded = w.state === 'discarded';
    const owner = !w.inheritedFrom;
    const parent = w.inheritedFrom ? this.store.value?.get(w.inheritedFrom) : undefined;
    return html`
      <div class="row" role="group" aria-label="Worktree" data-worktree-row>
        ${icon('git-branch', { small: true })}
        ${discarded ? html`<span class="branch muted" title=${w.branch}>${shortBranch(w.branch)}</span>`
          : html`<button class="link branch" data-branch-link title="Branch ${w.branch} in ${w.path}: show it in Source Control"
            @click=${() => this.run('openScm')}>${w.branch}</button>`}
        ${this.status ? html`<span class="muted" data-worktree-status title=${this.statusTitle(this.status)}>${statusText(this.status.ahead, this.status.uncommitted.length)}</span>` : nothing}
        ${w.inheritedFrom ? html`<span class="muted" data-inherited>· its parent's worktree${parent
          ? html`: bring the work back from <button class="link" @click=${() => emit(this, 'as-select-tab', { sessionId: parent.id })}>${parent.title || 'Untitled'}</button>` : nothing}</span>` : nothing}
        ${owner && !discarded ? this.renderBringBack(v, w) : nothing}
      </div>
      ${w.state !== 'ok' ? this.renderProblem(w) : nothing}
      ${this.result ? html`<div class="result" role="status" data-action-result ?data-warn=${this.result.warn}>
          ${icon(this.result.warn ? 'warning' : 'check', { small: true })}<span>${this.result.text}</span>
          <button class="icon" aria-label="Dismiss" title="Dismiss" @click=${() => { this.result = undefined; }}>${icon('close', { small: true })}</button></div>` : nothing}
      ${this.error ? html`<div class="result error" role="alert" data-action-error>${icon('error', { small: true })}<span>${this.error}</span>
          <button class="icon" aria-label="Dismiss" title="Dismiss" @click=${() => { this.error = undefined; }}>${icon('close', { small: true })}</button></div>` : nothing}`;
  }

  private renderBringBack(v: SessionView, w: WorktreeFacts) {
    const turn = v.state === 'running' || v.state === 'awaiting_approval' || v.state === 'paused';
    const broken = w.state === 'missing' || w.state === 'broken';
    const busy = this.busy !== undefined;
    const waitTurn = 'Wait for the turn to end (or cancel it)';
    return html`<span class="bring-back" role="group" aria-label="Bring back">
      <button class="secondary" data-action="apply" ?disabled=${busy || turn || broken}
        title=${turn ? waitTurn : 'Bring the work back into the main tree: merge the branch, or apply its changes as uncommitted changes'}
        @click=${() => this.run('apply')}>${icon('git-merge', { small: true })}${this.busy === 'apply' ? BUSY_TEXT.apply : 'Apply…'}</button>
      <button class="secondary" data-action="commit" ?disabled=${busy || broken}
        title="Commit the worktree's changes on ${w.branch} (the session's model drafts the message; you edit it)"
        @click=${() => this.run('commit')}>${icon('git-commit', { small: true })}${this.busy === 'commit' ? BUSY_TEXT.commit : 'Commit…'}</button>
      <button class="secondary" data-action="discard" ?disabled=${busy || turn}
        title=${turn ? waitTurn : `Remove the worktree and branch ${w.branch} (asks first); the session keeps its history`}
        @click=${() => this.run('discard')}>${icon('trash', { small: true })}${this.busy === 'discard' ? BUSY_TEXT.discard : 'Discard…'}</button>
    </span>`;
  }

  private renderProblem(w: WorktreeFacts) {
    const severe = w.state === 'missing' || w.state === 'broken';
    return html`<div class="notice" role=${severe ? 'alert' : 'status'} data-worktree-problem=${w.state}
      data-severity=${severe ? 'error' : w.state === 'discarded' ? 'info' : 'warning'}>
      ${icon(w.state === 'discarded' ? 'info' : 'warning')}<span class="message">${problemText(w)}</span></div>`;
  }

  private statusTitle(s: WorktreeStatus): string {
    const files = s.uncommitted.slice(0, 12).join('\n');
    return `At ${s.headCommit.slice(0, 8)}${s.uncommitted.length ? `\nUncommitted:\n${files}${s.uncommitted.length > 12 ? '\n…' : ''}` : ''}`;
  }

  private async run(action: Action): Promise<void> {
    const client = this.client;
    const v = this.view;
    const w = v ? worktreeOf(v) : undefined;
    if (!client || !w || this.busy) return;
    const sessionId = this.sessionId;
    if (action !== 'openScm') this.busy = action;
    this.error = undefined;
    try {
      const out = await client.request('worktrees.action', { sessionId, action }, { timeoutMs: ACTION_TIMEOUT_MS });
      if (sessionId !== this.sessionId) return;
      const said = resultText(action, out, w.branch);
      if (said) this.result = said;
      if (out.done && action !== 'openScm') void this.fetchStatus();
    } catch (err) {
      if (sessionId === this.sessionId) this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (sessionId === this.sessionId) this.busy = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-worktree-bar': AsWorktreeBar }
}
