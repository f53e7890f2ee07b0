/**
 * The scan of a git work tree around a command. Before it: one `git status`, and the bytes of
 * every dirty or untracked file (the pre-images git cannot give back) into the blob store. After
 * it: `git status` again; the candidates (dirty before ∪ dirty after ∪ what a moved HEAD changed)
 * are hashed, and a clean file the command changed gets its pre-image from HEAD's blob, read now
 * and kept, so a restore never needs git later.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileImage } from '../../shared/changes';
import { changedBetween, lsTree, readBlobs, type BlobRead, type TreeEntry } from './git-objects';
import { gitStatus, type GitStatus, type StatusEntry } from './git-status';
import { changeOf, capReason, files, knownOrUnknown, moreFiles, type BegunScan, type ScanContext, type ScanOutcome } from './scan-result';
import {
  imageOfRead, mapLimit, oversizeImage, readCapped, RootGuard, sameFingerprint, ScanBudget, sha256, statPath, trustworthy,
  type Fingerprint, type FileRead, type StatResult,
} from './scan-files';
import type { ScannedChange } from './types';

/** A workspace root inside a work tree. */
export interface RepoRoot {
  /** As the workspace names it (paths in changes are under it). */
  root: string;
  /** Its real path (symbolic links resolved). */
  realRoot: string;
  /** Its place in the work tree: `''` (the top) or `a/b/`. */
  prefix: string;
}

/** One work tree and the workspace roots inside it. */
export interface RepoScope {
  /** The work tree's top folder (git's real path). */
  top: string;
  roots: RepoRoot[];
}

/** A begun git scan; `nested`: repositories inside it git does not look into (their own scans). */
export interface GitScan extends BegunScan {
  nested: string[];
}

/** What a dirty path was before the command. */
interface Before {
  stat: StatResult;
  /** Its content (absent included); undefined when it could not be read. */
  image?: FileImage;
  /** A symbolic link's target (links are not followed, only compared). */
  link?: string;
  /** Why `image` is missing. */
  why?: string;
}

const ZERO_OID = /^0+$/;
const CONCURRENCY = 8;

class Locator {
  private readonly roots: Array<RepoRoot & { guard: RootGuard }>;

  constructor(scope: RepoScope) {
    this.roots = [...scope.roots].sort((a, b) => b.prefix.length - a.prefix.length).map((r) => ({ ...r, guard: new RootGuard(r.realRoot) }));
  }

  /** The absolute path of a top-relative one, under the deepest root holding it. */
  locate(rel: string): { abs: string; guard: RootGuard } | undefined {
    const root = this.roots.find((r) => r.prefix === '' || rel.startsWith(r.prefix));
    if (!root) return undefined;
    return { abs: path.join(root.root, ...rel.slice(root.prefix.length).split('/')), guard: root.guard };
  }

  /** Git pathspecs limiting a status to the roots (none when one root is the whole tree). */
  pathspecs(): string[] {
    return this.roots.some((r) => r.prefix === '') ? [] : this.roots.map((r) => r.prefix.slice(0, -1));
  }

  holds(rel: string): boolean {
    return this.roots.some((r) => r.prefix === '' || rel.startsWith(r.prefix));
  }
}

/** Paths of a status worth hashing (submodules and nested repositories have their own scans). */
function statusPaths(status: GitStatus, nested: string[] | undefined): Map<string, StatusEntry | undefined> {
  const out = new Map<string, StatusEntry | undefined>();
  for (const e of status.entries) {
    if (e.sub.startsWith('S')) continue;
    if (e.type === '?' && e.path.endsWith('/')) {
      nested?.push(e.path.slice(0, -1));
      continue;
    }
    out.set(e.path, e);
    if (e.origPath !== undefined && !out.has(e.origPath)) out.set(e.origPath, undefined);
  }
  return out;
}

/** Submodule folders named in `.gitmodules` (top-relative). */
async function submodulePaths(top: string): Promise<string[]> {
  const text = await fs.readFile(path.join(top, '.gitmodules'), 'utf8').catch(() => '');
  return [...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((m) => m[1]!);
}

async function readLink(abs: string): Promise<string | undefined> {
  return fs.readlink(abs).catch(() => undefined);
}

/** Begins watching one work tree: status, then the dirty files' bytes into the blob store. */
export async function beginGitScan(scope: RepoScope, ctx: ScanContext): Promise<GitScan> {
  const scannedAt = Date.now();
  const where = new Locator(scope);
  const status = await gitStatus(ctx.git, scope.top, where.pathspecs(), ctx.signal);
  const nestedRel: string[] = [];
  const dirty = statusPaths(status, nestedRel);
  nestedRel.push(...(await submodulePaths(scope.top)).filter((p) => where.holds(p)));
  // The reading gets its own time, whatever the status took.
  const budget = new ScanBudget(ctx.maxFiles, ctx.maxMs);
  const before = new Map<string, Before>();
  await mapLimit([...dirty.keys()], CONCURRENCY, async (rel) => {
    ctx.signal?.throwIfAborted();
    // Taken before any await: which files the cap lets through follows the status order.
    const mayRead = budget.take();
    const at = where.locate(rel);
    // No root guard here: git lists no path below a symbolic link, and no command runs yet.
    if (!at) return;
    const stat = await statPath(at.abs);
    const state: Before = { stat };
    before.set(rel, state);
    if (stat.absent) state.image = { state: 'absent' };
    else if ('error' in stat) state.why = `it could not be read before the command (${stat.error})`;
    else if (stat.fp.kind === 'link') state.link = await readLink(at.abs);
    else if (stat.fp.kind === 'file') {
      if (!mayRead) {
        state.why = `it was not read before the command (${capReason(budget.hit!, ctx)})`;
        return;
      }
      state.image = await ctx.images?.lookup(at.abs, stat.fp, ctx.blobs);
      if (state.image) return;
      const readAt = Date.now();
      const read = await readCapped(at.abs, ctx.maxFileBytes);
      state.image = await imageOfRead(read, ctx.blobs, ctx.maxFileBytes);
      if (state.image) ctx.images?.remember(at.abs, stat.fp, state.image, readAt);
      else state.why = read.kind === 'error' ? `it could not be read before the command (${read.reason})` : 'it was not a regular file before the command';
    }
  });
  const nested = nestedRel.map((rel) => where.locate(rel)?.abs).filter((p): p is string => p !== undefined);
  return { nested, finish: () => finishGitScan({ scope, ctx, where, status, before, scannedAt }) };
}

interface Begun {
  scope: RepoScope;
  ctx: ScanContext;
  where: Locator;
  status: GitStatus;
  before: Map<string, Before>;
  scannedAt: number;
}

/** A candidate after the command: where it is, what it was (when dirty before), what it is now. */
interface Candidate {
  rel: string;
  abs: string;
  prior?: Before;
  entry?: StatusEntry;
  now: FileRead;
  /** Its stat just before `now` was read, and when that was (for the image cache). */
  fp?: Fingerprint;
  readAt: number;
}

/** The paths to look at after the command, and whether HEAD may have moved. */
async function candidatesAfter(b: Begun, notes: string[]): Promise<{ paths: Map<string, StatusEntry | undefined>; headMoved: boolean }> {
  const out = new Map<string, StatusEntry | undefined>([...b.before.keys()].map((rel) => [rel, undefined]));
  let after: GitStatus;
  try {
    after = await gitStatus(b.ctx.git, b.scope.top, b.where.pathspecs());
  } catch (e) {
    notes.push(`${b.scope.top}: ${e instanceof Error ? e.message : String(e)} after the command; only the files that were already changed before it were checked`);
    return { paths: out, headMoved: true };
  }
  for (const [rel, entry] of statusPaths(after, undefined)) if (entry || !out.has(rel)) out.set(rel, entry);
  if (after.head !== undefined && after.head !== b.status.head) {
    // The command committed, checked out or reset: files it changed may be clean again now.
    try {
      for (const rel of await changedBetween(b.ctx.git, b.scope.top, b.status.head, after.head)) if (b.where.holds(rel) && !out.has(rel)) out.set(rel, undefined);
    } catch (e) {
      notes.push(`${b.scope.top}: HEAD moved during the command and ${e instanceof Error ? e.message : String(e)}; files it changed and committed may be missing`);
    }
  }
  return { paths: out, headMoved: after.head !== b.status.head };
}

/** Reads one candidate's current state, or undefined when it surely did not change (or is not ours to read). */
async function readCandidate(b: Begun, rel: string, entry: StatusEntry | undefined, budget: ScanBudget, notes: string[], over: { count: number }): Promise<Candidate | undefined> {
  const at = b.where.locate(rel);
  if (!at) return undefined;
  const prior = b.before.get(rel);
  // A folder on the way replaced by a link out of the root: what was here is gone, and the other side is not ours to read.
  const stat: StatResult = (await at.guard.inside(at.abs)) ? await statPath(at.abs) : { absent: true };
  if (prior?.stat.absent && stat.absent) return undefined;
  if (prior && 'fp' in prior.stat && 'fp' in stat && sameFingerprint(prior.stat.fp, stat.fp) && trustworthy(stat.fp, b.scannedAt)) return undefined;
  const isLink = 'fp' in stat && stat.fp.kind === 'link';
  if (isLink || prior?.link !== undefined) {
    const link = isLink ? await readLink(at.abs) : undefined;
    if (!prior || link !== prior.link) notes.push(`${at.abs}: a symbolic link (not followed); its change is not recorded`);
    return undefined;
  }
  if ('error' in stat) {
    notes.push(`${at.abs}: could not be read after the command (${stat.error}); its change was not captured`);
    return undefined;
  }
  if (!stat.absent && stat.fp.kind !== 'file') return undefined;
  if (!stat.absent && !budget.take()) {
    over.count++;
    return undefined;
  }
  const readAt = Date.now();
  const now = stat.absent ? ({ kind: 'absent' } as const) : await readCapped(at.abs, b.ctx.maxFileBytes);
  return { rel, abs: at.abs, prior, entry, now, fp: stat.absent ? undefined : stat.fp, readAt };
}

/** HEAD's entry of each clean candidate (the pre-image of a file clean before the command). */
async function headEntries(b: Begun, clean: ReadonlyArray<{ rel: string; entry?: StatusEntry }>, headMoved: boolean): Promise<Map<string, TreeEntry> | Error> {
  const found = new Map<string, TreeEntry>();
  if (b.status.head === undefined) return found;
  const ask: string[] = [];
  for (const c of clean) {
    const e = c.entry;
    // Index unchanged against an unchanged HEAD: the index entry is HEAD's, which was the file's.
    if (!headMoved && e?.type === '1' && e.xy[0] === '.' && e.indexOid && !ZERO_OID.test(e.indexOid)) found.set(c.rel, { mode: e.indexMode ?? '100644', type: 'blob', oid: e.indexOid });
    else ask.push(c.rel);
  }
  try {
    for (const [rel, entry] of await lsTree(b.ctx.git, b.scope.top, b.status.head, ask)) found.set(rel, entry);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
  return found;
}

/** The image of a blob read from git (bytes into the store). */
async function imageOfBlob(read: BlobRead, b: Begun): Promise<FileImage | undefined> {
  if (read.kind === 'bytes') return b.ctx.blobs.put(read.bytes);
  if (read.kind === 'oversize') return oversizeImage(read.hash, read.size, b.ctx.maxFileBytes);
  return undefined;
}

function hashOf(read: FileRead | BlobRead): string | undefined {
  if (read.kind === 'oversize') return read.hash;
  if (read.kind === 'bytes') return 'hash' in read ? read.hash : sha256(read.bytes);
  return undefined;
}

/** HEAD's side of the files clean before the command: their tree entries, and the blobs read. */
interface HeadSide {
  entries: Map<string, TreeEntry> | Error;
  blobs: Map<string, BlobRead>;
}

async function headSide(b: Begun, clean: ReadonlyArray<{ rel: string; entry?: StatusEntry }>, headMoved: boolean): Promise<HeadSide> {
  const entries = clean.length > 0 ? await headEntries(b, clean, headMoved) : new Map<string, TreeEntry>();
  if (entries instanceof Error) return { entries, blobs: new Map() };
  const asks = clean.map((c) => ({ rel: c.rel, e: entries.get(c.rel) })).filter(({ e }) => e?.type === 'blob' && e.mode !== '120000');
  const reads = await readBlobs(b.ctx.git, b.scope.top, asks.map(({ rel, e }) => ({ oid: e!.oid, path: rel })), b.ctx.maxFileBytes);
  return { entries, blobs: new Map(asks.map(({ rel }, i) => [rel, reads[i]!])) };
}

/** What a candidate was before the command, or undefined when it is unchanged (or not ours). */
async function imageBefore(b: Begun, c: Candidate, head: HeadSide, nowHash: string | undefined): Promise<{ image: FileImage; existed: boolean } | undefined> {
  const ctx = b.ctx;
  if (c.prior) {
    if (c.prior.image?.state === 'file' && c.prior.image.hash === nowHash) return undefined;
    const size = 'fp' in c.prior.stat ? c.prior.stat.fp.size : undefined;
    return { existed: !c.prior.stat.absent, image: c.prior.image ?? knownOrUnknown(ctx, c.abs, `${c.prior.why ?? 'it was not read before the command'}; its earlier content is unknown`, size) };
  }
  if (head.entries instanceof Error) return { existed: c.now.kind !== 'absent', image: knownOrUnknown(ctx, c.abs, 'git could not give its earlier content') };
  const entry = head.entries.get(c.rel);
  if (!entry) {
    // Not in HEAD, and not untracked before: it did not exist (or it was ignored, and the session may know it).
    const known = ctx.known(c.abs);
    if (known?.state !== 'file') return { existed: false, image: { state: 'absent' } };
    return known.hash === nowHash ? undefined : { existed: true, image: known };
  }
  if (entry.type === 'commit') return undefined; // a submodule: its own scan
  const blob = head.blobs.get(c.rel);
  if (!blob) return { existed: true, image: knownOrUnknown(ctx, c.abs, entry.mode === '120000' ? 'it was a symbolic link before the command' : 'git could not give its earlier content') };
  if (hashOf(blob) === nowHash) return undefined;
  const image = await imageOfBlob(blob, b);
  return { existed: true, image: image ?? knownOrUnknown(ctx, c.abs, `git could not give its earlier content (${blob.kind === 'error' ? blob.reason : blob.kind})`) };
}

async function finishGitScan(begun: Begun): Promise<ScanOutcome> {
  // Fresh root guards: a folder may have been replaced by a link since the status before.
  const b: Begun = { ...begun, where: new Locator(begun.scope) };
  const notes: string[] = [];
  const ctx = b.ctx;
  if (b.status.undecodable > 0) notes.push(`${b.scope.top}: ${files(b.status.undecodable)} with a name that is not UTF-8 ${b.status.undecodable === 1 ? 'was' : 'were'} not checked`);
  const { paths, headMoved } = await candidatesAfter(b, notes);
  // HEAD's blobs are read while the files are: one git process, not waited for.
  const clean = [...paths].filter(([rel]) => !b.before.has(rel)).map(([rel, entry]) => ({ rel, entry }));
  const head = headSide(b, clean, headMoved).catch((e: unknown): HeadSide => ({ entries: e instanceof Error ? e : new Error(String(e)), blobs: new Map() }));
  // Reading is capped in time; what is recorded, in count (below).
  const budget = new ScanBudget(Number.POSITIVE_INFINITY, ctx.maxMs);
  const over = { count: 0 };
  const read = await mapLimit([...paths], CONCURRENCY, ([rel, entry]) => readCandidate(b, rel, entry, budget, notes, over));
  const heads = await head;
  if (heads.entries instanceof Error) notes.push(`${b.scope.top}: ${heads.entries.message}; files that were clean before the command have no earlier content`);

  let unknownBefore = 0;
  let uncounted = 0;
  const changes: ScannedChange[] = [];
  for (const c of read) {
    if (!c || c.now.kind === 'link' || c.now.kind === 'other') continue;
    if (c.now.kind === 'error') {
      notes.push(`${c.abs}: could not be read after the command (${c.now.reason}); its change was not captured`);
      continue;
    }
    const before = await imageBefore(b, c, heads, hashOf(c.now));
    if (!before) continue;
    if (changes.length >= ctx.maxFiles) {
      uncounted++;
      continue;
    }
    if (before.image.state === 'unknown') unknownBefore++;
    const after = (await imageOfRead(c.now, ctx.blobs, ctx.maxFileBytes)) ?? { state: 'unknown' as const, note: 'it could not be read after the command' };
    if (c.fp && after.state === 'file') ctx.images?.remember(c.abs, c.fp, after, c.readAt);
    const change = changeOf(c.abs, before.image, after, before.existed);
    if (change) changes.push(change);
  }
  if (over.count > 0) notes.push(`${moreFiles(over.count)} in ${b.scope.top} may have changed but were not read (${capReason('time', ctx)}); changes beyond were not captured`);
  if (uncounted > 0) notes.push(`${moreFiles(uncounted)} changed in ${b.scope.top} but were not recorded (${capReason('files', ctx)})`);
  if (unknownBefore > 0) notes.push(`${files(unknownBefore)} changed by the command had not been read before it; ${unknownBefore === 1 ? 'its' : 'their'} earlier content is unknown`);
  return { changes, notes };
}
