/**
 * Finds custom agents: in each workspace folder (or a session's worktree root)
 * `.github/agents/*.agent.md` and `.claude/agents/*.md`, and the user's `~/.claude/agents/*.md`.
 * One bad file is reported with its path and the rest load. Names are unique: a workspace agent
 * hides a user agent of the same name, an earlier file (`.github` before `.claude`, then by file
 * name) a later one; each hidden file is reported, so the clash is shown.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CustomAgentInfo } from '../../shared/knowledge-types';
import { toAgentError } from '../base/errors';
import { parseAgentFile, type AgentFileRef, type ParsedAgent } from './parse';
import type { AgentFormat } from './tool-map';

/** Largest agent file read, bytes. */
const MAX_FILE_BYTES = 256 * 1024;

/** A file that was not loaded (bad, too large, unreadable) or was hidden by another of the same name. */
export interface AgentProblem {
  /** As in CustomAgentInfo.source. */
  path: string;
  message: string;
}

export interface AgentListing {
  agents: ParsedAgent[];
  problems: AgentProblem[];
}

/** What the session engine needs (manager deps `agents`). */
export interface AgentSource {
  /** Agents for a session working at `root` (undefined: the workspace folders). */
  list(root?: string): Promise<AgentListing>;
  find(name: string, root?: string): Promise<ParsedAgent | undefined>;
}

export interface AgentRegistryOptions {
  workspaceRoots: readonly string[];
  /** The user's home folder (agents in `~/.claude/agents`); absent: no user agents. */
  homeDir?: string;
}

interface Folder {
  dir: string;
  /** Prefix of `source` (`.github/agents/`, `~/.claude/agents/`, with the workspace folder's name when there are several). */
  label: string;
  format: AgentFormat;
  scope: CustomAgentInfo['scope'];
  pattern: RegExp;
}

/** Reads agent folders; results are cached per root until `invalidate()` (the host's file watcher calls it). */
export class AgentRegistry implements AgentSource {
  private readonly cache = new Map<string, Promise<AgentListing>>();

  constructor(private readonly options: AgentRegistryOptions) {}

  /** Forget what was read (a watched agent file changed). */
  invalidate(): void { this.cache.clear(); }

  list(root?: string): Promise<AgentListing> {
    const key = root ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.read(root);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  async find(name: string, root?: string): Promise<ParsedAgent | undefined> {
    const { agents } = await this.list(root);
    return agents.find((a) => a.info.name === name) ?? agents.find((a) => a.info.name.toLowerCase() === name.toLowerCase());
  }

  private folders(root: string | undefined): Folder[] {
    const roots = root !== undefined ? [root] : this.options.workspaceRoots;
    const out: Folder[] = [];
    for (const r of roots) {
      const prefix = roots.length > 1 ? `${path.basename(r)}/` : '';
      out.push({ dir: path.join(r, '.github', 'agents'), label: `${prefix}.github/agents/`, format: 'copilot', scope: 'workspace', pattern: /\.agent\.md$/i });
      out.push({ dir: path.join(r, '.claude', 'agents'), label: `${prefix}.claude/agents/`, format: 'claude', scope: 'workspace', pattern: /\.md$/i });
    }
    if (this.options.homeDir) {
      out.push({ dir: path.join(this.options.homeDir, '.claude', 'agents'), label: '~/.claude/agents/', format: 'claude', scope: 'user', pattern: /\.md$/i });
    }
    return out;
  }

  private async read(root: string | undefined): Promise<AgentListing> {
    const agents: ParsedAgent[] = [];
    const problems: AgentProblem[] = [];
    const byName = new Map<string, ParsedAgent>();
    for (const folder of this.folders(root)) {
      for (const one of await readFolder(folder, problems)) {
        const key = one.info.name.toLowerCase();
        const first = byName.get(key);
        if (first) {
          problems.push({ path: one.info.source, message: `Hidden by ${first.info.scope === one.info.scope ? '' : `the ${first.info.scope} agent `}${first.info.source}, which has the same name "${one.info.name}". Rename one of them to use both.` });
          continue;
        }
        byName.set(key, one);
        agents.push(one);
      }
    }
    return { agents, problems };
  }
}

async function readFolder(folder: Folder, problems: AgentProblem[]): Promise<ParsedAgent[]> {
  let names: string[];
  try {
    names = (await fs.readdir(folder.dir)).filter((n) => folder.pattern.test(n)).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push({ path: folder.label, message: `The folder could not be read: ${toAgentError(e).message}` });
    return [];
  }
  const out: ParsedAgent[] = [];
  for (const fileName of names) {
    const ref: AgentFileRef = { source: `${folder.label}${fileName}`, fileName, format: folder.format, scope: folder.scope };
    try {
      const file = path.join(folder.dir, fileName);
      const st = await fs.stat(file); // follows links: installers often link agent files
      if (!st.isFile()) continue;
      if (st.size > MAX_FILE_BYTES) {
        problems.push({ path: ref.source, message: `The file is ${st.size} bytes; agent files over ${MAX_FILE_BYTES} bytes are not read.` });
        continue;
      }
      out.push(parseAgentFile(await fs.readFile(file, 'utf8'), ref));
    } catch (e) {
      const err = toAgentError(e);
      problems.push({ path: ref.source, message: err.message.replace(`Custom agent ${ref.source}: `, '') });
    }
  }
  return out;
}
