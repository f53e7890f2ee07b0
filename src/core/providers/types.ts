import type { SerializedError } from '../../shared/errors';
import type { AgentError } from '../base/errors';
import type { ProviderKind, JsonSchema, ToolSpec, AssistantPart, HistoryMessage, Usage, StopReason, OpenAIApi, ReasoningEffort } from '../../shared/model';

export type { ProviderKind, JsonSchema, ToolSpec, AssistantPart, HistoryMessage, Usage, StopReason, OpenAIApi, ReasoningEffort };

/**
 * The one normalised stream vocabulary. A well-formed stream ends with exactly one `stop`;
 * a stream that ends without it is an error, never a success. `tool_call_end.args` is the
 * complete, parsed JSON object; when the arguments were not a JSON object, `args` is `{}` and
 * `invalid` the error result for the model (such a call is never executed).
 */
export type StreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  /**
   * Closes the current thinking block; carries what must be echoed back: Anthropic's signature /
   * redacted payload, or an OpenAI Responses reasoning item's id and encrypted content.
   */
  | { type: 'thinking_end'; signature?: string; redacted?: string; itemId?: string; encrypted?: string }
  | { type: 'tool_call_start'; id: string; name: string }
  | { type: 'tool_call_delta'; id: string; argsDelta: string }
  | { type: 'tool_call_end'; id: string; name: string; args: Record<string, unknown>; invalid?: string }
  | { type: 'usage'; usage: Usage }
  /**
   * A retryable failure happened before any output; the request is retried after `delayMs`
   * (`overCap`: the server asked for longer than `maxRetryWaitMs`, and `beforeRetry` agreed to it).
   */
  | { type: 'retry'; attempt: number; delayMs: number; error: SerializedError; overCap?: true }
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
  /** OpenAI reasoning effort (Chat `reasoning_effort`, Responses `reasoning.effort`); ignored elsewhere. */
  reasoningEffort?: ReasoningEffort;
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
  /** OpenAI kind: which API (default `chat`). */
  api?: OpenAIApi;
  /**
   * How the key is sent: `authorization` (`Authorization: Bearer <key>`), `x-api-key` (Anthropic's
   * own header; some Anthropic-format gateways accept only this), `api-key` (Azure OpenAI).
   * Default: whatever the bundled SDK sends for an `apiKey`.
   */
  authHeader?: 'authorization' | 'x-api-key' | 'api-key';
  /** Query parameters added to every request (Azure OpenAI `api-version`). */
  query?: Record<string, string>;
}

export interface StreamOptions {
  /** No bytes/events for this long after the stream started → `network` error. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Max retries of retryable errors before any output was produced. Default 3. */
  maxRetries?: number;
  /** Cap on a single wait of our own exponential backoff, ms (a server's Retry-After is never cut). Default 30 000. */
  maxBackoffMs?: number;
  /**
   * The longest wait a server may ask for (Retry-After) that is honoured without asking, ms.
   * Default 60 000. A longer one goes to `beforeRetry` marked `overCap`; without `beforeRetry`
   * the error is thrown (retrying before the server's time would only fail again).
   */
  maxRetryWaitMs?: number;
  /**
   * Waits before a retry (default: sleeps `delayMs`, abortable). The session passes its own: a
   * countdown the user can skip, a question when `overCap`. Rejecting gives up with that error.
   */
  beforeRetry?: (wait: RetryWait) => Promise<void>;
}

/** One wait before a retry (see StreamOptions.beforeRetry). */
export interface RetryWait {
  /** 1-based retry number. */
  attempt: number;
  delayMs: number;
  /** The failure being retried (normalised). */
  error: AgentError;
  /** The server asked for longer than `maxRetryWaitMs`. */
  overCap: boolean;
  signal: AbortSignal;
}

/** A provider adapter: one per wire protocol. Errors are thrown as AgentError (normalised). */
export interface ModelProvider {
  readonly kind: ProviderKind;
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<StreamEvent>;
}
