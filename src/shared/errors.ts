/** Error codes shared by the engine, the protocol and the webview. */
export type ErrorCode =
  | 'auth'
  | 'rate_limited'
  | 'overloaded'
  | 'context_overflow'
  | 'network'
  | 'bad_request'
  | 'cancelled'
  | 'capacity_exceeded'
  | 'invalid_state'
  | 'not_found'
  | 'invalid_id'
  | 'tool_failed'
  | 'storage'
  /** The request needs the user's explicit confirmation (e.g. saving a rule broader than the approved call). */
  | 'needs_confirmation'
  /** This window shows the session read-only: another window writes its history (take it over to write here). */
  | 'read_only'
  /** A file changed under the session (the user, another session): nothing was overwritten. */
  | 'conflict'
  /** Stored data (a blob of the change ledger) is missing or does not match its hash. */
  | 'damaged'
  /** The model or server cannot do what the request needs (e.g. a local model without tool calling). Not retryable. */
  | 'unsupported'
  /** The account's quota or credit is used up (OpenAI `insufficient_quota`, a Copilot quota): waiting does not help. */
  | 'quota_exceeded'
  | 'unknown';

/** The wire/log form of an AgentError (core/base/errors.ts). */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  hint?: string;
}

