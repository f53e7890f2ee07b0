/**
 * Test harness for the session engine: the real SessionManager with the real providers talking
 * to the fake LLM server, the real PermissionEngine, and tiny tools registered here.
 */
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { SessionManager, type SessionManagerDeps } from '../../../src/core/session/manager';
import type { SessionEvent, SessionEventType, EventOf } from '../../../src/core/session/events';
import type { PermissionRule } from '../../../src/core/session/types';
import type { SessionStore } from '../../../src/core/store/types';
import { MemorySessionStore } from '../../../src/core/store/memory-store';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createUpdateTasksTool } from '../../../src/core/tools/update-tasks';
import type { AnyTool, ToolDefinition } from '../../../src/core/tools/types';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import { createProvider } from '../../../src/core/providers/factory';
import { nullLogger, systemClock } from '../../../src/core/ports';

export const FAKE_KEY = 'sk-test-SECRET123';

function tool(name: string, kind: AnyTool['kind'], run: ToolDefinition['execute']): AnyTool {
  return {
    name, kind, description: `${name} test tool`,
    inputSchema: { type: 'object', properties: { text: { type: 'string' }, ms: { type: 'number' } } },
    validate: (args) => (typeof args === 'object' && args !== null ? { ok: true, value: args as Record<string, unknown> } : { ok: false, error: 'args must be an object' }),
    describe: async (args) => ({ summary: `${name} ${JSON.stringify(args)}`, target: typeof args.text === 'string' ? args.text : undefined }),
    execute: run,
  };
}

/** Waits `ms` or until aborted (then throws). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
  });
}

/** echo (read), slow (read; waits args.ms), cmd (command: asks in mode ask), and the real update_tasks. */
export function testTools(): ToolRegistry {
  return new ToolRegistry([
    tool('echo', 'read', async (args) => ({ content: `echo:${String(args.text)}` })),
    tool('slow', 'read', async (args, ctx) => {
      ctx.onOutput('working…');
      await sleep(Number(args.ms ?? 100), ctx.signal);
      return { content: 'slow done' };
    }),
    tool('cmd', 'command', async (args) => ({ content: `ran ${String(args.text)}` })),
    createUpdateTasksTool(),
  ]);
}

export interface Harness {
  fake: FakeLlm;
  manager: SessionManager;
  store: SessionStore;
  events: SessionEvent[];
  hostRules: PermissionRule[];
  /** Next event of `type` (optionally matching) recorded from now on or already seen after `fromIndex`. */
  waitFor<T extends SessionEventType>(type: T, pred?: (e: EventOf<T>) => boolean, fromIndex?: number): Promise<EventOf<T>>;
  of(sessionId: string): SessionEvent[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  store?: SessionStore;
  fake?: FakeLlm;
  deps?: Partial<SessionManagerDeps>;
}

export async function makeManager(fake: FakeLlm, store: SessionStore, extra: Partial<SessionManagerDeps> = {}, hostRules: PermissionRule[] = []): Promise<SessionManager> {
  const manager = new SessionManager({
    store, createProvider, secrets: { getApiKey: async () => FAKE_KEY }, tools: testTools(), permissions: new PermissionEngine(),
    ruleSink: { saveRule: async (rule) => { hostRules.push(rule); } }, hostRules: () => hostRules,
    workspaceRoots: ['/tmp/agent-sessions-test-ws'], isWorkspaceTrusted: () => true, logger: nullLogger, clock: systemClock,
    maxRunningSessions: 8,
    providerProfiles: { openai: { kind: 'openai', baseUrl: fake.openaiBaseUrl }, anthropic: { kind: 'anthropic', baseUrl: fake.anthropicBaseUrl } },
    defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'ask', streamIdleTimeoutMs: 5_000 },
    ...extra,
  });
  await manager.init();
  return manager;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? await startFakeLlm();
  const store = options.store ?? new MemorySessionStore();
  const hostRules: PermissionRule[] = [];
  const manager = await makeManager(fake, store, options.deps, hostRules);
  const events: SessionEvent[] = [];
  const waiters: Array<() => void> = [];
  manager.onEvent((e) => { events.push(e); for (const w of waiters.splice(0)) w(); });
  const waitFor = <T extends SessionEventType>(type: T, pred: (e: EventOf<T>) => boolean = () => true, fromIndex = 0): Promise<EventOf<T>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), 10_000);
      const check = (): void => {
        const hit = events.slice(fromIndex).find((e): e is EventOf<T> => e.type === type && pred(e as EventOf<T>));
        if (hit) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
      };
      check();
    });
  return {
    fake, manager, store, events, hostRules, waitFor,
    of: (id) => events.filter((e) => e.sessionId === id),
    close: async () => { await manager.dispose(); if (!options.fake) await fake.close(); },
  };
}
