import type { HistoryMessage, Usage } from '../../shared/model';
import type { ContextUsage, SessionConfig } from '../../shared/session';
import { estimateMessage } from './tokens';

/** Used when neither the config nor the model table knows the window. */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

/** Known windows by model-name prefix (longest prefix wins). Kept small on purpose. */
const KNOWN_WINDOWS: ReadonlyArray<[string, number]> = [
  ['claude-', 200_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['gpt-5', 400_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
];

/** The model's context window: the session's explicit setting, else the table, else the default. */
export function contextWindowFor(config: Pick<SessionConfig, 'model' | 'contextWindow'>): number {
  if (config.contextWindow && config.contextWindow > 0) return config.contextWindow;
  let best: [string, number] | undefined;
  for (const entry of KNOWN_WINDOWS) {
    if (config.model.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : DEFAULT_CONTEXT_WINDOW;
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
