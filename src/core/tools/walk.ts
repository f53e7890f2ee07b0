import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders skipped unless `includeIgnored` is set: never useful to the model, often huge. */
export const DEFAULT_SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

export interface WalkOptions {
  /** Also visit gitignored files and the default-skipped folders. */
  includeIgnored?: boolean;
  /** Stop after visiting this many files (guards against giant trees). Default 200 000. */
  maxFiles?: number;
  signal?: AbortSignal;
}

interface Matcher {
  /** Folder of the .gitignore, relative to the walk root ("" = root), posix. */
  base: string;
  test(p: string): { ignored: boolean; unignored: boolean };
}

/** Result of {@link walkFiles}: files relative to the walk root (posix), sorted per folder. */
export interface WalkResult {
  files: string[];
  /** True when maxFiles stopped the walk early. */
  truncated: boolean;
}

async function loadIgnore(dirAbs: string): Promise<Ignore | undefined> {
  const text = await fs.readFile(path.join(dirAbs, '.gitignore'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : ignore().add(text);
}

function isIgnored(matchers: readonly Matcher[], rel: string, isDir: boolean): boolean {
  // Deeper .gitignore files are consulted last, so their rules (including negations) win.
  let ignored = false;
  for (const m of matchers) {
    const sub = m.base === '' ? rel : rel.startsWith(m.base + '/') ? rel.slice(m.base.length + 1) : undefined;
    if (sub === undefined || sub === '') continue;
    const r = m.test(isDir ? sub + '/' : sub);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/**
 * Lists files under `rootAbs`, honouring .gitignore files at every level (and the ones of the
 * parents up to `ignoreRootAbs`, normally the workspace root). Symlinked folders are not
 * followed (they could lead outside the workspace or loop).
 */
export async function walkFiles(rootAbs: string, options: WalkOptions = {}, ignoreRootAbs = rootAbs): Promise<WalkResult> {
  const maxFiles = options.maxFiles ?? 200_000;
  const files: string[] = [];
  const matchers: Matcher[] = [];
  if (!options.includeIgnored) {
    // .gitignore files of the folders between the workspace root and the walk root apply too.
    const prefix = path.relative(ignoreRootAbs, rootAbs);
    const parts = prefix && !prefix.startsWith('..') ? prefix.split(path.sep) : [];
    for (let i = 0; i < parts.length; i++) {
      const ig = await loadIgnore(path.join(ignoreRootAbs, ...parts.slice(0, i)));
      // The parent's rules were written for paths under `rest/`: test with that prefix.
      const rest = parts.slice(i).join('/');
      if (ig) matchers.push({ base: '', test: (p) => ig.test(`${rest}/${p}`) });
    }
  }
  let truncated = false;

  async function visit(dirAbs: string, dirRel: string, depthMatchers: number): Promise<void> {
    if (truncated) return;
    options.signal?.throwIfAborted();
    let own = 0;
    if (!options.includeIgnored) {
      const ig = await loadIgnore(dirAbs);
      if (ig) { matchers.push({ base: dirRel, test: (p) => ig.test(p) }); own = 1; }
    }
    const entries = await fs.readdir(dirAbs, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!options.includeIgnored && (DEFAULT_SKIP_DIRS.has(e.name) || isIgnored(matchers, rel, true))) continue;
        await visit(path.join(dirAbs, e.name), rel, matchers.length);
        if (truncated) break;
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (!options.includeIgnored && isIgnored(matchers, rel, false)) continue;
        if (files.length >= maxFiles) { truncated = true; break; }
        files.push(rel);
      }
    }
    if (own) matchers.length = depthMatchers;
  }

  await visit(rootAbs, '', 0);
  return { files, truncated };
}
