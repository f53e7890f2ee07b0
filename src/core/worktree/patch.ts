/**
 * Bringing a session's work back as uncommitted changes: the worktree's whole state (committed,
 * uncommitted, untracked) as a tree — made with a temporary index, so the worktree's own index is
 * untouched — compared with its base, and each changed path merged three-way into the main tree's
 * working file as it is now. The main tree's own edits stay; its index is never touched.
 * Conflicted files keep conflict markers (binary and delete/modify conflicts keep the main
 * tree's file) and their sides are recorded for conflictSides.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { WorktreeApplyResult, WorktreeConflict } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import type { GitCli } from './git-cli';
import { exists, parseRawDiff, type TreeChange } from './git-output';
import { isSafeTreePath } from './inputs';
import { requireRepo } from './merge';
import { savePatchConflicts, type PatchConflictRecord } from './conflicts';
import {
  blobForCheckout, deleteSide, GITLINK_MODE, hashBytes, insideTree, LINK_MODE, looksBinary, mergeText, oursSides, readOurs,
  setExecutable, tracksFileMode, writeSide, type OursSide, type Side,
} from './patch-files';
import { gitPath } from './repo';
import { requireFolder } from './status';
import type { WorktreeRef } from './types';

/** What to do with one path. */
type Step =
  | { kind: 'write'; label: string; side: NonNullable<Side> }
  | { kind: 'merged'; label: string; bytes: Buffer; mode: string; conflict?: PatchConflictRecord }
  | { kind: 'delete'; label: string }
  | { kind: 'mode'; label: string; exec: boolean }
  | { kind: 'keep'; label: string; conflict: PatchConflictRecord };

const PARALLEL = 4;

function sideOf(mode: string, oid: string): Side {
  return /^0+$/.test(mode) ? null : { oid, mode };
}

function same(a: OursSide, b: Side): boolean {
  if (a === 'other') return false;
  return a === null ? b === null : b !== null && a.oid === b.oid && a.mode === b.mode;
}

/** The tree of everything in the worktree (untracked included, ignored not), via a temporary copy of its index. */
export async function worktreeTree(cli: GitCli, wpath: string): Promise<string> {
  const index = await gitPath(cli, wpath, 'index');
  const tmp = path.join(path.dirname(index), `agent-sessions-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const env = { GIT_INDEX_FILE: tmp };
  try {
    if (exists(index)) await copyFile(index, tmp);
    else await cli.ok(['read-tree', 'HEAD'], { cwd: wpath, env });
    await cli.ok(['add', '-A'], { cwd: wpath, env, timeoutMs: 300_000 });
    return await cli.text(['write-tree'], { cwd: wpath, env });
  } finally {
    await Promise.all([rm(tmp, { force: true }), rm(`${tmp}.lock`, { force: true })]);
  }
}

/** See WorktreeGit.apply (mode `patch`). */
export async function applyPatch(cli: GitCli, w: WorktreeRef): Promise<WorktreeApplyResult> {
  const repoRoot = requireRepo(w);
  requireFolder(w);
  const theirsTree = await worktreeTree(cli, w.path);
  const baseTree = await cli.text(['rev-parse', '--verify', `${w.base.commit}^{tree}`], { cwd: repoRoot });
  const notes: string[] = [];
  const changes = parseRawDiff(await cli.ok(['diff-tree', '-r', '-z', '--no-renames', baseTree, theirsTree], { cwd: repoRoot })).filter((c) => {
    if (c.oldMode === GITLINK_MODE || c.newMode === GITLINK_MODE) { notes.push(`submodule ${c.path} not applied (update it in the main tree yourself)`); return false; }
    if (!isSafeTreePath(c.path)) { notes.push(`${JSON.stringify(c.path)} skipped: not a safe path`); return false; }
    return true;
  });
  const fileMode = await tracksFileMode(cli, repoRoot);
  const byPath = new Map(changes.map((c) => [c.path, c]));
  const fallback = (p: string): string => {
    const c = byPath.get(p)!;
    return /^0+$/.test(c.oldMode) ? c.newMode : c.oldMode;
  };
  const ours = await oursSides(cli, repoRoot, changes.map((c) => c.path), fileMode, fallback);
  const scratch = await mkdtemp(path.join(tmpdir(), 'agent-sessions-patch-'));
  let steps: Array<Step | undefined>;
  try {
    steps = new Array<Step | undefined>(changes.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < changes.length) {
        const i = next++;
        const c = changes[i]!;
        // null (absent) is a real answer: only a path missing from the map is unknown.
        steps[i] = await decide(cli, repoRoot, scratch, i, c, ours.has(c.path) ? ours.get(c.path)! : 'other');
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, changes.length) }, worker));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return finish(cli, w, repoRoot, steps.filter((s): s is Step => s !== undefined), notes);
}

/** Decides one path: skip (undefined), take theirs, merge, delete, or keep ours as a conflict. */
async function decide(cli: GitCli, repoRoot: string, scratch: string, n: number, c: TreeChange, o: OursSide): Promise<Step | undefined> {
  const label = c.path;
  const b = sideOf(c.oldMode, c.oldOid);
  const t = sideOf(c.newMode, c.newOid);
  if (same(o, t)) return undefined; // the main tree already has it
  if (same(o, b)) return t ? { kind: 'write', label, side: t } : { kind: 'delete', label };
  const keep = async (note: string): Promise<Step> => ({ kind: 'keep', label, conflict: await record(cli, repoRoot, label, b, o, t, note) });
  if (o === 'other') return keep('something other than a file is at this path in the main tree; nothing was written');
  if (!t) return keep('deleted on the session branch, changed in the main tree: the main tree\'s file was kept');
  if (!o) return keep('changed on the session branch, deleted in the main tree: it stays deleted');
  if (b && t.oid === b.oid && t.mode === b.mode) return undefined; // theirs unchanged (not listed by diff-tree)
  if (o.oid === t.oid) {
    // Same content: only the executable bit differs. Take theirs when ours still has the base's bit.
    if (b && o.mode === b.mode && o.mode !== LINK_MODE && t.mode !== LINK_MODE) return { kind: 'mode', label, exec: t.mode === '100755' };
    return undefined;
  }
  if (o.mode === LINK_MODE || t.mode === LINK_MODE || b?.mode === LINK_MODE) return keep('a symbolic link changed on both sides: the main tree\'s was kept');
  if (b && o.oid === b.oid) return { kind: 'write', label, side: t }; // ours differs from base only in mode
  const [oursBytes, baseBytes, theirsBytes] = await Promise.all([
    readOurs(path.join(repoRoot, label)),
    b ? blobForCheckout(cli, repoRoot, b, label) : Promise.resolve(Buffer.alloc(0)),
    blobForCheckout(cli, repoRoot, t, label),
  ]);
  if (looksBinary(oursBytes) || looksBinary(baseBytes) || looksBinary(theirsBytes)) {
    return keep('a binary file changed on both sides: the main tree\'s file was kept');
  }
  const mode = b && o.mode === b.mode ? t.mode : o.mode;
  const merged = await mergeText(cli, repoRoot, scratch, n, { ours: oursBytes, base: baseBytes, theirs: theirsBytes });
  if (merged.conflicts === 0) return { kind: 'merged', label, bytes: merged.bytes, mode };
  const note = b ? `${merged.conflicts} conflict${merged.conflicts === 1 ? '' : 's'} (markers in the file)` : 'created on both sides with different content (markers in the file)';
  return { kind: 'merged', label, bytes: merged.bytes, mode, conflict: await record(cli, repoRoot, label, b, o, t, note, oursBytes) };
}

/** The conflict's record: base and theirs as they are, the main tree's file stored as a blob now (before anything is written). */
async function record(cli: GitCli, repoRoot: string, label: string, b: Side, o: OursSide, t: Side, note: string, oursBytes?: Buffer): Promise<PatchConflictRecord> {
  let ours: string | null = null;
  if (o !== null && o !== 'other') ours = await hashBytes(cli, repoRoot, oursBytes ?? await readOurs(path.join(repoRoot, label)), true);
  const links = { ...(b?.mode === LINK_MODE ? { base: true } : {}), ...(o !== null && o !== 'other' && o.mode === LINK_MODE ? { ours: true } : {}), ...(t?.mode === LINK_MODE ? { theirs: true } : {}) };
  return { base: b?.oid ?? null, ours, theirs: t?.oid ?? null, ...(Object.keys(links).length > 0 ? { links } : {}), note };
}

/** Carries out the steps (deletions first, so a file can become a folder), records the conflicts, and reports. */
async function finish(cli: GitCli, w: WorktreeRef, repoRoot: string, steps: Step[], notes: string[]): Promise<WorktreeApplyResult> {
  const files: string[] = [];
  const conflicts: WorktreeConflict[] = [];
  const records: Record<string, PatchConflictRecord> = {};
  const conflict = (label: string, rec: PatchConflictRecord): void => {
    records[label] = rec;
    conflicts.push({ path: path.join(repoRoot, ...label.split('/')), label });
  };
  const ordered = [...steps.filter((s) => s.kind === 'delete'), ...steps.filter((s) => s.kind !== 'delete')];
  for (const step of ordered) {
    const abs = insideTree(repoRoot, step.label);
    if (!abs) {
      conflict(step.label, { base: null, ours: null, theirs: null, note: 'a folder on its way is a symbolic link out of the main tree: nothing was written' });
      continue;
    }
    try {
      if (step.kind === 'keep') { conflict(step.label, step.conflict); continue; }
      if (step.kind === 'delete') await deleteSide(repoRoot, abs);
      else if (step.kind === 'write') await writeSide(abs, await blobForCheckout(cli, repoRoot, step.side, step.label), step.side.mode);
      else if (step.kind === 'merged') await writeSide(abs, step.bytes, step.mode);
      else await setExecutable(abs, step.exec);
      files.push(step.label);
      if (step.kind === 'merged' && step.conflict) conflict(step.label, step.conflict);
    } catch (e) {
      if (e instanceof AgentError && e.code === 'storage') throw new AgentError('storage', `${e.message} — the apply stopped after ${files.length} file${files.length === 1 ? '' : 's'} (${files.slice(0, 5).join(', ')})`, { cause: e });
      conflict(step.label, { base: null, ours: null, theirs: null, note: `could not be written: ${(e as Error).message}` });
    }
  }
  await savePatchConflicts(cli, w, repoRoot, records);
  const n = files.length;
  const outcome = conflicts.length > 0 ? 'conflicts' : n > 0 ? 'clean' : 'nothing';
  const extra = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  const message = outcome === 'nothing'
    ? `The main tree already has everything ${w.branch} holds: nothing to apply${extra}`
    : `Applied ${w.branch} to the main tree as uncommitted changes: ${n} file${n === 1 ? '' : 's'}${conflicts.length > 0 ? `, ${conflicts.length} with conflicts` : ''}${extra}`;
  return { mode: 'patch', outcome, files, conflicts, message };
}
