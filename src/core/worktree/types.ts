/**
 * The worktree ports: what the session engine needs of git (WorktreeGit, implemented by
 * git-worktrees.ts over the git CLI, never a mock in tests) and what the host may do with a
 * session's worktree (WorktreeApi, implemented by the SessionManager's worktree service).
 * Plain Node: no vscode.
 */
import type {
  SessionWorktree, WorktreeApplyMode, WorktreeApplyResult, WorktreeBase, WorktreeDeleteChoice, WorktreeState,
  WorktreeStatus, WorktreeSupport,
} from '../../shared/worktree';

/** What a worktree is, as the engine hands it to git. */
export interface WorktreeRef {
  /** Absolute folder of the worktree. */
  path: string;
  branch: string;
  /** Top folder of the main working tree. */
  repoRoot: string;
  base: WorktreeBase;
  /** The workspace folder's place inside the repository (posix; absent: its top). The session works in `path`/`subdir`. */
  subdir?: string;
}

/** What `createWorktree` made. */
export interface CreatedWorktree extends WorktreeRef {
  /** Uncommitted files of the main tree copied in (absent: started clean, or nothing to carry). */
  carried?: { files: number };
  /** Notes for the user (submodules initialised or not, an LFS pointer left as is, …). */
  notes: string[];
}

/** What checking (and repairing) a worktree found. */
export interface WorktreeHealth {
  state: Exclude<WorktreeState, 'discarded'>;
  /** Where it is now (differs from the recorded path when git knows it moved and that folder works). */
  path: string;
  /** What is wrong and the way out (absent when ok). */
  problem?: string;
  /** What the check repaired ("git worktree repair", "re-added the folder from branch agent/…"). */
  repaired?: string;
}

/** Three sides of one conflicted file, for VS Code's merge editor (texts; a binary side is a note). */
export interface ConflictSides {
  path: string;
  label: string;
  base: string;
  /** The main tree's side (what was there before the apply). */
  ours: string;
  /** The worktree's side. */
  theirs: string;
}

/**
 * The git operations a session's worktree needs, over the git CLI (never through a shell). Every
 * failure is an AgentError whose message names the problem and the way out (e.g. "the branch
 * agent/x already exists: …"); nothing in the main tree changes unless the method says so.
 */
export interface WorktreeGit {
  /** Whether `root` can give sessions worktrees: a git repository, git found and new enough (≥ 2.30). */
  support(root: string): Promise<WorktreeSupport>;
  /** Where `root` (a workspace folder) lies inside its repository: posix path from the repository's top ('' when it is the top). */
  subdirOf(root: string): Promise<string>;
  /**
   * `git worktree add -b <branch> <dir> <base>` (base default HEAD); `carry: 'copy'` copies the main
   * tree's uncommitted changes (staged, unstaged, untracked, deletions) into the new worktree without
   * touching the main tree. Submodules are initialised in it when the main tree has them initialised.
   * A branch name that exists gets a numeric suffix (`-2`, `-3`, …).
   */
  create(o: { repoRoot: string; dir: string; branch: string; base?: string; carry: 'copy' | 'clean'; signal?: AbortSignal }): Promise<CreatedWorktree>;
  /** Checks the worktree and repairs what git can (`git worktree repair`, `prune`, re-adding a deleted folder from its branch). */
  check(w: WorktreeRef): Promise<WorktreeHealth>;
  /** Commits ahead of the base and uncommitted files. */
  status(w: WorktreeRef): Promise<WorktreeStatus>;
  /** A short summary of the worktree's uncommitted changes (`git diff --stat` plus a capped diff), for drafting a commit message. */
  describeChanges(w: WorktreeRef, maxChars: number): Promise<string>;
  /** `git add -A && git commit -m` in the worktree; `nothing to commit` → AgentError('invalid_state'). */
  commit(w: WorktreeRef, message: string): Promise<{ commit: string; files: number }>;
  /**
   * Brings the work back into the main tree. `merge`: `git merge --no-ff` of the session branch into
   * what the main tree has checked out (the worktree must have no uncommitted changes). `patch`: the
   * worktree's whole state against its base (committed, uncommitted, untracked) merged file by file
   * into the main tree's working files as uncommitted changes (a three-way merge per file, so the
   * main tree's own edits stay). Conflicted files keep conflict markers and are listed.
   */
  apply(w: WorktreeRef, mode: WorktreeApplyMode): Promise<WorktreeApplyResult>;
  /** The three sides of a file left conflicted by the last `apply` (for the merge editor). */
  conflictSides(w: WorktreeRef, path: string): Promise<ConflictSides>;
  /** Removes the worktree folder (`git worktree remove --force`) and, with `deleteBranch`, its branch. Locked → AgentError naming `git worktree unlock`. */
  remove(w: WorktreeRef, o: { deleteBranch: boolean }): Promise<void>;
}

/**
 * What the host may do with sessions' worktrees (SessionManager.worktrees). Each method that names
 * a session throws not_found for an unknown one and invalid_state when it has no worktree (or a
 * discarded one); results are recorded in the session's log (`worktree.*` events).
 */
export interface WorktreeApi {
  /** Whether new sessions can get a worktree in this workspace (the form disables the option with `reason`). */
  support(): Promise<WorktreeSupport>;
  /** Re-checks (and repairs) the session's worktree; records `worktree.checked` when anything changed. */
  check(sessionId: string): Promise<SessionWorktree>;
  status(sessionId: string): Promise<WorktreeStatus>;
  /** A commit message for the worktree's uncommitted changes, drafted by the session's model (a side request; records nothing). */
  draftCommitMessage(sessionId: string, signal?: AbortSignal): Promise<string>;
  commit(sessionId: string, message: string): Promise<{ commit: string; files: number }>;
  /** Refused (invalid_state) while a turn runs. */
  apply(sessionId: string, mode: WorktreeApplyMode): Promise<WorktreeApplyResult>;
  conflictSides(sessionId: string, path: string): Promise<ConflictSides>;
  /** Removes the worktree and its branch; the session keeps its history and can no longer run. Refused while a turn runs. */
  discard(sessionId: string): Promise<void>;
}

/** What the SessionManager needs to give sessions worktrees (absent: every session works in the shared tree). */
export interface WorktreeDeps {
  git: WorktreeGit;
  /** Folder new worktrees are made in (`<folder>/<branch slug>`): the extension's storage or the `agentSessions.worktrees.folder` setting. */
  worktreesDir(): string;
}

export type { WorktreeDeleteChoice };
