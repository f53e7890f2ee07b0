/**
 * The worktree half of the one fold (fold.ts): where the session works (snapshot.worktree) and
 * the markers its worktree events leave in the transcript. Pure, like the rest of the fold.
 */
import type { SessionEvent } from './events';
import type { SessionSnapshot } from './session';
import type { RecordsHolder } from './fold-records';
import { pushMarker } from './fold-records';

/** The part of a projection (fold.ts) this half folds. */
type SessionProjection = RecordsHolder & Pick<SessionSnapshot, 'worktree'>;

const STATE_TEXT: Record<string, string> = {
  missing: 'Its worktree is missing',
  moved: 'Its worktree moved',
  locked: 'Its worktree is locked',
  broken: 'Its worktree is damaged',
};

/** Folds a worktree event; false when `ev` is not one. */
export function foldWorktreeEvent(p: SessionProjection, ev: SessionEvent): 'rows' | 'meta' | false {
  switch (ev.type) {
    case 'worktree.created': {
      p.worktree = {
        path: ev.path, branch: ev.branch, repoRoot: ev.repoRoot, base: ev.base, state: 'ok', checkedAt: ev.ts,
        ...(ev.carried ? { carried: ev.carried } : {}), ...(ev.inheritedFrom ? { inheritedFrom: ev.inheritedFrom } : {}), ...(ev.subdir ? { subdir: ev.subdir } : {}),
      };
      if (ev.inheritedFrom) {
        pushMarker(p, ev, 'note', `Working in its parent's worktree on branch ${ev.branch}`);
        return 'rows';
      }
      const from = ev.base.branch ?? ev.base.ref;
      const carried = ev.carried ? `, with ${ev.carried.files} uncommitted file(s) of the main tree copied in` : '';
      pushMarker(p, ev, 'note', `Working in its own worktree on branch ${ev.branch} (from ${from} at ${ev.base.commit.slice(0, 8)}${carried})`);
      return 'rows';
    }
    case 'worktree.checked': {
      const w = p.worktree;
      if (!w) return 'meta';
      const { problem: _old, ...rest } = w;
      p.worktree = { ...rest, state: ev.state, path: ev.path, checkedAt: ev.ts, ...(ev.problem ? { problem: ev.problem } : {}) };
      if (ev.repaired) pushMarker(p, ev, 'note', `Worktree repaired: ${ev.repaired}`);
      else if (ev.state !== 'ok' && ev.state !== 'discarded') pushMarker(p, ev, 'warning', `${STATE_TEXT[ev.state] ?? 'Worktree problem'}: ${ev.problem ?? ev.path}`, { code: `worktree_${ev.state}` });
      else if (ev.state === 'ok' && w.state !== 'ok') pushMarker(p, ev, 'note', `Worktree found again at ${ev.path}`);
      return 'rows';
    }
    case 'worktree.applied': {
      const w = p.worktree;
      if (w) p.worktree = { ...w, lastApply: { mode: ev.mode, outcome: ev.outcome, conflicts: ev.conflicts.length, at: ev.ts } };
      const how = ev.mode === 'merge' ? 'Merged the session branch into the main tree' : 'Applied the worktree\'s changes to the main tree as uncommitted changes';
      const text = ev.outcome === 'nothing'
        ? 'Nothing to apply: the worktree holds no change against the main tree'
        : `${how}: ${ev.files} file(s)${ev.conflicts.length ? `, ${ev.conflicts.length} with conflicts (${ev.conflicts.slice(0, 5).join(', ')}${ev.conflicts.length > 5 ? ', …' : ''})` : ''}`;
      pushMarker(p, ev, 'note', text);
      return 'rows';
    }
    case 'worktree.committed': {
      const w = p.worktree;
      if (w) p.worktree = { ...w, lastCommit: { commit: ev.commit, message: ev.message, at: ev.ts } };
      pushMarker(p, ev, 'note', `Committed ${ev.files} file(s) on ${w?.branch ?? 'the session branch'} (${ev.commit.slice(0, 8)}): ${ev.message.split('\n')[0]}`);
      return 'rows';
    }
    case 'worktree.discarded': {
      const w = p.worktree;
      if (w) {
        const { problem: _old, ...rest } = w;
        p.worktree = { ...rest, state: 'discarded', checkedAt: ev.ts };
      }
      pushMarker(p, ev, 'note', `Worktree discarded${ev.branchDeleted ? ' with its branch' : ` (branch ${w?.branch ?? ''} kept)`}: this session can no longer run; its history stays`);
      return 'rows';
    }
    default: return false;
  }
}
