/**
 * The root element: provides the host client and store to every element (@lit/context),
 * renders banner, tab strip, new-session form, the visible session (header, transcript,
 * composer) and the restore dialog, and turns the elements' `as-*` events into host requests. It re-renders for the
 * session list, the host and the visible tab only: the session's elements follow their session
 * through the store themselves (state/store-controller.ts).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { hostClientContext, type HostClient } from '../../host-client';
import { WebviewStore, storeContext } from '../../state/store';
import { StoreController } from '../../state/store-controller';
import { baseStyles } from '../../styles';
import '../banner/as-banner';
import '../banner/as-damaged-session';
import '../banner/as-history-banner';
import '../tab-strip/as-tab-strip';
import '../new-session/as-new-session';
import '../start-page/as-start-page';
import '../session-header/as-session-header';
import '../transcript/as-transcript';
import '../composer/as-composer';
import '../knowledge-panel/as-knowledge-panel';
import '../side-question/as-side-question';
import '../restore-dialog/as-restore-dialog';
import { needsReview, type RestoreRequest } from '../restore-dialog/restore-request';
import type { AsComposer } from '../composer/as-composer';

/** How long creating a session in a new worktree may take before the webview gives up waiting. */
const WORKTREE_CREATE_TIMEOUT_MS = 5 * 60_000;

@customElement('as-app')
export class AsApp extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; flex-direction: column; height: 100vh; background: var(--vscode-sideBar-background, var(--vscode-editor-background)); }
    main { display: flex; flex-direction: column; flex: 1; min-height: 0; }
    as-transcript { flex: 1; min-height: 0; }
    .empty { padding: 16px; }
  `];

  /** Set once by main.ts (or a test) before the element connects. */
  @property({ attribute: false }) client!: HostClient;
  @state() private showNew = false;
  /** Side panels the user opened (Context, btw); they stay open across tab switches. */
  @state() private panels = new Set<'context' | 'btw'>();
  /** The restore preview (or a redo's skipped files) on screen. */
  @state() private restoreRequest: RestoreRequest | undefined;
  private store!: WebviewStore;

  constructor() {
    super();
    // The tabs, the host and which tab is visible; a session's own changes are its elements' business.
    new StoreController(this, (c) => c.type === 'list' || c.type === 'host' || c.type === 'visible', () => this.store);
  }

  override connectedCallback(): void {
    // Before super: the controllers subscribe to it when the element connects.
    this.store = new WebviewStore(this.client);
    new ContextProvider(this, { context: hostClientContext, initialValue: this.client });
    new ContextProvider(this, { context: storeContext, initialValue: this.store });
    super.connectedCallback();
    this.listen();
    this.client.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.store.dispose();
  }

  override render() {
    const store = this.store;
    const visible = store.visibleId ? store.get(store.visibleId) : undefined;
    return html`
      <as-banner .host=${store.host} .requestError=${store.lastRequestError}></as-banner>
      <as-tab-strip .items=${store.list()} .visibleId=${store.visibleId} .closed=${store.closedTabs.ids}></as-tab-strip>
      ${this.showNew ? html`<as-new-session .providers=${store.providers} .defaults=${store.host?.defaults} .sandbox=${store.host?.sandbox}
        .defaultWorkspace=${store.host?.defaultWorkspace}></as-new-session>` : nothing}
      <main>
        ${visible ? html`
          <as-session-header .sessionId=${visible.id} .providers=${store.providers} .sandbox=${store.host?.sandbox}
            .childCount=${store.list().filter((i) => i.view.parentId === visible.id).length} .openPanels=${this.panels}></as-session-header>
          ${this.panels.has('context') ? html`<as-knowledge-panel .sessionId=${visible.id}></as-knowledge-panel>` : nothing}
          ${this.panels.has('btw') ? html`<as-side-question .sessionId=${visible.id}></as-side-question>` : nothing}
          ${visible.damaged ? html`<as-damaged-session .sessionId=${visible.id} .sessionTitle=${visible.title} .damaged=${visible.damaged} ?opened=${visible.loaded}></as-damaged-session>` : nothing}
          <as-history-banner .sessionId=${visible.id}></as-history-banner>
          <as-transcript .sessionId=${visible.id}></as-transcript>
          <as-composer .sessionId=${visible.id}></as-composer>`
        : store.connected && !this.showNew ? html`<as-start-page .providers=${store.providers} .defaults=${store.host?.defaults}></as-start-page>`
        : html`<div class="empty muted">${store.connected ? '' : 'Connecting…'}</div>`}
      </main>
      ${this.restoreRequest ? html`<as-restore-dialog .request=${this.restoreRequest}></as-restore-dialog>` : nothing}`;
  }

  /** One handler per event; each is a thin call to the host. */
  private listen(): void {
    const call = <T>(p: Promise<T>): void => {
      p.then(() => this.store.clearRequestError(), (err: unknown) => this.store.reportError(err));
    };
    const c = this.client;
    this.addEventListener('as-select-tab', (e) => call(this.store.show(e.detail.sessionId)));
    this.addEventListener('as-close-tab', (e) => call(this.store.closeTab(e.detail.sessionId)));
    this.addEventListener('as-show-closed', () => this.store.reopenClosedTabs());
    this.addEventListener('as-open-new', () => { this.showNew = !this.showNew; });
    this.addEventListener('as-cancel-new', () => { this.showNew = false; });
    this.addEventListener('as-dismiss-error', () => this.store.clearRequestError());
    this.addEventListener('as-new-session', (e) => {
      this.showNew = false;
      // A worktree is made first (git worktree add, carried files, submodules): that may take a while.
      const slow = e.detail.workspace?.kind === 'worktree' ? { timeoutMs: WORKTREE_CREATE_TIMEOUT_MS } : {};
      call(c.request('sessions.create', e.detail, slow).then(async ({ snapshot }) => {
        await this.store.open(snapshot.id);
        await this.store.show(snapshot.id);
      }));
    });
    this.addEventListener('as-rename', (e) => call(c.request('sessions.rename', e.detail)));
    this.addEventListener('as-delete', (e) => call(c.request('sessions.delete', {
      sessionId: e.detail.sessionId, ...(e.detail.children ? { children: e.detail.children } : {}), ...(e.detail.worktree ? { worktree: e.detail.worktree } : {}),
    })));
    this.addEventListener('as-terminal', (e) => call(c.request('sessions.terminal', { sessionId: e.detail.sessionId, ...(e.detail.follow ? { follow: true } : {}) })));
    this.addEventListener('as-toggle-panel', (e) => {
      const next = new Set(this.panels);
      if (!next.delete(e.detail.panel)) next.add(e.detail.panel);
      this.panels = next;
    });
    this.addEventListener('as-session-action', (e) => call(c.request(`sessions.${e.detail.action}`, { sessionId: e.detail.sessionId })));
    this.addEventListener('as-config', (e) => call(c.request('sessions.updateConfig', e.detail)));
    this.addEventListener('as-send', (e) => call(c.request('sessions.send', e.detail)));
    this.addEventListener('as-remove-queued', (e) => call(c.request('sessions.removeQueued', e.detail)));
    this.addEventListener('as-approve', (e) => call(c.request('approvals.resolve', { ...e.detail, decision: 'approve' })));
    this.addEventListener('as-deny', (e) => call(c.request('approvals.resolve', { ...e.detail, decision: 'deny' })));
    this.addEventListener('as-view-diff', (e) => call(c.request('approvals.viewDiff', e.detail)));
    this.addEventListener('as-open-link', (e) => call(c.request('links.open', e.detail)));
    // A key set or a provider added changes the profiles: the form and start page show them at once.
    this.addEventListener('as-host-action', (e) => call(c.request('host.runAction', e.detail).then(() => this.store.refreshProviders())));
    this.addEventListener('as-load-older', (e) => call(this.store.loadOlder(e.detail.sessionId)));
    this.addEventListener('as-take-over', (e) => call(this.store.takeOver(e.detail.sessionId)));
    this.addEventListener('as-open-readable', (e) => call(this.store.open(e.detail.sessionId)));
    this.listenCheckpoints(call);
  }

  /** Restore, edit and resend, redo, fork and the Changes view. */
  private listenCheckpoints(call: <T>(p: Promise<T>) => void): void {
    const c = this.client;
    this.addEventListener('as-restore-checkpoint', (e) => { this.restoreRequest = { kind: 'restore', ...e.detail }; });
    this.addEventListener('as-restore-close', () => { this.restoreRequest = undefined; });
    this.addEventListener('as-restore-done', (e) => {
      this.restoreRequest = undefined;
      if (e.detail.resend !== undefined) call(this.putInComposer(e.detail.sessionId, e.detail.resend));
    });
    this.addEventListener('as-edit-resend', (e) => {
      const { sessionId, key, text, label } = e.detail;
      // Straight through when nothing needs a decision; the dialog when a file conflicts or cannot go back.
      call(c.request('changes.preview', { sessionId, key, scope: 'both' }).then(async ({ preview }) => {
        if (needsReview(preview)) {
          this.restoreRequest = { kind: 'restore', sessionId, key, label, resend: text, preview };
          return;
        }
        await c.request('changes.restore', { sessionId, key, scope: 'both', overwrite: [] });
        await this.putInComposer(sessionId, text);
      }));
    });
    this.addEventListener('as-redo', (e) => call(c.request('changes.redo', { ...e.detail, overwrite: [] }).then(({ result }) => {
      if (result.skipped.length > 0) this.restoreRequest = { kind: 'skipped', sessionId: e.detail.sessionId, skipped: result.skipped };
    })));
    this.addEventListener('as-fork', (e) => call(c.request('sessions.fork', e.detail).then(async ({ snapshot }) => {
      await this.store.open(snapshot.id);
      await this.store.show(snapshot.id);
    })));
    this.addEventListener('as-show-changes', (e) => call(c.request('changes.show', e.detail)));
  }

  /** The restored message's text goes in the session's prompt box, focused, to be edited and sent again. */
  private async putInComposer(sessionId: string, text: string): Promise<void> {
    if (this.store.visibleId !== sessionId) await this.store.show(sessionId);
    await this.updateComplete;
    const composer = this.renderRoot.querySelector<AsComposer>('as-composer');
    await composer?.updateComplete;
    composer?.setText(text);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-app': AsApp }
}
