/**
 * Baseline: how Cline (and Kilo / Roo Code after it) checkpoint — a shadow git repository whose
 * work tree is the workspace, and `git add -A && git commit` at every checkpoint. It costs a
 * walk of the whole workspace each time and keeps a second copy of every file in .git.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class ShadowGitCheckpoints {
  constructor(private readonly gitDir: string, private readonly workTree: string) {}

  private git(...args: string[]): Promise<{ stdout: string }> {
    return run('git', [`--git-dir=${this.gitDir}`, `--work-tree=${this.workTree}`, '-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...args], { maxBuffer: 64 * 1024 * 1024 });
  }

  /** Creates the shadow repository and its first checkpoint (not measured: done once per task). */
  async init(): Promise<void> {
    await run('git', ['init', '-q', '--bare', this.gitDir]);
    await this.git('config', 'core.worktree', this.workTree);
    await this.checkpoint('initial');
  }

  /** One checkpoint, as Cline takes one after each tool step: stage everything, commit. */
  async checkpoint(message: string): Promise<void> {
    await this.git('add', '-A');
    await this.git('commit', '-q', '--allow-empty', '--no-verify', '-m', message);
  }

  /** Bytes of the shadow repository on disk. */
  async bytes(): Promise<number> {
    return dirBytes(this.gitDir);
  }
}

/** Total bytes of the files under a folder. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await fs.stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
