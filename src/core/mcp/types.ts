import type { SerializedError } from '../base/errors';

/** Where a server definition came from (shown in the UI). Workspace-scoped ones need trust and approval. */
export interface McpConfigSource {
  kind: 'vscode-mcp-json' | 'mcp-json' | 'settings';
  scope: 'workspace' | 'user';
  /** Absolute path of the file that defined it, when from a file. */
  path?: string;
}

interface McpServerBase {
  /** Unique server name (the key in the config file). */
  name: string;
  source: McpConfigSource;
  /** Globally disabled in the config/settings. */
  disabled?: boolean;
  /** Per-server call timeout override, ms. */
  callTimeoutMs?: number;
}

/** Unresolved strings: may contain ${workspaceFolder}, ${env:X}, ${input:id}. */
export interface McpStdioServerConfig extends McpServerBase {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface McpHttpServerConfig extends McpServerBase {
  /** `http` = Streamable HTTP with SSE fallback; `sse` = the older SSE transport only. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

/** A `${input:id}` declaration from .vscode/mcp.json `inputs`. */
export interface McpInputDefinition {
  id: string;
  type: string;
  description?: string;
  password?: boolean;
  default?: string;
}

export type McpServerStatus =
  | { state: 'stopped' }
  | { state: 'starting'; attempt: number }
  /** `transport`: the wire in use — `sse` also when an `http` server fell back to the old SSE transport. */
  | { state: 'connected'; toolCount: number; pid?: number; transport?: 'stdio' | 'http' | 'sse' }
  | { state: 'failed'; error: SerializedError; stderrTail: string[]; attempts: number; restartInMs?: number }
  /**
   * A connected HTTP server was lost (it restarted and forgot the session, or stopped answering):
   * in-flight calls failed, and it is being re-initialised with backoff. `attempt` of `maxAttempts`;
   * `retryInMs` while waiting for the next attempt (absent while an attempt runs).
   */
  | { state: 'reconnecting'; attempt: number; maxAttempts: number; retryInMs?: number; error: SerializedError }
  | { state: 'disabled' }
  | { state: 'blocked'; reason: 'untrusted' | 'not_approved'; message: string };

/** What the UI lists per server. */
export interface McpServerInfo {
  name: string;
  type: McpServerConfig['type'];
  source: McpConfigSource;
  status: McpServerStatus;
  /** Namespaced tool names (`mcp__server__tool`) while connected. */
  tools: string[];
}

/** Host port: "Start MCP server X from .vscode/mcp.json? (command …)". Called at most once per config hash. */
export interface McpApprovalPort {
  confirmStart(request: { name: string; source: McpConfigSource; summary: string }): Promise<boolean>;
}

/** Host port: a tiny persistent key/value store for approval answers (workspace state in VS Code). */
export interface McpApprovalStore {
  get(key: string): boolean | undefined;
  set(key: string, value: boolean): Promise<void>;
}

/** Host port: resolves `${input:id}` (VS Code prompts and remembers; secrets go to SecretStorage). */
export interface McpInputResolver {
  resolve(serverName: string, input: McpInputDefinition | undefined, id: string): Promise<string | undefined>;
}

/** An in-memory approval store (tests; hosts without persistence). */
export class MemoryApprovalStore implements McpApprovalStore {
  readonly values = new Map<string, boolean>();
  get(key: string): boolean | undefined { return this.values.get(key); }
  async set(key: string, value: boolean): Promise<void> { this.values.set(key, value); }
}
