/**
 * Asking before a workspace-defined MCP server starts, and remembering the answer.
 * The MCP manager asks once per config hash (command, args, env, cwd; transport, URL, headers):
 * when any of them changes it asks again. "Allow" / "Don't allow" are remembered in `workspaceState` (a few hashes, no history);
 * dismissing the dialog (Escape) only holds for this window, so the next window asks again.
 * No 'vscode' import: the host passes `window.showWarningMessage` and `context.workspaceState`.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { McpApprovalPort, McpApprovalStore, McpConfigSource } from '../../core/mcp/types';

export const ALLOW = 'Allow';
export const DONT_ALLOW = "Don't allow";

/** `window.showWarningMessage` with the modal option. */
export type ShowModalWarning = (message: string, options: { modal: true; detail?: string }, ...items: string[]) => PromiseLike<string | undefined>;

/** The slice of `vscode.Memento` we use. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The workspaceState key holding every answer: `{ [approvalKey]: boolean }`. */
export const APPROVALS_KEY = 'agentSessions.mcpApprovals';

/** Approval keys are `mcp-approval:<server>:<hash>` (src/core/mcp/manager.ts). */
function serverOf(key: string): string | undefined {
  const m = /^mcp-approval:(.*):[^:]+$/.exec(key);
  return m?.[1];
}

/** Both ports in one object, so a dismissed dialog can skip persisting its "no". */
export class McpStartApprovals implements McpApprovalPort, McpApprovalStore {
  /** Answers that hold for this window only (dismissed dialogs). */
  private readonly session = new Map<string, boolean>();
  /** Servers whose last dialog was dismissed rather than answered. */
  private readonly dismissed = new Set<string>();

  constructor(
    private readonly show: ShowModalWarning,
    private readonly memento: MementoLike,
    private readonly workspaceRoot: string | undefined,
  ) {}

  async confirmStart(request: { name: string; source: McpConfigSource; summary: string }): Promise<boolean> {
    const file = request.source.path ? this.label(request.source.path) : 'settings';
    const pick = await this.show(
      `Start MCP server "${request.name}" from ${file}? It runs: ${request.summary}`,
      { modal: true, detail: 'The server runs with your permissions. You are asked again if its command, arguments, environment, folder, URL or headers change.' },
      ALLOW, DONT_ALLOW,
    );
    if (pick === undefined) this.dismissed.add(request.name);
    else this.dismissed.delete(request.name);
    return pick === ALLOW;
  }

  get(key: string): boolean | undefined {
    const v = this.all()[key];
    return typeof v === 'boolean' ? v : this.session.get(key);
  }

  async set(key: string, value: boolean): Promise<void> {
    const server = serverOf(key);
    if (!value && server !== undefined && this.dismissed.has(server)) {
      this.session.set(key, value);
      return;
    }
    await this.memento.update(APPROVALS_KEY, { ...this.all(), [key]: value });
  }

  /** Forgets every answer for a server (e.g. "Allow…" from Show MCP Servers after a "Don't allow"). */
  async forget(server: string): Promise<void> {
    for (const k of [...this.session.keys()]) if (serverOf(k) === server) this.session.delete(k);
    const kept = Object.fromEntries(Object.entries(this.all()).filter(([k]) => serverOf(k) !== server));
    await this.memento.update(APPROVALS_KEY, kept);
  }

  /** Workspace-relative inside the workspace; absolute elsewhere (a session's worktree), so the dialog says which folder. */
  private label(file: string): string {
    if (!this.workspaceRoot) return file;
    const rel = relative(this.workspaceRoot, file);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
    return rel.split(sep).join('/');
  }

  private all(): Record<string, unknown> {
    const v = this.memento.get<unknown>(APPROVALS_KEY);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};
  }
}
