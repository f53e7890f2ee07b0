/**
 * Model discovery: the models an endpoint offers, asked with plain `fetch` (no SDK): OpenAI-compatible
 * `GET {base}/models` (OpenAI, vLLM, OpenRouter, llama.cpp, LiteLLM, …), LM Studio's richer
 * `/api/v0/models` (falling back to `/v1/models`), Ollama's `/v1/models` with `/api/show` per model
 * for its capabilities, and Anthropic's `GET /v1/models` page by page. Shapes: discovery-shapes.ts.
 * Failures are AgentErrors (auth, not_found, network, rate_limited, unsupported for a body that is
 * no listing, cancelled); the key never appears in them.
 */
import { AgentError } from '../base/errors';
import { redactSecrets } from '../base/redact';
import type { ProviderEndpoint } from './types';
import { anthropicPage, listEnvelope, readAnthropicItem, readOllamaShow, readOpenAiItem, type DiscoveredModel } from './discovery-shapes';

export type { DiscoveredModel } from './discovery-shapes';

/** Which listing dialect to speak. `openai` covers every OpenAI-compatible server. */
export type ListingFlavor = 'openai' | 'ollama' | 'lmstudio' | 'anthropic';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
  status: number; ok: boolean; text(): Promise<string>;
}>;

export interface DiscoveryOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Per request (each page, each `/api/show`). Default 10 s. */
  timeoutMs?: number;
  /** Aborts everything (AgentError 'cancelled'). */
  signal?: AbortSignal;
  /** Default: from the profile id and the base URL's port (flavorOf). */
  flavor?: ListingFlavor;
  /** Ollama: at most this many `/api/show` look-ups (default 24); the rest are listed without. */
  maxShow?: number;
}

/** The official endpoints (as the providers' SDKs default to them). */
const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 20_000_000;
const MAX_ANTHROPIC_PAGES = 20;

/** The dialect of an endpoint: Anthropic by kind; Ollama and LM Studio by profile id or their default port. */
export function flavorOf(profileId: string, endpoint: Pick<ProviderEndpoint, 'kind' | 'baseUrl'>): ListingFlavor {
  if (endpoint.kind === 'anthropic') return 'anthropic';
  const port = portOf(endpoint.baseUrl);
  if (profileId === 'ollama' || port === '11434') return 'ollama';
  if (profileId === 'lmstudio' || port === '1234') return 'lmstudio';
  return 'openai';
}

function portOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try { return new URL(url).port || undefined; } catch { return undefined; }
}

const trimSlash = (s: string): string => s.replace(/\/+$/, '');
/** `http://host:port/v1` → `http://host:port` (the native APIs of Ollama and LM Studio live there). */
const originOf = (base: string): string => trimSlash(base).replace(/\/v1$/, '');

/**
 * The models `endpoint` offers, in the server's order (duplicates dropped). `profileId` picks the
 * dialect (flavorOf) unless `options.flavor` does. Kind `vscode-lm` has no HTTP listing: refused.
 */
export async function discoverModels(profileId: string, endpoint: ProviderEndpoint, options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  if (endpoint.kind === 'vscode-lm') throw new AgentError('unsupported', 'VS Code language models are listed by VS Code, not over HTTP.');
  const flavor = options.flavor ?? flavorOf(profileId, endpoint);
  const http = new Http(endpoint, options);
  let models: DiscoveredModel[];
  switch (flavor) {
    case 'anthropic': models = await listAnthropic(http, endpoint); break;
    case 'lmstudio': models = await listLmStudio(http, endpoint); break;
    case 'ollama': models = await listOllama(http, endpoint, options.maxShow ?? 24); break;
    case 'openai': models = await listOpenAi(http, trimSlash(endpoint.baseUrl ?? OPENAI_DEFAULT_BASE_URL)); break;
  }
  const seen = new Set<string>();
  return models.filter((m) => isChatModelId(m.id) && !seen.has(m.id) && seen.add(m.id));
}

/** OpenAI's listing has embeddings, speech, image and moderation models too: they cannot hold a conversation. */
const NOT_CHAT = /(^|[-/_.])(text-)?(embed(ding)?s?|tts|whisper|dall-e|moderation|davinci|babbage|transcribe|realtime|audio|computer-use|gpt-image|sora|rerank)([-_.:]|$)|^omni-moderation/i;

/** Whether an id names a model one can chat with (by name; anything not recognised as another kind is kept). */
export function isChatModelId(id: string): boolean {
  return !NOT_CHAT.test(id);
}

async function listOpenAi(http: Http, base: string): Promise<DiscoveredModel[]> {
  const body = await http.getJson(`${base}/models`);
  const env = listEnvelope.safeParse(body);
  if (!env.success) throw notAListing(`${base}/models`);
  return env.data.data.map(readOpenAiItem).filter((m): m is DiscoveredModel => m !== undefined);
}

async function listLmStudio(http: Http, endpoint: ProviderEndpoint): Promise<DiscoveredModel[]> {
  const base = trimSlash(endpoint.baseUrl ?? 'http://127.0.0.1:1234/v1');
  try {
    return await listOpenAi(http, `${originOf(base)}/api/v0`);
  } catch (e) {
    // Older LM Studio (before 0.3.6) has only the OpenAI-compatible listing.
    if (e instanceof AgentError && (e.code === 'not_found' || e.code === 'unsupported')) return listOpenAi(http, base);
    throw e;
  }
}

async function listOllama(http: Http, endpoint: ProviderEndpoint, maxShow: number): Promise<DiscoveredModel[]> {
  const base = trimSlash(endpoint.baseUrl ?? 'http://127.0.0.1:11434/v1');
  const listed = await listOpenAi(http, base);
  const shows = await Promise.all(listed.map(async (m, i) => {
    if (i >= maxShow) return undefined;
    try {
      return readOllamaShow(await http.postJson(`${originOf(base)}/api/show`, { model: m.id }));
    } catch (e) {
      if (e instanceof AgentError && e.code === 'cancelled') throw e;
      return undefined; // An older Ollama, or one model it cannot describe: listed without.
    }
  }));
  return listed.flatMap((m, i) => {
    const show = shows[i];
    if (show?.skip) return [];
    return [{ ...m, ...(show?.contextWindow ? { contextWindow: show.contextWindow } : {}), ...(show?.capabilities ? { capabilities: show.capabilities } : {}) }];
  });
}

async function listAnthropic(http: Http, endpoint: ProviderEndpoint): Promise<DiscoveredModel[]> {
  const base = originOf(endpoint.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL);
  const out: DiscoveredModel[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_ANTHROPIC_PAGES; page++) {
    const url = `${base}/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
    const parsed = anthropicPage.safeParse(await http.getJson(url));
    if (!parsed.success) throw notAListing(`${base}/v1/models`);
    for (const raw of parsed.data.data) {
      const m = readAnthropicItem(raw);
      if (m) out.push(m);
    }
    const next = parsed.data.last_id ?? undefined;
    if (!parsed.data.has_more || !next || next === after) break;
    after = next;
  }
  return out;
}

function notAListing(url: string): AgentError {
  return new AgentError('unsupported', `The server's answer to ${safeUrl(url)} is not a model list.`, {
    hint: 'Check the base URL: it should be the API root (for OpenAI-compatible servers usually ending in /v1).',
  });
}

/** The URL without query or user info (keys never travel there from us, but a user may have put one in the base URL). */
function safeUrl(url: string): string {
  return url.replace(/\?.*$/, '').replace(/\/\/[^/@]*@/, '//');
}

/** GET/POST with the endpoint's auth, headers and query, a timeout, and errors mapped to AgentErrors. */
class Http {
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;

  constructor(private readonly endpoint: ProviderEndpoint, private readonly options: DiscoveryOptions) {
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  getJson(url: string): Promise<unknown> {
    return this.request('GET', url);
  }

  postJson(url: string, body: unknown): Promise<unknown> {
    return this.request('POST', url, JSON.stringify(body));
  }

  private headers(hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...(this.endpoint.headers ?? {}) };
    if (hasBody) h['content-type'] = 'application/json';
    const key = this.endpoint.apiKey;
    if (this.endpoint.kind === 'anthropic') {
      h['anthropic-version'] = '2023-06-01';
      if (key) {
        if (this.endpoint.authHeader === 'authorization') h.authorization = `Bearer ${key}`;
        else h['x-api-key'] = key;
      }
    } else if (key) {
      if (this.endpoint.authHeader === 'api-key') h['api-key'] = key;
      else if (this.endpoint.authHeader === 'x-api-key') h['x-api-key'] = key;
      else h.authorization = `Bearer ${key}`;
    }
    return h;
  }

  private withQuery(url: string): string {
    const q = this.endpoint.query;
    if (!q || Object.keys(q).length === 0) return url;
    const u = new URL(url);
    for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
    return u.toString();
  }

  private async request(method: string, rawUrl: string, body?: string): Promise<unknown> {
    const outer = this.options.signal;
    if (outer?.aborted) throw new AgentError('cancelled', 'Listing the models was cancelled.');
    const url = this.withQuery(rawUrl);
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, this.timeoutMs);
    const onAbort = (): void => ctl.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.fetch(url, { method, headers: this.headers(body !== undefined), ...(body !== undefined ? { body } : {}), signal: ctl.signal });
      const text = await res.text();
      if (!res.ok) throw statusError(res.status, rawUrl, text, this.endpoint.apiKey);
      if (text.length > MAX_BODY_CHARS) throw new AgentError('unsupported', `The model list from ${safeUrl(rawUrl)} is too large to read.`);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new AgentError('unsupported', `The server's answer to ${safeUrl(rawUrl)} is not JSON.`, {
          hint: 'Check the base URL: it should be the API root (for OpenAI-compatible servers usually ending in /v1).',
        });
      }
    } catch (e) {
      if (e instanceof AgentError) throw e;
      if (timedOut) throw new AgentError('network', `${safeUrl(rawUrl)} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`, { hint: 'Check that the server is running and the base URL is right.' });
      if (outer?.aborted) throw new AgentError('cancelled', 'Listing the models was cancelled.');
      throw new AgentError('network', `Could not reach ${safeUrl(rawUrl)}: ${redactSecrets(String((e as Error)?.message ?? e), this.endpoint.apiKey ? [this.endpoint.apiKey] : [])}.`, {
        hint: 'Check the base URL, your connection and that the server is running.', cause: e,
      });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

/** A non-2xx answer as an AgentError, with the server's own message (scrubbed, short) when it gave one. */
function statusError(status: number, url: string, body: string, key: string | undefined): AgentError {
  let detail = '';
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const msg = typeof j.error === 'string' ? j.error : j.error?.message ?? j.message;
    if (typeof msg === 'string') detail = `: ${redactSecrets(msg, key ? [key] : []).slice(0, 300)}`;
  } catch { /* not JSON: status only */ }
  const where = `${safeUrl(url)} answered ${status}${detail}`;
  if (status === 401 || status === 403) return new AgentError('auth', where, { status, hint: 'Set a valid API key for this provider (command "Agent Sessions: Set API Key").' });
  if (status === 404) return new AgentError('not_found', where, { status, hint: 'This server has no models endpoint there; check the base URL.' });
  if (status === 429) return new AgentError('rate_limited', where, { status });
  if (status === 503 || status === 529) return new AgentError('overloaded', where, { status });
  if (status >= 500) return new AgentError('network', where, { status, retryable: true });
  return new AgentError('bad_request', where, { status });
}
