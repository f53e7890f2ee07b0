import { promises as fs } from 'node:fs';
import { join, relative, sep, posix } from 'node:path';

/**
 * Project instruction files ("rules files") loaded into the system prompt: AGENTS.md (root and
 * nested), CLAUDE.md, .github/copilot-instructions.md, .clinerules (file or folder of .md) and
 * .cursor/rules/*.md|.mdc. `load()` is cheap enough to call every turn: directory listings and
 * file contents are cached by mtime/size, so an unchanged tree costs one stat per directory.
 */

export type RulesFileKind = 'agents' | 'claude' | 'copilot' | 'clinerules' | 'cursor';

/** One loaded instructions file, as listed in a session's UI. */
export interface RulesFile {
  /** Stable id: `<kind>:<workspace-relative posix path>`; used for per-session switch-off. */
  id: string;
  kind: RulesFileKind;
  /** Absolute path on disk. */
  path: string;
  /** Workspace-relative posix path (shown in the UI as the source). */
  relativePath: string;
  /** For AGENTS.md: the folder it governs ('' = workspace root). Others apply everywhere (''). */
  scope: string;
  /** Size of the file on disk in bytes. */
  size: number;
  /** Text that goes into the prompt (capped; ends with a truncation note when cut). */
  text: string;
  /** Characters in the original (front-matter-stripped) text. */
  originalChars: number;
  truncated: boolean;
  /** False when switched off for this session (text is still loaded, but not sent). */
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
  /** Cap over all enabled files in characters. Default 60 000. */
  maxTotalChars?: number;
  /** How deep nested AGENTS.md are searched. Default 8. */
  maxDepth?: number;
  /** Upper bound on directories visited per load (huge monorepos). Default 5 000. */
  maxDirs?: number;
  /** Directory names never searched for nested AGENTS.md. */
  ignoreDirs?: readonly string[];
}

const DEFAULT_IGNORED = ['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'coverage', '__pycache__', 'venv'];
const KIND_ORDER: Record<RulesFileKind, number> = { agents: 0, claude: 1, copilot: 2, clinerules: 3, cursor: 4 };

interface DirEntryCache { mtimeMs: number; dirs: string[]; files: string[] }
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

/** Removes a leading `---\n…\n---` YAML front matter block (Cursor .mdc files). */
export function stripFrontMatter(text: string): string {
  const m = /^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

function cap(text: string, limit: number, total: number): { text: string; truncated: boolean } {
  if (total <= limit) return { text, truncated: false };
  const shown = Math.max(0, limit);
  return { text: `${text.slice(0, shown)}\n${truncationNote(shown, total)}`, truncated: true };
}

/** Loads and caches the rules files of one workspace root. */
export class RulesFilesLoader {
  private readonly dirCache = new Map<string, DirEntryCache>();
  private readonly fileCache = new Map<string, FileCache>();
  private readonly maxFileChars: number;
  private readonly maxTotalChars: number;
  private readonly maxDepth: number;
  private readonly maxDirs: number;
  private readonly ignored: ReadonlySet<string>;
  private last: RulesFile[] = [];

  constructor(private readonly options: RulesFilesOptions) {
    this.maxFileChars = options.maxFileChars ?? 20_000;
    this.maxTotalChars = options.maxTotalChars ?? 60_000;
    this.maxDepth = options.maxDepth ?? 8;
    this.maxDirs = options.maxDirs ?? 5_000;
    this.ignored = new Set(options.ignoreDirs ?? DEFAULT_IGNORED);
  }

  /**
   * Reads every rules file (re-reading only what changed on disk) in a stable order: root files
   * by kind, then nested AGENTS.md by path. `disabled` holds ids switched off for this session;
   * disabled files are listed but do not count against the total cap. Untrusted workspace: [].
   */
  async load(disabled: ReadonlySet<string> = new Set()): Promise<RulesFile[]> {
    if (!this.options.isTrusted()) {
      this.last = [];
      return [];
    }
    const found = await this.discover();
    let budget = this.maxTotalChars;
    const out: RulesFile[] = [];
    for (const f of found) {
      const raw = await this.readCached(f.path);
      if (raw === undefined) continue;
      const body = f.kind === 'cursor' ? stripFrontMatter(raw.text) : raw.text;
      const enabled = !disabled.has(f.id);
      const limit = enabled ? Math.min(this.maxFileChars, budget) : this.maxFileChars;
      const total = body.length + (raw.chars - raw.text.length);
      const capped = cap(body, limit, total);
      if (enabled) budget = Math.max(0, budget - Math.min(body.length, limit));
      out.push({ ...f, size: raw.size, text: capped.text, originalChars: total, truncated: capped.truncated, enabled });
    }
    this.last = out;
    return out;
  }

  /** The files from the last `load()` that apply to a workspace-relative path: every non-AGENTS file plus the nearest AGENTS.md. */
  rulesFor(relativePath: string, files: readonly RulesFile[] = this.last): RulesFile[] {
    const p = relativePath.split(sep).join('/').replace(/^\.\/+/, '');
    let best: RulesFile | undefined;
    for (const f of files) {
      if (f.kind !== 'agents' || !f.enabled) continue;
      const inScope = f.scope === '' || p === f.scope || p.startsWith(`${f.scope}/`);
      if (inScope && (!best || f.scope.length > best.scope.length)) best = f;
    }
    return files.filter((f) => f.enabled && (f.kind !== 'agents' || f === best));
  }

  /** Drops all caches (e.g. after the workspace root changed). */
  clearCache(): void {
    this.dirCache.clear();
    this.fileCache.clear();
  }

  private async discover(): Promise<Omit<RulesFile, 'size' | 'text' | 'originalChars' | 'truncated' | 'enabled'>[]> {
    const root = this.options.root;
    const out: Omit<RulesFile, 'size' | 'text' | 'originalChars' | 'truncated' | 'enabled'>[] = [];
    const add = (kind: RulesFileKind, abs: string, scope = ''): void => {
      const rel = relative(root, abs).split(sep).join('/');
      out.push({ id: `${kind}:${rel}`, kind, path: abs, relativePath: rel, scope });
    };
    const rootList = await this.listDir(root);
    if (rootList?.files.includes('CLAUDE.md')) add('claude', join(root, 'CLAUDE.md'));
    const gh = rootList?.dirs.includes('.github') ? await this.listDir(join(root, '.github')) : undefined;
    if (gh?.files.includes('copilot-instructions.md')) add('copilot', join(root, '.github', 'copilot-instructions.md'));
    if (rootList?.files.includes('.clinerules')) add('clinerules', join(root, '.clinerules'));
    else if (rootList?.dirs.includes('.clinerules')) {
      for (const name of await this.markdownIn(join(root, '.clinerules'), /\.md$/i)) add('clinerules', join(root, '.clinerules', name));
    }
    const cursorRules = join(root, '.cursor', 'rules');
    for (const name of await this.markdownIn(cursorRules, /\.mdc?$/i)) add('cursor', join(cursorRules, name));
    for (const agents of await this.findAgents()) add('agents', join(root, agents, 'AGENTS.md'), agents.split(sep).join('/'));
    const depth = (scope: string): number => (scope === '' ? 0 : scope.split('/').length);
    return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
      || depth(a.scope) - depth(b.scope)
      || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  }

  private async markdownIn(dir: string, pattern: RegExp): Promise<string[]> {
    const list = await this.listDir(dir);
    return list ? list.files.filter((n) => pattern.test(n)).sort() : [];
  }

  /** Breadth-first walk for AGENTS.md; returns workspace-relative folder paths ('' = root). */
  private async findAgents(): Promise<string[]> {
    const found: string[] = [];
    let frontier = [''];
    let visited = 0;
    for (let depth = 0; depth <= this.maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const rel of frontier) {
        if (++visited > this.maxDirs) return found;
        const list = await this.listDir(join(this.options.root, rel));
        if (!list) continue;
        if (list.files.includes('AGENTS.md')) found.push(rel);
        for (const d of list.dirs) {
          if (d.startsWith('.') || this.ignored.has(d)) continue;
          next.push(rel === '' ? d : join(rel, d));
        }
      }
      frontier = next.sort();
    }
    return found;
  }

  private async listDir(abs: string): Promise<DirEntryCache | undefined> {
    let st;
    try { st = await fs.stat(abs); } catch { this.dirCache.delete(abs); return undefined; }
    if (!st.isDirectory()) return undefined;
    const cached = this.dirCache.get(abs);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached;
    try {
      const entries = await fs.readdir(abs, { withFileTypes: true });
      const entry: DirEntryCache = {
        mtimeMs: st.mtimeMs,
        dirs: entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(),
        files: entries.filter((e) => e.isFile()).map((e) => e.name).sort(),
      };
      this.dirCache.set(abs, entry);
      return entry;
    } catch {
      // Unreadable folder (permissions, raced delete): treat as empty.
      return undefined;
    }
  }

  private async readCached(abs: string): Promise<FileCache | undefined> {
    let st;
    try { st = await fs.stat(abs); } catch { this.fileCache.delete(abs); return undefined; }
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

const KIND_LABEL: Record<RulesFileKind, string> = {
  agents: 'AGENTS.md', claude: 'CLAUDE.md', copilot: 'Copilot instructions', clinerules: 'Cline rules', cursor: 'Cursor rule',
};

/**
 * The system-prompt section for the enabled files. Deterministic: same files and texts → same
 * bytes (prompt caching depends on it). Returns '' when nothing is enabled.
 */
export function rulesSystemPromptSection(files: readonly RulesFile[]): string {
  const enabled = files.filter((f) => f.enabled);
  if (enabled.length === 0) return '';
  const parts = ['# Project instructions', 'The workspace provides these instruction files. Follow them. A nested AGENTS.md applies to files in its folder and overrides the ones above it.'];
  for (const f of enabled) {
    const scope = f.kind === 'agents' && f.scope !== '' ? ` (applies to ${posix.join(f.scope, '**')})` : '';
    parts.push(`## ${KIND_LABEL[f.kind]}: ${f.relativePath}${scope}\n\n${f.text.trim()}`);
  }
  return `${parts.join('\n\n')}\n`;
}
