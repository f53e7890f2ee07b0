/** The command sandbox: the port (types), its Linux and macOS back-ends, the default policy, refusals. */
export type { CommandSandbox, SandboxAvailability, SandboxedSpawn, SandboxPolicy, SandboxRefusal } from './types';
export { createCommandSandbox, UnavailableSandbox, type CreateSandboxOptions } from './create';
export { BubblewrapSandbox, type BubblewrapOptions } from './bubblewrap';
export { SeatbeltSandbox, seatbeltProfile } from './seatbelt';
export { SandboxUnavailableError } from './errors';
export { defaultSandboxPolicy, DEFAULT_HIDDEN, DEFAULT_PROTECTED, type DefaultPolicyInput } from './policy';
export { findSandboxRefusal, RefusalScanner, sandboxStartFailure } from './refusal';
