/**
 * Running git for the workspace scans, and reading `git status --porcelain=v2 -z`: which paths
 * of a work tree differ from HEAD or the index, or are untracked (ignored files are not listed,
 * so .gitignore is honoured by git itself).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** git could not be run at all (not installed, not on PATH): scans fall back to the file walk. */
export class GitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitUnavailableError';
  }
}

export interface GitRunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunOptions {
  /** The top of the work tree (git runs there, and looks for no repository above it). */
  cwd: string;
  /** Written to stdin, which is then closed. */
  input?: string | Buffer;
  /** Killed after this long (ms); the run then fails. Default 10 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * git's environment for a run in the work tree `top`: no prompt, no optional locks (a status must
 * not take index.lock while the user's own git runs), none of the variables that would point it at
 * another repository, and a ceiling just above `top`: when `top/.git` is not a repository after
 * all, git fails instead of finding an enclosing one (whose paths would be misread as top's).
 */
export function gitEnv(top: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_CEILING_DIRECTORIES: path.dirname(top) };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX']) delete env[name];
  return env;
}

/** Runs `git args` in `cwd`; rejects with GitUnavailableError when git cannot start, Error on timeout. */
export function runGit(git: string, args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(git, ['--no-optional-locks', ...args], { cwd: options.cwd, env: gitEnv(options.cwd), stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`git ${args[0]} took longer than ${(options.timeoutMs ?? 10_000) / 1000}s`));
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (e.name === 'AbortError') reject(e);
      else reject(e.code === 'ENOENT' || e.code === 'EACCES' ? new GitUnavailableError(`git could not be started (${e.code})`) : e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() });
    });
    // A git that exits before reading its input closes the pipe: that is its answer, not ours to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/** The first line of git's complaint, for notes. */
export function gitComplaint(r: GitRunResult): string {
  const line = r.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${r.code}`;
  return line.replace(/^(fatal|error): /, '').slice(0, 200);
}

/** One path of a status: `1` ordinary, `2` renamed or copied, `u` unmerged, `?` untracked. */
export interface StatusEntry {
  type: '1' | '2' | 'u' | '?';
  /** Index and work-tree status letters (`..` for untracked). */
  xy: string;
  /** `N...`, or `S<c><m><u>` for a submodule. */
  sub: string;
  /** Relative to the top of the work tree, `/`-separated. */
  path: string;
  /** `2` only: the path it was renamed or copied from. */
  origPath?: string;
  /** `1` / `2`: the object name in HEAD and in the index (zeros when absent there). */
  headOid?: string;
  indexOid?: string;
  indexMode?: string;
}

export interface GitStatus {
  /** HEAD's commit; undefined before the first commit. */
  head: string | undefined;
  entries: StatusEntry[];
  /** Paths git printed that are not valid UTF-8 (they cannot be named back to it). */
  undecodable: number;
}

/** The first `n` space-separated fields of `record`, and the rest (a path, which may hold spaces). */
function fields(record: string, n: number): { parts: string[]; rest: string } | undefined {
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const space = record.indexOf(' ', at);
    if (space < 0) return undefined;
    parts.push(record.slice(at, space));
    at = space + 1;
  }
  return { parts, rest: record.slice(at) };
}

/** Parses `git status --porcelain=v2 -z --branch` output; unknown records are skipped. */
export function parseStatusV2(out: Buffer): GitStatus {
  const records = out.toString('utf8').split('\0');
  const status: GitStatus = { head: undefined, entries: [], undecodable: 0 };
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record === '') continue;
    let entry: StatusEntry | undefined;
    if (record.startsWith('# branch.oid ')) {
      const oid = record.slice('# branch.oid '.length);
      status.head = /^[0-9a-f]{40,64}$/.test(oid) ? oid : undefined;
    } else if (record.startsWith('1 ')) {
      const f = fields(record, 8);
      if (f) entry = { type: '1', xy: f.parts[1]!, sub: f.parts[2]!, indexMode: f.parts[4], headOid: f.parts[6], indexOid: f.parts[7], path: f.rest };
    } else if (record.startsWith('2 ')) {
      const f = fields(record, 9);
      const origPath = records[++i];
      if (f && origPath !== undefined) {
        entry = { type: '2', xy: f.parts[1]!, sub: f.parts[2]!, indexMode: f.parts[4], headOid: f.parts[6], indexOid: f.parts[7], path: f.rest, origPath };
      }
    } else if (record.startsWith('u ')) {
      const f = fields(record, 10);
      if (f) entry = { type: 'u', xy: f.parts[1]!, sub: f.parts[2]!, path: f.rest };
    } else if (record.startsWith('? ')) {
      entry = { type: '?', xy: '..', sub: 'N...', path: record.slice(2) };
    }
    if (!entry) continue;
    if (entry.path.includes('\uFFFD') || entry.origPath?.includes('\uFFFD')) {
      status.undecodable++;
      continue;
    }
    status.entries.push(entry);
  }
  return status;
}

/** Runs git status over the work tree at `top`, limited to `pathspecs` (top-relative; none = all). */
export async function gitStatus(git: string, top: string, pathspecs: readonly string[], signal?: AbortSignal): Promise<GitStatus> {
  // --branch for HEAD's commit; --no-ahead-behind spares counting commits against the upstream.
  const args = ['--literal-pathspecs', 'status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind', '--untracked-files=all'];
  if (pathspecs.length > 0) args.push('--', ...pathspecs);
  const r = await runGit(git, args, { cwd: top, signal });
  if (r.code !== 0) throw new Error(`git status failed: ${gitComplaint(r)}`);
  return parseStatusV2(r.stdout);
}
