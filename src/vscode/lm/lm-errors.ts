/**
 * VS Code Language Model API failures → our error vocabulary. Pure (no `vscode` import): it reads
 * only what a `LanguageModelError` carries (`code`, `message`, `cause`), so it is unit-tested in Node.
 *
 * What the API and Copilot actually throw (vscode.d.ts `LanguageModelChat.sendRequest`, Copilot bug
 * reports): `NoPermissions` (the user has not allowed, or declined, our access: the consent dialog),
 * `NotFound` (the model is gone), `Blocked` (quota limits exceeded), and `Unknown` with the real error in
 * `cause` — Copilot's texts "Sorry, your request was rate-limited. Please wait 3 hours 23 minutes…",
 * "…exhausted this model's rate limit. Please wait 78 seconds…", "You have exceeded your premium request
 * allowance…", "You've reached your monthly chat messages quota", `402 … "code":"quota_exceeded"`.
 */
import { AgentError } from '../../core/base/errors';

/** What a thrown error looks like here (a `LanguageModelError`, a `CancellationError`, anything). */
export interface LmErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Who serves the model, for the messages ("GitHub Copilot", the contributing extension's vendor id). */
export interface LmErrorContext {
  vendorLabel?: string;
  model?: string;
}

export const LM_CONSENT_HINT =
  'VS Code asks once whether Agent Sessions may use its language models: send again and choose "Allow". ' +
  'If you declined, allow it under Accounts (the person icon) → "Manage Language Model Access…".';

const RATE_TEXT = /rate[- ]?limit|too many requests|\b429\b/i;
const QUOTA_TEXT = /quota|premium request|allowance|\b402\b|insufficient[_ ]?(credit|funds|balance)|billing/i;
const CONTEXT_TEXT = /context[_ ]length|context window|too many tokens|prompt is too long|maximum context|token limit/i;
const TOOLS_TEXT = /(does not|doesn't|do not) support (tool|function)|tools? (are |is )?not supported|tool calling is not supported/i;
const UNITS_MS: Record<string, number> = { second: 1_000, sec: 1_000, minute: 60_000, min: 60_000, hour: 3_600_000, hr: 3_600_000, day: 86_400_000 };

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Every message along the `cause` chain (Copilot puts the server's reason in `cause`). */
function messagesOf(e: LmErrorLike): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const m = text((cur as LmErrorLike).message);
    if (m && !out.includes(m)) out.push(m);
    cur = (cur as LmErrorLike).cause;
  }
  if (typeof cur === 'string' && cur.trim()) out.push(cur);
  return out;
}

/**
 * The wait a message asks for, in ms: "wait 78 seconds", "wait 3 hours 23 minutes", "wait 1 minutes".
 * Undefined when it names none ("wait a moment").
 */
export function parseLmRetryAfter(message: string): number | undefined {
  const after = /\b(?:wait|retry (?:in|after)|try again in)\b(.{0,80})/i.exec(message)?.[1];
  if (!after) return undefined;
  let total = 0;
  let found = false;
  for (const m of after.matchAll(/(\d+(?:\.\d+)?)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)\b/gi)) {
    const unit = m[2]!.toLowerCase().replace(/s$/, '');
    const ms = UNITS_MS[unit];
    if (ms === undefined) continue;
    total += Number(m[1]) * ms;
    found = true;
  }
  return found ? Math.round(total) : undefined;
}

/**
 * Normalises a failure of `selectChatModels` / `sendRequest` / the response stream. `aborted`: our
 * own signal was aborted (whatever was thrown, it is a cancellation).
 */
export function lmErrorToAgentError(error: unknown, context: LmErrorContext = {}, aborted = false): AgentError {
  if (error instanceof AgentError) return error;
  const e: LmErrorLike = error && typeof error === 'object' ? (error as LmErrorLike) : { message: String(error) };
  const code = text(e.code);
  const name = text(e.name);
  const messages = messagesOf(e);
  const all = messages.join(' — ');
  const message = all || (code ? `Language model error ${code}.` : 'The language model request failed.');
  const who = context.vendorLabel ?? 'the model\'s vendor';
  const model = context.model ? `"${context.model}"` : 'The model';
  const cause = error;
  if (aborted || name === 'Canceled' || name === 'AbortError' || code === 'Canceled') return new AgentError('cancelled', 'Cancelled.', { cause });
  if (code === 'NoPermissions') {
    return new AgentError('auth', `Agent Sessions may not use VS Code's language models yet (${message})`, { hint: LM_CONSENT_HINT, retryable: false, cause });
  }
  if (code === 'NotFound') {
    return new AgentError('not_found', `${model} is not available in VS Code any more: ${message}`, {
      hint: 'Pick another model: the extension that contributed it may be disabled or signed out.', cause,
    });
  }
  if (RATE_TEXT.test(all)) {
    const retryAfterMs = parseLmRetryAfter(all);
    return new AgentError('rate_limited', message, {
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), status: 429, cause,
      hint: `${who} is rate limiting this model; it is retried after the wait, or switch to another model.`,
    });
  }
  if (code === 'Blocked' || QUOTA_TEXT.test(all)) {
    return new AgentError('quota_exceeded', message, {
      retryable: false, cause,
      hint: `Your ${who} quota for this model is used up: waiting does not help. Pick a model your plan includes, or raise the limit with ${who}.`,
    });
  }
  if (CONTEXT_TEXT.test(all)) {
    return new AgentError('context_overflow', message, { cause, hint: 'The conversation is longer than the model\'s context window: compact the session or start a new one.' });
  }
  if (TOOLS_TEXT.test(all)) {
    return new AgentError('unsupported', `${model} cannot call tools: ${message}`, { cause, hint: 'Pick a model that supports tool calling.' });
  }
  return new AgentError('unknown', message, { cause });
}
