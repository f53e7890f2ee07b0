/**
 * Secret redaction for everything core records or reports: event bodies (message content, tool
 * arguments and results, approval summaries, errors), hence the log, the checkpoint, the index
 * and the webview. The host feeds a {@link SecretRedactor} with the keys it knows (read from or
 * stored into SecretStorage, MCP secret inputs); key-shaped strings and credential headers are
 * caught without knowing them.
 *
 * What is recorded is also what the model reads back, so the generic rules only take values that
 * look like credentials (long, letters and digits, token characters): `Bearer ${token}` or
 * `x-api-key: process.env.KEY` in source code stay as they are, and edits of such code still match.
 */
import { AgentError } from './errors';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Replaces secrets in text. */
export interface Redactor {
  /** `text` with every secret replaced by {@link REDACTED}; the same string when there is none. */
  redact(text: string): string;
}

/** Shortest known value redacted in recorded text (shorter ones would hit ordinary words). */
const MIN_KNOWN = 8;
/** Known values this long are also redacted when only a piece of them is echoed. */
const MIN_FRAGMENTED = 20;
/** Length of the head / tail piece that identifies a known value in a truncated echo. */
const PIECE = 12;

/** Characters of a token (RFC 7235 token68 and the usual key alphabets). */
const TOKEN_CHARS = 'A-Za-z0-9\\-._~+/';

/** Well-known key shapes (the prefixes providers give their keys), long enough to be real keys. */
const KEY_SHAPES = new RegExp([
  `\\bsk-(?:ant-|proj-|svcacct-|or-)?[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic, OpenRouter
  `\\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}`, // GitHub
  `\\bAIza[0-9A-Za-z_-]{30,}`, // Google
  `\\bxox[abpors]-[A-Za-z0-9-]{10,}`, // Slack
  `\\bhf_[A-Za-z0-9]{20,}`, // Hugging Face
  `\\bgsk_[A-Za-z0-9]{20,}`, // Groq
].join('|'), 'g');

/**
 * A credential after its label: `Bearer v`, `Authorization: v`, `"x-api-key": "v"`, Go's
 * `Authorization:[Bearer v]`. Group 1 keeps the label, group 2 is the value.
 */
const LABELLED = new RegExp(
  `(\\b(?:proxy-authorization|authorization|x-api-key|api-key|x-goog-api-key|x-auth-token)\\b["']?\\s*[:=]\\s*["'\\[]?\\s*(?:(?:bearer|basic|token)\\s+)?|\\bbearer\\s+)([${TOKEN_CHARS}]+=*)`,
  'gi',
);

/** A value that can be a credential: long enough, letters and digits (`${token}`, `apiKey`, `<KEY>` are not). */
function looksLikeCredential(value: string): boolean {
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Pieces of a known value that identify it in a truncated echo (`sk-ant-api03-AbCd…`, `…wXyZ1234`). */
interface Pieces { head: string; tail: string; re: RegExp }

function piecesOf(secret: string): Pieces | undefined {
  if (secret.length < MIN_FRAGMENTED) return undefined;
  const head = secret.slice(0, PIECE);
  const tail = secret.slice(-PIECE);
  return { head, tail, re: new RegExp(`[${TOKEN_CHARS}]*(?:${escapeRe(head)}|${escapeRe(tail)})[${TOKEN_CHARS}]*`, 'g') };
}

function redactKnown(text: string, secret: string, pieces: Pieces | undefined): string {
  let out = text.includes(secret) ? text.split(secret).join(REDACTED) : text;
  // The regex only where a piece occurs: its leading token run would backtrack over every word.
  if (pieces && (out.includes(pieces.head) || out.includes(pieces.tail))) {
    pieces.re.lastIndex = 0;
    out = out.replace(pieces.re, REDACTED);
  }
  return out;
}

/** The rules that need no known value: key shapes, then labelled credentials. */
function redactShapes(text: string): string {
  const out = text.replace(KEY_SHAPES, (m) => (/\d/.test(m) ? REDACTED : m));
  return out.replace(LABELLED, (m, label: string, value: string) => (looksLikeCredential(value) ? `${label}${REDACTED}` : m));
}

/** Redacts `text` with the generic rules and the exact (and truncated) `known` values. */
export function redactSecrets(text: string, known: Iterable<string> = []): string {
  let out = text;
  for (const secret of known) {
    if (secret.length >= MIN_KNOWN) out = redactKnown(out, secret, piecesOf(secret));
  }
  return redactShapes(out);
}

/** The generic rules only (no known values): what core uses when the host gave it no redactor. */
export const patternRedactor: Redactor = { redact: (text) => redactSecrets(text) };

/**
 * The known secret values of this process, fed by the host (SecretStorage reads and writes, MCP
 * secret inputs); redacts them, their truncated echoes and the generic shapes. Iterable so the
 * log redactor can use the same values (with its own, broader rules).
 */
export class SecretRedactor implements Redactor, Iterable<string> {
  private readonly values = new Map<string, Pieces | undefined>();

  add(value: string | undefined): void {
    if (value && !this.values.has(value)) this.values.set(value, piecesOf(value));
  }

  remove(value: string | undefined): void {
    if (value) this.values.delete(value);
  }

  redact(text: string): string {
    let out = text;
    for (const [secret, pieces] of this.values) {
      if (secret.length >= MIN_KNOWN) out = redactKnown(out, secret, pieces);
    }
    return redactShapes(out);
  }

  [Symbol.iterator](): Iterator<string> { return this.values.keys(); }
}

/**
 * `value` with every string inside it (nested objects and arrays) redacted. Copy on write: what
 * holds no secret is returned as is (same references), so recording stays cheap.
 */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  return walk(value, redactor) as T;
}

function walk(value: unknown, r: Redactor): unknown {
  if (typeof value === 'string') return r.redact(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], r);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const w = walk(v, r);
      if (w !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = w;
    }
    return copy ?? value;
  }
  return value;
}

/** `err` with its message and hint redacted (the same error when they hold no secret). */
export function redactAgentError(err: AgentError, redactor: Redactor): AgentError {
  const message = redactor.redact(err.message);
  const hint = err.hint === undefined ? undefined : redactor.redact(err.hint);
  if (message === err.message && hint === err.hint) return err;
  return new AgentError(err.code, message, {
    retryable: err.retryable, cause: err.cause,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(hint !== undefined ? { hint } : {}),
  });
}
