/**
 * List prices in USD per million tokens, for cost display. Checked against the providers' public
 * price pages as of 2025-11; models not listed here (including newer ones) cost `null` = unknown,
 * never 0. Dated snapshots (`gpt-4o-2024-08-06`, `claude-haiku-4-5-20251001`) use their family's price.
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

export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5.1': p(1.25, 10, 0.125),
  'gpt-5': p(1.25, 10, 0.125),
  'gpt-5-mini': p(0.25, 2, 0.025),
  'gpt-5-nano': p(0.05, 0.4, 0.005),
  'gpt-4.1': p(2, 8, 0.5),
  'gpt-4.1-mini': p(0.4, 1.6, 0.1),
  'gpt-4.1-nano': p(0.1, 0.4, 0.025),
  'gpt-4o': p(2.5, 10, 1.25),
  'gpt-4o-mini': p(0.15, 0.6, 0.075),
  'gpt-4-turbo': p(10, 30, 10),
  'gpt-3.5-turbo': p(0.5, 1.5, 0.5),
  o1: p(15, 60, 7.5),
  o3: p(2, 8, 0.5),
  'o3-mini': p(1.1, 4.4, 0.55),
  'o4-mini': p(1.1, 4.4, 0.275),
  'claude-opus-4-5': claude(5, 25),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4': claude(15, 75),
  'claude-sonnet-4-5': claude(3, 15),
  'claude-sonnet-4': claude(3, 15),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-3-5-sonnet': claude(3, 15),
  'claude-haiku-4-5': claude(1, 5),
  'claude-3-5-haiku': claude(0.8, 4),
  'claude-3-haiku': p(0.25, 1.25, 0.03, 0.3),
};

/** The price entry of a model (a profile's override first, by exact then normalised name), or undefined when unknown. */
export function priceOf(model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const name = normalizeModelName(model);
  if (overrides) {
    const own = Object.hasOwn(overrides, model) ? overrides[model] : Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (own) return own;
  }
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
