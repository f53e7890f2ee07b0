/**
 * What a session records about its own worktree, said as intents: it works in one (made for it, or
 * its parent's), a check found it in some state, its work was applied to the main tree or
 * committed on its branch, it was discarded. Only Session constructs one (its `worktree`), handing
 * it the closure that records a body; the worktree service (src/core/worktree/service.ts) decides
 * when. With session.ts, turn-recorder.ts and change-recorder.ts the only code that builds events.
 */
import type { SessionEventBody, SessionEventType } from './events';

type Body<T extends SessionEventType> = Extract<SessionEventBody, { type: T }>;
/** The fields of a worktree event (its body without `type`). */
export type WorktreeFields<T extends SessionEventType> = Omit<Body<T>, 'type'>;

export class WorktreeRecorder {
  /** @param record records one body (the session's emit; it refuses while the session is read-only here). */
  constructor(private readonly record: (body: SessionEventBody) => void) {}

  /** The session works in this worktree from now on (right after `session.created`). */
  created(w: WorktreeFields<'worktree.created'>): void {
    this.record({ type: 'worktree.created', ...w });
  }

  /** A check found the worktree in `state` (call only when that differs from the log, or something was repaired). */
  checked(c: WorktreeFields<'worktree.checked'>): void {
    this.record({ type: 'worktree.checked', ...c });
  }

  applied(a: WorktreeFields<'worktree.applied'>): void {
    this.record({ type: 'worktree.applied', ...a });
  }

  committed(c: WorktreeFields<'worktree.committed'>): void {
    this.record({ type: 'worktree.committed', ...c });
  }

  discarded(d: WorktreeFields<'worktree.discarded'>): void {
    this.record({ type: 'worktree.discarded', ...d });
  }
}
