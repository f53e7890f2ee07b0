/**
 * The root element: provides the host client and store to every element (@lit/context),
 * renders banner, tab strip, new-session form and the visible session (header, transcript,
 * composer), and turns the elements' `as-*` events into host requests.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { hostClientContext, type HostClient } from '../../host-client';
import { WebviewStore, storeContext, type StoreChange } from '../../state/store';
import { icon } from '../../codicons';
import { baseStyles } from '../../styles';
import '../banner/as-banner';
import '../banner/as-damaged-session';
import '../banner/as-history-banner';
import '../tab-strip/as-tab-strip';
import '../new-session/as-new-session';
import '../session-header/as-session-header';
import '../transcript/as-transcript';
import '../composer/as-composer';
import '../knowledge-panel/as-knowledge-panel';
import '../side-question/as-side-question';

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
  /** Bumped on every store change that should re-render. */
  @state() private version = 0;
  private store!: WebviewStore;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.store = new WebviewStore(this.client);
    new ContextProvider(this, { context: hostClientContext, initialValue: this.client });
    new ContextProvider(this, { context: storeContext, initialValue: this.store });
    this.unsubscribe = this.store.subscribe((c) => this.onStoreChange(c));
    this.listen();
    this.client.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.store.dispose();
  }

  private onStoreChange(change: StoreChange): void {
    // A delta is handled by the streaming element itself: no render here.
    if (change.type === 'delta') return;
    if (change.type === 'session' && change.sessionId !== this.store.visibleId) return;
    this.version++;
  }

  override render() {
    const store = this.store;
    const visible = store.visibleId ? store.get(store.visibleId) : undefined;
    const snap = visible?.snapshot;
    return html`
      <as-banner .host=${store.host} .requestError=${store.lastRequestError}></as-banner>
      <as-tab-strip .items=${store.list()} .visibleId=${store.visibleId} .closed=${store.closedTabs.ids}></as-tab-strip>
      ${this.showNew ? html`<as-new-session .providers=${store.providers} .defaults=${store.host?.defaults} .sandbox=${store.host?.sandbox}></as-new-session>` : nothing}
      <main>
        ${visible ? html`
          <as-session-header .view=${visible} .providers=${store.providers} .version=${this.version} .sandbox=${store.host?.sandbox}
            .childCount=${store.list().filter((i) => i.view.parentId === visible.id).length} .openPanels=${this.panels}></as-session-header>
          ${this.panels.has('context') ? html`<as-knowledge-panel .view=${visible} .version=${this.version}></as-knowledge-panel>` : nothing}
          ${this.panels.has('btw') ? html`<as-side-question .sessionId=${visible.id}></as-side-question>` : nothing}
          ${visible.damaged ? html`<as-damaged-session .sessionId=${visible.id} .sessionTitle=${visible.title} .damaged=${visible.damaged} ?opened=${visible.loaded}></as-damaged-session>` : nothing}
          <as-history-banner .saving=${snap?.historySaving}></as-history-banner>
          <as-transcript .view=${visible} .store=${store} .version=${this.version}></as-transcript>
          <as-composer .sessionId=${visible.id} .queue=${snap?.queue ?? []} ?busy=${visible.state !== 'idle' && visible.state !== 'error'} ?disabled=${!visible.loaded}
            .readOnlyBy=${visible.readOnlyBy} ?takingOver=${visible.takingOver ?? false}></as-composer>`
        : html`<div class="empty muted">${store.connected ? 'No sessions yet.' : 'Connecting…'} <button @click=${() => { this.showNew = true; }}>${icon('add', { small: true })}New session</button></div>`}
      </main>`;
  }

  /** One handler per event; each is a thin call to the host. */
  private listen(): void {
    const call = <T>(p: Promise<T>): void => {
      p.then(() => { if (this.store.lastRequestError) { this.store.lastRequestError = undefined; this.version++; } }, (err: unknown) => this.store.reportError(err));
    };
    const c = this.client;
    this.addEventListener('as-select-tab', (e) => call(this.store.show(e.detail.sessionId)));
    this.addEventListener('as-close-tab', (e) => call(this.store.closeTab(e.detail.sessionId)));
    this.addEventListener('as-show-closed', () => this.store.reopenClosedTabs());
    this.addEventListener('as-open-new', () => { this.showNew = !this.showNew; });
    this.addEventListener('as-cancel-new', () => { this.showNew = false; });
    this.addEventListener('as-dismiss-error', () => { this.store.lastRequestError = undefined; this.version++; });
    this.addEventListener('as-new-session', (e) => {
      this.showNew = false;
      call(c.request('sessions.create', e.detail).then(async ({ snapshot }) => {
        await this.store.open(snapshot.id);
        await this.store.show(snapshot.id);
      }));
    });
    this.addEventListener('as-rename', (e) => call(c.request('sessions.rename', e.detail)));
    this.addEventListener('as-delete', (e) => call(c.request('sessions.delete', {
      sessionId: e.detail.sessionId, ...(e.detail.children ? { children: e.detail.children } : {}),
    })));
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
    this.addEventListener('as-host-action', (e) => call(c.request('host.runAction', e.detail)));
    this.addEventListener('as-load-older', (e) => call(this.store.loadOlder(e.detail.sessionId)));
    this.addEventListener('as-take-over', (e) => call(this.store.takeOver(e.detail.sessionId)));
    this.addEventListener('as-open-readable', (e) => call(this.store.open(e.detail.sessionId)));
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-app': AsApp }
}
