/**
 * Where a new session will work, decided and made before the session exists: the shared tree, a
 * worktree of its own (`git worktree add` on `agent/<title-slug>-<short id>` under the worktrees
 * folder), or — a child of spawn_session, a fork — the worktree of the session it comes from. When
 * git fails nothing is created and its AgentError says why.
 */
import * as path from 'node:path';
import { z } from 'zod';
import type { ChildWorkspaceChoice, SessionWorktree, WorkspaceChoice } from '../../shared/worktree';
import type { WorktreeFields } from '../session/worktree-recorder';
import type { WorktreeDeps } from './types';
import { AgentError } from '../base/errors';
import { worktreeBranchName } from '../../shared/worktree';

/** Where a new session works: a choice of the form, or the worktree of the session it comes from (`owner` owns it). */
export type NewWorkplace =
  | WorkspaceChoice
  | { kind: 'worktree'; base?: string; carry?: 'copy' | 'clean'; repoRoot?: string; subdir?: string }
  | { kind: 'inherit'; owner: string; worktree: SessionWorktree };

/** A ref as a user may name it: no leading `-` (never an option to git), no spaces or control characters. */
const refSchema = z.string().min(1).max(256).regex(/^[^-\s\p{Cc}][^\s\p{Cc}]*$/u);
const choiceSchema = z.union([
  z.object({ kind: z.literal('shared') }).strict(),
  z.object({ kind: z.literal('worktree'), base: refSchema.optional(), carry: z.enum(['copy', 'clean']).optional() }).strict(),
]);

/** The validated choice; AgentError('bad_request') naming what is wrong. */
export function parseWorkspaceChoice(raw: unknown): WorkspaceChoice {
  const parsed = choiceSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new AgentError('bad_request', 'The workspace choice must be { kind: "shared" } or { kind: "worktree", base?: a branch, tag or commit, carry?: "copy" | "clean" }.');
}

/** What a child of `parent` (spawn_session's `workspace`) works in. */
export function childWorkplace(choice: ChildWorkspaceChoice | undefined, parent: { id: string; worktree?: SessionWorktree }): NewWorkplace {
  const w = parent.worktree && parent.worktree.state !== 'discarded' ? parent.worktree : undefined;
  switch (choice ?? 'inherit') {
    case 'shared': return { kind: 'shared' };
    // From the parent's branch as committed (its uncommitted files are not in it), else from HEAD with the main tree's uncommitted files.
    case 'worktree': return w
      ? { kind: 'worktree', base: w.branch, carry: 'clean', repoRoot: w.repoRoot, ...(w.subdir ? { subdir: w.subdir } : {}) }
      : { kind: 'worktree', carry: 'copy' };
    default: return w ? { kind: 'inherit', owner: w.inheritedFrom ?? parent.id, worktree: w } : { kind: 'shared' };
  }
}

/** A new session's worktree: the `worktree.created` fields, and git's notes for the user (submodules, LFS, …). */
export interface MadeWorkplace {
  fields: WorktreeFields<'worktree.created'>;
  notes: string[];
}

/** The worktree of a new session, made first when it is its own; undefined: the shared tree. */
export async function makeWorkplace(
  deps: WorktreeDeps | undefined, workspaceRoots: readonly string[], o: { id: string; title: string; place: NewWorkplace; signal?: AbortSignal },
): Promise<MadeWorkplace | undefined> {
  const { place } = o;
  if (place.kind === 'shared') return undefined;
  if (place.kind === 'inherit') {
    const w = place.worktree;
    return { fields: { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base, inheritedFrom: place.owner, ...(w.subdir ? { subdir: w.subdir } : {}) }, notes: [] };
  }
  if (!deps) throw new AgentError('invalid_state', 'This host cannot give sessions worktrees here (no git support). Start the session in the shared workspace.');
  const repoRoot = ('repoRoot' in place ? place.repoRoot : undefined) ?? workspaceRoots[0];
  if (repoRoot === undefined) throw new AgentError('invalid_state', 'No folder is open, so a session cannot get a worktree. Open a git repository first.');
  const branch = worktreeBranchName(o.title, o.id);
  const dir = path.join(deps.worktreesDir(), branch.slice('agent/'.length));
  const made = await deps.git.create({
    repoRoot, dir, branch, carry: place.carry ?? 'clean', ...(place.base ? { base: place.base } : {}), ...(o.signal ? { signal: o.signal } : {}),
  });
  // The workspace folder may be a subfolder of its repository: the session works in the worktree's copy of it.
  const subdir = 'repoRoot' in place && place.repoRoot ? place.subdir : await deps.git.subdirOf(repoRoot);
  const fields = {
    path: made.path, branch: made.branch, repoRoot: made.repoRoot, base: made.base,
    ...(made.carried ? { carried: made.carried } : {}), ...(subdir ? { subdir } : {}),
  };
  return { fields, notes: made.notes };
}
