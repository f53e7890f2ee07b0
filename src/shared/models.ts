/**
 * Context windows (total tokens: prompt + output) of known models. Unknown models get
 * {@link DEFAULT_CONTEXT_WINDOW}, deliberately modest: local servers (Ollama, LM Studio) often run
 * with small windows, and underestimating only makes compaction happen earlier, never overflow.
 * Sessions can override the window in their config.
 */
import { normalizeModelName } from './model-names';

export const DEFAULT_CONTEXT_WINDOW = 32_768;

const WINDOWS: Readonly<Record<string, number>> = {
  'gpt-5.1': 400_000,
  'gpt-5': 400_000,
  'gpt-5-mini': 400_000,
  'gpt-5-nano': 400_000,
  'gpt-4.1': 1_047_576,
  'gpt-4.1-mini': 1_047_576,
  'gpt-4.1-nano': 1_047_576,
  'gpt-4o': 128_000,
  'gpt-4o-mini': 128_000,
  'gpt-4-turbo': 128_000,
  'gpt-3.5-turbo': 16_385,
  o1: 200_000,
  o3: 200_000,
  'o3-mini': 200_000,
  'o4-mini': 200_000,
};

/** Every Claude model so far has a 200k window (larger ones are opt-in betas). */
const CLAUDE_WINDOW = 200_000;

/** The known window of `model`, or undefined. */
export function knownContextWindow(model: string): number | undefined {
  const name = normalizeModelName(model);
  return WINDOWS[name] ?? (name.startsWith('claude-') ? CLAUDE_WINDOW : undefined);
}

/** The context window of `model` in tokens, {@link DEFAULT_CONTEXT_WINDOW} when unknown. */
export function contextWindowOf(model: string): number {
  return knownContextWindow(model) ?? DEFAULT_CONTEXT_WINDOW;
}
