/**
 * Where a session works, shared by core, the host and the webview: the workspace everyone shares,
 * or a git worktree of its own on a branch of its own (src/core/worktree). The worktree is recorded
 * in the session's log (`worktree.*` events, folded in fold-worktree.ts), so a reload or a crash
 * keeps the session in it, and a session never silently falls back to the main tree.
 * Plain JSON; no Node, no DOM.
 */

/**
 * What the user chose in the new-session form (or spawn_session's `workspace`).
 * - `shared`: the workspace folders themselves (every shared session edits the same files).
 * - `worktree`: `git worktree add` on a new branch `agent/<title-slug>-<short id>` from `base`
 *   (a branch, tag or commit; default HEAD). `carry`: `copy` copies the main tree's uncommitted
 *   changes into it (the main tree stays untouched), `clean` starts from the base as committed.
 */
export type WorkspaceChoice =
  | { kind: 'shared' }
  | { kind: 'worktree'; base?: string; carry?: 'copy' | 'clean' };

/** For spawn_session: the parent's place (`inherit`, the default), or one of the choices. */
export type ChildWorkspaceChoice = 'inherit' | 'shared' | 'worktree';

/** The commit a worktree started from: the ref as the user named it and what it resolved to. */
export interface WorktreeBase {
  /** e.g. "HEAD", "main", "v1.2", or a commit id. */
  ref: string;
  /** Full commit id. */
  commit: string;
  /** The branch HEAD was on when `ref` is HEAD (absent: detached HEAD, or another ref). */
  branch?: string;
}

/**
 * What the last check of a worktree found.
 * - `ok`: the folder is there and git knows it as the session's worktree.
 * - `missing`: the folder is gone (deleted outside VS Code) and could not be brought back.
 * - `moved`: git knows the worktree at another folder (`path` is updated when that folder works).
 * - `locked`: git has it locked (`git worktree lock`): it works, but cannot be removed until unlocked.
 * - `broken`: the folder is there but git does not take it (its `.git` pointer or git's record is damaged).
 * - `discarded`: the user discarded it (worktree and maybe branch removed); the session keeps its history only.
 */
export type WorktreeState = 'ok' | 'missing' | 'moved' | 'locked' | 'broken' | 'discarded';

/** How bringing the work back went. */
export type WorktreeApplyMode = 'merge' | 'patch';

/** One file an apply left conflicted in the main tree (conflict markers in it), with the three sides. */
export interface WorktreeConflict {
  /** Absolute path in the main tree. */
  path: string;
  /** Workspace-relative label. */
  label: string;
}

/** The result of `worktrees.apply`. */
export interface WorktreeApplyResult {
  mode: WorktreeApplyMode;
  /** `nothing`: the worktree holds no change against the main tree. */
  outcome: 'clean' | 'conflicts' | 'nothing';
  /** Main-tree labels of every file written. */
  files: string[];
  conflicts: WorktreeConflict[];
  /** For `merge`: the merge commit (absent while conflicts wait, or when it fast-forwarded to `commit`). */
  commit?: string;
  /** One line for the user, e.g. "Merged agent/fix-login-1a2b into main: 3 files". */
  message: string;
}

/** A session's own worktree, as the fold keeps it (snapshot.worktree). */
export interface SessionWorktree {
  /** Absolute folder of the worktree (the session's only root). */
  path: string;
  /** Its branch, e.g. "agent/fix-login-1a2b3c". */
  branch: string;
  /** Top folder of the main working tree (where Apply writes). */
  repoRoot: string;
  base: WorktreeBase;
  /** Uncommitted changes of the main tree copied in at creation (absent: started clean). */
  carried?: { files: number };
  /** The workspace folder's place inside the repository (posix; absent: the folder is the repository's top). */
  subdir?: string;
  /** A child working in its parent's worktree: the parent's id (only the owner applies, commits or discards). */
  inheritedFrom?: string;
  state: WorktreeState;
  /** What the last check found wrong, and the way out (absent when `ok`). */
  problem?: string;
  /** When the state was last checked (ms). */
  checkedAt: number;
  lastApply?: { mode: WorktreeApplyMode; outcome: WorktreeApplyResult['outcome']; conflicts: number; at: number };
  lastCommit?: { commit: string; message: string; at: number };
}

/** The index row's short form (tabs and the delete dialog need it before the log is opened). */
export interface WorktreeSummary {
  branch: string;
  path: string;
  state: WorktreeState;
}

/** Whether a new session could get a worktree here; the form shows the option disabled with `reason` when not. */
export type WorktreeSupport =
  | {
      available: true;
      /** Top folder of the repository's main working tree. */
      repoRoot: string;
      /** HEAD now: its branch (absent when detached) and commit. */
      head: { branch?: string; commit: string; detached: boolean };
      /** Uncommitted files in the main tree (staged, unstaged, untracked): the form offers to carry them over. */
      dirtyFiles: number;
      /** e.g. "2.39.5". */
      gitVersion: string;
      /** The repository has submodules (a new worktree gets them initialised; said in the form). */
      submodules: boolean;
      /** Local branches and tags to pick a base from (newest first, at most 200). */
      refs: string[];
    }
  | { available: false; reason: string };

/** What a worktree holds against its base, for the Changes view's Bring-back actions. */
export interface WorktreeStatus {
  /** Commits on the session branch after the base. */
  ahead: number;
  /** Labels of files changed but not committed in the worktree (untracked included). */
  uncommitted: string[];
  headCommit: string;
}

/** What to do with a session's worktree and branch when the session is deleted. */
export type WorktreeDeleteChoice = 'keep' | 'remove-worktree' | 'remove-all';

/** Sessions sharing the main tree that changed the same file (tabs show a marker on both). */
export interface SharedFileOverlap {
  /** The other session. */
  sessionId: string;
  title: string;
  /** Labels of the files both changed (at most 20). */
  files: string[];
}

/** The branch name for a new session's worktree: `agent/<slug>-<short id>` (the slug from the title, ASCII, ≤ 40 chars). */
export function worktreeBranchName(title: string, sessionId: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  const short = sessionId.replace(/[^a-zA-Z0-9]/g, '').slice(-6).toLowerCase();
  return `agent/${slug || 'session'}-${short}`;
}

/**
 * The folder a worktree session works in: the worktree's own copy of the workspace folder
 * (`path`/`subdir`; the workspace folder may be a subfolder of its repository).
 */
export function worktreeRoot(w: Pick<SessionWorktree, 'path' | 'subdir'>): string {
  if (!w.subdir) return w.path;
  const sep = w.path.includes('\\') && !w.path.includes('/') ? '\\' : '/';
  return `${w.path.replace(/[\\/]+$/, '')}${sep}${w.subdir.split('/').join(sep)}`;
}

/** The folder a session with `w` works in, or undefined for a session of the shared tree. */
export function worktreeRootOf(w: Pick<SessionWorktree, 'path' | 'subdir'> | undefined): string | undefined {
  return w ? worktreeRoot(w) : undefined;
}
