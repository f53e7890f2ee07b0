/**
 * Titles for untitled sessions from their first prompt: at once the prompt's first words, then —
 * when the session's model is cheap (input ≤ $1 per million tokens, or a keyless local server) —
 * a short title written by that model in one small request. Recorded through `Session.rename`
 * (`session.renamed`); never replaces a title the user gave, never blocks or fails the turn.
 */
import type { SessionConfig } from './types';
import type { ModelProvider } from '../providers/types';
import type { TurnEnv } from './turn-host';
import { endpointBaseUrl, resolveEndpoint } from './endpoint';
import { toAgentError } from '../base/errors';

/** The title a session gets when it is created without one (creation.ts). */
export const UNTITLED = 'New session';
/** At most this many words and characters for a title made from the prompt. */
export const TITLE_MAX_WORDS = 6;
export const TITLE_MAX_CHARS = 48;
/** A model is cheap enough for a title request at or below this input price (USD per million tokens). */
export const CHEAP_INPUT_USD_PER_M = 1;
/** How long the title request may take before it is given up. */
const TITLE_TIMEOUT_MS = 20_000;
/** Characters of the prompt sent for the title. */
const PROMPT_CHARS = 2_000;

const TITLE_SYSTEM = 'You name chat sessions. Reply with a title of at most six words for the user\'s request: no quotes, no punctuation at the end, nothing else.';

/** The session side a titler needs (Session implements it). */
export interface TitledSession {
  readonly id: string;
  readonly data: { readonly title: string; readonly config: SessionConfig; readonly history: readonly { role: string }[] };
  rename(title: string): void;
}

/** Options of automatic titles (SessionManagerDeps.autoTitle). */
export interface AutoTitleOptions {
  /** Ask a cheap session model for a title after the first-words one (default true). */
  generate?: boolean;
}

/** Text without markdown decoration, links, code fences or line breaks, one space between words. */
export function plainText(text: string): string {
  return text
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[`*_~#>]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first words of a prompt as a title (≤ TITLE_MAX_WORDS words, ≤ TITLE_MAX_CHARS characters); '' when nothing is left. */
export function firstWordsTitle(prompt: string): string {
  const words = plainText(prompt).split(' ').filter(Boolean).slice(0, TITLE_MAX_WORDS);
  let title = '';
  for (const w of words) {
    const next = title ? `${title} ${w}` : w;
    if (next.length > TITLE_MAX_CHARS) break;
    title = next;
  }
  if (!title && words[0]) title = `${words[0].slice(0, TITLE_MAX_CHARS - 1)}…`;
  return title.replace(/[\s,;:.!?-]+$/, '');
}

/** A model's answer made into a title: first line, no quotes or "Title:" prefix, clipped; '' when unusable. */
export function cleanGeneratedTitle(answer: string): string {
  const line = plainText(answer.split('\n').find((l) => l.trim()) ?? '')
    .replace(/^title\s*:\s*/i, '')
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .replace(/[\s.!,;:]+$/, '')
    .trim();
  if (!line) return '';
  return line.length > TITLE_MAX_CHARS + 12 ? firstWordsTitle(line) : line;
}

function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * Whether a title may be asked of the session's model: its input price is at most
 * CHEAP_INPUT_USD_PER_M (price table or the profile's override), or it is a local server
 * reached without a key. Unknown prices are not cheap.
 */
export async function isCheapForTitles(env: Pick<TurnEnv, 'costOf' | 'secrets' | 'profileEndpoint'>, cfg: SessionConfig): Promise<boolean> {
  const perMillion = env.costOf(cfg.model, { inputTokens: 1_000_000, outputTokens: 0 }, cfg.providerId);
  if (perMillion !== null && perMillion <= CHEAP_INPUT_USD_PER_M) return true;
  if (cfg.providerKind === 'vscode-lm') return false;
  // Only a loopback endpoint is asked for its key (so a key bound elsewhere never prompts for a title).
  if (!isLoopback(endpointBaseUrl(env, cfg))) return false;
  const endpoint = await resolveEndpoint(env, cfg);
  return !endpoint.apiKey;
}

/** One small request for a title: the prompt (clipped), no tools, no history; the cleaned answer. */
export async function generateTitle(provider: ModelProvider, cfg: SessionConfig, prompt: string, signal: AbortSignal): Promise<string> {
  let answer = '';
  for await (const ev of provider.stream({
    model: cfg.model, system: TITLE_SYSTEM, tools: [], signal,
    messages: [{ id: 'title', role: 'user', content: `Request:\n${prompt.slice(0, PROMPT_CHARS)}` }],
    // Reasoning models spend output tokens on thinking: ask for little of it rather than capping the output.
    ...(cfg.reasoningEffort ? { reasoningEffort: 'low' as const } : { maxOutputTokens: 40 }),
  }, { ...(cfg.streamIdleTimeoutMs ? { idleTimeoutMs: cfg.streamIdleTimeoutMs } : {}) })) {
    if (ev.type === 'text_delta') answer += ev.text;
  }
  return cleanGeneratedTitle(answer);
}

/** Whether `session` still has the title it was created with and `prompt` is its first. */
function isFirstPromptOfUntitled(session: TitledSession): boolean {
  return session.data.title === UNTITLED && session.data.history.filter((m) => m.role === 'user').length <= 1;
}

/**
 * Call right after a prompt was sent (started or queued). For an untitled session's first
 * prompt: renames it to the prompt's first words now, then (options.generate, cheap model)
 * asks the model for a better one in the background and renames again only if the title is still
 * the first-words one. Returns the background work (tests await it); it never rejects.
 */
export function titleFromFirstPrompt(session: TitledSession, env: TurnEnv, prompt: string, options: AutoTitleOptions = {}): Promise<void> {
  if (!isFirstPromptOfUntitled(session)) return Promise.resolve();
  const words = firstWordsTitle(prompt);
  if (!words) return Promise.resolve();
  try {
    session.rename(words);
  } catch (e) {
    env.logger.warn(`Could not title session ${session.id}: ${toAgentError(e).message}`);
    return Promise.resolve();
  }
  if (options.generate === false) return Promise.resolve();
  const cfg = structuredClone(session.data.config);
  return (async () => {
    if (!(await isCheapForTitles(env, cfg))) return;
    const provider = env.createProvider(await resolveEndpoint(env, cfg));
    const title = await generateTitle(provider, cfg, prompt, AbortSignal.timeout(TITLE_TIMEOUT_MS));
    // The user (or anything else) renamed it meanwhile: theirs stays.
    if (title && title !== words && session.data.title === words) session.rename(title);
  })().catch((e: unknown) => {
    env.logger.warn(`No generated title for session ${session.id}: ${toAgentError(e).message}`);
  });
}
