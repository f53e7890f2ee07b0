/**
 * The WorkspaceWatcher: finds what a command changed in every workspace root. A root inside a
 * git work tree is watched through git (git-watch.ts; roots of one work tree share one status,
 * repositories nested in it get their own), any other root, or every root when git is missing or
 * fails, by a capped walk (tree-scan.ts). Paths are absolute; nothing throws for one bad file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { beginGitScan, type RepoScope } from './git-watch';
import { GitUnavailableError } from './git-status';
import { beginTreeScan } from './tree-scan';
import { fsReason, ImageCache } from './scan-files';
import type { BegunScan, ScanContext } from './scan-result';
import type { BlobStore, ScannedChange, WorkspaceWatch, WorkspaceWatcher } from './types';

export interface WorkspaceWatcherOptions {
  /**
   * The count cap: most files a walk records, dirty files read before a command, and changes
   * recorded per scan. Default 20 000.
   */
  maxFiles?: number;
  /** The time cap of each walk and of each phase of reading files, ms. Default 1500. */
  maxMs?: number;
  /** Files larger than this are hashed, not kept. Default 2 MiB. */
  maxFileBytes?: number;
  /** The git executable. Default `git` (from PATH). */
  git?: string;
}

/** Repositories found inside a work tree are watched on their own, this deep and this many at most. */
const MAX_NESTING = 3;
const MAX_NESTED = 32;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** How each root is watched: grouped by work tree, or walked. */
interface Plan {
  repos: Map<string, RepoScope>;
  walks: string[];
  notes: string[];
}

/**
 * The top of the work tree holding `realDir`: the nearest folder, itself or above, with a `.git`
 * (a folder, or a file as in linked work trees and submodules). Found without running git: a
 * status that then fails (not a repository after all, git missing) falls back to the walk.
 */
async function workTreeTop(realDir: string): Promise<string | undefined> {
  for (let dir = realDir; ; dir = path.dirname(dir)) {
    if (await fs.lstat(path.join(dir, '.git')).then(() => true, () => false)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Sorts roots into work trees and folders to walk. */
async function planRoots(roots: readonly string[], ctx: ScanContext): Promise<Plan> {
  const plan: Plan = { repos: new Map(), walks: [], notes: [] };
  for (const root of new Set(roots)) {
    ctx.signal?.throwIfAborted();
    let realRoot: string;
    try {
      realRoot = await fs.realpath(root);
    } catch (e) {
      plan.notes.push(`${root}: could not be read (${fsReason(e)}); changes in it were not captured`);
      continue;
    }
    const top = await workTreeTop(realRoot);
    if (top === undefined) {
      plan.walks.push(root);
      continue;
    }
    const prefix = path.relative(top, realRoot);
    const scope = plan.repos.get(top) ?? { top, roots: [] };
    scope.roots.push({ root, realRoot, prefix: prefix === '' ? '' : `${prefix.split(path.sep).join('/')}/` });
    plan.repos.set(top, scope);
  }
  return plan;
}

/** Begins the scans of one plan: git scans (with their nested repositories), and walks. */
class ScanSet {
  readonly scans: BegunScan[] = [];
  readonly notes: string[] = [];
  private nestedCount = 0;

  constructor(private readonly ctx: ScanContext) {}

  async walk(root: string): Promise<void> {
    this.scans.push(await beginTreeScan(root, this.ctx));
  }

  async repo(scope: RepoScope, depth: number): Promise<void> {
    let scan;
    try {
      scan = await beginGitScan(scope, this.ctx);
    } catch (e) {
      if (isAbort(e)) throw e;
      if (e instanceof GitUnavailableError) this.notes.push(`${e.message}: changes were found by a file scan instead (earlier content only of files the session had read)`);
      else this.notes.push(`${scope.top}: ${message(e)}; changes were found by a file scan instead`);
      for (const r of scope.roots) await this.walk(r.root);
      return;
    }
    this.scans.push(scan);
    for (const nested of scan.nested) await this.nested(nested, depth + 1);
  }

  /** A repository inside a watched work tree (a submodule, a clone in an untracked folder). */
  private async nested(dir: string, depth: number): Promise<void> {
    if (depth > MAX_NESTING || this.nestedCount >= MAX_NESTED) {
      this.notes.push(`${dir}: a git repository nested too deep or too many; changes inside it were not captured`);
      return;
    }
    this.nestedCount++;
    const realRoot = await fs.realpath(dir).catch(() => undefined);
    if (realRoot === undefined) return; // a submodule that is not checked out: nothing to watch
    if ((await workTreeTop(realRoot)) === realRoot) await this.repo({ top: realRoot, roots: [{ root: dir, realRoot, prefix: '' }] }, depth);
    else await this.walk(dir);
  }
}

/** Merges the scans' changes: one per path (overlapping roots see a file twice), sorted. */
function merge(lists: ReadonlyArray<readonly ScannedChange[]>): ScannedChange[] {
  const byPath = new Map<string, ScannedChange>();
  for (const list of lists) for (const c of list) if (!byPath.has(c.path)) byPath.set(c.path, c);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Creates the watcher of the change ledger (`LedgerEnv.watcher`). `begin` notes the workspace
 * before a command (dirty files' bytes go into the session's blob store), `finish` says what the
 * command created, modified or deleted, and what could not be captured.
 */
export function createWorkspaceWatcher(options: WorkspaceWatcherOptions = {}): WorkspaceWatcher {
  const settings = {
    maxFiles: options.maxFiles ?? 20_000,
    maxMs: options.maxMs ?? 1500,
    maxFileBytes: options.maxFileBytes ?? 2 * 1024 * 1024,
    git: options.git ?? 'git',
  };
  // Per blob store, i.e. per session: an image is only reused where its bytes were put.
  const caches = new WeakMap<BlobStore, ImageCache>();
  return {
    async begin({ roots, blobs, known, signal }): Promise<WorkspaceWatch> {
      let images = caches.get(blobs);
      if (!images) caches.set(blobs, (images = new ImageCache(settings.maxFiles)));
      const ctx: ScanContext = { ...settings, blobs, known, signal, images };
      const plan = await planRoots(roots, ctx);
      const set = new ScanSet(ctx);
      await Promise.all([...[...plan.repos.values()].map((scope) => set.repo(scope, 0)), ...plan.walks.map((root) => set.walk(root))]);
      const beginNotes = [...plan.notes, ...set.notes];
      return {
        async finish() {
          const outcomes = await Promise.all(set.scans.map((s) => s.finish().catch((e: unknown) => ({ changes: [], notes: [`a workspace scan failed after the command (${message(e)}); its changes were not captured`] }))));
          return { changes: merge(outcomes.map((o) => o.changes)), notes: [...new Set([...beginNotes, ...outcomes.flatMap((o) => o.notes)])] };
        },
      };
    },
  };
}
