/**
 * The real host-side webview router (src/vscode/webview, plain Node) attached to a fake webview
 * port that counts what would cross postMessage (JSON bytes, per session), with minimal host
 * services. Used by B4 to measure what our host posts per streamed chunk.
 */
import { Emitter } from '../../src/core/base/emitter';
import { nullLogger } from '../../src/core/ports';
import type { SessionManagerApi } from '../../src/core/session/api';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';
import type { HostServices, WebviewPort } from '../../src/vscode/webview/ports';
import { WebviewRouter } from '../../src/vscode/webview/router';

export interface CountingWebview {
  router: WebviewRouter;
  /** Sends a message as the webview would. */
  send(message: WebviewMessage): void;
  /** Resolves with the reply to request `id`. */
  reply(id: string): Promise<HostMessage>;
  /** Event messages posted per session id, and their JSON bytes. */
  eventsBySession: Map<string, { count: number; bytes: number }>;
  /** Every message posted, all kinds. */
  totals: { messages: number; bytes: number };
  reset(): void;
  dispose(): void;
}

function services(): HostServices {
  const changed = new Emitter<void>();
  const refuse = async (): Promise<never> => { throw new Error('not available in the benchmark'); };
  return {
    logger: nullLogger, onDidChangeHost: changed.event,
    hostInfo: () => ({ protocolVersion: 1, workspaceTrusted: true, notices: [] }),
    providers: async () => [],
    newSessionConfig: () => ({}), expandConfigPatch: (p) => p as never,
    viewDiff: refuse, openExternal: async () => false, runAction: refuse,
    setVisible: () => undefined, forget: () => undefined,
  };
}

export function attachCountingWebview(manager: SessionManagerApi): CountingWebview {
  const router = new WebviewRouter(async () => manager, services());
  let listener: ((m: unknown) => void) | undefined;
  const waiting = new Map<string, (m: HostMessage) => void>();
  const eventsBySession = new Map<string, { count: number; bytes: number }>();
  const totals = { messages: 0, bytes: 0 };
  const port: WebviewPort = {
    postMessage: (m) => {
      // VS Code serialises every posted message as JSON: its length is what crosses the boundary.
      const bytes = Buffer.byteLength(JSON.stringify(m));
      totals.messages++;
      totals.bytes += bytes;
      if (m.kind === 'event') {
        const row = eventsBySession.get(m.event.sessionId) ?? { count: 0, bytes: 0 };
        row.count++;
        row.bytes += bytes;
        eventsBySession.set(m.event.sessionId, row);
      } else if (m.kind === 'reply') waiting.get(m.id)?.(m);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (l) => { listener = l; return { dispose: () => { listener = undefined; } }; },
  };
  const conn = router.attach(port, 'bench');
  return {
    router, eventsBySession, totals,
    send: (m) => listener?.(m),
    reply: (id) => new Promise((resolve) => waiting.set(id, resolve)),
    reset: () => { eventsBySession.clear(); totals.messages = 0; totals.bytes = 0; },
    dispose: () => { conn.dispose(); router.dispose(); },
  };
}
