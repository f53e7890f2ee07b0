/** Provider-neutral conversation data: shared by the engine, the protocol and the webview. */

/**
 * Wire protocols we speak. `openai` also serves OpenAI-compatible endpoints (Ollama, LM Studio, vLLM);
 * `vscode-lm` is VS Code's Language Model API (Copilot or any extension-contributed chat model), which
 * only the VS Code host can create (core's factory refuses it).
 */
export type ProviderKind = 'openai' | 'anthropic' | 'vscode-lm';

/** Every ProviderKind, for runtime schemas. */
export const PROVIDER_KINDS = ['openai', 'anthropic', 'vscode-lm'] as const satisfies readonly ProviderKind[];

/** Which OpenAI API a profile speaks: Chat Completions (default; every compatible server) or Responses. */
export type OpenAIApi = 'chat' | 'responses';

/** OpenAI `reasoning_effort` / Responses `reasoning.effort`. Anthropic uses a thinking budget instead. */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';
export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const satisfies readonly ReasoningEffort[];

/** What a model can do (from the model table, a server's listing, or a profile's override). */
export interface ModelCapabilities {
  tools: boolean;
  images: boolean;
  /** Reasoning / extended thinking (effort or budget applies). */
  reasoning: boolean;
}

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
  /**
   * Extended thinking. `signature` (Anthropic) must be echoed back verbatim; `redacted` holds opaque data.
   * OpenAI Responses reasoning items: `itemId` (the `rs_…` id) and `encrypted` (`encrypted_content`,
   * requested with `store: false`), echoed back as a reasoning input item to the same API only.
   */
  | { type: 'thinking'; text: string; signature?: string; redacted?: string; itemId?: string; encrypted?: string }
  /**
   * `invalid`: why the call cannot run (its arguments were not a JSON object, its id repeated one
   * in the same message). It is never executed; this text goes back to the model as its error result.
   */
  | { type: 'tool_call'; id: string; name: string; args: Record<string, unknown>; invalid?: string };

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

