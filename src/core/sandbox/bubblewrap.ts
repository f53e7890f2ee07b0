/**
 * The Linux sandbox: each command runs under bubblewrap (`bwrap`), driven directly.
 *
 * Why bubblewrap directly and not @anthropic-ai/sandbox-runtime (read at 0.0.83): that library
 * is one process-wide `SandboxManager` configured once (our sessions each have their own roots
 * and network setting), derives its mandatory denies from `process.cwd()` (the extension host's,
 * not the session's), ships 12 MB with vendored seccomp, Windows and Java binaries plus a
 * MITM proxy (node-forge), needs socat, and has had 80+ releases at 0.0.x. What we need — a
 * read-only root, writable roots, protected and hidden paths, network on/off — is a few dozen
 * bwrap arguments (bench B10: ~20 ms added per command here, about half of it the placeholders'
 * mkdir/rmdir on this disk) and is testable here. We took its best idea
 * (a placeholder mount point for protected paths that do not exist yet) and fixed two gaps we
 * found testing it: renaming a protected path's parent (pins, see mount-plan.ts) and git's
 * `commondir` redirect (policy.ts). Domain-filtered network (its proxy) is the one feature we
 * do not have: the network is all or nothing.
 *
 * The sandbox: `/` read-only, a fresh `/dev`, `/proc` of a new PID namespace (no other
 * process's environment is visible), a private `/tmp`, the roots writable, protected paths
 * read-only on top, hidden paths masked (empty read-only tmpfs, or /dev/null which `nodev`
 * makes unreadable), no network namespace unless allowed, every capability dropped (bwrap
 * started by root keeps them otherwise, and the command could simply `umount` a protection),
 * `--die-with-parent`. The caller spawns bwrap `detached` (its own session and process group,
 * so no terminal to inject into and one group to kill); when the command's shell exits, the
 * PID namespace ends and takes any background process with it.
 *
 * Known limits: a protected path that is itself a symlink (AGENTS.md -> CLAUDE.md) has its
 * target protected, but the link can be removed and replaced (a mount cannot sit on a link);
 * a command can create a nested repository (`sub/.git/config`) that host tools may run; caches
 * outside the roots (~/.cache, ~/.npm) are read-only; `git init` fails in a folder without .git.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { SandboxUnavailableError } from './errors';
import { isWithin } from './paths';
import { planMounts } from './mount-plan';
import { mountPoints, type MountPointRegistry } from './mount-points';
import type { CommandSandbox, SandboxAvailability, SandboxedSpawn, SandboxPolicy } from './types';

export interface BubblewrapOptions {
  /** The bwrap binary: a path, or a name looked up on PATH. Default `bwrap`. */
  bwrapPath?: string;
  /** Placeholder registry (tests pass their own). Default: the process-wide one. */
  registry?: MountPointRegistry;
  /** Probe timeout, ms. Default 5000. */
  probeTimeoutMs?: number;
}

/** The namespace flags every command gets (the probe uses the same ones). */
const NAMESPACES = ['--unshare-pid', '--die-with-parent', '--cap-drop', 'ALL'];

function run(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string; err?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      const out = `${stdout}${stderr}`.trim();
      if (e && typeof e.code === 'string') resolve({ code: null, out, err: e });
      else resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out });
    });
  });
}

/** Words for a user when bwrap exists but cannot start a sandbox. */
export function explainStartFailure(output: string): string {
  const text = output.replace(/\s+/g, ' ').trim() || 'no message';
  if (/user namespace|uid map|setting up uid|No permissions to creat|Operation not permitted|unprivileged/i.test(text)) {
    return `bubblewrap cannot create a user namespace here: ${text}. Unprivileged user namespaces may be disabled (on Ubuntu 23.10+ AppArmor restricts them: kernel.apparmor_restrict_unprivileged_userns), or this runs in a container that forbids them.`;
  }
  return `bubblewrap cannot start a sandbox here: ${text}`;
}

/** {@link CommandSandbox} on bubblewrap. Probes once (lazily) and caches the answer. */
export class BubblewrapSandbox implements CommandSandbox {
  private probe?: Promise<SandboxAvailability>;
  private resolvedPath?: string;

  constructor(private readonly options: BubblewrapOptions = {}) {}

  availability(): Promise<SandboxAvailability> {
    this.probe ??= this.doProbe();
    return this.probe;
  }

  private async doProbe(): Promise<SandboxAvailability> {
    const bwrap = this.options.bwrapPath ?? 'bwrap';
    const timeout = this.options.probeTimeoutMs ?? 5000;
    const version = await run(bwrap, ['--version'], timeout);
    if (version.err?.code === 'ENOENT') {
      return { available: false, reason: this.options.bwrapPath ? `bubblewrap was not found at ${bwrap}` : 'bubblewrap is not installed (apt install bubblewrap, or dnf install bubblewrap)' };
    }
    if (version.err) return { available: false, reason: `bubblewrap could not be run (${bwrap}): ${version.err.message}` };
    const start = await run(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', ...NAMESPACES, '--', 'true'], timeout);
    if (start.err || start.code !== 0) return { available: false, reason: explainStartFailure(start.err?.message ?? start.out) };
    this.resolvedPath = bwrap;
    const detail = `${version.out.split('\n')[0] || 'bubblewrap'} (${bwrap})`;
    return { available: true, kind: 'bubblewrap', detail };
  }

  async prepare(command: { shell: string; command: string; cwd: string }, policy: SandboxPolicy): Promise<SandboxedSpawn> {
    const availability = await this.availability();
    if (!availability.available) throw new SandboxUnavailableError(availability.reason);
    const plan = planMounts(policy);
    const cwd = realpathSync(command.cwd);
    if (!plan.roots.some((r) => isWithin(cwd, r))) {
      throw new SandboxUnavailableError(`the working folder ${command.cwd} is not inside a writable root of the sandbox`);
    }
    const lease = (this.options.registry ?? mountPoints).acquire(plan.placeholders);
    const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
    for (const m of plan.mounts) {
      if (m.kind === 'writable' || m.kind === 'pin') args.push('--bind', m.path, m.path);
      else if (m.kind === 'read-only') args.push('--ro-bind', m.path, m.path);
      else if (isWithin(m.path, '/tmp') && !plan.roots.some((r) => isWithin(m.path, r))) continue; // the private /tmp hides it already
      else if (m.kind === 'hide-dir') args.push('--tmpfs', m.path, '--remount-ro', m.path);
      else args.push('--ro-bind', '/dev/null', m.path);
    }
    if (!policy.network) args.push('--unshare-net');
    args.push(...NAMESPACES, '--setenv', 'TMPDIR', '/tmp', '--chdir', cwd, '--', command.shell, '-c', command.command);
    return {
      file: this.resolvedPath ?? 'bwrap',
      args,
      cleanup: () => {
        lease.release();
        return Promise.resolve();
      },
    };
  }
}
