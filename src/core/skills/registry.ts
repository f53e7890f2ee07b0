import { promises as fs, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Disposable, type IDisposable } from '../base/disposable';
import { Emitter, type Event } from '../base/emitter';
import { AgentError } from '../base/errors';
import { nullLogger, type Logger } from '../ports';
import { matchSkills } from './match';
import { buildSkillsIndex, type SkillsIndex } from './skills-index';
import { parseSkillFile } from './skill-file';
import { defaultUserSkillStores, LinkRoots, resolveSkillLink } from './skill-links';
import type { SkillContent, SkillDiagnostic, SkillInfo, SkillLocation, SkillMatch, SkillOverrides } from './types';
import type { FileWatcher, WorkspaceTrust } from './workspace-ports';

/** Workspace skill folders, in precedence order (earlier wins a name clash within the workspace). */
export const WORKSPACE_SKILL_DIRS: readonly { location: SkillLocation; dir: string }[] = [
  { location: 'agents', dir: '.agents/skills' },
  { location: 'claude', dir: '.claude/skills' },
  { location: 'github', dir: '.github/skills' },
];

export interface SkillRegistryOptions {
  /** Absolute workspace root. */
  workspaceRoot: string;
  /** Absolute user-level skills folder (from settings), if any. */
  userSkillsDir?: string;
  trust: WorkspaceTrust;
  /** When given, the registry reloads on add/edit/delete and fires onDidChange. */
  watcher?: FileWatcher;
  logger?: Logger;
  /** SKILL.md larger than this (bytes) is cut, with a warning. Default 256 KiB. */
  maxSkillBytes?: number;
  /** At most this many bundled files are listed per skill. Default 200. */
  maxListedFiles?: number;
  /**
   * Folders (besides the workspace root and the user skills folder) that linked skill folders may
   * point into: other workspace folders, the installers' user-level stores. Default
   * {@link defaultUserSkillStores}. See skill-links.ts for the rules.
   */
  linkRoots?: readonly string[];
  /** Coalesces bursts of file events before reloading. Default 100 ms. */
  reloadDebounceMs?: number;
}

interface Entry { info: SkillInfo; body: string }

/** State of one reload: where links may point, and the real folders already loaded (loop/duplicate guard). */
interface ScanContext { roots: LinkRoots; seenReal: Map<string, string> }

async function isLink(path: string): Promise<boolean> {
  try { return (await fs.lstat(path)).isSymbolicLink(); } catch { return false; }
}

/**
 * The skills visible to sessions. Workspace skills beat user skills on a name clash (both are
 * listed; the loser is `shadowed`). Loading never throws: problems become diagnostics.
 * Call `reload()` once after construction; the watcher keeps it current afterwards.
 */
export class SkillRegistry extends Disposable {
  private entries: Entry[] = [];
  private registryDiagnostics: SkillDiagnostic[] = [];
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** Fires after every reload that was triggered by a file change or trust change. */
  readonly onDidChange: Event<void> = this._onDidChange.event;
  private reloadTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  private linkWatch: IDisposable | undefined;
  private linkWatchKey = '';

  constructor(private readonly options: SkillRegistryOptions) {
    super();
    this.logger = options.logger ?? nullLogger;
    if (options.watcher) {
      const patterns = WORKSPACE_SKILL_DIRS.map((d) => ({ base: options.workspaceRoot, pattern: `${d.dir}/**` }));
      if (options.userSkillsDir) patterns.push({ base: options.userSkillsDir, pattern: '**' });
      this._register(options.watcher.watch(patterns, () => this.scheduleReload()));
    }
    this._register(options.trust.onDidChangeTrust(() => this.scheduleReload(0)));
    this._register({ dispose: () => { clearTimeout(this.reloadTimer); this.linkWatch?.dispose(); } });
  }

  /** Re-scans every skill folder. Concurrent calls are serialised. */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.doReload(), () => this.doReload());
    return this.loading;
  }

  /** Every discovered skill, shadowed ones included, in precedence order. */
  list(): SkillInfo[] {
    return this.entries.map((e) => e.info);
  }

  /** Registry-wide notes (e.g. "workspace skills are off: untrusted") plus every per-skill diagnostic. */
  diagnostics(): SkillDiagnostic[] {
    return [...this.registryDiagnostics, ...this.entries.flatMap((e) => e.info.diagnostics)];
  }

  /** The winning skill of that name, else the one whose folder has that name (never a shadowed one). */
  get(nameOrFolder: string): SkillInfo | undefined {
    return this.entry(nameOrFolder)?.info;
  }

  /**
   * Which skill a load request means: the front-matter `name` first, else the folder name (the
   * spec asks them to match; real skills do not always). `by` says which one matched.
   */
  resolve(nameOrFolder: string): { info: SkillInfo; by: 'name' | 'folder' } | undefined {
    const byName = this.entries.find((e) => !e.info.shadowed && e.info.name === nameOrFolder);
    if (byName) return { info: byName.info, by: 'name' };
    const byFolder = this.entries.find((e) => !e.info.shadowed && e.info.folder === nameOrFolder);
    return byFolder ? { info: byFolder.info, by: 'folder' } : undefined;
  }

  private entry(nameOrFolder: string): Entry | undefined {
    const r = this.resolve(nameOrFolder);
    return r ? this.entries.find((e) => e.info === r.info) : undefined;
  }

  /** Names enabled for a session: every non-shadowed skill unless the session's overrides say otherwise. */
  enabledNames(overrides: SkillOverrides = {}): string[] {
    return this.entries.filter((e) => !e.info.shadowed && overrides[e.info.name] !== false).map((e) => e.info.name);
  }

  /** Body and bundled files of an active skill (by name or folder). Throws AgentError('not_found') for unknown names. */
  async content(name: string): Promise<SkillContent> {
    const entry = this.entry(name);
    if (!entry) throw new AgentError('not_found', `No skill named "${name}". Available: ${this.enabledNames().join(', ') || 'none'}.`);
    const files: string[] = [];
    await this.listFiles(entry.info.dir, files);
    const shown = entry.info.source === 'workspace'
      ? files.map((f) => relative(this.options.workspaceRoot, f).split(sep).join('/'))
      : files;
    return { info: entry.info, body: entry.body, files: shown.sort() };
  }

  /**
   * The system-prompt section: names and descriptions only (progressive disclosure; the body is
   * fetched with load_skill), within `budget` characters (see skills-index.ts). Deterministic for
   * the same skills and budget. '' when none are enabled.
   */
  systemPromptSection(enabledNames: readonly string[], budget = Number.POSITIVE_INFINITY): string {
    return this.skillsIndex(enabledNames, budget).text;
  }

  /** The skills index with what the budget left out (for SessionKnowledge.skillsIndex). */
  skillsIndex(enabledNames: readonly string[], budget = Number.POSITIVE_INFINITY): SkillsIndex {
    const enabled = new Set(enabledNames);
    return buildSkillsIndex(this.entries.filter((e) => !e.info.shadowed && enabled.has(e.info.name)).map((e) => e.info), budget);
  }

  /** Skills whose body should be attached up front for this prompt (conservative; see match.ts). */
  matchPrompt(prompt: string, enabledNames: readonly string[]): SkillMatch[] {
    const enabled = new Set(enabledNames);
    return matchSkills(prompt, this.entries.filter((e) => !e.info.shadowed && enabled.has(e.info.name)).map((e) => e.info));
  }

  /** Absolute folder where manage_skill writes workspace skills. */
  get workspaceSkillsDir(): string {
    return join(this.options.workspaceRoot, '.agents', 'skills');
  }

  get workspaceRoot(): string {
    return this.options.workspaceRoot;
  }

  /** Where linked skill folders may point (skill-links.ts): the workspace root, the user folder, `linkRoots`. */
  private allowedLinkRoots(): string[] {
    const { workspaceRoot, userSkillsDir, linkRoots } = this.options;
    return [workspaceRoot, ...(userSkillsDir ? [userSkillsDir] : []), ...(linkRoots ?? defaultUserSkillStores())];
  }

  /**
   * Watches the real folders of linked skills too: a host watcher does not follow links, so an
   * edit in the canonical copy (`~/.agents/skills/x`) would otherwise go unseen.
   */
  private watchLinkTargets(): void {
    const { watcher } = this.options;
    if (!watcher || this._store.isDisposed) return;
    const targets = [...new Set(this.entries.flatMap((e) => (e.info.linkTarget ? [e.info.linkTarget] : [])))].sort();
    const key = targets.join('\n');
    if (key === this.linkWatchKey) return;
    this.linkWatchKey = key;
    this.linkWatch?.dispose();
    this.linkWatch = targets.length > 0 ? watcher.watch(targets.map((t) => ({ base: t, pattern: '**' })), () => this.scheduleReload()) : undefined;
  }

  private scheduleReload(delay = this.options.reloadDebounceMs ?? 100): void {
    if (this._store.isDisposed) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reload().then(() => this._onDidChange.fire(), (e: unknown) => this.logger.error(`Skill reload failed: ${String(e)}`));
    }, delay);
  }

  private async doReload(): Promise<void> {
    const found: Entry[] = [];
    const notes: SkillDiagnostic[] = [];
    const ctx: ScanContext = { roots: await LinkRoots.create(this.allowedLinkRoots()), seenReal: new Map() };
    if (this.options.trust.isTrusted()) {
      for (const d of WORKSPACE_SKILL_DIRS) await this.scanFolder(join(this.options.workspaceRoot, d.dir), 'workspace', d.location, ctx, found, notes);
    } else {
      notes.push({ severity: 'info', code: 'untrusted', path: '', message: 'Workspace skills are off because the workspace is not trusted. Trust the workspace to use them.' });
    }
    if (this.options.userSkillsDir) await this.scanFolder(this.options.userSkillsDir, 'user', 'user', ctx, found, notes);
    // Precedence = discovery order: workspace folders first, then the user folder.
    const winners = new Map<string, Entry>();
    for (const e of found) {
      const winner = winners.get(e.info.name);
      if (!winner) { winners.set(e.info.name, e); continue; }
      e.info.shadowed = true;
      e.info.shadowedBy = winner.info.skillFile;
      const sameSource = winner.info.source === e.info.source;
      e.info.diagnostics.push({
        severity: sameSource ? 'warning' : 'info', code: 'duplicate', path: e.info.skillFile,
        message: `Skill "${e.info.name}" is also defined in ${winner.info.skillFile}; that one is used.`,
      });
    }
    for (const d of [...notes, ...found.flatMap((e) => e.info.diagnostics)]) {
      if (d.severity !== 'info') this.logger.warn(`[skills] ${d.path}: ${d.message}`);
    }
    this.entries = found;
    this.registryDiagnostics = notes;
    this.watchLinkTargets();
  }

  private async scanFolder(root: string, source: 'workspace' | 'user', location: SkillLocation, ctx: ScanContext, out: Entry[], notes: SkillDiagnostic[]): Promise<void> {
    let rootReal: string;
    let entries: Dirent[];
    try {
      rootReal = await fs.realpath(root);
      entries = (await fs.readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return; // folder absent: nothing to load
    }
    if (!ctx.roots.allows(rootReal)) {
      notes.push({ severity: 'warning', code: 'link_refused', path: root, message: `Skills folder ${root} is a link to ${rootReal}, outside the workspace and the user skills folders; it is not followed.` });
      return;
    }
    const rootLinked = await isLink(root);
    const max = this.options.maxSkillBytes ?? 256 * 1024;
    for (const e of entries) {
      const folder = e.name;
      const dir = join(root, folder);
      let real = join(rootReal, folder);
      let linked = rootLinked;
      if (e.isSymbolicLink()) {
        const r = await resolveSkillLink(dir, rootReal, ctx.roots);
        if (!r.ok) {
          if (r.reason !== 'not_folder') notes.push({ severity: 'warning', code: 'link_refused', path: dir, message: r.message });
          continue;
        }
        real = r.real;
        linked = true;
      } else if (!e.isDirectory()) {
        continue;
      }
      const seen = ctx.seenReal.get(real);
      if (seen !== undefined) {
        // The canonical copy and a link to it (or two links to one folder): load it once.
        notes.push({ severity: 'info', code: 'duplicate', path: dir, message: `${dir} is the same folder as ${seen}; it is loaded once.` });
        continue;
      }
      ctx.seenReal.set(real, dir);
      const skillFile = join(dir, 'SKILL.md');
      let text: string;
      let size: number;
      try {
        const st = await fs.stat(skillFile);
        size = st.size;
        const fh = await fs.open(skillFile, 'r');
        try {
          const buf = Buffer.alloc(Math.min(size, max));
          const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
          text = buf.subarray(0, bytesRead).toString('utf8');
        } finally { await fh.close(); }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
          notes.push({ severity: 'error', code: 'unreadable', path: skillFile, message: `Cannot read SKILL.md: ${String(e)}` });
        }
        continue;
      }
      const { skill, diagnostics } = parseSkillFile(text, skillFile, folder);
      if (!skill) {
        // Invalid skills are not registered but stay visible through the registry diagnostics.
        notes.push(...diagnostics);
        continue;
      }
      let body = skill.body;
      if (size > max) {
        diagnostics.push({ severity: 'warning', code: 'too_large', path: skillFile, message: `SKILL.md is ${size} bytes; only the first ${max} bytes are used.` });
        body += `\n[truncated: SKILL.md is ${size} bytes, only the first ${max} are shown]`;
      }
      out.push({
        info: {
          name: skill.name, description: skill.description, allowedTools: skill.allowedTools, source, location, dir, skillFile, folder,
          ...(linked ? { linked: true, linkTarget: real } : {}), shadowed: false, diagnostics,
        },
        body,
      });
    }
  }

  private async listFiles(dir: string, out: string[], depth = 0): Promise<void> {
    const max = this.options.maxListedFiles ?? 200;
    if (depth > 6) return;
    let entries;
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { return; /* raced delete */ }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= max) return;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await this.listFiles(abs, out, depth + 1);
      else if (e.isFile() && !(depth === 0 && e.name === 'SKILL.md')) out.push(abs);
    }
  }
}
