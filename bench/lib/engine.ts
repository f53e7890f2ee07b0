/**
 * The real SessionManager wired for benchmarks: real store (passed in), real PermissionEngine,
 * real providers talking to the fake LLM server (or an in-process provider), and one harmless
 * read-only tool. Nothing here holds a real key.
 */
import { SessionManager, type SessionManagerDeps } from '../../src/core/session/manager';
import type { SessionStore } from '../../src/core/store/types';
import { ToolRegistry } from '../../src/core/tools/registry';
import type { AnyTool } from '../../src/core/tools/types';
import { PermissionEngine } from '../../src/core/approval/permission-engine';
import { createProvider } from '../../src/core/providers/factory';
import { nullLogger, systemClock } from '../../src/core/ports';
import type { SessionEvent, SessionEventType, EventOf } from '../../src/core/session/events';

export const FAKE_KEY = 'sk-test-bench-not-a-key';

/** A read-only tool the fake model may call (allowed in every mode, so turns never wait). */
export const echoTool: AnyTool = {
  name: 'echo', kind: 'read', description: 'Echoes its text argument back.',
  inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'what to echo' } }, required: ['text'] },
  validate: (args) => (typeof args === 'object' && args !== null ? { ok: true, value: args as Record<string, unknown> } : { ok: false, error: 'args must be an object' }),
  describe: async (args) => ({ summary: `echo ${JSON.stringify(args)}` }),
  execute: async (args) => ({ content: `echo:${String(args.text)}` }),
};

export interface EngineOptions {
  store: SessionStore;
  openaiBaseUrl?: string;
  anthropicBaseUrl?: string;
  deps?: Partial<SessionManagerDeps>;
}

export async function makeManager(o: EngineOptions): Promise<SessionManager> {
  const manager = new SessionManager({
    store: o.store, createProvider, secrets: { getApiKey: async () => FAKE_KEY }, tools: new ToolRegistry([echoTool]),
    permissions: new PermissionEngine(), hostRules: () => [], workspaceRoots: ['/tmp/agent-sessions-bench-ws'],
    isWorkspaceTrusted: () => true, logger: nullLogger, clock: systemClock, maxRunningSessions: 64,
    providerProfiles: {
      openai: { kind: 'openai', ...(o.openaiBaseUrl ? { baseUrl: o.openaiBaseUrl } : {}) },
      anthropic: { kind: 'anthropic', ...(o.anthropicBaseUrl ? { baseUrl: o.anthropicBaseUrl } : {}) },
    },
    defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'ask', streamIdleTimeoutMs: 30_000 },
    ...o.deps,
  });
  await manager.init();
  return manager;
}

/** Resolves with the first event of `type` (matching `pred`) the manager emits from now on. */
export function nextEvent<T extends SessionEventType>(manager: SessionManager, type: T, pred: (e: EventOf<T>) => boolean = () => true, timeoutMs = 60_000): Promise<EventOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${type}`)); }, timeoutMs);
    const sub = manager.onEvent((e: SessionEvent) => {
      if (e.type === type && pred(e as EventOf<T>)) { clearTimeout(timer); sub.dispose(); resolve(e as EventOf<T>); }
    });
  });
}
