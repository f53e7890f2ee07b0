import { promises as fs } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';

/**
 * The workspace tree as the rules-files loader walks it: directory listings cached by mtime,
 * symbolic links followed when their target lies inside the workspace (a link leading out is
 * skipped), and walks that never visit a real folder twice (so a link loop ends).
 */

/** One listed name; `link`: reached through a symbolic link (its target, workspace-relative posix). */
export interface TreeEntry { name: string; link?: string }

interface DirListing { mtimeMs: number; dirs: TreeEntry[]; files: TreeEntry[] }

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export class RulesTree {
  private readonly cache = new Map<string, DirListing>();
  private realRoot: string | undefined;

  constructor(readonly root: string) {}

  /** Re-reads the root's real path (once per load: the workspace folder itself may be a link). */
  async refresh(): Promise<void> {
    this.realRoot = await fs.realpath(this.root).catch(() => this.root);
  }

  clear(): void { this.cache.clear(); }

  /** The listing of a workspace-relative folder ('' = root); undefined when it is not a readable folder. */
  async list(rel: string): Promise<DirListing | undefined> {
    const abs = rel === '' ? this.root : join(this.root, rel);
    let st;
    try { st = await fs.stat(abs); } catch { this.cache.delete(abs); return undefined; }
    if (!st.isDirectory()) return undefined;
    const cached = this.cache.get(abs);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached;
    try {
      const entries = await fs.readdir(abs, { withFileTypes: true });
      const dirs: TreeEntry[] = [];
      const files: TreeEntry[] = [];
      for (const e of entries) {
        if (e.isDirectory()) dirs.push({ name: e.name });
        else if (e.isFile()) files.push({ name: e.name });
        else if (e.isSymbolicLink()) {
          const target = await this.linkTarget(join(abs, e.name));
          if (target?.dir) dirs.push({ name: e.name, link: target.rel });
          else if (target) files.push({ name: e.name, link: target.rel });
        }
      }
      const byName = (a: TreeEntry, b: TreeEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      const listing = { mtimeMs: st.mtimeMs, dirs: dirs.sort(byName), files: files.sort(byName) };
      this.cache.set(abs, listing);
      return listing;
    } catch {
      // Unreadable folder (permissions, raced delete): treat as empty.
      return undefined;
    }
  }

  /** A link's target when it lies inside the workspace (dangling, looping or outside: undefined). */
  private async linkTarget(abs: string): Promise<{ rel: string; dir: boolean } | undefined> {
    try {
      const real = await fs.realpath(abs);
      const root = this.realRoot ?? this.root;
      if (!inside(root, real)) return undefined;
      const st = await fs.stat(real);
      return { rel: toPosix(relative(root, real)), dir: st.isDirectory() };
    } catch {
      return undefined;
    }
  }

  /** The real path of a workspace-relative folder, to visit each folder once. */
  private async realOf(rel: string): Promise<string> {
    const abs = rel === '' ? this.root : join(this.root, rel);
    return fs.realpath(abs).catch(() => abs);
  }

  /**
   * Breadth-first walk from `start` (workspace-relative, posix), at most `maxDepth` levels and
   * `maxDirs` folders, skipping `skip(name)` folders; `visit` sees each folder's listing once.
   */
  async walk(
    start: string, opts: { maxDepth: number; maxDirs: number; skip: (name: string) => boolean },
    visit: (rel: string, listing: DirListing) => void,
  ): Promise<void> {
    const seen = new Set<string>();
    let frontier = [start];
    let visited = 0;
    for (let depth = 0; depth <= opts.maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const rel of frontier) {
        if (++visited > opts.maxDirs) return;
        const real = await this.realOf(rel);
        if (seen.has(real)) continue;
        seen.add(real);
        const listing = await this.list(rel);
        if (!listing) continue;
        visit(rel, listing);
        for (const d of listing.dirs) {
          if (!opts.skip(d.name)) next.push(rel === '' ? d.name : `${rel}/${d.name}`);
        }
      }
      frontier = next.sort();
    }
  }
}
