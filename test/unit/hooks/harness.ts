/**
 * Hooks through the whole engine: a temp workspace with `.claude/settings.json` and real hook
 * scripts (node, reading the event's JSON on stdin), the real SessionManager, run_command and
 * permission engine, driven by the fake LLM.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import type { AnyTool } from '../../../src/core/tools/types';
import { WorkspaceHooks } from '../../../src/core/hooks/workspace-hooks';
import { FileHookSource } from '../../../src/core/hooks/config';
import { MemoryHookApprovals } from '../../../src/core/hooks/approval';
import type { SessionManagerDeps } from '../../../src/core/session/manager-deps';
import { nullLogger } from '../../../src/core/ports';

/** `echo` (a read tool: no approval in ask mode). */
export const echoTool: AnyTool = {
  name: 'echo', kind: 'read', description: 'echo test tool',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
  validate: (args) => (typeof args === 'object' && args !== null ? { ok: true, value: args as Record<string, unknown> } : { ok: false, error: 'args must be an object' }),
  describe: async (args) => ({ summary: `echo ${JSON.stringify(args)}` }),
  execute: async (args) => ({ content: `echo:${String(args.text)}` }),
};

/** A hook script body; `input` (the parsed stdin) is in scope, and it is logged to `<name>.log`. */
export function hookScript(name: string, body: string): string {
  return `import { appendFileSync } from 'node:fs';
let raw = '';
for await (const c of process.stdin) raw += c;
const input = JSON.parse(raw);
try { appendFileSync(new URL('./${name}.log', import.meta.url), JSON.stringify({ input, env: process.env.CLAUDE_PROJECT_DIR }) + '\\n'); } catch { /* read-only in the sandbox */ }
${body}
`;
}

export interface HookWorld {
  h: Harness;
  ws: string;
  approvals: MemoryHookApprovals;
  /** What a hook logged: its stdin inputs, in order. */
  inputs(name: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface HookSpec { event: string; matcher?: string; name: string; body: string; timeout?: number }

/** A workspace whose `.claude/settings.json` runs `hooks` (scripts written to `.claude/hooks/`). */
export async function hookWorld(fake: FakeLlm, hooks: HookSpec[], options: {
  approve?: boolean; trusted?: boolean; deps?: Partial<SessionManagerDeps>; base?: string;
} = {}): Promise<HookWorld> {
  const ws = realpathSync(mkdtempSync(path.join(options.base ?? tmpdir(), 'hooks-ws-')));
  mkdirSync(path.join(ws, '.claude/hooks'), { recursive: true });
  const settings: Record<string, { matcher?: string; hooks: unknown[] }[]> = {};
  for (const spec of hooks) {
    writeFileSync(path.join(ws, '.claude/hooks', `${spec.name}.mjs`), hookScript(spec.name, spec.body));
    const command = `"${process.execPath}" "$CLAUDE_PROJECT_DIR/.claude/hooks/${spec.name}.mjs"`;
    (settings[spec.event] ??= []).push({
      ...(spec.matcher !== undefined ? { matcher: spec.matcher } : {}),
      hooks: [{ type: 'command', command, ...(spec.timeout !== undefined ? { timeout: spec.timeout } : {}) }],
    });
  }
  writeFileSync(path.join(ws, '.claude/settings.json'), JSON.stringify({ hooks: settings }, null, 2));
  const approvals = new MemoryHookApprovals(() => options.approve ?? true);
  const seams = new WorkspaceHooks({ source: new FileHookSource(), approvals, logger: nullLogger });
  fake.reset();
  const h = await startHarness({
    fake,
    deps: {
      tools: new ToolRegistry([createRunCommandTool(), echoTool]), workspaceRoots: [ws],
      isWorkspaceTrusted: () => options.trusted ?? true,
      callHooks: [seams], turnHooks: [seams],
      ...options.deps,
    },
  });
  return {
    h, ws, approvals,
    inputs: (name) => {
      const file = path.join(ws, '.claude/hooks', `${name}.log`);
      return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
    },
    close: async () => { await h.close(); rmSync(ws, { recursive: true, force: true }); },
  };
}
