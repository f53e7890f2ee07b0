/** Errors of the sandbox back-ends. */

/**
 * Thrown by `CommandSandbox.prepare` when no sandbox can start (not installed, user namespaces
 * disabled, the working folder outside the roots, …). The command must then not run at all:
 * the caller reports `reason` instead of running it unsandboxed.
 */
export class SandboxUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SandboxUnavailableError';
  }
}
