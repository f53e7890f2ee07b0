/**
 * `providers.probe`: which local model servers answer right now. Asks each loopback profile's
 * models endpoint (Ollama, LM Studio, a settings profile on 127.0.0.1 / localhost) and the
 * llama.cpp server's default port, all at once with a short timeout, and lists only those that
 * answer with a valid model list. No key is ever sent. No 'vscode' import: the VS Code language
 * model probe comes in as `extra`.
 */
import { z } from 'zod';
import type { Logger } from '../../core/ports';
import type { ProviderKind } from '../../shared/model';
import type { ProbedProvider } from '../../shared/protocol';
import { isLoopbackUrl } from '../secrets';

/** How long one server may take to answer before it counts as not running. */
export const PROBE_TIMEOUT_MS = 800;
/** Most model names reported per server. */
const MAX_MODELS = 40;

/** One server to ask. */
export interface ProbeTarget {
  providerId: string;
  label: string;
  kind: ProviderKind;
  baseUrl: string;
}

/** The llama.cpp server's default address (no built-in profile: the "llama.cpp server" preset). */
export const LLAMA_CPP_TARGET: ProbeTarget = { providerId: 'llamacpp', label: 'llama.cpp server', kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1' };

/** OpenAI-compatible (`{data: [{id}]}`, also Anthropic's listing) and Ollama's own `/api/tags` (`{models: [{name}]}`). */
const modelListSchema = z.object({ data: z.array(z.object({ id: z.string().min(1) }).passthrough()) }).passthrough();
const ollamaTagsSchema = z.object({ models: z.array(z.object({ name: z.string().min(1) }).passthrough()) }).passthrough();

export interface ProbeOptions {
  /** Injected in tests; default: the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  logger?: Logger;
  /** More sources that answer now (the host connects VS Code's language models here). Its failure only drops its part. */
  extra?: () => Promise<ProbedProvider[]>;
}

/** The profiles worth asking: those on a loopback address (a settings profile replacing a built-in keeps its id), plus llama.cpp's default port. */
export function probeTargets(profiles: ReadonlyArray<{ id: string; label: string; kind: ProviderKind; baseUrl?: string }>): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  const seen = new Set<string>();
  for (const p of profiles) {
    if (p.kind === 'vscode-lm' || !p.baseUrl || !isLoopbackUrl(p.baseUrl)) continue;
    const key = p.baseUrl.replace(/\/+$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ providerId: p.id, label: p.label, kind: p.kind, baseUrl: p.baseUrl });
  }
  if (!seen.has(LLAMA_CPP_TARGET.baseUrl)) out.push(LLAMA_CPP_TARGET);
  return out;
}

/** The models URL of a target: `<base>/models` for OpenAI-compatible servers, `<base>/v1/models` for Anthropic's format. */
export function modelsUrl(target: ProbeTarget): string {
  const base = target.baseUrl.replace(/\/+$/, '');
  return target.kind === 'anthropic' ? `${base}/v1/models` : `${base}/models`;
}

async function getJson(fetchFn: typeof fetch, url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetchFn(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** The model names a target lists now, or undefined when it does not answer (closed port, timeout, error, not a model list). */
async function askTarget(target: ProbeTarget, fetchFn: typeof fetch, timeoutMs: number): Promise<string[] | undefined> {
  try {
    const listed = modelListSchema.safeParse(await getJson(fetchFn, modelsUrl(target), timeoutMs));
    if (listed.success) return listed.data.data.map((m) => m.id);
  } catch { /* try Ollama's own listing below */ }
  if (!/:11434(\/|$)/.test(target.baseUrl)) return undefined;
  try {
    const tags = ollamaTagsSchema.safeParse(await getJson(fetchFn, `${new URL(target.baseUrl).origin}/api/tags`, timeoutMs));
    return tags.success ? tags.data.models.map((m) => m.name) : undefined;
  } catch {
    return undefined;
  }
}

/** Asks every target (and `extra`) in parallel; only those that answered, in the targets' order, then extra's. */
export async function probeProviders(targets: readonly ProbeTarget[], options: ProbeOptions = {}): Promise<ProbedProvider[]> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const [local, extra] = await Promise.all([
    Promise.all(targets.map(async (t): Promise<ProbedProvider | undefined> => {
      const models = await askTarget(t, fetchFn, timeoutMs);
      return models ? { providerId: t.providerId, label: t.label, baseUrl: t.baseUrl, models: models.slice(0, MAX_MODELS) } : undefined;
    })),
    options.extra ? options.extra().catch((e: unknown) => {
      options.logger?.warn(`Probing VS Code's language models failed: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }) : Promise.resolve([]),
  ]);
  return [...local.filter((p): p is ProbedProvider => p !== undefined), ...extra];
}
