import { promises as fs } from 'node:fs';
import { join, posix } from 'node:path';
import { parseCursorRule } from './cursor-rules';
import { RulesTree, type TreeEntry } from './rules-tree';

/**
 * Project instruction files ("rules files"): AGENTS.md, CLAUDE.md and GEMINI.md (the root file
 * always; nested ones govern their folder and join a session once it works there),
 * .github/copilot-instructions.md, .clinerules (file or folder of .md), the legacy .cursorrules and
 * Cursor's .cursor/rules/**\/*.mdc (their front matter says when they apply: cursor-rules.ts).
 * Symbolic links are followed inside the workspace. `load()` is cheap enough to call every turn:
 * listings and contents are cached by mtime/size. What goes into the prompt, in which order and
 * within which budget, is rules-prompt.ts; what joins on the way, rules-on-path.ts.
 */

export type RulesFileKind = 'agents' | 'claude' | 'gemini' | 'copilot' | 'clinerules' | 'cursor';

/**
 * When a file is sent: `always`; `path` (a nested AGENTS.md/CLAUDE.md/GEMINI.md: once the session
 * reads or edits a file under `scope`); `glob` (a Cursor rule: once a file matching `globs` is
 * involved); `requested` (a Cursor rule with only a description: listed; sent once the model reads
 * it); `manual` (a Cursor rule with none of them: never sent, listed in the UI).
 */
export type RulesActivation = 'always' | 'path' | 'glob' | 'requested' | 'manual';

/** One loaded instructions file, as listed in a session's UI. */
export interface RulesFile {
  /** Stable id: `<kind>:<workspace-relative posix path>`; used for per-session switch-off. */
  id: string;
  kind: RulesFileKind;
  /** Absolute path on disk (through the link, when it is one). */
  path: string;
  /** Workspace-relative posix path (shown in the UI as the source). */
  relativePath: string;
  /** For nested AGENTS.md/CLAUDE.md/GEMINI.md: the folder it governs. Others: ''. */
  scope: string;
  activation: RulesActivation;
  /** Cursor rules: glob patterns (workspace-relative). */
  globs?: string[];
  /** Cursor rules: what the rule is about (the model reads `requested` rules by it). */
  description?: string;
  /** Reached through a symbolic link: the target's workspace-relative path. */
  linkTarget?: string;
  /** A problem reading it (a bad front matter); the file still loads. */
  problem?: string;
  /** Size of the file on disk in bytes. */
  size: number;
  /** Text that can go into the prompt (capped per file; ends with a truncation note when cut). */
  text: string;
  /** Characters in the original (front-matter-stripped) text. */
  originalChars: number;
  /** Cut by the per-file cap. */
  truncated: boolean;
  /** False when switched off for this session (listed, never sent). */
  enabled: boolean;
}

export interface RulesFilesOptions {
  /** Absolute workspace root. */
  root: string;
  /**
   * Workspace Trust, asked on every load. Rules files are text the repository puts into the
   * system prompt, so an untrusted workspace gets none: nothing is read, listed or sent.
   */
  isTrusted: () => boolean;
  /** Per-file cap in characters. Default 20 000. */
  maxFileChars?: number;
  /** Budget over all files sent, in characters (rules-prompt.ts applies it). Default 60 000. */
  maxTotalChars?: number;
  /** How deep nested AGENTS.md/CLAUDE.md/GEMINI.md are searched. Default 8. */
  maxDepth?: number;
  /** Upper bound on directories visited per load (huge monorepos). Default 5 000. */
  maxDirs?: number;
  /** Directory names never searched for nested files. */
  ignoreDirs?: readonly string[];
}

const DEFAULT_IGNORED = ['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'coverage', '__pycache__', 'venv'];
/** The files looked for in every folder, in this order (their kind). */
const NESTED: readonly [string, RulesFileKind][] = [['AGENTS.md', 'agents'], ['CLAUDE.md', 'claude'], ['GEMINI.md', 'gemini']];
const KIND_ORDER: Record<RulesFileKind, number> = { agents: 0, claude: 1, gemini: 2, copilot: 3, clinerules: 4, cursor: 5 };

type Found = Pick<RulesFile, 'id' | 'kind' | 'path' | 'relativePath' | 'scope' | 'linkTarget'>;
interface FileCache {
  mtimeMs: number;
  size: number;
  text: string;
  /** Characters in the whole file; estimated from the byte size when only a prefix was read. */
  chars: number;
}

/** The note appended to a cut file; exported so tests and the UI agree on the wording. */
export function truncationNote(shown: number, total: number): string {
  return `[truncated: ${shown} of ${total} characters shown]`;
}

export { stripFrontMatter } from './cursor-rules';

/** Cuts `text` (of `total` characters in all) to `limit`, with the note. */
export function capText(text: string, limit: number, total: number): { text: string; truncated: boolean } {
  if (total <= limit) return { text, truncated: false };
  const shown = Math.max(0, limit);
  return { text: `${text.slice(0, shown)}\n${truncationNote(shown, total)}`, truncated: true };
}

const byPath = (a: { relativePath: string }, b: { relativePath: string }): number =>
  (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0);

/** Loads and caches the rules files of one workspace root. */
export class RulesFilesLoader {
  private readonly tree: RulesTree;
  private readonly fileCache = new Map<string, FileCache>();
  private readonly maxFileChars: number;
  private readonly maxDepth: number;
  private readonly maxDirs: number;
  private readonly ignored: ReadonlySet<string>;
  /** The budget over all files sent (rules-prompt.ts). */
  readonly budgetChars: number;

  constructor(private readonly options: RulesFilesOptions) {
    this.tree = new RulesTree(options.root);
    this.maxFileChars = options.maxFileChars ?? 20_000;
    this.budgetChars = options.maxTotalChars ?? 60_000;
    this.maxDepth = options.maxDepth ?? 8;
    this.maxDirs = options.maxDirs ?? 5_000;
    this.ignored = new Set(options.ignoreDirs ?? DEFAULT_IGNORED);
  }

  /** The workspace root the files' relative paths are relative to. */
  get root(): string { return this.options.root; }

  /**
   * Reads every rules file (re-reading only what changed on disk) in a stable order: the files
   * that always apply (root files by kind, alwaysApply Cursor rules), then nested files by depth
   * and path, then the other Cursor rules. `disabled` holds ids switched off for this session.
   * Untrusted workspace: [].
   */
  async load(disabled: ReadonlySet<string> = new Set()): Promise<RulesFile[]> {
    if (!this.options.isTrusted()) return [];
    await this.tree.refresh();
    const out: RulesFile[] = [];
    for (const f of await this.discover()) {
      const raw = await this.readCached(f.path);
      if (raw === undefined) continue;
      let body = raw.text;
      let meta: Pick<RulesFile, 'activation' | 'globs' | 'description' | 'problem'> = { activation: f.scope === '' ? 'always' : 'path' };
      if (f.kind === 'cursor' && f.relativePath !== '.cursorrules') {
        const rule = parseCursorRule(raw.text);
        body = rule.body;
        meta = {
          activation: rule.activation, ...(rule.globs.length > 0 ? { globs: rule.globs } : {}),
          ...(rule.description ? { description: rule.description } : {}), ...(rule.problem ? { problem: rule.problem } : {}),
        };
      }
      const total = body.length + (raw.chars - raw.text.length);
      const capped = capText(body, this.maxFileChars, total);
      out.push({ ...f, ...meta, size: raw.size, text: capped.text, originalChars: total, truncated: capped.truncated, enabled: !disabled.has(f.id) });
    }
    const rank = (f: RulesFile): number => (f.activation === 'always' ? 0 : f.activation === 'path' ? 1 : 2);
    const depth = (f: RulesFile): number => (f.scope === '' ? 0 : f.scope.split('/').length);
    return out.sort((a, b) => rank(a) - rank(b) || depth(a) - depth(b)
      || (rank(a) === 0 ? KIND_ORDER[a.kind] - KIND_ORDER[b.kind] : 0) || byPath(a, b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  /** Drops all caches (e.g. after the workspace root changed). */
  clearCache(): void {
    this.tree.clear();
    this.fileCache.clear();
  }

  private async discover(): Promise<Found[]> {
    const root = this.options.root;
    const out: Found[] = [];
    const add = (kind: RulesFileKind, rel: string, entry: TreeEntry, scope = ''): void => {
      out.push({ id: `${kind}:${rel}`, kind, path: join(root, ...rel.split('/')), relativePath: rel, scope, ...(entry.link ? { linkTarget: entry.link } : {}) });
    };
    const file = (list: { files: TreeEntry[] } | undefined, name: string): TreeEntry | undefined => list?.files.find((e) => e.name === name);
    const dir = (list: { dirs: TreeEntry[] } | undefined, name: string): TreeEntry | undefined => list?.dirs.find((e) => e.name === name);
    const rootList = await this.tree.list('');
    const gh = dir(rootList, '.github') ? await this.tree.list('.github') : undefined;
    const copilot = file(gh, 'copilot-instructions.md');
    if (copilot) add('copilot', '.github/copilot-instructions.md', copilot);
    const cline = file(rootList, '.clinerules');
    if (cline) add('clinerules', '.clinerules', cline);
    else if (dir(rootList, '.clinerules')) {
      for (const e of (await this.tree.list('.clinerules'))?.files ?? []) if (/\.md$/i.test(e.name)) add('clinerules', `.clinerules/${e.name}`, e);
    }
    const cursorrules = file(rootList, '.cursorrules');
    if (cursorrules) add('cursor', '.cursorrules', cursorrules);
    if (dir(rootList, '.cursor') && dir(await this.tree.list('.cursor'), 'rules')) {
      // Cursor finds rules in subfolders of .cursor/rules too.
      await this.tree.walk('.cursor/rules', { maxDepth: this.maxDepth, maxDirs: this.maxDirs, skip: () => false }, (rel, list) => {
        for (const e of list.files) if (/\.mdc?$/i.test(e.name)) add('cursor', `${rel}/${e.name}`, e);
      });
    }
    await this.tree.walk('', { maxDepth: this.maxDepth, maxDirs: this.maxDirs, skip: (n) => n.startsWith('.') || this.ignored.has(n) }, (rel, list) => {
      for (const [name, kind] of NESTED) {
        const e = file(list, name);
        if (e) add(kind, rel === '' ? name : posix.join(rel, name), e, rel);
      }
    });
    return out;
  }

  private async readCached(abs: string): Promise<FileCache | undefined> {
    let st;
    try { st = await fs.stat(abs); } catch { this.fileCache.delete(abs); return undefined; }
    if (!st.isFile()) return undefined;
    const cached = this.fileCache.get(abs);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
    // Never read more than we could ever show (4 bytes per char worst case, plus a margin for the count).
    const limitBytes = this.maxFileChars * 4 + 4;
    let text: string;
    try {
      if (st.size <= limitBytes) text = await fs.readFile(abs, 'utf8');
      else {
        const fh = await fs.open(abs, 'r');
        try {
          const buf = Buffer.alloc(limitBytes);
          const { bytesRead } = await fh.read(buf, 0, limitBytes, 0);
          text = buf.subarray(0, bytesRead).toString('utf8');
        } finally { await fh.close(); }
      }
    } catch { return undefined; }
    const entry = { mtimeMs: st.mtimeMs, size: st.size, text, chars: st.size <= limitBytes ? text.length : text.length + (st.size - limitBytes) };
    this.fileCache.set(abs, entry);
    return entry;
  }
}
