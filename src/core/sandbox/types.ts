/**
 * The OS sandbox for `run_command` (a port: bubblewrap on Linux, sandbox-exec on macOS, none
 * elsewhere). Inside it the session's roots are writable except the protected paths, everything
 * else is read-only, secrets folders are hidden and the network is off unless the policy says so.
 */

/** What one sandboxed command may do. All paths are absolute. */
export interface SandboxPolicy {
  /** Folders the command may write: the session's workspace roots (or its worktree). */
  writableRoots: readonly string[];
  /**
   * Paths inside the writable roots that stay read-only, whether or not they exist yet
   * (`.git/hooks`, `.git/config`, `.vscode`, `.mcp.json`, rules and skills files, `.env*`, …).
   */
  protectedPaths: readonly string[];
  /** Paths outside the roots that the command must not see at all (`~/.ssh`, `~/.aws`, …). */
  hiddenPaths: readonly string[];
  /**
   * Folders outside the roots that commands must still see, read-only, where the sandbox puts a
   * file system of its own (the private `/tmp`): the git dirs a worktree's or submodule's `.git`
   * pointer names. Absent: none.
   */
  readablePaths?: readonly string[];
  /** Network access (off by default; turned on per session by an `allow network` rule). */
  network: boolean;
}

/** Whether commands can be sandboxed here, and with what (or why not, in words for the user). */
export type SandboxAvailability =
  | { available: true; kind: 'bubblewrap' | 'sandbox-exec'; detail: string }
  | { available: false; reason: string };

/** A command ready to spawn inside the sandbox. */
export interface SandboxedSpawn {
  file: string;
  args: string[];
  /** Undo what preparing needed (temporary mount points, profile files). Idempotent; never throws. */
  cleanup(): Promise<void>;
}

/** A failure the sandbox caused, recognised in a command's output. */
export interface SandboxRefusal {
  kind: 'write' | 'network';
  /** The protected or read-only path, when the output names it (workspace-relative when inside). */
  path?: string;
  /** For the model and the card, e.g. "read-only: .git/hooks is protected; ask the user". */
  message: string;
}

export interface CommandSandbox {
  /** Probed once (and cached): can a sandbox start on this machine? */
  availability(): Promise<SandboxAvailability>;
  /** Wraps `<shell> -c <command>` so it runs inside the sandbox with `policy`, in `cwd`. */
  prepare(command: { shell: string; command: string; cwd: string }, policy: SandboxPolicy): Promise<SandboxedSpawn>;
}
