/** Picks the command sandbox for this platform: bubblewrap on Linux, sandbox-exec on macOS. */
import { BubblewrapSandbox, type BubblewrapOptions } from './bubblewrap';
import { SandboxUnavailableError } from './errors';
import { SeatbeltSandbox } from './seatbelt';
import type { CommandSandbox, SandboxAvailability, SandboxedSpawn, SandboxPolicy } from './types';

/** A sandbox that never starts, with the reason (Windows, other platforms). */
export class UnavailableSandbox implements CommandSandbox {
  constructor(private readonly reason: string) {}

  availability(): Promise<SandboxAvailability> {
    return Promise.resolve({ available: false, reason: this.reason });
  }

  prepare(_command: { shell: string; command: string; cwd: string }, _policy: SandboxPolicy): Promise<SandboxedSpawn> {
    return Promise.reject(new SandboxUnavailableError(this.reason));
  }
}

export interface CreateSandboxOptions {
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Linux only: bubblewrap options (its path, the placeholder registry). */
  bubblewrap?: BubblewrapOptions;
}

/**
 * The platform's {@link CommandSandbox}. Nothing is probed here: `availability()` probes once,
 * on first use, and says in words for the user why a sandbox cannot start.
 */
export function createCommandSandbox(options: CreateSandboxOptions = {}): CommandSandbox {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux') return new BubblewrapSandbox(options.bubblewrap);
  if (platform === 'darwin') return new SeatbeltSandbox();
  if (platform === 'win32') return new UnavailableSandbox('commands cannot be sandboxed on Windows yet (no OS sandbox is supported there); they run only with approval');
  return new UnavailableSandbox(`commands cannot be sandboxed on ${platform} (only Linux with bubblewrap and macOS are supported)`);
}
