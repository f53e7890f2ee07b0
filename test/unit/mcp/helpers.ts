import { spawn } from 'node:child_process';
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

export const HTTP_SERVER = join(import.meta.dirname, 'servers', 'http-server.mjs');

/**
 * Starts servers/http-server.mjs as a child process; `close()` waits until it has exited.
 * `output(re)` resolves once the server printed a line matching `re` (e.g. /CALL slow/).
 */
export async function startHttpChild(args: string[] = []): Promise<{ base: string; pid: number; output: (re: RegExp) => Promise<void>; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [HTTP_SERVER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s: string) => { out += s; });
  const output = (re: RegExp): Promise<void> => new Promise<void>((resolve, reject) => {
    const check = (): boolean => { if (!re.test(out)) return false; child.stdout.off('data', check); child.off('exit', gone); resolve(); return true; };
    const gone = (): void => { child.stdout.off('data', check); reject(new Error(`http-server.mjs exited before printing ${re}`)); };
    if (check()) return;
    child.stdout.on('data', check);
    child.once('exit', gone);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`http-server.mjs exited with ${code}`)));
    output(/PORT (\d+)/).then(() => resolve(Number(/PORT (\d+)/.exec(out)![1])), reject);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output,
    close: async () => {
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function httpConfig(name: string, url: string, type: 'http' | 'sse' = 'http'): McpServerConfig {
  return { name, type, url, headers: {}, source: { kind: 'settings', scope: 'user' } };
}

/** Resolves on the next onDidChangeTools event. */
export function nextToolsChange(mgr: McpManager, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { d.dispose(); reject(new Error('no onDidChangeTools event')); }, timeoutMs);
    const d = mgr.onDidChangeTools(() => { clearTimeout(t); d.dispose(); resolve(); });
  });
}

/** Resolves once `pred(tool names)` holds, re-checking on every onDidChangeTools. */
export function waitTools(mgr: McpManager, pred: (names: string[]) => boolean, timeoutMs = 5000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const names = (): string[] => mgr.tools().map((t) => t.name);
    if (pred(names())) { resolve(names()); return; }
    const t = setTimeout(() => { d.dispose(); reject(new Error(`tools never matched; last ${names().join(', ')}`)); }, timeoutMs);
    const d = mgr.onDidChangeTools(() => { if (pred(names())) { clearTimeout(t); d.dispose(); resolve(names()); } });
  });
}
