/**
 * WorktreeApi (types.ts), reached as `SessionManager.worktrees`, and the engine's side of sessions'
 * worktrees: making one for a new session (new-worktree.ts), checking it on open and before turns
 * and tool calls (health.ts), and removing it when its session is deleted. Results are recorded in
 * the session's log through its WorktreeRecorder; every refusal names the way out. Sessions are used
 * in their full fold (log read and folded).
 */
import type { SessionWorktree, WorktreeApplyMode, WorktreeApplyResult, WorktreeDeleteChoice, WorktreeStatus, WorktreeSupport } from '../../shared/worktree';
import type { SessionIndexEntry } from '../../shared/session';
import type { Session } from '../session/session';
import type { TurnEnv, TurnHost } from '../session/turn-host';
import type { Clock, Logger } from '../ports';
import type { ConflictSides, WorktreeApi, WorktreeDeps } from './types';
import { AgentError, toAgentError } from '../base/errors';
import { refOf, WorktreeChecks } from './health';
import { makeWorkplace, type MadeWorkplace, type NewWorkplace } from './new-worktree';
import { draftCommitMessage, MAX_DESCRIBED_CHARS } from './commit-message';
import { worktreeRefusal } from './refusal';

/** What the service needs from the session manager. */
export interface WorktreeServiceDeps {
  /** Absent: this host gives no worktrees (support says why; sessions whose log has one still work in it). */
  worktrees?: WorktreeDeps;
  workspaceRoots: readonly string[];
  /** The session, fully loaded; AgentError('not_found') when there is none. */
  session(sessionId: string): Promise<Session>;
  /** An opened session, without loading. */
  opened(sessionId: string): Session | undefined;
  /** Every session's row (opened ones as they are now). */
  rows(): SessionIndexEntry[];
  /** The sessions' environment (the provider a commit message is drafted with). */
  env(): TurnEnv;
  clock: Clock;
  logger: Logger;
  /** Full checks through git at most this often while the folder is there (ms); default 5 minutes. */
  recheckMs?: number;
}

/** A session with a worktree that is not discarded. */
interface WithWorktree {
  session: Session;
  w: SessionWorktree;
}

/** Longest commit message taken. */
const MAX_MESSAGE = 10_000;

export class WorktreeService implements WorktreeApi {
  private readonly checks: WorktreeChecks;

  constructor(private readonly deps: WorktreeServiceDeps) {
    this.checks = new WorktreeChecks({
      ...(deps.worktrees ? { git: deps.worktrees.git } : {}), clock: deps.clock, logger: deps.logger,
      ...(deps.recheckMs !== undefined ? { recheckMs: deps.recheckMs } : {}),
    });
  }

  private git(): NonNullable<WorktreeServiceDeps['worktrees']>['git'] {
    const git = this.deps.worktrees?.git;
    if (!git) throw new AgentError('invalid_state', 'This host has no git support, so a worktree\'s status, commits, apply and discard are not available here. Use them where git (2.30 or newer) is installed.');
    return git;
  }

  // —— the engine's side ——

  /** Makes the worktree a new session works in (before the session exists; git's AgentError when it fails). */
  async prepare(id: string, title: string, place: NewWorkplace, signal?: AbortSignal): Promise<MadeWorkplace | undefined> {
    return makeWorkplace(this.deps.worktrees, this.deps.workspaceRoots, { id, title, place, ...(signal ? { signal } : {}) });
  }

  /** After a full load: checks (and repairs) the session's worktree; never throws (what is wrong is recorded). */
  async afterLoad(session: Session): Promise<void> {
    if (!session.data.worktree || session.readOnlyBy) return;
    try {
      await this.checks.full(session);
    } catch (e) {
      this.deps.logger.warn(`The worktree of ${session.id} could not be checked: ${toAgentError(e).message}`);
    }
  }

  /** TurnEnv.checkWorkplace: before a turn (and before a prompt is taken) or a tool call. */
  async checkWorkplace(host: TurnHost, when: 'turn' | 'tool'): Promise<void> {
    const session = this.deps.opened(host.data.id);
    if (when === 'tool' || !session) return this.checks.beforeTool(host.data.worktree);
    return this.checks.beforeTurn(session);
  }

  /**
   * Before a session is deleted with `choice` (nothing is done yet): refuses to remove a worktree
   * another session (not among `deleting`) works in. Sessions that inherited a worktree, or whose
   * worktree is discarded, keep nothing to remove.
   */
  assertCanDelete(session: Session, choice: WorktreeDeleteChoice, deleting: ReadonlySet<string>): void {
    const w = session.data.worktree;
    if (choice === 'keep' || !w || w.inheritedFrom || w.state === 'discarded') return;
    if (!this.deps.worktrees) throw new AgentError('invalid_state', 'This host has no git support, so the worktree cannot be removed here. Delete the session and keep its worktree.');
    const other = this.deps.rows().find((r) => r.id !== session.id && !deleting.has(r.id) && r.worktree?.path === w.path);
    if (other) {
      throw new AgentError('invalid_state', `Session "${other.title}" works in this worktree too: delete it first, or keep the worktree (${w.path}).`);
    }
  }

  /** Removes the worktree as `choice` says, before its session is deleted; git's AgentError when it fails (then nothing is deleted). */
  async removeForDelete(session: Session, choice: WorktreeDeleteChoice): Promise<void> {
    const w = session.data.worktree;
    if (choice === 'keep' || !w || w.inheritedFrom || w.state === 'discarded') return;
    await this.git().remove(refOf(w), { deleteBranch: choice === 'remove-all' });
  }

  /** Forgets a deleted session. */
  forget(sessionId: string): void { this.checks.forget(sessionId); }

  // —— WorktreeApi ——

  async support(): Promise<WorktreeSupport> {
    const deps = this.deps.worktrees;
    if (!deps) return { available: false, reason: 'This host has no git support, so sessions work in the shared workspace.' };
    const root = this.deps.workspaceRoots[0];
    if (root === undefined) return { available: false, reason: 'No folder is open. Open a git repository to give sessions worktrees.' };
    return deps.git.support(root);
  }

  /** The session's worktree (not discarded); AgentError('invalid_state') naming the way out otherwise. */
  private async withWorktree(sessionId: string): Promise<WithWorktree> {
    const session = await this.deps.session(sessionId);
    const w = session.data.worktree;
    if (!w) throw new AgentError('invalid_state', `Session "${session.data.title}" works in the shared workspace: it has no worktree. Start a new session in a worktree for that.`);
    if (w.state === 'discarded') throw new AgentError('invalid_state', `The worktree of session "${session.data.title}" was discarded (branch ${w.branch}); start a new session to work in a worktree again.`);
    return { session, w };
  }

  /** Like withWorktree, for what only its owner may do (`verb` it): writable, not inherited, usable when `usable`. */
  private async owned(sessionId: string, verb: string, o: { idle?: boolean; usable?: boolean } = {}): Promise<WithWorktree> {
    const found = await this.withWorktree(sessionId);
    const { session, w } = found;
    session.assertWritable();
    if (w.inheritedFrom) {
      const owner = this.deps.rows().find((r) => r.id === w.inheritedFrom);
      throw new AgentError('invalid_state', `The worktree belongs to parent session "${owner?.title ?? w.inheritedFrom}" (${w.inheritedFrom}): ${verb} it from there.`);
    }
    if (o.idle) this.assertIdle(session, w, verb);
    if (o.usable) {
      const why = worktreeRefusal(w, `${verb} again`);
      if (why) throw new AgentError('invalid_state', why);
    }
    return found;
  }

  /** Refuses while the session, or another session working in its worktree, runs a turn. */
  private assertIdle(session: Session, w: SessionWorktree, verb: string): void {
    if (session.isRunning) throw new AgentError('invalid_state', `A turn is running in this session: wait for it to finish, or cancel it, then ${verb}.`);
    for (const r of this.deps.rows()) {
      if (r.id === session.id || r.worktree?.path !== w.path || !this.deps.opened(r.id)?.isRunning) continue;
      throw new AgentError('invalid_state', `Session "${r.title}" is running in this worktree: wait for it to finish, or cancel it, then ${verb}.`);
    }
  }

  async check(sessionId: string): Promise<SessionWorktree> {
    const { session } = await this.withWorktree(sessionId);
    await this.checks.full(session);
    const w = session.data.worktree;
    if (!w) throw new AgentError('invalid_state', 'The session has no worktree.');
    return structuredClone(w);
  }

  async status(sessionId: string): Promise<WorktreeStatus> {
    const { w } = await this.withWorktree(sessionId);
    return this.git().status(refOf(w));
  }

  async draftCommitMessage(sessionId: string, signal?: AbortSignal): Promise<string> {
    const { session, w } = await this.withWorktree(sessionId);
    const git = this.git();
    if ((await git.status(refOf(w))).uncommitted.length === 0) {
      throw new AgentError('invalid_state', 'The worktree has no uncommitted changes, so there is nothing to write a commit message for.');
    }
    const described = await git.describeChanges(refOf(w), MAX_DESCRIBED_CHARS);
    return draftCommitMessage(session.data, this.deps.env(), described, signal);
  }

  async commit(sessionId: string, message: string): Promise<{ commit: string; files: number }> {
    const text = typeof message === 'string' ? message.replace(/\r\n?/g, '\n').trim() : '';
    if (!text || text.length > MAX_MESSAGE) throw new AgentError('bad_request', `A commit message is 1-${MAX_MESSAGE} characters; write one (or draft it) and commit again.`);
    const { session, w } = await this.owned(sessionId, 'commit', { idle: true, usable: true });
    const done = await this.git().commit(refOf(w), text);
    session.worktree.committed({ commit: done.commit, message: text, files: done.files });
    await session.flush();
    return done;
  }

  async apply(sessionId: string, mode: WorktreeApplyMode): Promise<WorktreeApplyResult> {
    if (mode !== 'merge' && mode !== 'patch') throw new AgentError('bad_request', 'Apply a worktree with mode "merge" (its branch) or "patch" (its changes, uncommitted).');
    const { session, w } = await this.owned(sessionId, 'apply', { idle: true, usable: true });
    const result = await this.git().apply(refOf(w), mode);
    session.worktree.applied({
      mode, outcome: result.outcome, files: result.files.length, conflicts: result.conflicts.map((c) => c.label),
      ...(result.commit ? { commit: result.commit } : {}),
    });
    await session.flush();
    return result;
  }

  async conflictSides(sessionId: string, path: string): Promise<ConflictSides> {
    if (typeof path !== 'string' || !path || path.length > 4_096 || path.includes('\0')) throw new AgentError('bad_request', 'A conflicted file is named by its path.');
    const { w } = await this.withWorktree(sessionId);
    return this.git().conflictSides(refOf(w), path);
  }

  async discard(sessionId: string): Promise<void> {
    const { session, w } = await this.owned(sessionId, 'discard', { idle: true });
    await this.git().remove(refOf(w), { deleteBranch: true });
    session.worktree.discarded({ branchDeleted: true });
    await session.flush();
    // Sessions that worked in it (children, forks) can no longer run either: their logs say so too.
    for (const r of this.deps.rows()) {
      if (r.id === session.id || r.worktree?.path !== w.path || r.worktree.state === 'discarded') continue;
      try {
        const other = await this.deps.session(r.id);
        if (!other.readOnlyBy && other.data.worktree?.inheritedFrom === session.id) {
          other.worktree.discarded({ branchDeleted: true });
          await other.flush();
        }
      } catch (e) {
        this.deps.logger.warn(`Session ${r.id} could not be told its worktree was discarded: ${toAgentError(e).message}`);
      }
    }
  }
}
