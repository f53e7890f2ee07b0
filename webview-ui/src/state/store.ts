/**
 * The webview's client-side store: the session list, host state and per-session view state.
 * An opened session's state is the one fold's projection (src/shared/fold.ts): the host's
 * snapshot and newest records, folded on with every live event by the same function core uses,
 * so what is shown live is what a reopen shows. Detects seq gaps and replays with events.since.
 * Elements subscribe to changes; a delta notifies only the streaming message's listeners.
 */
import { createContext } from '@lit/context';
import type { SessionEvent } from '../../../src/shared/events';
import type { HostInfo, HostMessage, OpenedSession, ProviderProfileInfo, SessionSummary } from '../../../src/shared/protocol';
import { DEFAULT_TAIL_ENTRIES } from '../../../src/shared/protocol-constants';
import type { HostClient } from '../host-client';
import { foldEvent, projectionOf, type SessionProjection } from '../../../src/shared/fold';
import { ClosedTabs } from './closed-tabs';
import type { SessionView } from './types';
import { marksUnread } from './unread';

export type StoreChange =
  | { type: 'list' }
  | { type: 'host' }
  | { type: 'visible' }
  | { type: 'session'; sessionId: string; rows: boolean }
  | { type: 'delta'; sessionId: string; messageId: string; kind: 'text' | 'thinking'; text: string };

export type StoreListener = (change: StoreChange) => void;

/** The webview's in-memory state of sessions and host (not core's storage port, src/core/store/types.ts). */
export class WebviewStore {
  private readonly views = new Map<string, SessionView>();
  private order: string[] = [];
  private readonly listeners = new Set<StoreListener>();
  /** Sessions whose gap is being filled, with live events buffered meanwhile. */
  private readonly replaying = new Map<string, SessionEvent[]>();
  host: HostInfo | undefined;
  providers: ProviderProfileInfo[] = [];
  visibleId: string | undefined;
  /** Set when the host answered with a snapshot at least once. */
  connected = false;
  /** A request the user triggered failed; shown in the banner until dismissed. */
  lastRequestError: string | undefined;
  /** Tabs the user closed (persisted; they come back on new activity). */
  readonly closedTabs: ClosedTabs;
  private readonly unsubscribe: () => void;

  constructor(readonly client: HostClient) {
    this.closedTabs = new ClosedTabs(client);
    this.unsubscribe = client.subscribe((m) => this.handle(m));
  }

  /** Closes a tab (the session keeps running); a visible tab hands over to the next open one. */
  async closeTab(sessionId: string): Promise<void> {
    this.closedTabs.close(sessionId, this.views.get(sessionId)?.lastSeq ?? 0);
    this.emit({ type: 'list' });
    if (this.visibleId === sessionId) await this.show(this.firstOpenId());
  }

  /** "Show closed tabs": every closed tab comes back. */
  reopenClosedTabs(): void {
    if (this.closedTabs.reopenAll()) this.emit({ type: 'list' });
  }

  /** The first session in tab order whose tab is not closed. */
  private firstOpenId(): string | undefined {
    return this.list().find((i) => !this.closedTabs.has(i.view.id))?.view.id;
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(sessionId: string): SessionView | undefined {
    return this.views.get(sessionId);
  }

  /** Sessions in tab order: each root followed by its children (depth for nesting). */
  list(): Array<{ view: SessionView; depth: number }> {
    const out: Array<{ view: SessionView; depth: number }> = [];
    const all = this.order.map((id) => this.views.get(id)).filter((v): v is SessionView => v !== undefined);
    const byParent = new Map<string | undefined, SessionView[]>();
    for (const v of all) {
      const parent = v.parentId && this.views.has(v.parentId) ? v.parentId : undefined;
      byParent.set(parent, [...(byParent.get(parent) ?? []), v]);
    }
    const walk = (parent: string | undefined, depth: number): void => {
      for (const v of byParent.get(parent) ?? []) {
        out.push({ view: v, depth });
        if (depth < 8) walk(v.id, depth + 1);
      }
    };
    walk(undefined, 0);
    return out;
  }

  /**
   * Shows a tab: marks it read, opens it (snapshot + tail) when not loaded yet. A damaged session
   * is not opened by itself: its tab offers "Open what can be read".
   */
  async show(sessionId: string | undefined): Promise<void> {
    this.visibleId = sessionId;
    this.client.setVisible(sessionId ?? null);
    const view = sessionId ? this.views.get(sessionId) : undefined;
    if (view) view.unread = false;
    this.emit({ type: 'visible' });
    if (view && !view.loaded && !view.damaged) await this.open(view.id);
  }

  /** "Take over here": the host makes this window the session's writer and sends it afresh. */
  async takeOver(sessionId: string): Promise<void> {
    const view = this.views.get(sessionId);
    if (view) { view.takingOver = true; this.emit({ type: 'session', sessionId, rows: false }); }
    try {
      this.applyOpened(await this.client.request('sessions.takeOver', { sessionId }));
    } finally {
      const now = this.views.get(sessionId);
      if (now?.takingOver) { now.takingOver = false; this.emit({ type: 'session', sessionId, rows: false }); }
    }
  }

  /** (Re)loads a session's snapshot and transcript tail. */
  async open(sessionId: string): Promise<void> {
    const opened = await this.client.request('sessions.open', { sessionId, limit: DEFAULT_TAIL_ENTRIES });
    this.applyOpened(opened);
  }

  /** Loads an older page of the transcript (prepended). Returns how many rows were added. */
  async loadOlder(sessionId: string): Promise<number> {
    const view = this.views.get(sessionId);
    if (!view?.loaded || !view.hasMore || !view.snapshot) return 0;
    const firstSeq = this.oldestSeq.get(sessionId);
    const page = await this.client.request('sessions.transcript', { sessionId, ...(firstSeq !== undefined ? { beforeSeq: firstSeq } : {}), limit: DEFAULT_TAIL_ENTRIES });
    const snap = view.snapshot;
    if (!snap) return 0;
    const known = new Set(snap.records.map((r) => r.key));
    const fresh = page.entries.filter((r) => !known.has(r.key));
    view.snapshot = { ...snap, records: [...fresh, ...snap.records] };
    view.hasMore = page.hasMore;
    if (page.entries.length > 0) this.oldestSeq.set(sessionId, page.entries[0].seq);
    this.emit({ type: 'session', sessionId, rows: true });
    return fresh.length;
  }

  private readonly oldestSeq = new Map<string, number>();

  /** Asks the host for the provider profiles again (after a key was set or a provider added). */
  async refreshProviders(): Promise<void> {
    this.providers = (await this.client.request('providers.list', {})).providers;
    this.emit({ type: 'host' });
  }

  handle(message: Exclude<HostMessage, { kind: 'reply' }>): void {
    switch (message.kind) {
      case 'snapshot': {
        this.connected = true;
        this.host = message.host;
        this.providers = message.providers ?? this.providers;
        this.views.clear();
        this.replaying.clear();
        this.setSessions(message.sessions);
        // Events may have been missed while disconnected: a closed session that moved on comes back.
        this.closedTabs.reconcile(message.sessions, true);
        for (const opened of message.opened) this.applyOpened(opened, false);
        const wanted = message.visibleSessionId ?? this.client.state.visibleSessionId;
        const visible = wanted && this.views.has(wanted) && !this.closedTabs.has(wanted) ? wanted : this.firstOpenId();
        this.emit({ type: 'list' });
        this.emit({ type: 'host' });
        void this.show(visible).catch((err: unknown) => this.reportError(err));
        return;
      }
      case 'sessions':
        this.setSessions(message.sessions);
        this.closedTabs.reconcile(message.sessions, false);
        if (this.visibleId && !this.views.has(this.visibleId)) void this.show(this.firstOpenId()).catch((err: unknown) => this.reportError(err));
        this.emit({ type: 'list' });
        return;
      case 'host':
        this.host = message.host;
        this.emit({ type: 'host' });
        return;
      case 'event':
        this.onEvent(message.event);
        return;
      case 'writer': {
        const view = this.views.get(message.sessionId);
        if (!view) return;
        if (message.readOnlyBy) {
          view.readOnlyBy = message.readOnlyBy;
          this.emit({ type: 'session', sessionId: view.id, rows: false });
        } else if (view.loaded) {
          // Taken over here: its history moved on in the other window; show it afresh.
          void this.open(view.id).catch((err: unknown) => this.reportError(err));
        }
        return;
      }
      case 'reveal':
        // The host asked to show it (status bar, a command): a closed tab comes back.
        if (this.closedTabs.reopen(message.sessionId)) this.emit({ type: 'list' });
        if (this.views.has(message.sessionId)) void this.show(message.sessionId).catch((err: unknown) => this.reportError(err));
        return;
    }
  }

  reportError(err: unknown): void {
    this.lastRequestError = err instanceof Error ? err.message : String(err);
    this.emit({ type: 'host' });
  }

  /** The banner's request error goes (dismissed, or a later request succeeded). */
  clearRequestError(): void {
    if (this.lastRequestError === undefined) return;
    this.lastRequestError = undefined;
    this.emit({ type: 'host' });
  }

  private setSessions(sessions: SessionSummary[]): void {
    const ids = new Set(sessions.map((s) => s.id));
    for (const id of [...this.views.keys()]) {
      if (!ids.has(id)) this.views.delete(id);
    }
    for (const s of sessions) {
      const v = this.views.get(s.id);
      if (v) {
        v.title = s.title;
        v.parentId = s.parentId;
        v.damaged = s.damaged;
        v.changedFiles = s.changedFiles;
        v.worktree = s.worktree;
        v.sharedFiles = s.sharedFiles;
        if (!v.loaded) {
          v.state = s.state;
          v.model = s.model;
          v.outcome = s.outcome;
        }
      } else {
        this.views.set(s.id, {
          id: s.id, title: s.title, parentId: s.parentId, state: s.state, providerId: s.providerId, model: s.model,
          loaded: false, hasMore: false, lastSeq: s.lastSeq, unread: false, ...(s.outcome ? { outcome: s.outcome } : {}),
          ...(s.damaged ? { damaged: s.damaged } : {}), ...(s.changedFiles ? { changedFiles: s.changedFiles } : {}),
          ...(s.worktree ? { worktree: s.worktree } : {}), ...(s.sharedFiles?.length ? { sharedFiles: s.sharedFiles } : {}),
        });
      }
    }
    this.order = sessions.map((s) => s.id);
  }

  private applyOpened(opened: OpenedSession, notify = true): void {
    const s = opened.snapshot;
    const existing = this.views.get(s.id);
    const view: SessionView = {
      id: s.id, title: s.title, parentId: s.parentId, state: s.state, providerId: s.config.providerId, model: s.config.model,
      snapshot: projectionOf(s, opened.entries), loaded: true, hasMore: opened.hasMore, lastSeq: opened.lastSeq,
      unread: existing?.unread ?? false, ...(s.outcome ? { outcome: s.outcome } : {}),
      ...(existing?.damaged ? { damaged: existing.damaged } : {}), ...(opened.readOnlyBy ? { readOnlyBy: opened.readOnlyBy } : {}),
      ...(existing?.worktree ? { worktree: existing.worktree } : {}), ...(existing?.sharedFiles ? { sharedFiles: existing.sharedFiles } : {}),
    };
    if (opened.entries.length > 0) this.oldestSeq.set(s.id, opened.entries[0].seq);
    this.views.set(s.id, view);
    if (!this.order.includes(s.id)) this.order.push(s.id);
    if (notify) {
      this.emit({ type: 'list' });
      this.emit({ type: 'session', sessionId: s.id, rows: true });
    }
  }

  private onEvent(event: SessionEvent): void {
    if (this.closedTabs.onEvent(event)) this.emit({ type: 'list' });
    const buffered = this.replaying.get(event.sessionId);
    if (buffered) {
      buffered.push(event);
      return;
    }
    let view = this.views.get(event.sessionId);
    if (!view && event.type === 'session.created') {
      view = {
        id: event.sessionId, title: event.title, parentId: event.parentId, state: 'idle',
        providerId: event.config.providerId, model: event.config.model, loaded: false, hasMore: false, lastSeq: event.seq, unread: false,
      };
      this.views.set(view.id, view);
      this.order.push(view.id);
      this.emit({ type: 'list' });
      return;
    }
    if (!view) return;
    if (!view.loaded) {
      // Not opened here: keep the tab's badge and unread mark current; rows load on open.
      if (event.type === 'session.state') view.state = event.state;
      if (event.type === 'session.renamed') view.title = event.title;
      if (event.type === 'turn.completed') view.outcome = 'done';
      if (event.type === 'turn.failed') view.outcome = 'error';
      if (marksUnread(event) && view.id !== this.visibleId) view.unread = true;
      view.lastSeq = Math.max(view.lastSeq, event.seq);
      this.emit({ type: 'list' });
      return;
    }
    if (event.seq <= view.lastSeq) return; // already folded (snapshot raced the event)
    if (event.seq > view.lastSeq + 1) {
      this.replay(view, event);
      return;
    }
    this.apply(view, event);
  }

  private apply(view: SessionView, event: SessionEvent): void {
    view.lastSeq = event.seq;
    const before = {
      state: view.state, title: view.title, unread: view.unread, outcome: view.outcome, pausing: view.snapshot?.pausing,
      changed: view.snapshot?.changes.length, worktree: view.snapshot?.worktree,
    };
    const effect = view.snapshot ? foldEvent(view.snapshot, event) : { type: 'none' as const };
    if (view.snapshot && effect.type !== 'delta' && effect.type !== 'none') view.snapshot = freshIdentity(view.snapshot, effect.type === 'rows');
    syncFromProjection(view);
    if (marksUnread(event) && view.id !== this.visibleId) view.unread = true;
    if (effect.type === 'delta') {
      this.emit({ type: 'delta', sessionId: view.id, messageId: effect.messageId, kind: effect.kind, text: effect.text });
    } else if (effect.type !== 'none') {
      this.emit({ type: 'session', sessionId: view.id, rows: effect.type === 'rows' });
    }
    if (before.state !== view.state || before.title !== view.title || before.unread !== view.unread || before.outcome !== view.outcome || before.pausing !== view.snapshot?.pausing
      || before.changed !== view.snapshot?.changes.length || before.worktree !== view.snapshot?.worktree) {
      this.emit({ type: 'list' });
    }
  }

  /** Fills a seq gap with events.since; live events wait in a buffer meanwhile. */
  private replay(view: SessionView, trigger: SessionEvent): void {
    const buffer: SessionEvent[] = [trigger];
    this.replaying.set(view.id, buffer);
    const from = view.lastSeq;
    this.client.request('events.since', { sessionId: view.id, afterSeq: from }).then(async ({ events, reset }) => {
      this.replaying.delete(view.id);
      if (reset) {
        await this.open(view.id);
      } else {
        // Apply in order; a gap the host could not fill is skipped rather than re-requested forever.
        const current = this.views.get(view.id);
        if (!current?.loaded) return;
        for (const e of [...events, ...buffer].sort((a, b) => a.seq - b.seq)) {
          if (e.seq > current.lastSeq) this.apply(current, e);
        }
      }
    }).catch((err: unknown) => {
      this.replaying.delete(view.id);
      this.reportError(err);
    });
  }

  private emit(change: StoreChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        console.error('store listener failed', err);
      }
    }
  }
}

/**
 * A new top-level object (and records array when rows changed) after a fold, so Lit sees a
 * changed property; the fold mutates in place for speed, records it changed are new objects.
 */
function freshIdentity(p: SessionProjection, rows: boolean): SessionProjection {
  return rows ? { ...p, records: p.records.slice() } : { ...p };
}

/** The list-level fields of an opened view follow its projection. */
function syncFromProjection(view: SessionView): void {
  const p = view.snapshot;
  if (!p) return;
  view.title = p.title;
  view.parentId = p.parentId;
  view.state = p.state;
  view.providerId = p.config.providerId;
  view.model = p.config.model;
  if (p.outcome) view.outcome = p.outcome;
  else delete view.outcome;
}

export const storeContext = createContext<WebviewStore>(Symbol('as-webview-store'));
