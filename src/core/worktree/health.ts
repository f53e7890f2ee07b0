/**
 * Keeping a session's worktree usable: a quick look (is the folder there?) before every tool call
 * and turn, a full check through git (`WorktreeGit.check`, which repairs what it can) when the
 * quick look fails, when the log says the worktree is unusable, on open, and every few minutes.
 * A check is recorded (`worktree.checked`) only when the state or the path changed, or something
 * was repaired. A worktree that cannot be used refuses the turn: nothing falls back to the main tree.
 */
import { promises as fs } from 'node:fs';
import type { SessionWorktree } from '../../shared/worktree';
import type { Session } from '../session/session';
import type { Clock, Logger } from '../ports';
import type { WorktreeGit, WorktreeHealth, WorktreeRef } from './types';
import { AgentError, toAgentError } from '../base/errors';
import { assertWorktreeUsable, worktreeUsable } from './refusal';

/** Full checks at most this often while the folder is there (ms). */
export const DEFAULT_RECHECK_MS = 5 * 60_000;

/** What git needs to know of a session's worktree. */
export function refOf(w: SessionWorktree): WorktreeRef {
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

/** Whether `folder` is a folder now. */
export async function folderThere(folder: string): Promise<boolean> {
  try {
    return (await fs.stat(folder)).isDirectory();
  } catch {
    return false; // gone, or not ours to read: either way nothing can run there
  }
}

export interface WorktreeChecksDeps {
  /** Absent: no git here; a missing folder cannot be brought back. */
  git?: WorktreeGit;
  clock: Clock;
  logger: Logger;
  recheckMs?: number;
}

/** The checks of every session's worktree (one at a time per session). */
export class WorktreeChecks {
  /** Session id → when its worktree was last checked through git here (ms). */
  private readonly lastFull = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: WorktreeChecksDeps) {}

  /**
   * Checks through git (repairing what it can) and records what changed. A read-only session is
   * checked but nothing is recorded (the window that writes it records its own). A discarded
   * worktree is not checked.
   */
  full(session: Session): Promise<void> {
    const pending = this.running.get(session.id);
    if (pending) return pending;
    const run = this.runFull(session).finally(() => this.running.delete(session.id));
    this.running.set(session.id, run);
    return run;
  }

  private async runFull(session: Session): Promise<void> {
    const w = session.data.worktree;
    if (!w || w.state === 'discarded') return;
    const health = await this.probe(w);
    this.lastFull.set(session.id, this.deps.clock.now());
    const now = session.data.worktree;
    if (!now || now.state === 'discarded' || session.readOnlyBy) return;
    if (health.state === now.state && health.path === now.path && !health.repaired) return;
    session.worktree.checked({
      state: health.state, path: health.path,
      ...(health.problem ? { problem: health.problem } : {}), ...(health.repaired ? { repaired: health.repaired } : {}),
    });
  }

  /** What the worktree is like now, through git when there is git. Never throws. */
  private async probe(w: SessionWorktree): Promise<WorktreeHealth> {
    const { git } = this.deps;
    const there = (): Promise<boolean> => folderThere(w.path);
    if (!git) {
      if (await there()) return { state: w.state === 'locked' ? 'locked' : 'ok', path: w.path };
      return { state: 'missing', path: w.path, problem: `The worktree folder ${w.path} is gone, and there is no git here to bring it back` };
    }
    try {
      return await git.check(refOf(w));
    } catch (e) {
      const why = toAgentError(e).message;
      this.deps.logger.warn(`The worktree ${w.path} could not be checked: ${why}`);
      if (await there()) {
        // git failed, not the worktree: keep what the log says (a folder that is there stays usable).
        const state = w.state === 'discarded' ? 'broken' : w.state;
        return { state, path: w.path, ...(w.problem ? { problem: w.problem } : {}) };
      }
      return { state: 'missing', path: w.path, problem: `The worktree folder ${w.path} is gone and git could not bring it back (${why.replace(/\.$/, '')})` };
    }
  }

  /**
   * Before a turn (or a prompt is taken): the quick look, and the full check when it fails, when
   * the log says the worktree is unusable, or when the last full check is older than the interval.
   * Throws AgentError('invalid_state') when the worktree cannot be used.
   */
  async beforeTurn(session: Session): Promise<void> {
    const w = session.data.worktree;
    if (!w) return;
    if (w.state === 'discarded') assertWorktreeUsable(w);
    const last = this.lastFull.get(session.id);
    const due = last === undefined || this.deps.clock.now() - last >= (this.deps.recheckMs ?? DEFAULT_RECHECK_MS);
    if (due || !worktreeUsable(w.state) || !(await folderThere(w.path))) await this.full(session);
    const after = session.data.worktree;
    if (session.readOnlyBy || !after) return;
    assertWorktreeUsable(after);
    // Read-only elsewhere or a failed record aside, the folder must be there now.
    if (!(await folderThere(after.path))) assertWorktreeUsable({ ...after, state: 'missing' });
  }

  /** Before a tool call: only the quick look (a turn's worth of calls must not each run git). */
  async beforeTool(w: SessionWorktree | undefined): Promise<void> {
    if (!w) return;
    assertWorktreeUsable(w);
    if (!(await folderThere(w.path))) {
      throw new AgentError('invalid_state', `The session's worktree folder ${w.path} is gone, so nothing was done (nothing runs in the main tree instead). The session's next message checks it and repairs what git can.`);
    }
  }

  /** Forgets a deleted session. */
  forget(sessionId: string): void {
    this.lastFull.delete(sessionId);
  }
}
