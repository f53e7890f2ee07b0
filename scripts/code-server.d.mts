// Types for scripts/code-server.mjs, so the TypeScript e2e harness can import it.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export function cacheRoot(): string;
export function codeServerDir(): string;
export function codeServerEntry(): string;
export function ensureCodeServer(): Promise<{ dir: string; entry: string; installedNow: boolean; seconds: number }>;
export function installExtension(vsix: string, dirs: { userDataDir: string; extensionsDir: string }): string;
export function freePort(): Promise<number>;
/** Polls until `check` returns a truthy value, which it resolves with. */
export function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<Exclude<T, undefined | null | false | 0 | "">>;
export function killTree(pid: number, graceMs?: number): Promise<void>;
export function killTreeNow(pid: number): void;
export interface ServeOptions {
  folder: string;
  port?: number;
  userDataDir: string;
  extensionsDir: string;
  /** false: leave workspace trust on (restricted mode until the user trusts the folder). */
  trust?: boolean;
  env?: Record<string, string>;
  extraArgs?: string[];
}
export interface Served {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
  output(): string;
}
export function serve(o: ServeOptions): Promise<Served>;
