import { join } from 'node:path';
import { McpManager, type McpManagerOptions } from '../../../src/core/mcp/manager';
import { MemoryApprovalStore, type McpServerConfig, type McpServerStatus } from '../../../src/core/mcp/types';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { nullLogger } from '../../../src/core/ports';
import type { ToolContext } from '../../../src/core/tools/types';

export const SERVER = join(import.meta.dirname, 'servers', 'test-server.mjs');

export function stdioConfig(name: string, extraArgs: string[] = [], scope: 'user' | 'workspace' = 'user'): McpServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: [SERVER, ...extraArgs], env: {}, source: scope === 'user' ? { kind: 'settings', scope } : { kind: 'vscode-mcp-json', scope, path: '/ws/.vscode/mcp.json' } };
}

export function manager(opts: Partial<McpManagerOptions> = {}): { mgr: McpManager; asked: string[]; store: MemoryApprovalStore } {
  const asked: string[] = [];
  const store = new MemoryApprovalStore();
  const mgr = new McpManager({
    workspaceRoot: '/tmp', trust: staticTrust(true), approvalStore: store, logger: nullLogger,
    approval: { confirmStart: async (r) => { asked.push(r.summary); return true; } },
    ...opts,
  });
  return { mgr, asked, store };
}

/** Resolves when `name` reaches a status matching `pred` (checks the current one first). */
export function waitStatus(mgr: McpManager, name: string, pred: (s: McpServerStatus) => boolean, timeoutMs = 10_000): Promise<McpServerStatus> {
  return new Promise((resolve, reject) => {
    const now = mgr.status(name);
    if (now && pred(now)) { resolve(now); return; }
    const t = setTimeout(() => { d.dispose(); reject(new Error(`timeout waiting for ${name}; last ${JSON.stringify(mgr.status(name))}`)); }, timeoutMs);
    const d = mgr.onDidChangeStatus((e) => { if (e.name === name && pred(e.status)) { clearTimeout(t); d.dispose(); resolve(e.status); } });
  });
}

export function ctx(signal = new AbortController().signal): ToolContext {
  return { sessionId: 's', callId: 'c', workspaceRoots: ['/tmp'], signal, onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger };
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (!alive(pid)) return true; await new Promise((r) => setTimeout(r, 25)); }
  return !alive(pid);
}
