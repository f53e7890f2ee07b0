import type { SerializedError } from '../base/errors';

/** Wire protocols we speak. `openai` also serves OpenAI-compatible endpoints (Ollama, LM Studio, vLLM). */
export type ProviderKind = 'openai' | 'anthropic';

/** A JSON Schema object (as sent to the model for tool parameters). */
export type JsonSchema = { type?: string; [key: string]: unknown };

/** What the model may call. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

/** One piece of an assistant message, in the order the model produced it. */
export type AssistantPart =
  | { type: 'text'; text: string }
  /** Extended thinking. `signature` (Anthropic) must be echoed back verbatim; `redacted` holds opaque data. */
  | { type: 'thinking'; text: string; signature?: string; redacted?: string }
  | { type: 'tool_call'; id: string; name: string; args: Record<string, unknown> };

/**
 * The normalised conversation the engine keeps. Provider adapters translate it to their wire
 * format (e.g. Anthropic groups consecutive `tool` messages into one user message of tool_result blocks).
 * `id` is stable and unique within a session.
 */
export type HistoryMessage =
  | { id: string; role: 'user'; content: string }
  | { id: string; role: 'assistant'; content: AssistantPart[] }
  | { id: string; role: 'tool'; toolCallId: string; toolName: string; content: string; isError?: boolean };

/** Token usage of one request. `inputTokens` counts the whole prompt, cached parts included. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (subset of inputTokens). */
  cacheReadTokens?: number;
  /** Prompt tokens written to the provider's cache (subset of inputTokens). */
  cacheWriteTokens?: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'other';

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
