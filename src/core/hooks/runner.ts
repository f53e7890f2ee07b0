/**
 * Runs one hook command as Claude Code does: `/bin/sh -c <command>` with the event's JSON on
 * stdin and `CLAUDE_PROJECT_DIR` set, in its own process group (killed whole at the time limit
 * or on cancel), inside the OS sandbox when the session's commands are sandboxed, output capped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { CommandSandbox, SandboxPolicy } from '../sandbox/types';
import { DEFAULT_HOOK_TIMEOUT_S, type HookCommand } from './types';

/** Characters kept of each of stdout and stderr. */
export const HOOK_OUTPUT_CAP = 64_000;

/** How a hook command ended. */
export interface HookProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** It could not start (no shell, the sandbox could not start). */
  startError?: string;
  durationMs: number;
}

export interface HookRunOptions {
  /** The folder it runs in (the session's root). */
  cwd: string;
  /** Run inside this sandbox with this policy (the session's commands are sandboxed). */
  sandbox?: { sandbox: CommandSandbox; policy: SandboxPolicy };
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL, ms. Default 1000. */
  killGraceMs?: number;
  shell?: string;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/** Appends `chunk` to `acc` up to the cap. */
function capped(acc: string, chunk: Buffer): string {
  return acc.length >= HOOK_OUTPUT_CAP ? acc : (acc + chunk.toString('utf8')).slice(0, HOOK_OUTPUT_CAP);
}

/** Runs `hook` with `input` as its stdin JSON. Never throws. */
export async function runHookProcess(hook: HookCommand, input: Record<string, unknown>, options: HookRunOptions): Promise<HookProcessResult> {
  const started = Date.now();
  const shell = options.shell ?? '/bin/sh';
  const timeoutMs = (hook.timeoutSec ?? DEFAULT_HOOK_TIMEOUT_S) * 1000;
  const base = { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, cancelled: false };
  if (options.signal?.aborted) return { ...base, cancelled: true, durationMs: 0 };
  let file = shell;
  let args = ['-c', hook.command];
  let cleanup: (() => Promise<void>) | undefined;
  if (options.sandbox) {
    try {
      const prepared = await options.sandbox.sandbox.prepare({ shell, command: hook.command, cwd: options.cwd }, options.sandbox.policy);
      ({ file, args } = prepared);
      cleanup = () => prepared.cleanup();
    } catch (e) {
      return { ...base, startError: `the sandbox could not start (${e instanceof Error ? e.message : String(e)}); the hook was not run`, durationMs: Date.now() - started };
    }
  }
  try {
    return await new Promise<HookProcessResult>((resolve) => {
      const child = spawn(file, args, {
        cwd: options.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, CLAUDE_PROJECT_DIR: hook.root },
      });
      let stdout = '';
      let stderr = '';
      let reason: 'timeout' | 'cancel' | undefined;
      let grace: NodeJS.Timeout | undefined;
      const stop = (why: 'timeout' | 'cancel'): void => {
        if (reason) return;
        reason = why;
        killGroup(child, 'SIGTERM');
        grace = setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs ?? 1000);
      };
      const timer = setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = (): void => stop('cancel');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (d: Buffer) => { stdout = capped(stdout, d); });
      child.stderr.on('data', (d: Buffer) => { stderr = capped(stderr, d); });
      child.stdin.on('error', () => { /* the hook did not read its input: fine */ });
      child.stdin.end(JSON.stringify(input));
      let done = false;
      const finish = (r: Omit<HookProcessResult, 'durationMs' | 'stdout' | 'stderr' | 'timedOut' | 'cancelled'>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        // Nothing of its group survives a kill or a linger (background children holding the pipes).
        if (reason || lingered) killGroup(child, 'SIGKILL');
        if (grace) clearTimeout(grace);
        resolve({ ...r, stdout, stderr, timedOut: reason === 'timeout', cancelled: reason === 'cancel', durationMs: Date.now() - started });
      };
      child.on('error', (e) => finish({ exitCode: null, signal: null, startError: e.message }));
      let linger: NodeJS.Timeout | undefined;
      let lingered = false;
      child.on('exit', (code, signal) => {
        // A background process may hold the pipes open: do not wait for it long.
        linger = setTimeout(() => { lingered = true; finish({ exitCode: code, signal }); }, 300);
      });
      child.on('close', (code, signal) => { if (linger) clearTimeout(linger); finish({ exitCode: code, signal }); });
    });
  } finally {
    await cleanup?.();
  }
}
