/**
 * What the OpenAI and Anthropic adapters share around their SDK call: the key check for the
 * official endpoints, one RequestScope per attempt (idle watchdog on bytes + cancellation),
 * error normalisation, and "the SDK ended silently because we aborted it" turned into an error.
 * Each adapter keeps only what differs: its client, its request body and its stream parser.
 */
import { AgentError } from '../base/errors';
import { errorFromOkBody, type ErrorClassHints } from './errors';
import type { ModelRequest, ProviderEndpoint, StreamEvent, StreamOptions } from './types';
import { RequestScope } from './watchdog';

type FetchFn = ReturnType<RequestScope['wrapFetch']>;

/** What an adapter's `open` uses of the attempt's scope: its signal and its watched fetch. */
export type AttemptScope = Pick<RequestScope, 'signal' | 'wrapFetch'>;

/** Turns one SDK stream into normalised events; `finish` fails on a stream that never ended properly. */
export interface SdkStreamParser<C> {
  push(chunk: C): Iterable<StreamEvent>;
  finish(): Iterable<StreamEvent>;
}

export interface SdkStreamSpec<C> {
  request: ModelRequest;
  options: StreamOptions;
  /** Which SDK error classes `e` belongs to (the classes come from the lazily loaded SDK). */
  classify(e: unknown): ErrorClassHints;
  /** Opens the SDK stream with the scope's fetch and signal. */
  open(scope: AttemptScope): Promise<AsyncIterable<C>>;
  parser: SdkStreamParser<C>;
}

/** The official endpoints need a key; a custom base URL (a local server or gateway) may not. */
export function assertKeyForOfficialEndpoint(endpoint: ProviderEndpoint, providerLabel: string): void {
  if (!endpoint.baseUrl && !endpoint.apiKey) {
    throw new AgentError('auth', `No API key is set for ${providerLabel}.`, { hint: 'Set an API key for this provider (command "Agent Sessions: Set API Key").' });
  }
}

/**
 * Some servers answer a streaming request with HTTP 200 and a JSON body (OpenRouter and LiteLLM
 * send their errors so). The SDKs would read that as an empty event stream ("ended without
 * finish_reason"); this fetch keeps the body aside and hands the SDK an empty stream instead, so
 * the attempt can report what the server said. An error status with a flat JSON body (vLLM's
 * `{"object":"error","message":…}`, FastAPI's `{"detail":…}`) is re-wrapped as `{"error":{…}}`,
 * the shape the SDKs read the server's message from.
 */
export function guardJsonBodies(fetchFn: FetchFn, found: (body: unknown) => void): FetchFn {
  return async (input, init) => {
    const res = await fetchFn(input, init);
    const type = res.headers.get('content-type') ?? '';
    if (!/\bjson\b/i.test(type) || /event-stream/i.test(type)) return res;
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: reported as a body without an error object
    }
    if (!res.ok) return new Response(wrapFlatError(body) ?? text, { status: res.status, statusText: res.statusText, headers: res.headers });
    found(body);
    return new Response('', { status: res.status, statusText: res.statusText, headers: { 'content-type': 'text/event-stream' } });
  };
}

/** `{"message": …}` / `{"detail": …}` without an `error` member → `{"error": {…}}`; undefined when already fine. */
function wrapFlatError(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || 'error' in body) return undefined;
  const flat = body as { message?: unknown; detail?: unknown };
  const message = typeof flat.message === 'string' ? flat.message : typeof flat.detail === 'string' ? flat.detail : undefined;
  return message === undefined ? undefined : JSON.stringify({ error: { ...body, message } });
}

/** One attempt: streams the SDK's chunks through the parser; every failure is an AgentError. */
export async function* streamThroughSdk<C>(spec: SdkStreamSpec<C>): AsyncGenerator<StreamEvent> {
  const scope = new RequestScope(spec.request.signal, spec.options.idleTimeoutMs);
  const hints = (e: unknown): ErrorClassHints => ({ ...spec.classify(e), model: spec.request.model });
  const fail = (e: unknown): AgentError => (e instanceof AgentError ? e : scope.interruption(e, hints(e))!);
  let okBody: { body: unknown } | undefined;
  const attemptScope: AttemptScope = {
    get signal() {
      return scope.signal;
    },
    wrapFetch: (base) => guardJsonBodies(scope.wrapFetch(base), (body) => (okBody = { body })),
  };
  try {
    try {
      const stream = await spec.open(attemptScope);
      for await (const chunk of stream) {
        for (const ev of spec.parser.push(chunk)) yield ev;
      }
    } catch (e) {
      throw fail(e);
    }
    // The SDK ends silently when its request is aborted (cancel or watchdog).
    const interrupted = scope.interruption();
    if (interrupted) throw interrupted;
    if (okBody) throw errorFromOkBody(okBody.body, { model: spec.request.model });
    for (const ev of spec.parser.finish()) yield ev;
  } finally {
    scope.dispose();
  }
}
