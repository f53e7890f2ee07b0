import type { IDisposable } from '../base/disposable';
import type { Event } from '../base/emitter';

/**
 * Host ports used by the workspace-knowledge features (skills, rules files, MCP). They live here
 * rather than in src/core/ports.ts so that shared contract stays untouched; src/vscode implements
 * them with `workspace.createFileSystemWatcher` and `workspace.isTrusted`.
 */

/** A glob relative to a base folder (maps 1:1 onto vscode.RelativePattern). */
export interface WatchPattern {
  /** Absolute folder. */
  base: string;
  /** picomatch/VS Code glob relative to `base`, e.g. `.agents/skills/**`. */
  pattern: string;
}

/** What changed; `paths` are absolute. Implementations may coalesce several changes into one call. */
export interface FileChange {
  paths: string[];
}

/** File watching. The callback may be coalesced; consumers re-read what they care about. */
export interface FileWatcher {
  watch(patterns: readonly WatchPattern[], onChange: (change: FileChange) => void): IDisposable;
}

/** Workspace Trust (restricted mode). */
export interface WorkspaceTrust {
  isTrusted(): boolean;
  onDidChangeTrust: Event<boolean>;
}

/** A fixed trust value, for tests and hosts without Workspace Trust. */
export function staticTrust(trusted: boolean): WorkspaceTrust {
  return { isTrusted: () => trusted, onDidChangeTrust: () => ({ dispose: () => undefined }) };
}
