/**
 * A fake LLM HTTP server on loopback that speaks the real OpenAI Chat Completions and Anthropic
 * Messages streaming formats, so the official SDKs run against it. See README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { play } from './play';
import { builtinResponders, defaultResponder, type RecordedRequest, type Responder } from './responders';
import { scriptSchema, type Script } from './script';
import type { WireFormat } from './render';
import { responsesRenderer } from './responses';

export interface FakeLlm {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + '/v1'`: the OpenAI SDK's baseURL. */
  readonly openaiBaseUrl: string;
  /** `url`: the Anthropic SDK's baseURL (it appends /v1/messages). */
  readonly anthropicBaseUrl: string;
  readonly port: number;
  /** Queues scripts; each model request takes the next one (FIFO) before the responder is asked. */
  enqueue(...scripts: Script[]): void;
  /** Answers requests when the queue is empty (default: a short deterministic text). `undefined` restores the default. */
  setResponder(responder: Responder | undefined): void;
  /** Every request so far (model and other endpoints; not the control API). */
  readonly requests: readonly RecordedRequest[];
  /** Resolves once at least `n` requests were recorded (rejects after `timeoutMs`, default 10 s). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Clears queue, responder and recorded requests. */
  reset(): void;
  /** Stops the server, ending stalled streams and open sockets. */
  close(): Promise<void>;
}

export interface FakeLlmOptions {
  port?: number;
  host?: string;
  responder?: Responder;
}

const MODEL_PATHS: Record<string, WireFormat> = {
  '/v1/chat/completions': 'openai',
  '/chat/completions': 'openai',
  '/v1/messages': 'anthropic',
};

/** The OpenAI Responses API (responses.ts); errors are OpenAI-shaped. */
const RESPONSES_PATHS = new Set(['/v1/responses', '/responses']);

/** Starts the server on 127.0.0.1 (port 0 = any free port). */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const queue: Script[] = [];
  const recorded: RecordedRequest[] = [];
  let responder: Responder = options.responder ?? defaultResponder;
  let waiters: { n: number; resolve: (r: RecordedRequest[]) => void }[] = [];
  let seq = 0;
  let signalClosing: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => (signalClosing = resolve));

  const record = (r: RecordedRequest): void => {
    recorded.push(r);
    waiters = waiters.filter((w) => {
      if (recorded.length < w.n) return true;
      w.resolve([...recorded]);
      return false;
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = parseJson(raw);
    if (path.startsWith('/__control/')) return control(path, req.method ?? 'GET', json, res);

    const isResponses = RESPONSES_PATHS.has(path);
    const format = isResponses ? 'openai' : MODEL_PATHS[path];
    const body = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    record({ index: recorded.length + 1, method: req.method ?? 'GET', path, url: req.url ?? path, format: isResponses ? 'responses' : format ?? 'openai', headers, rawBody: raw, body, receivedAt: Date.now() });

    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 1_700_000_000, owned_by: 'fake' }] });
    }
    if (!format || req.method !== 'POST') return sendJson(res, 404, { error: { message: `No route ${req.method} ${path}` } });
    if (!body) return sendJson(res, 400, { error: { message: 'Body is not a JSON object', type: 'invalid_request_error' } });
    if (isResponses && body.stream !== true) return sendJson(res, 400, { error: { message: 'fake-llm: /v1/responses is served only with stream: true', type: 'invalid_request_error' } });
    const script = queue.shift() ?? (await responder(recorded.at(-1)!));
    const n = ++seq;
    const renderer = isResponses ? responsesRenderer({ model: typeof body.model === 'string' ? body.model : 'fake-model', seq: n, encryptedReasoning: includesEncryptedReasoning(body) }) : undefined;
    await play(script, { format, body, req, res, seq: n, closing, ...(renderer ? { renderer } : {}) });
  };

  const control = (path: string, method: string, json: unknown, res: ServerResponse): void => {
    if (method === 'POST' && path === '/__control/enqueue') {
      const input = json as { script?: unknown; scripts?: unknown[] } | null;
      const list = input?.scripts ?? (input?.script !== undefined ? [input.script] : []);
      const parsed = list.map((s) => scriptSchema.safeParse(s));
      const bad = parsed.find((p) => !p.success);
      if (bad || list.length === 0) return sendJson(res, 400, { error: bad && !bad.success ? bad.error.message : 'expected {script} or {scripts}' });
      for (const p of parsed) if (p.success) queue.push(p.data);
      return sendJson(res, 200, { queued: queue.length });
    }
    if (method === 'POST' && path === '/__control/reset') {
      api.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === '/__control/responder') {
      const name = (json as { name?: unknown } | null)?.name;
      const r = typeof name === 'string' ? builtinResponders[name] : undefined;
      if (!r) return sendJson(res, 400, { error: `unknown responder; one of ${Object.keys(builtinResponders).join(', ')}` });
      responder = r;
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'GET' && path === '/__control/requests') return sendJson(res, 200, { requests: recorded });
    return sendJson(res, 404, { error: 'unknown control route' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake-llm: ${String(e)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  const api: FakeLlm = {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    port,
    enqueue: (...scripts) => void queue.push(...scripts),
    setResponder: (r) => void (responder = r ?? defaultResponder),
    get requests() {
      return recorded;
    },
    waitForRequests: (n, timeoutMs = 10_000) => {
      if (recorded.length >= n) return Promise.resolve([...recorded]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake-llm: ${recorded.length}/${n} requests after ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
        waiters.push({ n, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    reset: () => {
      queue.length = 0;
      recorded.length = 0;
      responder = options.responder ?? defaultResponder;
    },
    close: async () => {
      signalClosing();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return api;
}

function includesEncryptedReasoning(body: Record<string, unknown>): boolean {
  return Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null; // recorded with body undefined; model routes answer 400
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
