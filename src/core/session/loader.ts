import { isDeepStrictEqual } from 'node:util';
import type { SessionEvent } from './events';
import type { SessionSnapshot } from './types';
import type { TranscriptPage } from './api';
import type { SessionIndexEntry, SessionStore, SessionWriterInfo, StoreWarning } from '../store/types';
import type { Logger } from '../ports';
import type { Session } from './session';
import type { SessionData } from './reducer';
import { AgentError, toAgentError } from '../base/errors';
import { assertSafeId } from '../base/ids';
import { foldEvents } from './reducer';
import { previewEventsSince, previewPage, readPreview, widenPreview, type SessionPreview } from './preview';

/**
 * The session warning code of a store warning about writing its log: `history_not_saved` (a write
 * failed; the store keeps the events in memory and retries) and `history_saved_again` (a retry
 * succeeded). The webview shows its "history not being saved" banner from exactly these two.
 */
export function historyWarningCode(w: StoreWarning): 'history_not_saved' | 'history_saved_again' | undefined {
  return w.code === 'write_failed' ? 'history_not_saved' : w.code === 'write_recovered' ? 'history_saved_again' : undefined;
}

/**
 * Routes the store's live write failures and recoveries to the opened session they concern, as
 * its warnings (recorded like any event, written once the disk takes them again). `live` is false
 * once the manager is disposed.
 */
export function forwardHistoryWarnings(store: SessionStore, opened: (id: string) => Session | undefined, live: () => boolean): void {
  store.onWarning((w) => {
    const code = historyWarningCode(w);
    const session = code && w.sessionId && live() ? opened(w.sessionId) : undefined;
    if (code && session) session.warn(code, w.message);
  });
}

/** What the loader needs from its manager. */
export interface SessionLoaderDeps {
  store: SessionStore;
  logger: Logger;
  /** Log events read to show an unopened session from its checkpoint (see preview.ts). */
  previewTailEvents?: number;
  /** A Session over state folded from its log. */
  createSession(data: SessionData): Session;
  /** Called once per full load, after restore (index rows, …); `damaged` when its log is damaged. */
  onLoaded(session: Session, damaged?: SessionIndexEntry['damaged']): void;
  /** Throws when the manager has been disposed. */
  assertLive(): void;
  /** The other window known to write this session's log now (it was handed over), if any. */
  writerOf?(sessionId: string): SessionWriterInfo | undefined;
  /** Runs after a full load, before the session is handed out (finishes a restore a crash interrupted). */
  afterLoad?(session: Session): Promise<void>;
}

/**
 * The manager's opened sessions and how they get opened: a full load (log read and folded, once,
 * shared by concurrent callers) or, for a quiet session, a preview from its checkpoint + log tail
 * that answers at once while the full load follows in the background (see preview.ts).
 */
export class SessionLoader {
  private readonly sessions = new Map<string, Session>();
  private readonly loading = new Map<string, Promise<Session>>();
  /** Sessions shown from checkpoint + log tail while their full log loads. */
  private readonly previews = new Map<string, SessionPreview>();
  private readonly previewing = new Map<string, Promise<SessionPreview | undefined>>();
  private disposed = false;

  constructor(private readonly deps: SessionLoaderDeps) {}

  /** An opened session, without loading. */
  opened(sessionId: string): Session | undefined { return this.sessions.get(sessionId); }

  /** Every opened session. */
  all(): Session[] { return [...this.sessions.values()]; }

  /** Registers a session created in this process. */
  add(session: Session): void { this.sessions.set(session.id, session); }

  /** Forgets a deleted session. */
  remove(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.previews.delete(sessionId);
  }

  /** From now on nothing is loaded or previewed. */
  dispose(): void {
    this.disposed = true;
    this.previews.clear();
  }

  /** An opened session (loading and folding its log on first use). */
  async session(sessionId: string): Promise<Session> {
    assertSafeId(sessionId);
    this.deps.assertLive();
    const open = this.sessions.get(sessionId);
    if (open) return open;
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = this.load(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    return pending;
  }

  private async load(sessionId: string): Promise<Session> {
    const result = await this.deps.store.load(sessionId);
    this.deps.assertLive();
    // A damaged log opens with what can be read (maybe nothing), never as "No session".
    if (result.events.length === 0 && !result.damaged) throw new AgentError('not_found', `No session ${sessionId}.`);
    for (const w of result.warnings) this.deps.logger.warn(`Session ${sessionId}: ${w.code}: ${w.message}`);
    const data = foldEvents(sessionId, result.events);
    if (result.damaged && !data.title) data.title = 'Damaged session'; // its session.created could not be read
    const session = this.deps.createSession(data);
    // Another window writes it: shown here, nothing recorded, and its open turn is that window's.
    const readOnlyBy = this.deps.writerOf?.(sessionId) ?? result.lockedBy;
    if (readOnlyBy) session.readOnlyBy = readOnlyBy;
    this.sessions.set(sessionId, session);
    const shown = this.previews.get(sessionId);
    this.previews.delete(sessionId);
    if (!shown) session.saveCheckpoint(); // missing, stale or not asked: the next open can be fast
    else if (!isDeepStrictEqual(shown.snapshot, session.snapshot())) {
      // Only a log damaged before its tail can do this (warnings follow); the log's state wins from here.
      this.deps.logger.warn(`Session ${sessionId}: its checkpoint did not match its log; the log's state is used.`);
      session.saveCheckpoint();
    }
    if (!session.readOnlyBy) session.recoverAfterRestart();
    await this.deps.afterLoad?.(session);
    // Shown in the tab (torn tail, corrupt line…); a few at most, the log has the rest. Who writes a
    // read-only session the tab says on its own (the composer's read-only notice).
    const toShow = result.warnings.filter((w) => !(session.readOnlyBy && w.code === 'locked'));
    for (const w of toShow.slice(0, 5)) {
      session.warn(historyWarningCode(w) ?? `store_${w.code}`, `${w.message}${w.line ? ` (log line ${w.line})` : ''}`);
    }
    if (toShow.length > 5) session.warn('store_more', `${toShow.length - 5} more storage warnings; see the log.`);
    this.deps.onLoaded(session, result.damaged);
    return session;
  }

  /**
   * The session's preview when it is neither loaded nor loading: its checkpoint and log tail, read
   * once; the full load then starts in the background. Undefined → use the full load.
   */
  private async previewFor(sessionId: string): Promise<SessionPreview | undefined> {
    assertSafeId(sessionId);
    this.deps.assertLive();
    if (this.sessions.has(sessionId)) return undefined;
    const known = this.previews.get(sessionId);
    if (known || this.loading.has(sessionId)) return known;
    let pending = this.previewing.get(sessionId);
    if (!pending) {
      pending = readPreview(this.deps.store, sessionId, this.deps.previewTailEvents).then((p) => {
        if (!p || this.disposed || this.sessions.has(sessionId) || this.loading.has(sessionId)) return undefined;
        this.previews.set(sessionId, p);
        this.loadInBackground(sessionId);
        return p;
      }, (e: unknown) => {
        this.deps.logger.warn(`Session ${sessionId}: no fast open (${toAgentError(e).message}); reading its log.`);
        return undefined;
      }).finally(() => this.previewing.delete(sessionId));
      this.previewing.set(sessionId, pending);
    }
    return pending;
  }

  /**
   * Starts the full load of a previewed session after the current macrotask, so the host sends
   * the visible tail before the log is parsed. Every operation that needs the whole state awaits
   * the same load (this.session), and nothing can emit for the session before it is loaded.
   */
  private loadInBackground(sessionId: string): void {
    setImmediate(() => {
      if (this.disposed || this.sessions.has(sessionId)) return;
      this.session(sessionId).then(undefined, (e: unknown) => {
        this.previews.delete(sessionId);
        if (!this.disposed) this.deps.logger.warn(`Session ${sessionId} could not be loaded: ${toAgentError(e).message}`);
      });
    });
  }

  /** Shows a big session at once: from its checkpoint when it is current (see preview.ts), else loads the log. */
  async open(sessionId: string): Promise<SessionSnapshot> {
    const preview = await this.previewFor(sessionId);
    const loaded = this.sessions.get(sessionId);
    if (!loaded && preview) return structuredClone(preview.snapshot);
    return (loaded ?? await this.session(sessionId)).snapshot();
  }

  get(sessionId: string): SessionSnapshot | undefined {
    assertSafeId(sessionId);
    const preview = this.previews.get(sessionId);
    return this.sessions.get(sessionId)?.snapshot() ?? (preview ? structuredClone(preview.snapshot) : undefined);
  }

  /** The newest page comes from a preview's tail when it covers it; older pages (beforeSeq) need the full load. */
  async transcript(sessionId: string, options: { limit?: number; beforeSeq?: number }): Promise<TranscriptPage> {
    if (options.beforeSeq === undefined) {
      let preview = await this.previewFor(sessionId);
      while (preview && !this.sessions.has(sessionId)) {
        const page = previewPage(preview, options.limit);
        if (page) return page;
        preview = await widenPreview(this.deps.store, preview).catch(() => undefined);
        if (preview && this.previews.has(sessionId)) this.previews.set(sessionId, preview);
      }
    }
    return (await this.session(sessionId)).transcript(options.limit, options.beforeSeq);
  }

  async eventsSince(sessionId: string, afterSeq: number): Promise<SessionEvent[]> {
    const preview = await this.previewFor(sessionId);
    const fromTail = preview && !this.sessions.has(sessionId) ? previewEventsSince(preview, afterSeq) : undefined;
    return fromTail ?? (await this.session(sessionId)).eventsSince(afterSeq);
  }
}
