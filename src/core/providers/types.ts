import type { SerializedError } from '../../shared/errors';
import type { ProviderKind, JsonSchema, ToolSpec, AssistantPart, HistoryMessage, Usage, StopReason } from '../../shared/model';

export type { ProviderKind, JsonSchema, ToolSpec, AssistantPart, HistoryMessage, Usage, StopReason };

/**
 * The one normalised stream vocabulary. A well-formed stream ends with exactly one `stop`;
 * a stream that ends without it is an error, never a success. `tool_call_end.args` is the
 * complete, parsed JSON object; malformed arguments are an error, never executed.
 */
export type StreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  /** Closes the current thinking block; carries the signature / redacted payload to echo back. */
  | { type: 'thinking_end'; signature?: string; redacted?: string }
  | { type: 'tool_call_start'; id: string; name: string }
  | { type: 'tool_call_delta'; id: string; argsDelta: string }
  | { type: 'tool_call_end'; id: string; name: string; args: Record<string, unknown> }
  | { type: 'usage'; usage: Usage }
  /** A retryable failure happened before any output; the request is being retried after `delayMs`. */
  | { type: 'retry'; attempt: number; delayMs: number; error: SerializedError }
  | { type: 'stop'; reason: StopReason };

/** One model request, provider-neutral. */
export interface ModelRequest {
  model: string;
  /** The stable system prompt (kept byte-identical across requests so prompt caches hit). */
  system: string;
  messages: readonly HistoryMessage[];
  tools: readonly ToolSpec[];
  maxOutputTokens?: number;
  /** Anthropic extended thinking; ignored by providers that do not support it. */
  thinking?: { budgetTokens: number };
  temperature?: number;
  /** Aborts the HTTP request and the stream (passed to the SDK). */
  signal: AbortSignal;
}

/** Everything needed to talk to one endpoint. `apiKey` is resolved per request from SecretSource and never stored. */
export interface ProviderEndpoint {
  kind: ProviderKind;
  baseUrl?: string;
  apiKey?: string;
  /** Extra headers (never secrets from settings). */
  headers?: Record<string, string>;
}

export interface StreamOptions {
  /** No bytes/events for this long after the stream started → `network` error. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Max retries of retryable errors before any output was produced. Default 3. */
  maxRetries?: number;
  /** Cap on a single backoff wait, ms. Default 30 000. */
  maxBackoffMs?: number;
}

/** A provider adapter: one per wire protocol. Errors are thrown as AgentError (normalised). */
export interface ModelProvider {
  readonly kind: ProviderKind;
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<StreamEvent>;
}
