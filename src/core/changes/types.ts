/**
 * The change ledger's ports (src/core/changes): where file bytes are kept (BlobStore), how a file
 * is written (FileWriter: to disk, or in VS Code through the editor's buffer), what a tool gets
 * to change files with (SessionFiles, `ToolContext.files`) and what the host may do with a
 * session's changes (ChangesApi: list, review, restore, redo, fork). Plain Node; no vscode.
 */
import type { ChangedFile, FileImage, RestorePreview, RestoreResult, RestoreScope } from '../../shared/changes';
import type { SessionSnapshot } from '../../shared/session';
import type { EditPrecondition, FileState } from './file-state';

/**
 * Content-addressed bytes of one session (`<changesDir>/<sessionId>/blobs/`): a blob's name is the
 * sha256 of its bytes, so a body is stored once however often it recurs; compressed where it pays.
 * The log holds only hashes.
 */
export interface BlobStore {
  /**
   * Keeps `bytes` and returns their image (`state: 'file'`). Binary content and content over the
   * size cap are hashed, not kept (`stored: false`, `note` says why); so is content the disk
   * refused (disk full): the change is still recorded by hash, and views say it cannot be undone.
   */
  put(bytes: Uint8Array): Promise<Extract<FileImage, { state: 'file' }>>;
  /** The bytes of `hash`, checked against it. AgentError('damaged') when missing or not matching. */
  get(hash: string): Promise<Buffer>;
  has(hash: string): Promise<boolean>;
}

/**
 * How a session's file changes reach the files. The default writes to disk atomically; the VS Code
 * host writes a file open in the editor through a WorkspaceEdit (and saves it), so Ctrl+Z covers
 * the agent's edit, and refuses (AgentError('conflict')) when that buffer has unsaved changes of
 * the user's own, which are never overwritten. Returns how it wrote.
 */
export interface FileWriter {
  write(absolute: string, content: Uint8Array): Promise<'editor' | 'disk'>;
  remove(absolute: string): Promise<'editor' | 'disk'>;
  /** Moves `from` to `to` (missing folders created). */
  rename(from: string, to: string): Promise<'editor' | 'disk'>;
}

/** What a change callback returns: the new text, or an error for the model (nothing is written). */
export type FileUpdate = { content: string } | { error: string };

/** How `SessionFiles.update` / `remove` / `move` ended. */
export type FileChangeOutcome =
  | { ok: true; kind: 'created' | 'modified' | 'deleted' | 'renamed'; via: 'editor' | 'disk' }
  | { ok: false; error: string };

/** Options of one file change by a tool. */
export interface FileChangeOptions {
  /** What the user approved (the state the diff was computed from); see ToolContext.precondition. */
  precondition?: EditPrecondition;
  /**
   * Overwriting an existing file this session never read nor wrote is refused ("read it first"):
   * write_file sets it. edit_file, which changes the current text in place, does not.
   */
  mustHaveSeen?: boolean;
}

/**
 * What a tool changes files with (`ToolContext.files`; absent = the tool writes directly, as in
 * plain tool tests). Every change runs under a per-path lock shared by all sessions, refuses a
 * stale write — the file changed on disk (by the user, another session, a command) since this
 * session last read or wrote it — and records one `file.changed` with pre- and post-images kept
 * in the session's blob store.
 */
export interface SessionFiles {
  /** Notes the state this session saw of a file (read_file; `state` as in FileState). */
  noteSeen(absolute: string, state: string): void;
  /**
   * Under the path's lock: reads the file's current state, checks it (stale, precondition), calls
   * `change` once with it and writes what it returns, then records the change.
   */
  update(absolute: string, change: (current: FileState) => FileUpdate | Promise<FileUpdate>, options?: FileChangeOptions): Promise<FileChangeOutcome>;
  remove(absolute: string, options?: FileChangeOptions): Promise<FileChangeOutcome>;
  /** Moves a file; refuses when `to` exists. */
  move(from: string, to: string, options?: FileChangeOptions): Promise<FileChangeOutcome>;
  /**
   * Starts watching the workspace for a command (git status, or a capped size/mtime scan outside
   * git); `finish()` records what the command changed (source `command`) and says what it could
   * not capture (also recorded, as `changes.incomplete`).
   */
  watchCommand(): Promise<CommandWatch>;
}

export interface CommandWatch {
  /** Records the command's changes; `files`: their labels; `notes`: what could not be captured. */
  finish(): Promise<{ files: string[]; notes: string[] }>;
}

/** One file of a session's Changes view, with its line counts. */
export interface ChangedFileDetail extends ChangedFile {
  /** Lines added / removed from the baseline to now (undefined: binary, unknown or unrestorable). */
  added?: number;
  removed?: number;
  /** The session that made the change: this one, or a child (rolled up into its parent's view). */
  sessionId: string;
  /** For a child's change: the child's title. */
  childTitle?: string;
}

/** A hunk between a file's baseline and its content now (0-based line ranges, end exclusive). */
export interface ChangeHunk {
  index: number;
  /** Lines of the baseline this hunk replaces. */
  baseStart: number;
  baseEnd: number;
  /** Lines of the file now. */
  start: number;
  end: number;
  added: number;
  removed: number;
}

/**
 * What the host may do with sessions' changes (implemented in src/core/changes, reached as
 * `SessionManager.changes`). Every method throws AgentError('not_found') for an unknown session
 * and AgentError('invalid_state') while the session runs a turn (restores and reviews wait for it).
 */
export interface ChangesApi {
  /** The session's changed files (and its children's, labelled), since it began or since checkpoint `sinceKey`. */
  list(sessionId: string, options?: { sinceKey?: string; includeChildren?: boolean }): Promise<ChangedFileDetail[]>;
  /** Bytes of one of the session's blobs (a baseline for the diff editor); AgentError('damaged') when damaged. */
  blob(sessionId: string, hash: string): Promise<Buffer>;
  /** The baseline bytes of a changed path (empty for a created file); AgentError('not_found') when the path is not changed. */
  baseline(sessionId: string, path: string): Promise<Buffer>;
  /** The hunks between a changed path's baseline and its content now. */
  hunks(sessionId: string, path: string): Promise<ChangeHunk[]>;
  /** What restoring checkpoint `key` (a user message id or a compaction marker key) would do. */
  preview(sessionId: string, key: string, scope: RestoreScope): Promise<RestorePreview>;
  /** Restores it; conflicting files are skipped unless listed in `overwrite`. */
  restore(sessionId: string, key: string, scope: RestoreScope, options?: { overwrite?: readonly string[] }): Promise<RestoreResult>;
  /** Undoes restore `restoreId` (files back to what it found; its rewind taken back while no turn ran since). */
  redo(sessionId: string, restoreId: string, options?: { overwrite?: readonly string[] }): Promise<RestoreResult>;
  /** A new session with this one's history up to the end of the turn of record `key`; the original is untouched. */
  fork(sessionId: string, key: string): Promise<SessionSnapshot>;
  /** Keeps a file as it is now (it leaves the Changes view). */
  keepFile(sessionId: string, path: string): Promise<void>;
  /** Puts a file back to its baseline (same conflict rules as restore: `overwrite` to force). */
  undoFile(sessionId: string, path: string, options?: { overwrite?: boolean }): Promise<RestoreResult>;
  /** Undoes every change of the session (conflicting files skipped unless `overwrite`). */
  undoAll(sessionId: string, options?: { overwrite?: readonly string[] }): Promise<RestoreResult>;
  /** Keeps one hunk: the baseline takes it. */
  keepHunk(sessionId: string, path: string, hunk: number): Promise<void>;
  /** Undoes one hunk in the file (through the FileWriter: in the editor when open). */
  undoHunk(sessionId: string, path: string, hunk: number): Promise<void>;
}

/** One change a workspace scan found around a command (absolute path). */
export interface ScannedChange {
  path: string;
  kind: 'created' | 'modified' | 'deleted';
  before: FileImage;
  after: FileImage;
}

/** A scan begun before a command; `finish` scans again and says what differs. */
export interface WorkspaceWatch {
  /** The paths the command changed, and what could not be captured (a cap hit, an unreadable file). */
  finish(): Promise<{ changes: ScannedChange[]; notes: string[] }>;
}

/**
 * Finds what a command changed in the workspace (src/core/changes/workspace-watch.ts): in a git
 * work tree from `git status --porcelain=v2 -z` plus hashes of the touched paths, elsewhere a
 * size/mtime scan that honours .gitignore, capped in time and files (a cap hit is a note).
 */
export interface WorkspaceWatcher {
  /**
   * Notes the workspace's state before a command. Pre-images it can get (dirty files' bytes,
   * git's index) go into `blobs`; `known` gives images this session has already (read or written).
   */
  begin(options: { roots: readonly string[]; blobs: BlobStore; known(absolute: string): FileImage | undefined; signal?: AbortSignal }): Promise<WorkspaceWatch>;
}

/** Per-path locks shared by every session of a window: one change to a file at a time. */
export interface PathLocks {
  /** Runs `fn` holding the locks of `paths` (taken in a fixed order, so two callers never deadlock). */
  run<T>(paths: string | readonly string[], fn: () => Promise<T>): Promise<T>;
}

/** What the change ledger needs from the session manager (`SessionEnv.ledger`). */
export interface LedgerEnv {
  /** The session's blob store (`<changesDir>/<sessionId>/blobs`, or memory when the host gave no folder). */
  blobs(sessionId: string): BlobStore;
  writer: FileWriter;
  locks: PathLocks;
  /**
   * Label of an absolute path relative to `roots` (the session's folders: its worktree's, or the
   * workspace's — the default), `<folder>/<path>` with several roots.
   */
  labelOf(absolute: string, roots?: readonly string[]): string;
  /** Finds a command's changes (absent: commands' side effects are not tracked, and the card says so). */
  watcher?: WorkspaceWatcher;
  /**
   * The state (`sha256:<hex>` | `absent`) each file had when this session last read or wrote it:
   * the stale-write guard compares with it. In memory, seeded from the session's changed rows;
   * a restore sets the states it wrote.
   */
  known(sessionId: string): Map<string, string>;
  /** Deletes a session's blobs (the session was deleted). */
  dropSession(sessionId: string): Promise<void>;
}

/** Line hunks between two texts (src/core/changes/hunks.ts), for counts and per-hunk review. */
export interface HunkOps {
  diffHunks(baseline: string, current: string): ChangeHunk[];
  /** `current` with hunk `index` put back as in the baseline. */
  revertHunk(baseline: string, current: string, index: number): string;
  /** The baseline with hunk `index` taken from `current`. */
  keepHunk(baseline: string, current: string, index: number): string;
  lineCounts(baseline: string, current: string): { added: number; removed: number };
}
