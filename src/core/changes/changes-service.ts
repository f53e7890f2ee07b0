/**
 * ChangesApi (types.ts), reached as `SessionManager.changes`: a session's changed files (its
 * children's rolled up), their review (keep, undo, per hunk), checkpoint restores with their
 * preview, redo, fork, and finishing a restore a crash interrupted. Every session is used in its
 * full fold (the log read and folded), never in a preview from the store checkpoint: the ledger
 * state (changes per path, checkpoints of the history) exists only there.
 */
import type { RestorePreview, RestoreResult, RestoreScope } from '../../shared/changes';
import type { SessionSnapshot } from '../../shared/session';
import type { Session } from '../session/session';
import type { ChangedFileDetail, ChangeHunk, ChangesApi, HunkOps, LedgerEnv } from './types';
import { AgentError, toAgentError } from '../base/errors';
import { toolKey } from '../../shared/transcript';
import { findRecord } from '../session/reducer';
import { rowsSince, withCounts } from './change-list';
import { checkpointSeq, planRedo, planRestore, toPreview, type PlanContext } from './restore-plan';
import { assertCanRestore, runRestore } from './restore-run';
import { finishInterruptedRestore } from './recovery';
import { fileHunks, keepFile, keepHunk, undoFiles, undoHunk, type OwnedRow } from './review';

/** What the service needs from the session manager. */
export interface ChangesServiceDeps {
  /** The session, fully loaded (its log read and folded); AgentError('not_found') when there is none. */
  session(sessionId: string): Promise<Session>;
  /** The change ledger (absent: this host keeps none, and every method says so). */
  ledger(): LedgerEnv | undefined;
  /** Line hunks (absent: no line counts, and per-hunk review is refused). */
  hunks(): HunkOps | undefined;
  /** Ids of the session's direct children (default: the children its log started). */
  children?(sessionId: string): readonly string[];
  /** A new session with the history up to the end of record `key`'s turn (the manager's fork). */
  fork?(sessionId: string, key: string): Promise<SessionSnapshot>;
  /**
   * Throws AgentError('invalid_state') when the session's worktree cannot be used now (checked and
   * repaired where git can): nothing is written then, and no missing worktree folder is made anew.
   */
  workplace?(session: Session): Promise<void>;
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 4_096) throw new AgentError('bad_request', 'A changed file is named by its absolute path.');
}

function overwriteSet(list: unknown): ReadonlySet<string> {
  if (list === undefined) return new Set();
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new AgentError('bad_request', '`overwrite` is a list of absolute paths.');
  return new Set(list);
}

/**
 * The ChangesApi over the manager's sessions. Reads (list, blob, baseline, hunks) work at any time;
 * everything that writes or records, and the restore preview, wants the session idle here.
 */
export class ChangesService implements ChangesApi {
  constructor(private readonly deps: ChangesServiceDeps) {}

  private ledger(): LedgerEnv {
    const ledger = this.deps.ledger();
    if (!ledger) throw new AgentError('invalid_state', 'This host keeps no change ledger: files cannot be reviewed or restored here.');
    return ledger;
  }

  private hunkOps(): HunkOps {
    const ops = this.deps.hunks();
    if (!ops) throw new AgentError('invalid_state', 'Line hunks are not available in this host.');
    return ops;
  }

  private planContext(session: Session, inspect = false): PlanContext {
    const hunks = this.deps.hunks();
    return { blobs: this.ledger().blobs(session.id), roots: session.roots, inspect, ...(hunks ? { hunks } : {}) };
  }

  /** An idle session that may be changed: writable here, no turn, no restore running. */
  private async idle(sessionId: string): Promise<Session> {
    const session = await this.deps.session(sessionId);
    assertCanRestore(session);
    await this.deps.workplace?.(session);
    return session;
  }

  /**
   * Finishes the session's interrupted restore, if any (called once its log was folded, before it
   * is used). Never throws: a restore that cannot be finished now stays open and is tried again
   * at the next open; the session's tab says so.
   */
  async recover(session: Session): Promise<void> {
    const ledger = this.deps.ledger();
    if (!session.data.restoring || !ledger) return;
    try {
      await finishInterruptedRestore(session, ledger);
    } catch (e) {
      const why = toAgentError(e).message;
      session.env.logger.warn(`Session ${session.id}: the interrupted restore could not be finished: ${why}`);
      try {
        session.warn('restore_not_finished', `The restore interrupted by the last shutdown could not be finished (${why}); it is tried again when the session is opened next.`);
      } catch { /* read-only or closing: the log says it anyway */ }
    }
  }

  /** The session and its descendants, with their titles (children first by depth). */
  private async family(sessionId: string, since?: number): Promise<Array<{ session: Session; childTitle?: string; since: number }>> {
    const root = await this.deps.session(sessionId);
    const out: Array<{ session: Session; childTitle?: string; since: number }> = [{ session: root, since: since ?? 0 }];
    for (let i = 0; i < out.length; i++) {
      const parent = out[i].session;
      for (const childId of this.deps.children?.(parent.id) ?? parent.data.children.map((c) => c.id)) {
        const info = parent.data.children.find((c) => c.id === childId);
        // Since a checkpoint: only children the parent started after it.
        if (i === 0 && since !== undefined && info && (findRecord(parent.data, toolKey(info.callId))?.seq ?? 0) <= since) continue;
        try {
          const child = await this.deps.session(childId);
          out.push({ session: child, childTitle: child.data.title, since: 0 });
        } catch (e) {
          parent.env.logger.warn(`Child session ${childId} could not be opened for the Changes view: ${toAgentError(e).message}`);
        }
      }
    }
    return out;
  }

  async list(sessionId: string, options: { sinceKey?: string; includeChildren?: boolean } = {}): Promise<ChangedFileDetail[]> {
    const ledger = this.ledger();
    const root = await this.deps.session(sessionId);
    const since = options.sinceKey !== undefined ? checkpointSeq(root.data, options.sinceKey, 'files') : undefined;
    const members = options.includeChildren === false ? [{ session: root, since: since ?? 0 }] : await this.family(sessionId, since);
    const out: ChangedFileDetail[] = [];
    for (const m of members) {
      const rows = m.since > 0 ? rowsSince(m.session.data, m.since) : m.session.data.changes;
      const owner = { sessionId: m.session.id, ...(m.childTitle !== undefined && m.session !== root ? { childTitle: m.childTitle } : {}) };
      out.push(...await withCounts(rows, ledger.blobs(m.session.id), this.deps.hunks(), owner));
    }
    return out;
  }

  async blob(sessionId: string, hash: string): Promise<Buffer> {
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw new AgentError('bad_request', 'A blob is named by its sha256 (64 hex digits).');
    const ledger = this.ledger();
    const members = await this.family(sessionId);
    // A child's rolled-up rows name blobs of the child's own store.
    for (const m of members) if (await ledger.blobs(m.session.id).has(hash)) return ledger.blobs(m.session.id).get(hash);
    return ledger.blobs(sessionId).get(hash);
  }

  /** The row of `path` in the session or one of its children. */
  private async owned(sessionId: string, path: string): Promise<OwnedRow> {
    checkPath(path);
    for (const m of await this.family(sessionId)) {
      const row = m.session.data.changes.find((r) => r.path === path);
      if (row) return { session: m.session, row };
    }
    throw new AgentError('not_found', `${path} is not among this session's changed files.`);
  }

  /** Like owned, but the owning session must be idle (nothing runs, nothing is being restored). */
  private async ownedIdle(sessionId: string, path: string): Promise<OwnedRow> {
    const o = await this.owned(sessionId, path);
    assertCanRestore(o.session);
    await this.deps.workplace?.(o.session);
    return o;
  }

  async baseline(sessionId: string, path: string): Promise<Buffer> {
    const { session, row } = await this.owned(sessionId, path);
    const b = row.baseline;
    if (b.state === 'absent') return Buffer.alloc(0);
    if (b.state === 'file' && b.stored) return this.ledger().blobs(session.id).get(b.hash);
    throw new AgentError('invalid_state', `The earlier content of ${row.label} was not kept: ${row.note ?? 'not stored'}.`);
  }

  async hunks(sessionId: string, path: string): Promise<ChangeHunk[]> {
    return fileHunks(await this.owned(sessionId, path), this.ledger(), this.hunkOps());
  }

  async preview(sessionId: string, key: string, scope: RestoreScope): Promise<RestorePreview> {
    const session = await this.idle(sessionId);
    return toPreview(await planRestore(session.data, key, scope, this.planContext(session, true)));
  }

  async restore(sessionId: string, key: string, scope: RestoreScope, options: { overwrite?: readonly string[] } = {}): Promise<RestoreResult> {
    const overwrite = overwriteSet(options.overwrite);
    const session = await this.idle(sessionId);
    const plan = await planRestore(session.data, key, scope, this.planContext(session));
    return runRestore(session, this.ledger(), plan, overwrite);
  }

  async redo(sessionId: string, restoreId: string, options: { overwrite?: readonly string[] } = {}): Promise<RestoreResult> {
    const overwrite = overwriteSet(options.overwrite);
    const session = await this.idle(sessionId);
    const plan = await planRedo(session.data, restoreId, this.planContext(session));
    return runRestore(session, this.ledger(), plan, overwrite);
  }

  async fork(sessionId: string, key: string): Promise<SessionSnapshot> {
    if (!this.deps.fork) throw new AgentError('invalid_state', 'Forking a session is not available in this host.');
    return this.deps.fork(sessionId, key);
  }

  async keepFile(sessionId: string, path: string): Promise<void> {
    keepFile(await this.ownedIdle(sessionId, path));
  }

  async undoFile(sessionId: string, path: string, options: { overwrite?: boolean } = {}): Promise<RestoreResult> {
    const o = await this.ownedIdle(sessionId, path);
    return undoFiles([o], this.ledger(), () => options.overwrite === true);
  }

  async undoAll(sessionId: string, options: { overwrite?: readonly string[] } = {}): Promise<RestoreResult> {
    const overwrite = overwriteSet(options.overwrite);
    const rows: OwnedRow[] = [];
    for (const m of await this.family(sessionId)) {
      assertCanRestore(m.session);
      await this.deps.workplace?.(m.session);
      for (const row of m.session.data.changes) rows.push({ session: m.session, row });
    }
    return undoFiles(rows, this.ledger(), (p) => overwrite.has(p));
  }

  async keepHunk(sessionId: string, path: string, hunk: number): Promise<void> {
    await keepHunk(await this.ownedIdle(sessionId, path), this.ledger(), this.hunkOps(), hunk);
  }

  async undoHunk(sessionId: string, path: string, hunk: number): Promise<void> {
    await undoHunk(await this.ownedIdle(sessionId, path), this.ledger(), this.hunkOps(), hunk);
  }
}
