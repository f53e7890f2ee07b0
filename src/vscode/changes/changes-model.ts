/**
 * What the VS Code side shows of the change ledger: per top-level session, its changed files
 * and its children's (`ChangesApi.list(id, { includeChildren: true })`), kept fresh from the
 * manager's events. Refreshes are coalesced (a burst of edits reads each list once) and run one
 * at a time. The Source Control view, the CodeLens and "Comment to Session" read it; none of
 * them asks core directly for lists. No vscode import (unit-tested against a fake manager).
 */
import { Disposable, toDisposable } from '../../core/base/disposable';
import { Emitter } from '../../core/base/emitter';
import { toAgentError } from '../../core/base/errors';
import type { ChangedFileDetail, ChangesApi } from '../../core/changes/types';
import type { Logger } from '../../core/ports';
import type { SessionManagerApi } from '../../core/session/api';
import type { SessionEventType } from '../../shared/events';
import type { WorktreeSummary } from '../../shared/worktree';
import { pathKey } from './paths';

/** One top-level session's changes (its own and its children's). */
export interface SessionChanges {
  sessionId: string;
  title: string;
  rows: ChangedFileDetail[];
  /** Its own worktree (the provider's root, its branch in the view). */
  worktree?: WorktreeSummary;
}

/** A row of one session's view that is about a given file. */
export interface PathChange {
  /** The top-level session whose view lists it. */
  root: SessionChanges;
  row: ChangedFileDetail;
}

/** Events after which a session's list is read again. */
const REFRESH_ON: ReadonlySet<SessionEventType> = new Set([
  'file.changed', 'changes.kept', 'restore.completed', 'session.renamed', 'child.started',
  'worktree.checked', 'worktree.discarded',
]);

/** A turn ended: a list refused while it ran (invalid_state) is read then. */
const TURN_ENDS: ReadonlySet<SessionEventType> = new Set(['turn.completed', 'turn.failed', 'turn.cancelled', 'turn.interrupted']);

/** How long a burst of events is coalesced, ms. */
export const CHANGES_REFRESH_MS = 150;

export class ChangesModel extends Disposable {
  private readonly sessions = new Map<string, SessionChanges>();
  private readonly pending = new Set<string>();
  /** Sessions whose list was refused while a turn ran. */
  private readonly afterTurn = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly changed = this._register(new Emitter<string[]>());
  /** Fires with the top-level sessions whose rows or title changed (or that have no changes any more). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly manager: SessionManagerApi,
    private readonly changes: ChangesApi,
    private readonly logger: Logger,
    private readonly delayMs = CHANGES_REFRESH_MS,
  ) {
    super();
    this._register(manager.onEvent((e) => {
      if (REFRESH_ON.has(e.type) || (TURN_ENDS.has(e.type) && this.afterTurn.has(this.rootOf(e.sessionId)))) this.schedule(e.sessionId);
    }));
    this._register(toDisposable(() => { if (this.timer) clearTimeout(this.timer); }));
  }

  /** Reads every session that has changes (opened: its snapshot; else its index row). */
  start(): Promise<void> {
    for (const row of this.manager.list()) {
      const count = this.manager.get(row.id)?.changes.length ?? row.changedFiles ?? 0;
      if (count > 0) this.pending.add(this.rootOf(row.id));
    }
    return this.flush();
  }

  get(sessionId: string): SessionChanges | undefined {
    return this.sessions.get(sessionId);
  }

  all(): SessionChanges[] {
    return [...this.sessions.values()];
  }

  /** Every session view's row about `absolute` (several sessions may have changed one file). */
  rowsFor(absolute: string): PathChange[] {
    const key = pathKey(absolute);
    return this.all().flatMap((root) => root.rows.filter((row) => pathKey(row.path) === key).map((row) => ({ root, row })));
  }

  /** The top-level session whose view shows `sessionId`'s changes (a child's roll up into its parent's). */
  rootOf(sessionId: string): string {
    const rows = new Map(this.manager.list().map((r) => [r.id, r]));
    let id = sessionId;
    for (let guard = 0; guard < 64; guard++) {
      const parent = rows.get(id)?.parentId;
      if (!parent || !rows.has(parent)) return id;
      id = parent;
    }
    return id;
  }

  /** Reads `sessionId`'s view again now (after a review action), and any refresh already due. */
  refresh(sessionId: string): Promise<void> {
    this.pending.add(this.rootOf(sessionId));
    return this.flush();
  }

  /** Drops sessions that no longer exist (deleted; there is no event for that). */
  reconcile(): void {
    const ids = new Set(this.manager.list().map((r) => r.id));
    const gone = [...this.sessions.keys()].filter((id) => !ids.has(id));
    for (const id of gone) this.sessions.delete(id);
    if (gone.length > 0) this.changed.fire(gone);
  }

  private schedule(sessionId: string): void {
    this.pending.add(this.rootOf(sessionId));
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, this.delayMs);
  }

  /** Runs after any refresh in progress, so two reads of one list never race. */
  private flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.running = this.running.then(() => this.readPending());
    return this.running;
  }

  private async readPending(): Promise<void> {
    if (this._store.isDisposed || this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending.clear();
    const index = new Map(this.manager.list().map((r) => [r.id, r]));
    const changedIds: string[] = [];
    for (const id of ids) {
      const entry = index.get(id);
      let rows: ChangedFileDetail[] | undefined;
      if (entry) {
        try {
          rows = await this.changes.list(id, { includeChildren: true });
        } catch (err) {
          const e = toAgentError(err);
          if (e.code === 'invalid_state') { this.afterTurn.add(id); continue; } // busy: read when its turn ends
          if (e.code !== 'not_found') {
            // Keep what is shown; the next event of the session reads it again.
            this.logger.warn(`The changes of session ${id} could not be read: ${e.code}: ${e.message}`);
            continue;
          }
        }
        this.afterTurn.delete(id);
      }
      const before = this.sessions.get(id);
      if (!entry || !rows || rows.length === 0) {
        if (before) { this.sessions.delete(id); changedIds.push(id); }
        continue;
      }
      const next: SessionChanges = { sessionId: id, title: entry.title, rows, ...(entry.worktree ? { worktree: entry.worktree } : {}) };
      if (!before || JSON.stringify(before) !== JSON.stringify(next)) {
        this.sessions.set(id, next);
        changedIds.push(id);
      }
    }
    if (changedIds.length > 0 && !this._store.isDisposed) this.changed.fire(changedIds);
  }
}
