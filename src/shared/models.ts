/**
 * What we know of models: context windows (total tokens: prompt + output) and capabilities
 * (tool calling, image input, reasoning). Checked against the vendors' model pages as of
 * 2026-12 (https://developers.openai.com/api/docs/models, https://platform.claude.com/docs/en/about-claude/models/overview);
 * local models (Ollama, LM Studio) by their Ollama library capabilities.
 *
 * Unknown models get {@link DEFAULT_CONTEXT_WINDOW}, deliberately modest: local servers (Ollama,
 * LM Studio) often run with small windows, and underestimating only makes compaction happen
 * earlier, never overflow. Sessions can override the window in their config.
 *
 * Layers, first wins: a profile's override (settings), then what the server's listing says
 * (`/v1/models`, Anthropic's models endpoint), then this table.
 */
import type { ModelCapabilities } from './model';
import { normalizeModelName } from './model-names';

export const DEFAULT_CONTEXT_WINDOW = 32_768;

/** A profile's per-model override (settings) or what a server's listing says about a model. */
export interface ModelOverride extends Partial<ModelCapabilities> {
  contextWindow?: number;
}

interface ModelSpec {
  window?: number;
  caps: ModelCapabilities;
}

/** `flags`: T = tools, I = image input, R = reasoning (effort or thinking budget applies). */
const m = (window: number | undefined, flags: string): ModelSpec => ({
  ...(window !== undefined ? { window } : {}),
  caps: { tools: flags.includes('T'), images: flags.includes('I'), reasoning: flags.includes('R') },
});

const SPECS: Readonly<Record<string, ModelSpec>> = {
  // OpenAI GPT-5 family (reasoning models; the codex ones speak the Responses API only).
  'gpt-5.3-codex': m(400_000, 'TIR'),
  'gpt-5.2': m(400_000, 'TIR'),
  'gpt-5.2-codex': m(400_000, 'TIR'),
  'gpt-5.1': m(400_000, 'TIR'),
  'gpt-5.1-codex': m(400_000, 'TIR'),
  'gpt-5.1-codex-max': m(400_000, 'TIR'),
  'gpt-5.1-codex-mini': m(400_000, 'TIR'),
  'gpt-5': m(400_000, 'TIR'),
  'gpt-5-codex': m(400_000, 'TIR'),
  'gpt-5-mini': m(400_000, 'TIR'),
  'gpt-5-nano': m(400_000, 'TIR'),
  // ChatGPT's chat model: no function calling.
  'gpt-5-chat-latest': m(128_000, 'I'),
  'gpt-5.1-chat-latest': m(128_000, 'I'),
  'gpt-4.1': m(1_047_576, 'TI'),
  'gpt-4.1-mini': m(1_047_576, 'TI'),
  'gpt-4.1-nano': m(1_047_576, 'TI'),
  'gpt-4o': m(128_000, 'TI'),
  'gpt-4o-mini': m(128_000, 'TI'),
  'gpt-4-turbo': m(128_000, 'TI'),
  'gpt-3.5-turbo': m(16_385, 'T'),
  // o-series. o1-mini and o1-preview never had function calling.
  o1: m(200_000, 'TIR'),
  'o1-mini': m(128_000, 'R'),
  'o1-preview': m(128_000, 'R'),
  o3: m(200_000, 'TIR'),
  'o3-pro': m(200_000, 'TIR'),
  'o3-mini': m(200_000, 'TR'),
  'o4-mini': m(200_000, 'TIR'),
  'codex-mini-latest': m(200_000, 'TIR'),
  // Anthropic (200k standard windows; 1M ones are opt-in betas).
  'claude-opus-4-6': m(200_000, 'TIR'),
  'claude-sonnet-4-6': m(200_000, 'TIR'),
  'claude-opus-4-5': m(200_000, 'TIR'),
  'claude-sonnet-4-5': m(200_000, 'TIR'),
  'claude-haiku-4-5': m(200_000, 'TIR'),
  'claude-opus-4-1': m(200_000, 'TIR'),
  'claude-opus-4': m(200_000, 'TIR'),
  'claude-sonnet-4': m(200_000, 'TIR'),
  'claude-3-7-sonnet': m(200_000, 'TIR'),
  'claude-3-5-sonnet': m(200_000, 'TI'),
  'claude-3-5-haiku': m(200_000, 'TI'),
  'claude-3-haiku': m(200_000, 'TI'),
  // Local models (Ollama library names; the window is whatever the server runs them with).
  'qwen2.5-coder': m(undefined, 'T'),
  'qwen3-coder': m(undefined, 'T'),
  qwen3: m(undefined, 'TR'),
  'llama3.1': m(undefined, 'T'),
  'llama3.2': m(undefined, 'T'),
  'gpt-oss': m(undefined, 'TR'),
  'deepseek-r1': m(undefined, 'TR'),
  // Gemma 3 in Ollama has no tool template: tool calls are refused with a 400.
  gemma3: m(undefined, 'I'),
  codellama: m(undefined, ''),
};

/** Table name of a model: normalised, without an Ollama tag (`qwen2.5-coder:7b`). */
function tableName(model: string): string {
  return normalizeModelName(model).replace(/:[\w.-]+$/, '');
}

function specOf(model: string): ModelSpec | undefined {
  const name = tableName(model);
  if (Object.hasOwn(SPECS, name)) return SPECS[name];
  // Every Claude model has tools and images; thinking from 3.7 on.
  if (name.startsWith('claude-')) return m(200_000, /^claude-3-(5|opus|sonnet|haiku)/.test(name) ? 'TI' : 'TIR');
  return undefined;
}

/** The entry of `model` in per-model overrides: exact name first, then normalised, then without tag. */
export function overrideFor<T>(overrides: Readonly<Record<string, T>> | undefined, model: string): T | undefined {
  if (!overrides) return undefined;
  for (const key of [model, normalizeModelName(model), tableName(model)]) {
    if (Object.hasOwn(overrides, key)) return overrides[key];
  }
  return undefined;
}

/** The known window of `model`, or undefined. Layers (override, listing) first when given. */
export function knownContextWindow(model: string, ...layers: (ModelOverride | undefined)[]): number | undefined {
  for (const l of layers) if (l?.contextWindow !== undefined) return l.contextWindow;
  return specOf(model)?.window;
}

/** The context window of `model` in tokens, {@link DEFAULT_CONTEXT_WINDOW} when unknown. */
export function contextWindowOf(model: string, ...layers: (ModelOverride | undefined)[]): number {
  return knownContextWindow(model, ...layers) ?? DEFAULT_CONTEXT_WINDOW;
}

/**
 * What `model` can do: each field from the first layer that says (a profile override, then a
 * server's listing), else the table. Undefined when nothing is known of the model at all;
 * fields no layer knows are assumed possible for tools (they are tried) and absent otherwise.
 */
export function capabilitiesOf(model: string, ...layers: (Partial<ModelCapabilities> | undefined)[]): ModelCapabilities | undefined {
  const table = specOf(model)?.caps;
  const known = layers.filter((l): l is Partial<ModelCapabilities> => l !== undefined && CAPABILITY_KEYS.some((k) => typeof l[k] === 'boolean'));
  if (!table && known.length === 0) return undefined;
  const pick = (k: keyof ModelCapabilities, fallback: boolean): boolean => {
    for (const l of known) if (typeof l[k] === 'boolean') return l[k];
    return table ? table[k] : fallback;
  };
  return { tools: pick('tools', true), images: pick('images', false), reasoning: pick('reasoning', false) };
}

const CAPABILITY_KEYS = ['tools', 'images', 'reasoning'] as const;

/** True only when a layer or the table says the model cannot call tools (unknown models are tried). */
export function lacksTools(model: string, ...layers: (Partial<ModelCapabilities> | undefined)[]): boolean {
  return capabilitiesOf(model, ...layers)?.tools === false;
}
