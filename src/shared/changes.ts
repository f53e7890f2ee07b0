/**
 * The change ledger's vocabulary, shared by core, the host and the webview: what a session did to
 * a file (`file.changed`), what it left changed (`ChangedFile`, in the snapshot), and what a
 * restore of a checkpoint would do (`RestorePreview`). Plain JSON; no Node, no DOM.
 */

/**
 * A file's content at one moment, as the ledger knows it.
 * - `absent`: there was no file.
 * - `file`: its bytes hash to `hash` (sha256, hex); `stored`: the bytes are in the session's blob
 *   store, so it can be put back; otherwise `note` says why not (binary, over the size cap, disk full).
 * - `unknown`: a command changed a file whose earlier content nobody captured; `note` says why.
 */
export type FileImage =
  | { state: 'absent' }
  | { state: 'file'; hash: string; size: number; stored: boolean; binary?: true; note?: string }
  | { state: 'unknown'; note: string };

/** What one change did to one path. `renamed`: `from` moved to `path` (one event, two paths). */
export type FileChangeKind = 'created' | 'modified' | 'deleted' | 'renamed';

/**
 * Who made a recorded change: a file tool, a command's side effect (found by a workspace scan),
 * a checkpoint restore (or its redo), or the user's review (undo of a file or hunk).
 */
export type FileChangeSource = 'tool' | 'command' | 'restore' | 'review';

/** A path the session changed and has not been kept (reviewed) since: one row of its Changes view. */
export interface ChangedFile {
  /** Absolute path. */
  path: string;
  /** Workspace-relative path shown to the user (prefixed with the folder name in a multi-root workspace). */
  label: string;
  /** Net effect since the baseline. */
  kind: 'created' | 'modified' | 'deleted';
  /** Content before the session's first change (or at the last keep). */
  baseline: FileImage;
  /** Content the session's latest change left. */
  current: FileImage;
  /** Seq of the first and of the latest change event of this path counted here. */
  firstSeq: number;
  lastSeq: number;
  /** The baseline can be put back (absent, or its bytes are stored); otherwise `note` says why not. */
  restorable: boolean;
  note?: string;
}

/** What a restore puts back: files only, the conversation only, or both. */
export type RestoreScope = 'files' | 'conversation' | 'both';

/** One file of a restore's plan (recorded in `restore.started`). */
export interface RestoreFilePlan {
  path: string;
  label: string;
  /** What the session last left there: the file must still be so, else it is a conflict. */
  expected: FileImage;
  /** What the file goes back to (absent: the file is removed). */
  target: FileImage;
  /** The user chose to overwrite this file although it changed since (a conflict). */
  overwrite?: true;
}

/** One file of a restore preview. */
export interface RestorePreviewFile {
  path: string;
  label: string;
  /** `revert`: content goes back; `delete`: the session created it; `recreate`: the session deleted it. */
  action: 'revert' | 'delete' | 'recreate';
  /** Someone else changed the file since this session did: it is not overwritten unless chosen. */
  conflict?: string;
  /** It cannot be put back (its earlier content was not kept, or is damaged): why. */
  unrestorable?: string;
  /** Lines added and removed by going back, when both sides are text. */
  added?: number;
  removed?: number;
}

/** What restoring a checkpoint would do, shown before anything is written. */
export interface RestorePreview {
  /** The checkpoint: a user message id or a compaction marker key. */
  key: string;
  scope: RestoreScope;
  /** Seq of the checkpoint (the event that opened the message, or the compaction). */
  seq: number;
  files: RestorePreviewFile[];
  /** Transcript records that would be marked rewound (kept in the log). */
  rewoundRecords: number;
}

/** What a restore did. */
export interface RestoreResult {
  restoreId: string;
  restored: string[];
  skipped: Array<{ path: string; reason: string }>;
  /** The conversation was rewound. */
  rewound: boolean;
}

/** True when two images name the same content (both absent, or the same hash). */
export function sameContent(a: FileImage, b: FileImage): boolean {
  if (a.state === 'absent' || b.state === 'absent') return a.state === b.state;
  if (a.state === 'unknown' || b.state === 'unknown') return false;
  return a.hash === b.hash;
}

/** Whether an image can be written back: absent (remove the file) or stored bytes. */
export function restorableImage(image: FileImage): boolean {
  return image.state === 'absent' || (image.state === 'file' && image.stored);
}
