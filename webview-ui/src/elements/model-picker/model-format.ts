/** How the model picker describes a model: context window, capability badges, price; and its filter. */
import type { ModelCapabilities } from '../../../../src/shared/model';
import type { ModelInfo } from '../../../../src/shared/protocol';

/** 128000 → "128k", 1048576 → "1M", 200000 → "200k" (a context window, compact). */
export function formatWindow(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}k`;
  return String(tokens);
}

/** USD per million tokens: "$10", "$1.25", "$0.075", "$0" (free, e.g. a local model). */
export function formatUsd(perMillion: number): string {
  if (perMillion === 0) return '$0';
  return `$${Number(perMillion >= 1 ? perMillion.toFixed(2) : perMillion.toPrecision(2))}`;
}

/** "$1.25 / $10 per M" (input / output), or undefined when the price is unknown. */
export function formatPrice(m: ModelInfo): string | undefined {
  return m.price ? `${formatUsd(m.price.input)} / ${formatUsd(m.price.output)} per M` : undefined;
}

/** The badges a model earns, with what each means (only capabilities it has). */
export function capabilityBadges(c: ModelCapabilities | undefined): Array<{ text: string; title: string }> {
  if (!c) return [];
  const out: Array<{ text: string; title: string }> = [];
  if (c.tools) out.push({ text: 'tools', title: 'Calls tools' });
  if (c.images) out.push({ text: 'images', title: 'Reads images' });
  if (c.reasoning) out.push({ text: 'reasoning', title: 'Reasons before answering (effort or thinking budget applies)' });
  return out;
}

/** Models whose id or label contains every word of `query` (case-insensitive); all for a blank query. */
export function filterModels(models: readonly ModelInfo[], query: string): ModelInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...models];
  return models.filter((m) => {
    const hay = `${m.id} ${m.label ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** One line for a model's tooltip and accessible description: "128k context · tools · $1.25 / $10 per M". */
export function describeModel(m: ModelInfo): string {
  return [
    m.contextWindow ? `${formatWindow(m.contextWindow)} context` : undefined,
    ...capabilityBadges(m.capabilities).map((b) => b.text),
    formatPrice(m),
  ].filter(Boolean).join(' · ');
}
