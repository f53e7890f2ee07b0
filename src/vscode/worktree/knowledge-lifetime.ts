/**
 * Lets go of a worktree's knowledge (its rules and skills watchers, the MCP servers started there)
 * once no session works in that worktree any more: its sessions deleted, or the worktree discarded.
 * Run after each change of the session list; no vscode import (testable in Node).
 */
import type { SessionIndexEntry } from '../../shared/session';

/** What of the root-knowledge cache this needs (RootKnowledgeCache implements it). */
export interface HeldRoots {
  roots(): string[];
  release(root: string): Promise<void>;
}

function inside(root: string, folder: string): boolean {
  const f = folder.replace(/[\\/]+$/, '');
  return root === f || root.startsWith(`${f}/`) || root.startsWith(`${f}\\`);
}

/** Releases every held root that lies in no live worktree of `rows`; resolves with the roots released. */
export async function releaseUnusedRoots(cache: HeldRoots, rows: readonly Pick<SessionIndexEntry, 'worktree'>[]): Promise<string[]> {
  const live = rows.flatMap((r) => (r.worktree && r.worktree.state !== 'discarded' ? [r.worktree.path] : []));
  const gone = cache.roots().filter((root) => !live.some((folder) => inside(root, folder)));
  for (const root of gone) await cache.release(root);
  return gone;
}
