/**
 * The scan of a folder outside git around a command: a walk recording each file's size and
 * times (honouring .gitignore files, skipping .git and node_modules, never following a symbolic
 * link), capped in files and time. What differs after the command is a change; its earlier
 * content is what the session knew of the file, or unknown (only sizes and times were kept).
 */
import { lstatSync, promises as fs, readdirSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { DEFAULT_SKIP_DIRS } from '../tools/walk';
import { capReason, changeOf, files, knownOrUnknown, moreFiles, type BegunScan, type ScanContext, type ScanOutcome } from './scan-result';
import { fsReason, imageOfRead, mapLimit, readCapped, RootGuard, sameFingerprint, ScanBudget, statPath, toFingerprint, type Fingerprint, type StatResult } from './scan-files';
import type { ScannedChange } from './types';

/** One walk of a root: each file's fingerprint by absolute path, and where the walk stopped short. */
interface Snapshot {
  files: Map<string, Fingerprint>;
  /** The cap that stopped the walk, if one did. */
  hit?: 'files' | 'time';
  /** Folders that could not be listed. */
  unlisted: string[];
}

interface Matcher {
  /** Folder of the .gitignore, relative to the root ('' = the root), posix. */
  base: string;
  ig: Ignore;
}

function loadIgnore(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(path.join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined; // unreadable: the folder is walked as if it had none
  }
}

/** Deeper .gitignore files are consulted last, so their rules (negations included) win. */
function ignored(matchers: readonly Matcher[], rel: string, isDir: boolean): boolean {
  let out = false;
  for (const m of matchers) {
    const sub = m.base === '' ? rel : rel.startsWith(m.base + '/') ? rel.slice(m.base.length + 1) : undefined;
    if (!sub) continue;
    const r = m.ig.test(isDir ? `${sub}/` : sub);
    if (r.ignored) out = true;
    else if (r.unignored) out = false;
  }
  return out;
}

const STAT_CONCURRENCY = 32;
/** Stats between two yields to the event loop: the walk is synchronous in slices (much faster than a promise per file) and never blocks long. */
const SLICE = 256;

/** A listed file's lstat; undefined when it is gone since the listing or cannot be looked at (a folder without search permission). */
function statQuietly(abs: string): Stats | undefined {
  try {
    return lstatSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Walks `root` within the caps, recording every file's (and link's) fingerprint. */
async function walk(root: string, ctx: ScanContext): Promise<Snapshot> {
  const snap: Snapshot = { files: new Map(), unlisted: [] };
  const budget = new ScanBudget(ctx.maxFiles, ctx.maxMs);
  const matchers: Matcher[] = [];
  let sinceYield = 0;
  const tick = async (): Promise<void> => {
    if (++sinceYield < SLICE) return;
    sinceYield = 0;
    await yieldToLoop();
    ctx.signal?.throwIfAborted();
  };

  const visit = async (dir: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      snap.unlisted.push(`${dir} (${fsReason(e)})`);
      return;
    }
    const ig = entries.some((e) => e.name === '.gitignore') ? loadIgnore(dir) : undefined;
    if (ig) matchers.push({ base: rel, ig });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Array<[string, string]> = [];
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!DEFAULT_SKIP_DIRS.has(e.name) && !ignored(matchers, childRel, true)) subdirs.push([path.join(dir, e.name), childRel]);
      } else if ((e.isFile() || e.isSymbolicLink()) && !ignored(matchers, childRel, false)) {
        if (!budget.take()) break;
        const abs = path.join(dir, e.name);
        const st = statQuietly(abs);
        if (st) snap.files.set(abs, toFingerprint(st));
        await tick();
      }
    }
    for (const [childAbs, childRel] of subdirs) {
      if (!budget.inTime()) break;
      await tick();
      await visit(childAbs, childRel);
    }
    if (ig) matchers.pop();
  };

  await visit(root, '');
  snap.hit = budget.hit;
  return snap;
}

/** A file the walk did not see before may only lie beyond where a capped walk stopped: created ones are newer than the scan. */
function createdSince(fp: Fingerprint, scannedAt: number): boolean {
  return fp.ctimeMs >= scannedAt - 50;
}

/** Begins watching a folder outside git. */
export async function beginTreeScan(root: string, ctx: ScanContext): Promise<BegunScan> {
  const scannedAt = Date.now();
  const before = await walk(root, ctx);
  return { finish: () => finishTreeScan(root, ctx, before, scannedAt) };
}

type Kind = 'created' | 'modified' | 'deleted';

async function finishTreeScan(root: string, ctx: ScanContext, before: Snapshot, scannedAt: number): Promise<ScanOutcome> {
  const after = await walk(root, { ...ctx, signal: undefined });
  const notes: string[] = [];
  const found: Array<{ abs: string; kind: Kind; was?: Fingerprint }> = [];
  const links: string[] = [];
  for (const [abs, fp] of after.files) {
    const was = before.files.get(abs);
    if (was && sameFingerprint(was, fp)) continue;
    if (!was && before.hit && !createdSince(fp, scannedAt)) continue;
    if (fp.kind === 'link' || was?.kind === 'link') links.push(abs);
    else if (fp.kind === 'file') found.push({ abs, kind: was ? 'modified' : 'created', was });
  }
  // Seen before, not now: gone, or beyond where this walk stopped (then its stat decides). A
  // folder on the way replaced by a link out of the root: gone too, never read through the link.
  const guard = new RootGuard(await fs.realpath(root).catch(() => root));
  const missing = [...before.files].filter(([abs]) => !after.files.has(abs));
  await mapLimit(missing, STAT_CONCURRENCY, async ([abs, was]) => {
    const now: StatResult = (await guard.inside(abs)) ? await statPath(abs) : { absent: true };
    if (now.absent) {
      if (was.kind === 'link') links.push(abs);
      else found.push({ abs, kind: 'deleted', was });
    } else if ('fp' in now && now.fp.kind === 'file' && was.kind === 'file' && !sameFingerprint(was, now.fp)) found.push({ abs, kind: 'modified', was });
  });

  // Reading is capped in time; what is recorded, in count.
  const budget = new ScanBudget(Number.POSITIVE_INFINITY, ctx.maxMs);
  let over = 0;
  let recorded = 0;
  let uncounted = 0;
  let unknownBefore = 0;
  const changes = await mapLimit(found, 8, async (f): Promise<ScannedChange | undefined> => {
    const why = 'it was not read before the command (outside git only sizes and times are kept); its earlier content is unknown';
    if (recorded >= ctx.maxFiles) {
      uncounted++;
      return undefined;
    }
    if (f.kind === 'deleted') {
      recorded++;
      const image = knownOrUnknown(ctx, f.abs, why, f.was?.size);
      if (image.state === 'unknown') unknownBefore++;
      return changeOf(f.abs, image, { state: 'absent' }, true);
    }
    if (!budget.take()) {
      over++;
      return undefined;
    }
    const read = await readCapped(f.abs, ctx.maxFileBytes);
    if (read.kind === 'error') {
      notes.push(`${f.abs}: could not be read after the command (${read.reason}); its change was not captured`);
      return undefined;
    }
    const known = ctx.known(f.abs);
    if (f.kind === 'modified' && known?.state === 'file' && 'hash' in read && known.hash === read.hash) return undefined;
    const afterImage = await imageOfRead(read, ctx.blobs, ctx.maxFileBytes);
    if (!afterImage) return undefined;
    if (recorded >= ctx.maxFiles) {
      uncounted++;
      return undefined;
    }
    recorded++;
    const beforeImage = f.kind === 'created' ? { state: 'absent' as const } : knownOrUnknown(ctx, f.abs, why, f.was?.size);
    if (beforeImage.state === 'unknown') unknownBefore++;
    return changeOf(f.abs, beforeImage, afterImage, f.kind !== 'created');
  });

  for (const snap of [before, after]) {
    if (snap.hit) notes.push(`scanned ${files(snap.files.size)} of ${root} (${capReason(snap.hit, ctx)}); changes beyond were not captured`);
  }
  for (const dir of new Set([...before.unlisted, ...after.unlisted])) notes.push(`${dir}: could not be listed; changes inside were not captured`);
  for (const abs of links) notes.push(`${abs}: a symbolic link (not followed); its change is not recorded`);
  if (over > 0) notes.push(`${moreFiles(over)} in ${root} changed but were not read (${capReason('time', ctx)}); their changes were not captured`);
  if (uncounted > 0) notes.push(`${moreFiles(uncounted)} changed in ${root} but were not recorded (${capReason('files', ctx)})`);
  if (unknownBefore > 0) notes.push(`${files(unknownBefore)} changed by the command had not been read before it; ${unknownBefore === 1 ? 'its' : 'their'} earlier content is unknown`);
  return { changes: changes.filter((c): c is ScannedChange => c !== undefined), notes: [...new Set(notes)] };
}
