/**
 * Sessions of the shared tree that changed the same files (SessionIndexEntry.sharedFiles): each
 * tab shows a marker naming the other session and the files. Only sessions opened in this window
 * count (their change ledgers are folded); a session in its own worktree never overlaps (its paths
 * are its own), nor do a session and its own descendants (their changes are rolled up together).
 */
import type { SharedFileOverlap } from '../../shared/worktree';
import type { SessionData } from '../session/reducer';

/** Most file labels named per pair of sessions. */
export const MAX_SHARED_LABELS = 20;

/** What the overlap needs of an opened session. */
export type OverlapSession = Pick<SessionData, 'id' | 'title' | 'parentId' | 'worktree' | 'ledger'>;

/** Whether `a` is `b` or one of its ancestors among `byId`. */
function ancestorOf(a: string, b: OverlapSession, byId: ReadonlyMap<string, OverlapSession>): boolean {
  const seen = new Set<string>();
  for (let s: OverlapSession | undefined = b; s && !seen.has(s.id); s = s.parentId ? byId.get(s.parentId) : undefined) {
    if (s.id === a) return true;
    seen.add(s.id);
  }
  return false;
}

/**
 * For each session of `sessions` that shares a changed file with another: the others, with the
 * labels of the files both changed (every path the session's ledger ever recorded, kept or not).
 */
export function sharedFiles(sessions: readonly OverlapSession[]): Map<string, SharedFileOverlap[]> {
  const shared = sessions.filter((s) => !s.worktree && s.ledger.paths.size > 0);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  // Path → the sessions that changed it (with the label each gave it last).
  const byPath = new Map<string, Array<{ s: OverlapSession; label: string }>>();
  for (const s of shared) {
    for (const [p, changes] of s.ledger.paths) {
      const label = changes.at(-1)?.label ?? p;
      const list = byPath.get(p);
      if (list) list.push({ s, label });
      else byPath.set(p, [{ s, label }]);
    }
  }
  const pairs = new Map<string, Map<string, string[]>>();
  for (const owners of byPath.values()) {
    if (owners.length < 2) continue;
    for (const a of owners) {
      for (const b of owners) {
        if (a.s === b.s || ancestorOf(a.s.id, b.s, byId) || ancestorOf(b.s.id, a.s, byId)) continue;
        let mine = pairs.get(a.s.id);
        if (!mine) pairs.set(a.s.id, mine = new Map());
        const files = mine.get(b.s.id) ?? [];
        if (files.length < MAX_SHARED_LABELS) files.push(a.label);
        mine.set(b.s.id, files);
      }
    }
  }
  const out = new Map<string, SharedFileOverlap[]>();
  for (const [id, others] of pairs) {
    out.set(id, [...others].map(([other, files]) => ({ sessionId: other, title: byId.get(other)?.title ?? other, files: files.sort() })));
  }
  return out;
}
