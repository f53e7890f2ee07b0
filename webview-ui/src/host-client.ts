/**
 * The webview's only link to the extension host: typed requests with ids, timeouts and a
 * pending map; host-message subscription; the `ready` handshake; persisted view state (visible
 * tab, closed tabs) through the VS Code webview state API. No seqs are persisted: a reloaded
 * webview has no sessions in memory to replay onto, so the host's snapshot is its state.
 */
import { createContext } from '@lit/context';
import type { SerializedError } from '../../src/shared/errors';
import type { HostMessage, MethodName, ParamsOf, ResultOf } from '../../src/shared/protocol';
import { DEFAULT_REQUEST_TIMEOUT_MS, PROTOCOL_VERSION } from '../../src/shared/protocol-constants';

/** The subset of `acquireVsCodeApi()` we use (injectable for tests). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What survives the webview being hidden/revived or the window reloading. */
export interface PersistedState {
  visibleSessionId?: string;
  /** Tabs the user closed: session id → newest seq seen while closed (absent when none). */
  closedTabs?: Record<string, number>;
}

/** A failed request: the host's SerializedError (or a local timeout/cancel). */
export class HostRequestError extends Error {
  readonly code: SerializedError['code'];
  readonly retryable: boolean;
  readonly hint?: string;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'HostRequestError';
    this.code = error.code;
    this.retryable = error.retryable;
    this.hint = error.hint;
  }
}

/** Methods that may legitimately take long (an LLM summary). */
const SLOW_METHODS: ReadonlySet<MethodName> = new Set(['sessions.compact']);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export type HostListener = (message: Exclude<HostMessage, { kind: 'reply' }>) => void;

export interface HostClientOptions {
  timeoutMs?: number;
  /** Where `message` events arrive (window in a webview). */
  target?: EventTarget;
}

export class HostClient {
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<HostListener>();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly target: EventTarget;
  private persisted: PersistedState;
  private readonly onWindowMessage = (e: Event): void => this.receive((e as MessageEvent).data);

  constructor(private readonly api: VsCodeApi, options: HostClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.target = options.target ?? window;
    this.persisted = readPersisted(api.getState());
    this.target.addEventListener('message', this.onWindowMessage);
  }

  /** Says `ready` to the host, with the tab shown last time, so its snapshot carries that session. */
  start(): void {
    this.api.postMessage({
      kind: 'ready',
      protocolVersion: PROTOCOL_VERSION,
      ...(this.persisted.visibleSessionId ? { visibleSessionId: this.persisted.visibleSessionId } : {}),
    });
  }

  get state(): Readonly<PersistedState> {
    return this.persisted;
  }

  /** Calls a host method. Rejects with HostRequestError on an error reply, timeout or abort. */
  request<M extends MethodName>(method: M, params: ParamsOf<M>, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ResultOf<M>> {
    const id = `w${this.nextId++}`;
    const timeoutMs = options.timeoutMs ?? (SLOW_METHODS.has(method) ? this.timeoutMs * 10 : this.timeoutMs);
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const fail = (error: SerializedError): void => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        this.api.postMessage({ kind: 'cancel', id });
        reject(new HostRequestError(error));
      };
      const timer = setTimeout(() => fail({ code: 'network', message: `${method} timed out after ${timeoutMs} ms`, retryable: true }), timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      options.signal?.addEventListener('abort', () => fail({ code: 'cancelled', message: `${method} cancelled`, retryable: false }), { once: true });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  /** Subscribes to host messages other than replies. Returns the unsubscribe function. */
  subscribe(listener: HostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the host which tab is visible and remembers it across reloads. */
  setVisible(sessionId: string | null): void {
    this.persisted = { ...this.persisted, visibleSessionId: sessionId ?? undefined };
    this.api.setState(this.persisted);
    this.api.postMessage({ kind: 'visible', sessionId });
  }

  /** Persists the closed tabs (see state/closed-tabs.ts); an empty map removes the key. */
  setClosedTabs(closed: Record<string, number>): void {
    const { closedTabs: _old, ...rest } = this.persisted;
    this.persisted = Object.keys(closed).length > 0 ? { ...rest, closedTabs: { ...closed } } : rest;
    this.api.setState(this.persisted);
  }

  dispose(): void {
    this.target.removeEventListener('message', this.onWindowMessage);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new HostRequestError({ code: 'cancelled', message: 'webview closed', retryable: false }));
      this.pending.delete(id);
    }
    this.listeners.clear();
  }

  private receive(data: unknown): void {
    // Host messages are trusted-ish (our own extension) but we still ignore anything unexpected.
    if (typeof data !== 'object' || data === null || typeof (data as { kind?: unknown }).kind !== 'string') return;
    const message = data as HostMessage;
    if (message.kind === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) return; // late reply after a timeout or cancel
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.result);
      else p.reject(new HostRequestError(message.error));
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (err) {
        console.error('host message listener failed', err);
      }
    }
  }
}

function readPersisted(raw: unknown): PersistedState {
  // Older versions also kept `lastSeqs` here: not read (see the file comment), dropped on the next write.
  const out: PersistedState = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as { visibleSessionId?: unknown; closedTabs?: unknown };
  if (typeof r.visibleSessionId === 'string') out.visibleSessionId = r.visibleSessionId;
  if (typeof r.closedTabs === 'object' && r.closedTabs !== null) {
    const closed: Record<string, number> = {};
    for (const [k, v] of Object.entries(r.closedTabs)) if (typeof v === 'number') closed[k] = v;
    if (Object.keys(closed).length > 0) out.closedTabs = closed;
  }
  return out;
}

/** Context key: every element gets the host client from `<as-app>` instead of through props. */
export const hostClientContext = createContext<HostClient>(Symbol('as-host-client'));
