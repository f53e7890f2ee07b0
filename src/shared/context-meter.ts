import type { HistoryMessage, Usage } from './model';
import type { ContextUsage, SessionConfig } from './session';
import { estimateMessage } from './tokens';
import { contextWindowOf } from './models';

/** The model's context window: the session's explicit setting, else the providers' model table. */
export function contextWindowFor(config: Pick<SessionConfig, 'model' | 'contextWindow'>): number {
  return config.contextWindow && config.contextWindow > 0 ? config.contextWindow : contextWindowOf(config.model);
}

/**
 * Context meter state: `base` is what the provider last reported (input + output of the last
 * request, since the answer becomes input next time), `added` the estimate of what joined the
 * history since. Before any request `base` is the estimate of the whole history.
 */
export interface MeterState {
  base: number;
  added: number;
}

export function emptyMeter(): MeterState {
  return { base: 0, added: 0 };
}

/** A request finished with this usage: provider numbers replace the estimate. */
export function meterOnUsage(usage: Usage): MeterState {
  return { base: usage.inputTokens + usage.outputTokens, added: 0 };
}

/** A message joined the history after the last reported request. */
export function meterOnMessage(meter: MeterState, message: HistoryMessage): MeterState {
  return { base: meter.base, added: meter.added + estimateMessage(message) };
}

/** The meter as the UI shows it. */
export function contextUsage(meter: MeterState, window: number): ContextUsage {
  const tokens = meter.base + meter.added;
  return { tokens, window, fraction: window > 0 ? tokens / window : 0 };
}
