/**
 * The three sides of a file an apply left conflicted, for VS Code's merge editor. A `merge`
 * conflict has them in the main tree's index (stages 1, 2, 3). A `patch` conflict does not (the
 * main tree's index is never touched), so applyPatch records the three blob ids per file in the
 * worktree's own git folder (`agent-sessions-apply.json`), which survives a reload; the main
 * tree's side is stored as a blob before the file is overwritten.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AgentError } from '../base/errors';
import { nulRecords, type GitCli } from './git-cli';
import { exists, labelOf, realPath } from './git-output';
import { isSafeTreePath } from './inputs';
import { operationInProgress } from './repo';
import { looksBinary, LINK_MODE } from './patch-files';
import type { ConflictSides, WorktreeRef } from './types';

/** One conflicted file of the last patch apply: blob ids of its sides (null: absent on that side). */
export interface PatchConflictRecord {
  base: string | null;
  ours: string | null;
  theirs: string | null;
  /** True when that side is a symbolic link (its blob is the link's target). */
  links?: { base?: boolean; ours?: boolean; theirs?: boolean };
  note?: string;
}

interface RecordFile {
  version: 1;
  repoRoot: string;
  at: number;
  conflicts: Record<string, PatchConflictRecord>;
}

const RECORD = 'agent-sessions-apply.json';

async function recordPath(cli: GitCli, w: WorktreeRef): Promise<string> {
  return path.join(await cli.text(['rev-parse', '--absolute-git-dir'], { cwd: w.path }), RECORD);
}

/** Replaces the record of the worktree's last patch apply (none: removes it). */
export async function savePatchConflicts(cli: GitCli, w: WorktreeRef, repoRoot: string, conflicts: Record<string, PatchConflictRecord>): Promise<void> {
  const file = await recordPath(cli, w);
  if (Object.keys(conflicts).length === 0) {
    await rm(file, { force: true });
    return;
  }
  const body: RecordFile = { version: 1, repoRoot, at: Date.now(), conflicts };
  await writeFile(file, `${JSON.stringify(body)}\n`);
}

/** The recorded conflict of `label`, validated (a damaged record reads as none). */
async function loadPatchConflict(cli: GitCli, w: WorktreeRef, label: string): Promise<PatchConflictRecord | undefined> {
  if (!exists(w.path)) return undefined;
  const text = await readFile(await recordPath(cli, w), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // a torn or edited record: the conflict is answered as unknown
  }
  const rec = (parsed as Partial<RecordFile> | null)?.conflicts?.[label];
  const oid = (v: unknown): v is string | null => v === null || (typeof v === 'string' && /^[0-9a-f]{40,64}$/.test(v));
  if (!rec || !oid(rec.base) || !oid(rec.ours) || !oid(rec.theirs)) return undefined;
  return rec;
}

/** The label of `p` (absolute in the main tree, or already a label), checked to stay inside it. */
function toLabel(repoRoot: string, p: string): string {
  const label = path.isAbsolute(p) ? labelOf(repoRoot, realPath(p)) : p.split(path.sep).join('/');
  if (!isSafeTreePath(label)) throw new AgentError('bad_request', `${p} is not a file of the main tree ${repoRoot}`);
  return label;
}

/** A side's text for the editor: the bytes as text, or a note for binary content. */
function asText(bytes: Buffer | undefined, what: string): string {
  if (!bytes) return '';
  return looksBinary(bytes) ? `(binary file on the ${what} side, ${bytes.length} bytes: not shown)` : bytes.toString('utf8');
}

/** See WorktreeGit.conflictSides. */
export async function conflictSides(cli: GitCli, w: WorktreeRef, p: string): Promise<ConflictSides> {
  if (typeof p !== 'string' || p === '') throw new AgentError('bad_request', 'name the conflicted file');
  if (!exists(w.repoRoot)) throw new AgentError('not_found', `the repository folder ${w.repoRoot} is gone`);
  const repoRoot = realPath(w.repoRoot);
  const label = toLabel(repoRoot, p);
  const full = path.join(repoRoot, ...label.split('/'));
  if (await operationInProgress(cli, repoRoot) === 'a merge') {
    const stages = await mergeStages(cli, repoRoot, label);
    if (stages) return { path: full, label, base: asText(stages[1], 'base'), ours: asText(stages[2], 'main tree'), theirs: asText(stages[3], 'session branch') };
  }
  const rec = await loadPatchConflict(cli, w, label);
  if (!rec) throw new AgentError('not_found', `no conflict of ${label} is recorded for this worktree: apply again to see the conflicts`);
  const read = async (oid: string | null, link: boolean | undefined): Promise<Buffer | undefined> => {
    if (oid === null) return undefined;
    const args = link ? ['cat-file', 'blob', oid] : ['cat-file', '--filters', `--path=${label}`, oid];
    return cli.ok(args, { cwd: repoRoot, maxBytes: 64 * 1024 * 1024 });
  };
  const [base, theirs, ours] = await Promise.all([
    read(rec.base, rec.links?.base),
    read(rec.theirs, rec.links?.theirs),
    // Stored as the file's exact bytes (no filters): read back the same way.
    rec.ours === null ? Promise.resolve(undefined) : cli.ok(['cat-file', 'blob', rec.ours], { cwd: repoRoot, maxBytes: 64 * 1024 * 1024 }),
  ]);
  return { path: full, label, base: asText(base, 'base'), ours: asText(ours, 'main tree'), theirs: asText(theirs, 'session branch') };
}

/** The index stages of a conflicted `label` in the main tree (absent stage: undefined), or undefined when it is not conflicted. */
async function mergeStages(cli: GitCli, repoRoot: string, label: string): Promise<Record<1 | 2 | 3, Buffer | undefined> | undefined> {
  const records = nulRecords(await cli.ok(['ls-files', '--unmerged', '-z', '--', `:(literal)${label}`], { cwd: repoRoot }));
  const stages: Record<1 | 2 | 3, Buffer | undefined> = { 1: undefined, 2: undefined, 3: undefined };
  let any = false;
  for (const rec of records) {
    const m = /^(\d{6}) ([0-9a-f]+) ([123])\t(.*)$/s.exec(rec);
    if (!m || m[4] !== label) continue;
    any = true;
    const args = m[1] === LINK_MODE ? ['cat-file', 'blob', m[2]!] : ['cat-file', '--filters', `--path=${label}`, m[2]!];
    stages[Number(m[3]) as 1 | 2 | 3] = await cli.ok(args, { cwd: repoRoot, maxBytes: 64 * 1024 * 1024 });
  }
  return any ? stages : undefined;
}
