/**
 * The Logger port over VS Code's LogOutputChannel, with redaction: every line is formatted here
 * and scrubbed of anything that looks like a key (known secret values and common key shapes)
 * before it reaches the channel. No 'vscode' import: the host passes the channel in.
 * What sessions record is redacted in core (src/core/base/redact.ts) with the same known values.
 */
import type { Logger } from '../core/ports';
import { redactSecrets, SecretRedactor } from '../core/base/redact';

/** The slice of `vscode.LogOutputChannel` we write to. */
export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Short key shapes too: a log line is never read back by a model, so over-redaction costs nothing. */
const KEY_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI / Anthropic (sk-ant-…) style keys
  /\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\bxox[abpors]-[A-Za-z0-9-]{10,}/g,
];
/** `Authorization: Bearer x`, `api_key=x`, `"token": "x"`: keep the label, drop the value. */
const LABELLED = /(\b(?:bearer|authorization|x-api-key|api[_-]?key|apikey|access[_-]?token|token|secret|password)\b["']?\s*[:=]?\s*["']?(?:bearer\s+)?)([^\s"',;}]{6,})/gi;

/**
 * Replaces anything key-like in a log line. `known` holds exact secret values (keys read from
 * SecretStorage, MCP secret inputs). Core's rules (known values and their truncated echoes,
 * credential headers, key shapes) first, then the log's broader ones.
 */
export function redact(text: string, known: Iterable<string> = []): string {
  let out = text;
  for (const secret of known) {
    // Short values too (an MCP input may be a 4-digit PIN): core's recorded text skips them.
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = known instanceof SecretRedactor ? known.redact(out) : redactSecrets(out, known);
  for (const re of KEY_PATTERNS) out = out.replace(re, '[redacted]');
  return out.replace(LABELLED, (_m, label: string, value: string) => (value === '[redacted]' ? `${label}${value}` : `${label}[redacted]`));
}

function formatArg(a: unknown): string {
  if (a instanceof Error) return a.stack ?? `${a.name}: ${a.message}`;
  if (typeof a === 'string') return a;
  try { return JSON.stringify(a); } catch { return String(a); }
}

/**
 * Known secret values, shared by the secret source (adds), the session engine (redacts what it
 * records) and the logger (redacts lines). It is core's SecretRedactor: one registry for both.
 */
export { SecretRedactor as SecretRegistry } from '../core/base/redact';

/** Creates a redacting Logger over a LogSink. */
export function createRedactingLogger(sink: LogSink, known: Iterable<string> = []): Logger {
  const line = (message: string | Error, args: unknown[]): string =>
    redact([formatArg(message), ...args.map(formatArg)].join(' '), known);
  return {
    trace: (m, ...a) => sink.trace(line(m, a)),
    debug: (m, ...a) => sink.debug(line(m, a)),
    info: (m, ...a) => sink.info(line(m, a)),
    warn: (m, ...a) => sink.warn(line(m, a)),
    error: (m, ...a) => sink.error(line(m, a)),
  };
}
