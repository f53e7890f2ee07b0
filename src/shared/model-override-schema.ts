/**
 * Runtime schemas of a profile's per-model overrides (settings `agentSessions.providers[].modelOverrides`
 * and `prices`). Apart from models.ts / pricing.ts so the webview bundle, which reads those tables, gets no zod.
 */
import { z } from 'zod';
import type { ModelOverride } from './models';
import type { ModelPrice } from './pricing';

/** What a profile says of one model: its window and capabilities, each optional. */
export const modelOverrideSchema = z.strictObject({
  contextWindow: z.number().int().min(1_024).max(100_000_000).optional(),
  tools: z.boolean().optional(),
  images: z.boolean().optional(),
  reasoning: z.boolean().optional(),
}) satisfies z.ZodType<ModelOverride>;

const usdPerMillion = z.number().min(0).max(10_000);

/** A profile's price for one model, USD per million tokens; cache rates default to the input price. */
export const modelPriceSchema = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cacheRead: usdPerMillion.optional(),
  cacheWrite: usdPerMillion.optional(),
}).transform((p): ModelPrice => ({ input: p.input, output: p.output, cacheRead: p.cacheRead ?? p.input, cacheWrite: p.cacheWrite ?? p.input }));
