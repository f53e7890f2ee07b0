/**
 * The one place where provider/SDK/transport failures become {@link AgentError}s.
 * Everything else branches on `code`; only this file looks at statuses, error types and texts.
 * It never imports an SDK (duck-typed), so it costs nothing at activation.
 */
import { AgentError } from '../base/errors';
import { patternRedactor, redactAgentError, type Redactor } from '../base/redact';

/** What the caller (which has the SDK loaded) knows about the error's class. */
export interface ErrorClassHints {
  /** The SDK's APIUserAbortError (or our own abort). */
  abort?: boolean;
  /** The SDK's APIConnectionError / APIConnectionTimeoutError. */
  connection?: boolean;
  /** Scrubs the message (servers echo credentials in error bodies). Default: the generic rules (Bearer, x-api-key, key shapes). */
  redactor?: Redactor;
  /** The model the request was for: named in errors about what the model cannot do. */
  model?: string;
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

interface ApiErrorLike {
  status?: unknown;
  headers?: unknown;
  error?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  name?: unknown;
}

const HINTS = {
  auth: 'Set a valid API key for this provider (command "Agent Sessions: Set API Key").',
  rate_limited: 'The provider is rate limiting requests; it will be retried, or try again shortly.',
  overloaded: 'The provider is overloaded; try again shortly.',
  context_overflow: 'The conversation is longer than the model\'s context window: compact the session or start a new one.',
  network: 'Check the base URL, your connection and that the server is running.',
  bad_request: 'The provider rejected the request: check the model name, base URL and settings.',
  server: 'The provider had a server error; retrying usually helps.',
  unsupported_tools: 'Pick a model with tool support (function calling), or switch this session to another provider profile.',
  quota_exceeded: 'The account has no quota or credit left: check the plan and billing with the provider, or switch to another provider profile.',
} as const;

/** Reads a header from a fetch `Headers` or a plain record. */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const bag = headers as HeaderBag;
  if (typeof (bag as { get?: unknown }).get === 'function') return (bag as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (bag as Record<string, string | string[] | undefined>)[name] ?? (bag as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Milliseconds the server asked us to wait: `retry-after-ms`, else `retry-after` as seconds
 * or as an HTTP date. Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(headers: unknown, now: number = Date.now()): number | undefined {
  const ms = headerOf(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headerOf(headers, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Math.round(Number(ra) * 1000));
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The provider's own error type / code / message from an SDK APIError body (OpenAI or Anthropic shape). */
function details(e: ApiErrorLike): { type?: string; code?: string; message?: string } {
  const body = (e.error ?? {}) as { type?: unknown; code?: unknown; message?: unknown; error?: { type?: unknown; message?: unknown; code?: unknown } };
  const inner = body.error && typeof body.error === 'object' ? body.error : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    type: str(inner?.type) ?? (str(body.type) !== 'error' ? str(body.type) : undefined) ?? str(e.type),
    code: str(inner?.code) ?? str(body.code) ?? str(e.code),
    message: str(inner?.message) ?? str(body.message) ?? str(e.message),
  };
}

const CONTEXT_TEXT = /prompt is too long|context[_ ]length|maximum context|context window|too many tokens/i;
/**
 * What servers say when the model cannot call tools: Ollama ("registry.ollama.ai/library/x does not
 * support tools", 400), llama.cpp ("tools param requires --jinja flag", 500), vLLM ("\"auto\" tool
 * choice requires --enable-auto-tool-choice and --tool-call-parser to be set", 400), OpenRouter
 * ("No endpoints found that support tool use", 404).
 */
const TOOLS_UNSUPPORTED_TEXT = /does not support tools|tools param requires --jinja|tool choice requires --enable-auto-tool-choice|no endpoints found that support tool use|does not support (?:function|tool) call(?:ing|s)?/i;
/** OpenAI `insufficient_quota` (a 429 that waiting does not cure), OpenRouter 402, Anthropic's credit message. */
const QUOTA_TEXT = /exceeded your current quota|credit balance is too low|insufficient (?:credits|balance|quota)/i;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function causeChain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c: unknown = e; c && typeof c === 'object' && out.length < 6; c = (c as { cause?: unknown }).cause) out.push(c);
  return out;
}

function isTransportFailure(e: unknown): boolean {
  return causeChain(e).some((c) => {
    const x = c as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof x.code === 'string' && NETWORK_CODES.has(x.code)) return true;
    // undici: "fetch failed" (connect) and "terminated" (body cut off mid-stream)
    return x.name === 'TypeError' && (x.message === 'fetch failed' || x.message === 'terminated');
  });
}

/** OpenRouter puts the HTTP status as a number in `error.code`, LiteLLM as a string ("500"). */
function numericCode(e: ApiErrorLike): number | undefined {
  const body = (e.error ?? {}) as { code?: unknown; error?: { code?: unknown } };
  const raw = body.error && typeof body.error === 'object' ? body.error.code : body.code;
  const code = typeof raw === 'string' && /^\d{3}$/.test(raw) ? Number(raw) : raw;
  return typeof code === 'number' && code >= 400 && code <= 599 ? code : undefined;
}

/** Maps an HTTP status / provider error type to an AgentError. */
function fromApiError(e: ApiErrorLike, httpStatus: number | undefined, model: string | undefined): AgentError {
  const d = details(e);
  // An error inside a 200 stream or body carries no HTTP status; OpenRouter's code stands in for it.
  const status = httpStatus ?? numericCode(e);
  const message = d.message ?? `HTTP ${status ?? '?'}`;
  const base = { status, cause: e };
  const retryAfterMs = parseRetryAfter(e.headers);
  // Before the status checks: llama.cpp says it with a 500, which must not be retried.
  if (TOOLS_UNSUPPORTED_TEXT.test(message)) {
    const who = model ? `The model "${model}"` : 'The model';
    return new AgentError('unsupported', `${who} does not support tool calling on this server: ${message}`, { ...base, retryable: false, hint: HINTS.unsupported_tools });
  }
  if (d.code === 'insufficient_quota' || status === 402 || QUOTA_TEXT.test(message)) {
    return new AgentError('quota_exceeded', `Quota exceeded: ${message}`, { ...base, retryable: false, hint: HINTS.quota_exceeded });
  }
  const isContext = d.code === 'context_length_exceeded' || ((status === 400 || status === 413 || status === undefined) && CONTEXT_TEXT.test(message));
  if (status === 401 || status === 403 || d.type === 'authentication_error' || d.type === 'permission_error') {
    return new AgentError('auth', `Authentication failed: ${message}`, { ...base, hint: HINTS.auth });
  }
  if (isContext) return new AgentError('context_overflow', message, { ...base, hint: HINTS.context_overflow });
  if (status === 429 || d.type === 'rate_limit_error') {
    return new AgentError('rate_limited', `Rate limited: ${message}`, { ...base, retryAfterMs, hint: HINTS.rate_limited });
  }
  if (status === 529 || status === 503 || d.type === 'overloaded_error') {
    return new AgentError('overloaded', `Overloaded: ${message}`, { ...base, retryAfterMs, hint: HINTS.overloaded });
  }
  if (status === 408) return new AgentError('network', `Request timeout: ${message}`, { ...base, retryAfterMs, hint: HINTS.network });
  if ((status !== undefined && status >= 500) || d.type === 'api_error' || d.type === 'server_error' || d.code === 'server_error') {
    return new AgentError('network', `Server error${status ? ` ${status}` : ''}: ${message}`, { ...base, retryable: true, retryAfterMs, hint: HINTS.server });
  }
  if ((status !== undefined && status >= 400) || d.type === 'invalid_request_error' || d.type === 'not_found_error') {
    return new AgentError('bad_request', message, { ...base, hint: HINTS.bad_request });
  }
  return new AgentError('unknown', message, base);
}

/**
 * Normalises anything a provider call can throw into an AgentError:
 * 401/403 → auth; 429 → rate_limited (retryAfterMs); 529/503/overloaded_error → overloaded;
 * other 5xx → network (retryable); context-length errors → context_overflow; other 4xx → bad_request;
 * connection failures → network; aborts → cancelled; bad JSON in the stream → network;
 * a server's "this model cannot call tools" (any status) → unsupported; insufficient_quota / 402 /
 * no credit → quota_exceeded (neither retried).
 * The message is redacted: a server that echoes `Authorization` or `x-api-key` leaks nothing.
 */
export function normalizeProviderError(e: unknown, hints: ErrorClassHints = {}): AgentError {
  return redactAgentError(normalize(e, hints), hints.redactor ?? patternRedactor);
}

function normalize(e: unknown, hints: ErrorClassHints): AgentError {
  if (e instanceof AgentError) return e;
  const x = (e ?? {}) as ApiErrorLike;
  if (hints.abort || x.name === 'AbortError') return new AgentError('cancelled', 'Cancelled.', { cause: e });
  if (hints.connection || isTransportFailure(e)) {
    const msg = typeof x.message === 'string' ? x.message : 'Connection error.';
    return new AgentError('network', `Connection failed: ${msg}`, { cause: e, hint: HINTS.network });
  }
  if (e instanceof SyntaxError) return new AgentError('network', `Malformed data in the model stream: ${e.message}`, { cause: e, retryable: true });
  const status = typeof x.status === 'number' ? x.status : undefined;
  if (status !== undefined || (x.error !== undefined && typeof x.error === 'object')) return fromApiError(x, status, hints.model);
  return new AgentError('unknown', typeof x.message === 'string' ? x.message : String(e), { cause: e });
}

/**
 * The error a server sent as the body of an HTTP 200 (a JSON object instead of an event stream,
 * as OpenRouter and LiteLLM do): mapped like an HTTP error with that body; its numeric `code`, when
 * there is one, stands in for the status. A body without an error object is a protocol error.
 */
export function errorFromOkBody(body: unknown, hints: ErrorClassHints = {}): AgentError {
  const err = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (typeof err === 'string' && err !== '') return normalizeProviderError({ error: { error: { message: err } } }, hints);
  if (err !== null && typeof err === 'object') return normalizeProviderError({ error: body }, hints);
  return protocolError('the server answered with a JSON body instead of an event stream (does it support streaming?)');
}

/** A stream that ended or broke in a way the protocol does not allow (no stop, bad tool arguments, …). */
export function protocolError(message: string): AgentError {
  return new AgentError('network', `Malformed model stream: ${message}`, { retryable: true, hint: HINTS.network });
}
