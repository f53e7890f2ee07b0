/**
 * The model listings servers answer, runtime-validated, and what we read from each:
 * - OpenAI-compatible `GET {base}/models`: `{ data: [{ id, object, created, owned_by }] }`, plus
 *   vLLM's `max_model_len`, OpenRouter's `name`, `context_length`, `architecture.input_modalities`,
 *   `pricing` (USD per token, as strings) and `supported_parameters` (`tools`, `reasoning`).
 * - LM Studio `GET /api/v0/models`: `{ data: [{ id, type: llm | vlm | embeddings, max_context_length,
 *   capabilities?: ["tool_use"] }] }` (models without `tool_use` still get tools in its default format).
 * - Ollama `POST /api/show`: `{ capabilities: ["completion", "tools", "vision", "thinking"], parameters: "num_ctx 8192\n…" }`.
 * - Anthropic `GET /v1/models`: `{ data: [{ id, display_name, max_input_tokens?, capabilities? }], has_more, last_id }`.
 * Unknown fields are ignored; an entry without an id is skipped; a body that is no listing at all is an error.
 */
import { z } from 'zod';
import type { ModelCapabilities } from '../../shared/model';
import type { ModelPrice } from '../../shared/pricing';

/** One model as a server lists it: what it said, nothing guessed. */
export interface DiscoveredModel {
  id: string;
  label?: string;
  /** Tokens, when the server says (vLLM, OpenRouter, LM Studio, Ollama's num_ctx, Anthropic). */
  contextWindow?: number;
  /** Only what the server says; the model table fills the rest. */
  capabilities?: Partial<ModelCapabilities>;
  /** USD per million tokens (OpenRouter). */
  price?: ModelPrice;
}

const count = z.number().int().positive().nullish();

/** The envelope `{ data: [...] }` every OpenAI-compatible server (and Anthropic) answers. */
export const listEnvelope = z.object({ data: z.array(z.unknown()) });

const openAiItem = z.object({
  id: z.string().min(1).max(500),
  name: z.string().max(500).nullish(),
  /** OpenRouter. */
  context_length: count,
  /** vLLM. */
  max_model_len: count,
  /** LM Studio (v0 REST). */
  max_context_length: count,
  type: z.string().nullish(),
  capabilities: z.array(z.string()).nullish(),
  architecture: z.object({ input_modalities: z.array(z.string()).nullish(), output_modalities: z.array(z.string()).nullish() }).nullish(),
  pricing: z.object({
    prompt: z.string().nullish(), completion: z.string().nullish(),
    input_cache_read: z.string().nullish(), input_cache_write: z.string().nullish(),
  }).nullish(),
  supported_parameters: z.array(z.string()).nullish(),
});

/** USD per token as a string → USD per million tokens; undefined when absent, negative ("-1" = variable) or not a number. */
function perMillion(s: string | null | undefined): number | undefined {
  if (s === undefined || s === null || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e6 * 1e6) / 1e6 : undefined;
}

function defined<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One entry of an OpenAI-compatible (or LM Studio v0) listing; undefined for entries that are not chat models. */
export function readOpenAiItem(raw: unknown): DiscoveredModel | undefined {
  const r = openAiItem.safeParse(raw);
  if (!r.success) return undefined;
  const it = r.data;
  if (it.type === 'embeddings' || it.type === 'embedding') return undefined;
  const outputs = it.architecture?.output_modalities;
  if (outputs && outputs.length > 0 && !outputs.includes('text')) return undefined;
  const params = it.supported_parameters ?? undefined;
  const inputs = it.architecture?.input_modalities ?? undefined;
  const capabilities = defined<Partial<ModelCapabilities>>({
    // OpenRouter routes tool calls only to models that list "tools". LM Studio also runs models not
    // trained for tool use with its default tool format, so a missing "tool_use" says nothing.
    tools: params ? params.includes('tools') : it.capabilities?.includes('tool_use') ? true : undefined,
    images: inputs ? inputs.includes('image') : it.type === 'vlm' ? true : it.type === 'llm' ? false : undefined,
    reasoning: params ? params.includes('reasoning') || params.includes('include_reasoning') : undefined,
  });
  const input = perMillion(it.pricing?.prompt);
  const output = perMillion(it.pricing?.completion);
  const price = input !== undefined && output !== undefined
    ? { input, output, cacheRead: perMillion(it.pricing?.input_cache_read) ?? input, cacheWrite: perMillion(it.pricing?.input_cache_write) ?? input }
    : undefined;
  const contextWindow = it.context_length ?? it.max_model_len ?? it.max_context_length ?? undefined;
  return {
    id: it.id, ...(it.name ? { label: it.name } : {}), ...(contextWindow ? { contextWindow } : {}),
    ...(capabilities ? { capabilities } : {}), ...(price ? { price } : {}),
  };
}

const ollamaShow = z.object({
  capabilities: z.array(z.string()).nullish(),
  parameters: z.string().nullish(),
});

/**
 * What Ollama's `/api/show` says of a model: capabilities, and the window it is served with
 * (`num_ctx` in its parameters; the model's trained length is not used: Ollama cuts prompts
 * silently at num_ctx). `skip`: an embedding-only model.
 */
export function readOllamaShow(raw: unknown): { skip: boolean; contextWindow?: number; capabilities?: Partial<ModelCapabilities> } {
  const r = ollamaShow.safeParse(raw);
  if (!r.success) return { skip: false };
  const caps = r.data.capabilities ?? undefined;
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(r.data.parameters ?? '')?.[1];
  const contextWindow = numCtx ? Number(numCtx) : undefined;
  return {
    skip: caps !== undefined && caps.includes('embedding') && !caps.includes('completion'),
    ...(contextWindow ? { contextWindow } : {}),
    ...(caps ? { capabilities: { tools: caps.includes('tools'), images: caps.includes('vision'), reasoning: caps.includes('thinking') } } : {}),
  };
}

const supported = z.object({ supported: z.boolean() }).nullish();

const anthropicItem = z.object({
  id: z.string().min(1).max(500),
  display_name: z.string().max(500).nullish(),
  max_input_tokens: count,
  capabilities: z.object({ image_input: supported, thinking: supported }).nullish(),
});

/** A page of Anthropic's models endpoint. */
export const anthropicPage = z.object({
  data: z.array(z.unknown()),
  has_more: z.boolean().nullish(),
  last_id: z.string().nullish(),
});

/** One entry of Anthropic's listing (every Claude model calls tools). */
export function readAnthropicItem(raw: unknown): DiscoveredModel | undefined {
  const r = anthropicItem.safeParse(raw);
  if (!r.success) return undefined;
  const it = r.data;
  const capabilities = defined<Partial<ModelCapabilities>>({
    tools: true, images: it.capabilities?.image_input?.supported, reasoning: it.capabilities?.thinking?.supported,
  });
  return {
    id: it.id, ...(it.display_name ? { label: it.display_name } : {}),
    ...(it.max_input_tokens ? { contextWindow: it.max_input_tokens } : {}), ...(capabilities ? { capabilities } : {}),
  };
}
