/** The official @modelcontextprotocol/server-everything over stdio, run by a real McpManager. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { McpManager } from '../../../src/core/mcp/manager';
import { MemoryApprovalStore, type McpServerConfig } from '../../../src/core/mcp/types';
import { nullLogger } from '../../../src/core/ports';
import { staticTrust } from '../../../src/core/skills/workspace-ports';

const require = createRequire(import.meta.url);
/** dist/index.js of the installed server-everything package. */
export const EVERYTHING = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

export function everythingConfig(name = 'everything'): McpServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: {}, source: { kind: 'settings', scope: 'user' } };
}

/** A manager running server-everything; resolves once the tools that need client capabilities are listed. */
export async function startEverything(opts: { roots?: string[]; workspaceRoot?: string; tools?: string[] } = {}): Promise<McpManager> {
  const mgr = new McpManager({
    workspaceRoot: opts.workspaceRoot ?? '/tmp', trust: staticTrust(true), approvalStore: new MemoryApprovalStore(), logger: nullLogger,
    approval: { confirmStart: async () => true }, ...(opts.roots ? { roots: opts.roots } : {}),
  });
  const want = opts.tools ?? ['mcp__everything__trigger-elicitation-request', 'mcp__everything__trigger-sampling-request', 'mcp__everything__get-roots-list'];
  const ready = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server-everything did not list ${want.join(', ')}; has ${mgr.tools().map((x) => x.name).join(', ')}`)), 20_000);
    const check = (): void => {
      const names = new Set(mgr.tools().map((x) => x.name));
      if (want.every((n) => names.has(n))) { clearTimeout(t); d.dispose(); resolve(); }
    };
    const d = mgr.onDidChangeTools(check);
    check();
  });
  await mgr.add(everythingConfig());
  await ready;
  return mgr;
}
