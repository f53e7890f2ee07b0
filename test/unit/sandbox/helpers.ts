/** Shared fixtures for the sandbox tests: a real git workspace, folders outside /tmp, bwrap. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { BubblewrapSandbox } from '../../../src/core/sandbox/bubblewrap';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import type { SandboxPolicy } from '../../../src/core/sandbox/types';
import type { CommandSandbox } from '../../../src/core/sandbox/types';
import type { ToolResult } from '../../../src/core/tools/types';
import { makeCtx } from '../tools/helpers';

/**
 * A temp folder OUTSIDE /tmp: the sandbox has a private /tmp, so anything under the host's
 * /tmp is simply absent inside and would prove nothing about read-only or hidden paths.
 */
export function outsideTmp(prefix: string): { dir: string; cleanup: () => void } {
  for (const base of ['/var/tmp', process.cwd()]) {
    try {
      const dir = realpathSync(mkdtempSync(path.join(base, prefix)));
      return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    } catch {
      // not writable here: try the next base
    }
  }
  throw new Error('no writable folder outside /tmp');
}

/** `git init` in `dir` with an identity, so commits work inside the sandbox too. */
export function gitInit(dir: string): void {
  const r = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git init failed: ${r.stderr}`);
  spawnSync('git', ['-C', dir, 'config', 'user.email', 'test@example.invalid']);
  spawnSync('git', ['-C', dir, 'config', 'user.name', 'Sandbox Test']);
}

let shared: Promise<{ sandbox: CommandSandbox; skip?: string }> | undefined;

/**
 * The real bubblewrap sandbox, installing bubblewrap through the project's setup script when it
 * is missing. `skip` is set only when bwrap cannot run here and could not be installed.
 */
export function realBubblewrap(): Promise<{ sandbox: CommandSandbox; skip?: string }> {
  shared ??= (async () => {
    let sandbox = new BubblewrapSandbox();
    let availability = await sandbox.availability();
    if (!availability.available && process.platform === 'linux') {
      const setup = spawnSync(process.execPath, [path.join(import.meta.dirname, '../../../scripts/ensure-system-deps.mjs')], { encoding: 'utf8' });
      sandbox = new BubblewrapSandbox();
      availability = await sandbox.availability();
      if (!availability.available) return { sandbox, skip: `bubblewrap cannot run here and could not be installed: ${availability.reason} (setup said: ${`${setup.stdout}${setup.stderr}`.trim().slice(-300)})` };
    }
    return availability.available ? { sandbox } : { sandbox, skip: availability.reason };
  })();
  return shared;
}

/** Runs `command` through run_command inside `sandbox` with `policy` (root = the policy's first root). */
export async function runSandboxed(sandbox: CommandSandbox, policy: SandboxPolicy, command: string, extra: { cwd?: string; timeoutSeconds?: number; signal?: AbortSignal } = {}): Promise<ToolResult> {
  const ctx = makeCtx(policy.writableRoots[0]!, extra.signal);
  ctx.sandbox = { sandbox, policy };
  return createRunCommandTool({ killGraceMs: 300 }).execute({ command, cwd: extra.cwd, timeoutSeconds: extra.timeoutSeconds }, ctx);
}

/** Host pids of processes whose command line contains `marker` (seen from outside any sandbox). */
export function pidsWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').includes(marker)) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out.filter((pid) => pid !== process.pid);
}

/** Polls until `check` holds; throws after `ms`. */
export async function eventually(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not reached in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
