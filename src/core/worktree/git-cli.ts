/**
 * Running git for the worktree port: execFile with an argument array (never a shell), a clean
 * environment (no prompt, C locale, none of the variables that would point git at another
 * repository or index), a timeout, an AbortSignal and a cap on what is read back. A held
 * `index.lock` is waited out a few times before it becomes a clear error; a full disk says so.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AgentError } from '../base/errors';

/** How a GitCli finds git and what it adds to git's environment (tests: GIT_CONFIG_GLOBAL, …). */
export interface GitCliOptions {
  /** The git executable (default `git`, looked up on PATH). */
  gitPath?: string;
  /** Added to the process environment for every run (a value `undefined` unsets the variable). */
  env?: NodeJS.ProcessEnv;
}

/** One run of git. */
export interface GitCall {
  cwd: string;
  /** Written to stdin, which is then closed. */
  input?: string | Buffer;
  /** Extra variables for this run only (e.g. GIT_INDEX_FILE for a temporary index). */
  env?: Record<string, string>;
  /** Killed after this long (ms). Default 60 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Most stdout bytes read back. Default 64 MiB. */
  maxBytes?: number;
  /** Over `maxBytes`: return what was read (`truncated`) instead of failing. */
  truncate?: boolean;
  /** Stop git from looking for a repository above `cwd` (a folder that should be a work tree's top). */
  ceiling?: boolean;
}

export interface GitResult {
  /** Exit code (0: success). */
  code: number;
  stdout: Buffer;
  stderr: string;
  /** stdout was cut at `maxBytes`. */
  truncated: boolean;
}

/** git could not be started: not installed, or not where `gitPath` says. */
export class GitMissingError extends AgentError {
  constructor(gitPath: string, cause: unknown) {
    super('not_found', `git was not found (tried "${gitPath}"): install git 2.30 or newer and put it on the PATH`, { cause });
    this.name = 'GitMissingError';
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Waits before retrying a run that found a lock file held (another git process, a `git gc`). */
const LOCK_BACKOFF_MS = [100, 300, 800];
/** Variables that would make git work on another repository, work tree or index than the folder it runs in. */
const SCRUBBED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_NAMESPACE', 'GIT_SEQUENCE_EDITOR'];

const LOCK_HELD = /Unable to create '([^']+\.lock)': File exists/;
const DISK_FULL = /No space left on device|ENOSPC|disk quota exceeded/i;

/** The first meaningful line(s) of git's complaint, without `fatal:` / `error:`. */
export function complaint(r: { stderr: string; code: number }): string {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(hint|warning):/.test(l));
  const first = lines[0] ?? `exit code ${r.code}`;
  return first.replace(/^(fatal|error): /, '').slice(0, 300);
}

/**
 * Prefix for commands that check out a whole tree (`worktree add`): parallel checkout with one
 * worker per core (git ≥ 2.32; older versions ignore the setting). File creation dominates a
 * checkout, and it halves the time of a 10,000-file worktree on a 2-core machine.
 */
export const PARALLEL_CHECKOUT = ['-c', 'checkout.workers=0'] as const;

/** The disk (or the user's quota) is full: the operation stopped, and says where. */
export class DiskFullError extends AgentError {
  constructor(where: string, cause?: unknown) {
    super('storage', `the disk is full (writing in ${where}): free some space, then try again`, { cause });
    this.name = 'DiskFullError';
  }
}

/** True when `e` (an fs error, or a DiskFullError from git's output) says the disk is full. */
export function isDiskFull(e: unknown): boolean {
  if (e instanceof DiskFullError) return true;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The error of a full disk, naming where. */
export function diskFullError(where: string, cause?: unknown): DiskFullError {
  return new DiskFullError(where, cause);
}

/** Runs git; one instance per GitWorktrees (it holds the executable and the base environment). */
export class GitCli {
  readonly gitPath: string;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private versionText: Promise<string> | undefined;

  constructor(options: GitCliOptions = {}) {
    this.gitPath = options.gitPath ?? 'git';
    const env: NodeJS.ProcessEnv = { ...process.env, ...(options.env ?? {}) };
    for (const name of SCRUBBED) delete env[name];
    for (const [name, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[name]; // undefined: unset
    this.baseEnv = { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', GIT_EDITOR: ':' };
  }

  /** `git --version`'s number, e.g. "2.39.5" (cached). Throws GitMissingError when git cannot start. */
  version(): Promise<string> {
    this.versionText ??= this.run(['--version'], { cwd: process.cwd(), timeoutMs: 10_000 }).then((r) => {
      const m = /git version (\d+\.\d+(?:\.\d+)?)/.exec(r.stdout.toString('utf8'));
      if (r.code !== 0 || !m) throw new AgentError('unknown', `"${this.gitPath} --version" did not say which git it is: ${complaint(r)}`);
      return m[1]!;
    });
    this.versionText.catch(() => { this.versionText = undefined; }); // a failed probe is retried next time
    return this.versionText;
  }

  /**
   * Runs `git args` and resolves with its exit code and output, whatever the code. A held lock
   * file is retried with a short backoff, then reported; a full disk becomes a `storage` error.
   */
  async run(args: readonly string[], call: GitCall): Promise<GitResult> {
    if (!existsSync(call.cwd)) throw new AgentError('not_found', `the folder ${call.cwd} does not exist`);
    for (let attempt = 0; ; attempt++) {
      const r = await this.once(args, call);
      if (r.code === 0) return r;
      const lock = LOCK_HELD.exec(r.stderr);
      if (lock) {
        const wait = LOCK_BACKOFF_MS[attempt];
        if (wait !== undefined && !call.signal?.aborted) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        throw new AgentError('conflict', `another git process is running in ${call.cwd}; wait for it to finish, or remove ${lock[1]} if none runs`, { retryable: true });
      }
      if (DISK_FULL.test(r.stderr)) throw diskFullError(call.cwd, new Error(complaint(r)));
      return r;
    }
  }

  /** Runs git and returns its stdout; a non-zero exit is an AgentError naming the command and git's complaint. */
  async ok(args: readonly string[], call: GitCall): Promise<Buffer> {
    const r = await this.run(args, call);
    if (r.code !== 0) throw failure(args, call.cwd, r);
    return r.stdout;
  }

  /** Like ok(), as trimmed text. */
  async text(args: readonly string[], call: GitCall): Promise<string> {
    return (await this.ok(args, call)).toString('utf8').trim();
  }

  private once(args: readonly string[], call: GitCall): Promise<GitResult> {
    const env: NodeJS.ProcessEnv = { ...this.baseEnv, ...(call.env ?? {}) };
    if (call.ceiling) env.GIT_CEILING_DIRECTORIES = path.dirname(path.resolve(call.cwd));
    const maxBytes = call.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const child = execFile(this.gitPath, [...args], {
        cwd: call.cwd, env, encoding: 'buffer', maxBuffer: maxBytes, timeout: timeoutMs, killSignal: 'SIGKILL',
        signal: call.signal, windowsHide: true,
      }, (err, stdout, stderr) => {
        const out = Buffer.isBuffer(stdout) ? stdout : Buffer.from(stdout ?? '');
        const errText = (Buffer.isBuffer(stderr) ? stderr : Buffer.from(stderr ?? '')).toString('utf8');
        if (!err) return resolve({ code: 0, stdout: out, stderr: errText, truncated: false });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (e.name === 'AbortError' || call.signal?.aborted) return reject(new AgentError('cancelled', 'Cancelled.', { cause: err }));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          if (call.truncate) return resolve({ code: 0, stdout: out.subarray(0, maxBytes), stderr: errText, truncated: true });
          return reject(new AgentError('capacity_exceeded', `git ${args[0]} printed more than ${Math.round(maxBytes / 1024 / 1024)} MiB in ${call.cwd}`, { cause: err }));
        }
        if (e.code === 'ENOENT' || e.code === 'EACCES') return reject(new GitMissingError(this.gitPath, err));
        if (e.killed) return reject(new AgentError('unknown', `git ${args[0]} took longer than ${Math.round(timeoutMs / 1000)} s in ${call.cwd} and was stopped`, { retryable: true, cause: err }));
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout: out, stderr: errText, truncated: false });
        return reject(new AgentError('unknown', `git ${args[0]} could not run in ${call.cwd}: ${e.message}`, { cause: err }));
      });
      // git may exit without reading its input (it failed early): its exit code says so, not the pipe.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(call.input);
    });
  }
}

/** The AgentError for a git command that exited non-zero. */
export function failure(args: readonly string[], cwd: string, r: GitResult): AgentError {
  return new AgentError('unknown', `git ${args[0]} failed in ${cwd}: ${complaint(r)}`);
}

/** Splits NUL-separated git output into its records (the empty tail dropped). */
export function nulRecords(out: Buffer): string[] {
  const text = out.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
