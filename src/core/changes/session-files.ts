/**
 * What one tool call changes files with (SessionFiles, `ToolContext.files`): every change runs
 * under the per-path locks shared by all sessions, is refused when the file changed on disk since
 * this session last read or wrote it, and is recorded as one `file.changed` whose pre- and
 * post-images are kept in the session's blob store. The log holds hashes, never file bodies.
 */
import { promises as fs } from 'node:fs';
import type { ChangedFile, FileImage } from '../../shared/changes';
import type { ChangeRecorder } from '../session/change-recorder';
import type { CommandWatch, FileChangeOptions, FileChangeOutcome, FileUpdate, LedgerEnv, SessionFiles, WorkspaceWatch } from './types';
import type { FileState } from './file-state';
import { sameContent } from '../../shared/changes';
import { AgentError, toAgentError } from '../base/errors';
import { changedSince } from '../tools/file-write';
import { resolveWorkspacePath } from '../tools/workspace-paths';
import { readBytes, stateOf, stateOfImage } from './images';

/** The session's folded state the ledger reads (read when used: it grows as events are recorded). */
export interface SessionChangesView {
  readonly changes: readonly ChangedFile[];
  readonly changeNotes?: readonly string[];
}

/** Who makes the changes: one tool call of one session's turn. */
export interface SessionFilesSpec {
  sessionId: string;
  turnId: string;
  callId: string;
  /** The session's change recorder (the only way to record `file.changed`). */
  changes: ChangeRecorder;
  ledger: LedgerEnv;
  data: SessionChangesView;
  /** The session's roots (TurnHost.roots: its worktree's, or the workspace's): paths are checked and labelled against them. */
  workspaceRoots: readonly string[];
  /** The turn's signal (a command's workspace scan stops with it). */
  signal?: AbortSignal;
}

/** What a host without a WorkspaceWatcher says once per session about commands. */
export const UNTRACKED_COMMANDS_NOTE = 'this host does not track what commands change';

/** Known-state maps already seeded from their session's changed rows. */
const seeded = new WeakSet<Map<string, string>>();
/** Sessions (per ledger) already told that commands are not tracked. */
const untrackedNoted = new WeakMap<LedgerEnv, Set<string>>();

/** The session's known states, seeded once from its rows' current images (so a reopened session keeps its guard). */
function knownStates(spec: SessionFilesSpec): Map<string, string> {
  const known = spec.ledger.known(spec.sessionId);
  if (!seeded.has(known)) {
    seeded.add(known);
    for (const row of spec.data.changes) {
      const state = stateOfImage(row.current);
      if (state !== undefined && !known.has(row.path)) known.set(row.path, state);
    }
  }
  return known;
}

type Refusal = { ok: false; error: string };
const refused = (error: string): Refusal => ({ ok: false, error });

/** The file's bytes now, or why they cannot be read. */
async function currentBytes(absolute: string, label: string): Promise<{ bytes: Buffer | undefined } | Refusal> {
  try {
    return { bytes: await readBytes(absolute) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return refused(`${label} is a folder, not a file; nothing was changed.`);
    return refused(`Could not read ${label}: ${toAgentError(e).message}`);
  }
}

/** The message of a writer's failure (an editor's AgentError('conflict') says it all itself). */
function writeError(e: unknown, label: string): Refusal {
  if (e instanceof AgentError) return refused(e.message);
  return refused(`Could not change ${label}: ${toAgentError(e).message}`);
}

/** The SessionFiles of one tool call. */
export function createSessionFiles(spec: SessionFilesSpec): SessionFiles {
  const { ledger, changes } = spec;
  const call = { callId: spec.callId, turnId: spec.turnId };
  const blobs = () => ledger.blobs(spec.sessionId);
  const labelOf = (absolute: string): string => ledger.labelOf(absolute, spec.workspaceRoots);

  /**
   * Refuses a path whose resolution changed since the tool resolved it (a symlink swapped in,
   * maybe pointing outside the workspace). Checked under the lock, just before the write.
   */
  async function escaped(absolute: string): Promise<Refusal | undefined> {
    const label = labelOf(absolute);
    try {
      const now = await resolveWorkspacePath(absolute, spec.workspaceRoots);
      if (now.absolute === absolute) return undefined;
      return refused(`${label} now leads elsewhere (${now.absolute}: a symbolic link changed); nothing was written. Look at the path again, then redo the change.`);
    } catch (e) {
      return refused(`${toAgentError(e).message} Nothing was written.`);
    }
  }

  /**
   * Precondition, stale and unseen checks of the file's current state. The precondition comes
   * first: when what was shown (or approved) is no longer there, that says best what happened.
   */
  function guard(absolute: string, current: FileState, options: FileChangeOptions): Refusal | undefined {
    const label = labelOf(absolute);
    const changed = changedSince(label, options.precondition, current);
    if (changed !== undefined) return refused(changed);
    const seen = knownStates(spec).get(absolute);
    if (seen !== undefined && seen !== current.state) {
      return refused(`${label} changed on disk since you last read or wrote it (by the user, another session or a command); nothing was written. Read it again, then redo the change.`);
    }
    if (options.mustHaveSeen && current.state !== 'absent' && seen === undefined) {
      return refused(`${label} already exists and you have not read it in this session; nothing was written. Read it first (read_file), then redo the change.`);
    }
    return undefined;
  }

  /** Reads and checks one path (the caller holds its lock). */
  async function prepare(absolute: string, options: FileChangeOptions): Promise<{ bytes: Buffer | undefined; current: FileState } | Refusal> {
    const outside = await escaped(absolute);
    if (outside) return outside;
    const read = await currentBytes(absolute, labelOf(absolute));
    if ('ok' in read) return read;
    const current: FileState = { text: read.bytes?.toString('utf8'), state: stateOf(read.bytes) };
    return guard(absolute, current, options) ?? { bytes: read.bytes, current };
  }

  async function update(absolute: string, change: (current: FileState) => FileUpdate | Promise<FileUpdate>, options: FileChangeOptions = {}): Promise<FileChangeOutcome> {
    return ledger.locks.run(absolute, async () => {
      const ready = await prepare(absolute, options);
      if ('ok' in ready) return ready;
      const { bytes, current } = ready;
      const result = await change(current);
      if ('error' in result) return refused(result.error);
      const next = Buffer.from(result.content, 'utf8');
      const known = knownStates(spec);
      // Nothing to write: nothing is recorded either (the outcome says what it would have been).
      if (bytes !== undefined && bytes.equals(next)) {
        known.set(absolute, current.state);
        return { ok: true, kind: 'modified', via: 'disk' };
      }
      const before: FileImage = bytes === undefined ? { state: 'absent' } : await blobs().put(bytes);
      const after = await blobs().put(next);
      let via: 'editor' | 'disk';
      try {
        via = await ledger.writer.write(absolute, next);
      } catch (e) {
        return writeError(e, labelOf(absolute));
      }
      const kind = bytes === undefined ? 'created' : 'modified';
      changes.fileChanged({ path: absolute, label: labelOf(absolute), kind, before, after, source: 'tool', ...call, via });
      known.set(absolute, stateOf(next));
      return { ok: true, kind, via };
    });
  }

  async function remove(absolute: string, options: FileChangeOptions = {}): Promise<FileChangeOutcome> {
    return ledger.locks.run(absolute, async () => {
      const ready = await prepare(absolute, options);
      if ('ok' in ready) return ready;
      const label = labelOf(absolute);
      if (ready.bytes === undefined) return refused(`${label} does not exist; nothing was deleted.`);
      const before = await blobs().put(ready.bytes);
      let via: 'editor' | 'disk';
      try {
        via = await ledger.writer.remove(absolute);
      } catch (e) {
        return writeError(e, label);
      }
      changes.fileChanged({ path: absolute, label, kind: 'deleted', before, after: { state: 'absent' }, source: 'tool', ...call, via });
      knownStates(spec).set(absolute, 'absent');
      return { ok: true, kind: 'deleted', via };
    });
  }

  async function move(from: string, to: string, options: FileChangeOptions = {}): Promise<FileChangeOutcome> {
    const fromLabel = labelOf(from);
    const label = labelOf(to);
    if (from === to) return refused(`${fromLabel} and ${label} are the same path; nothing was moved.`);
    return ledger.locks.run([from, to], async () => {
      const target = await escaped(to);
      if (target) return target;
      if (await fs.lstat(to).then(() => true, () => false)) {
        return refused(`${label} already exists; nothing was moved. Choose another name, or delete it first if it is to go.`);
      }
      const ready = await prepare(from, options);
      if ('ok' in ready) return ready;
      if (ready.bytes === undefined) return refused(`${fromLabel} does not exist; nothing was moved.`);
      const image = await blobs().put(ready.bytes);
      let via: 'editor' | 'disk';
      try {
        via = await ledger.writer.rename(from, to);
      } catch (e) {
        return writeError(e, fromLabel);
      }
      changes.fileChanged({ path: to, label, kind: 'renamed', from, fromLabel, before: image, after: image, source: 'tool', ...call, via });
      const known = knownStates(spec);
      known.set(from, 'absent');
      known.set(to, ready.current.state);
      return { ok: true, kind: 'renamed', via };
    });
  }

  /** The image this session already has of a path: the current image of its row when it is what the session last saw. */
  function knownImage(absolute: string): FileImage | undefined {
    const state = knownStates(spec).get(absolute);
    if (state === undefined) return undefined;
    if (state === 'absent') return { state: 'absent' };
    const row = spec.data.changes.find((r) => r.path === absolute);
    return row && stateOfImage(row.current) === state ? row.current : undefined;
  }

  /** Records what a command changed, and what could not be captured. */
  function recordScan(found: Awaited<ReturnType<WorkspaceWatch['finish']>>): { files: string[]; notes: string[] } {
    const known = knownStates(spec);
    const files: string[] = [];
    for (const c of found.changes) {
      if (sameContent(c.before, c.after)) continue;
      const label = labelOf(c.path);
      changes.fileChanged({ path: c.path, label, kind: c.kind, before: c.before, after: c.after, source: 'command', ...call });
      const state = stateOfImage(c.after);
      if (state === undefined) known.delete(c.path);
      else known.set(c.path, state);
      files.push(label);
    }
    for (const note of found.notes) changes.incomplete(note, call);
    return { files, notes: [...found.notes] };
  }

  /** A host without a watcher: says so once per session (also across a reopen: the note is in its log). */
  function untracked(): CommandWatch {
    return {
      finish: async () => {
        let noted = untrackedNoted.get(ledger);
        if (!noted) untrackedNoted.set(ledger, noted = new Set());
        if (noted.has(spec.sessionId) || spec.data.changeNotes?.includes(UNTRACKED_COMMANDS_NOTE)) return { files: [], notes: [] };
        noted.add(spec.sessionId);
        changes.incomplete(UNTRACKED_COMMANDS_NOTE, call);
        return { files: [], notes: [UNTRACKED_COMMANDS_NOTE] };
      },
    };
  }

  /** A watch that could not be taken (or finished): the command's changes are not captured, and the card says why. */
  function failed(why: string): { files: string[]; notes: string[] } {
    const note = `what the command changed could not be captured (${why})`;
    changes.incomplete(note, call);
    return { files: [], notes: [note] };
  }

  async function watchCommand(): Promise<CommandWatch> {
    const watcher = ledger.watcher;
    if (!watcher) return untracked();
    let watch: WorkspaceWatch;
    try {
      watch = await watcher.begin({ roots: spec.workspaceRoots, blobs: blobs(), known: knownImage, ...(spec.signal ? { signal: spec.signal } : {}) });
    } catch (e) {
      const why = toAgentError(e).message;
      return { finish: async () => failed(why) };
    }
    return {
      finish: async () => {
        let found: Awaited<ReturnType<WorkspaceWatch['finish']>>;
        try {
          found = await watch.finish();
        } catch (e) {
          return failed(toAgentError(e).message);
        }
        return recordScan(found);
      },
    };
  }

  return {
    noteSeen(absolute, state) {
      knownStates(spec).set(absolute, state);
    },
    update, remove, move, watchCommand,
  };
}
