/**
 * List prices in USD per million tokens, for cost display. Models not listed here (including newer
 * ones) cost `null` = unknown, never 0. Dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-haiku-4-5-20251001`) and routed names (`openai/gpt-5.1`) use their family's price.
 *
 * Checked 2026-12-02 against the copies of the vendors' price pages kept in our tool library's
 * search corpus (the build machine has no internet; re-check live when updating). Standard tier,
 * no batch / priority / regional surcharges; prompts within the standard context, no long-context premium:
 * - OpenAI: https://developers.openai.com/api/docs/pricing (formerly platform.openai.com/docs/pricing).
 *   Cached input has its own rate; OpenAI charges nothing extra for writing the cache (cacheWrite = input).
 * - Anthropic: https://platform.claude.com/docs/en/about-claude/pricing. Cache hits cost 0.1×, 5-minute
 *   cache writes 1.25× the input price (the 1-hour cache, 2×, is not used by this extension).
 */
import type { Usage } from './model';
import { normalizeModelName } from './model-names';

export interface ModelPrice {
  input: number;
  output: number;
  /** Cached prompt tokens read (OpenAI "cached input", Anthropic cache hits). */
  cacheRead: number;
  /** Prompt tokens written to the cache (Anthropic 5-minute cache write; OpenAI: same as input). */
  cacheWrite: number;
}

const p = (input: number, output: number, cacheRead: number, cacheWrite = input): ModelPrice => ({ input, output, cacheRead, cacheWrite });
/** Anthropic: cache reads cost 0.1×, 5-minute cache writes 1.25× the input price. */
const claude = (input: number, output: number): ModelPrice => p(input, output, input * 0.1, input * 1.25);

export const PRICES_CHECKED = '2026-12-02';

export const PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI GPT-5 family
  'gpt-5.3-codex': p(1.75, 14, 0.175),
  'gpt-5.2': p(1.75, 14, 0.175),
  'gpt-5.2-codex': p(1.75, 14, 0.175),
  'gpt-5.1': p(1.25, 10, 0.125),
  'gpt-5.1-codex': p(1.25, 10, 0.125),
  'gpt-5.1-codex-max': p(1.25, 10, 0.125),
  'gpt-5.1-codex-mini': p(0.25, 2, 0.025),
  'gpt-5.1-chat-latest': p(1.25, 10, 0.125),
  'gpt-5': p(1.25, 10, 0.125),
  'gpt-5-codex': p(1.25, 10, 0.125),
  'gpt-5-chat-latest': p(1.25, 10, 0.125),
  'gpt-5-mini': p(0.25, 2, 0.025),
  'gpt-5-nano': p(0.05, 0.4, 0.005),
  // OpenAI GPT-4 family
  'gpt-4.1': p(2, 8, 0.5),
  'gpt-4.1-mini': p(0.4, 1.6, 0.1),
  'gpt-4.1-nano': p(0.1, 0.4, 0.025),
  'gpt-4o': p(2.5, 10, 1.25),
  'gpt-4o-mini': p(0.15, 0.6, 0.075),
  'gpt-4-turbo': p(10, 30, 10),
  'gpt-3.5-turbo': p(0.5, 1.5, 0.5),
  // OpenAI o-series
  o1: p(15, 60, 7.5),
  'o1-mini': p(1.1, 4.4, 0.55),
  o3: p(2, 8, 0.5),
  'o3-pro': p(20, 80, 20),
  'o3-mini': p(1.1, 4.4, 0.55),
  'o4-mini': p(1.1, 4.4, 0.275),
  'codex-mini-latest': p(1.5, 6, 0.375),
  // Anthropic
  'claude-opus-4-6': claude(5, 25),
  'claude-sonnet-4-6': claude(3, 15),
  'claude-opus-4-5': claude(5, 25),
  'claude-sonnet-4-5': claude(3, 15),
  'claude-haiku-4-5': claude(1, 5),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4': claude(15, 75),
  'claude-sonnet-4': claude(3, 15),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-3-5-sonnet': claude(3, 15),
  'claude-3-5-haiku': claude(0.8, 4),
  'claude-3-haiku': p(0.25, 1.25, 0.03, 0.3),
};

/** A profile's own price for a model (by exact, then normalised name), or undefined. */
export function overridePriceOf(model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  if (!overrides) return undefined;
  const name = normalizeModelName(model);
  return Object.hasOwn(overrides, model) ? overrides[model] : Object.hasOwn(overrides, name) ? overrides[name] : undefined;
}

/** The price entry of a model (a profile's override first, by exact then normalised name), or undefined when unknown. */
export function priceOf(model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const own = overridePriceOf(model, overrides);
  if (own) return own;
  const name = normalizeModelName(model);
  return Object.hasOwn(PRICES, name) ? PRICES[name] : undefined;
}

/**
 * Cost of one request in USD, or `null` when the model's price is unknown (show "unknown", not $0).
 * `usage.inputTokens` includes cached tokens; cached reads/writes are billed at their own rates.
 */
export function costOf(model: string, usage: Usage, overrides?: Readonly<Record<string, ModelPrice>>): number | null {
  const price = priceOf(model, overrides);
  if (!price) return null;
  const read = usage.cacheReadTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  const plain = Math.max(0, usage.inputTokens - read - write);
  return (plain * price.input + read * price.cacheRead + write * price.cacheWrite + usage.outputTokens * price.output) / 1_000_000;
}
