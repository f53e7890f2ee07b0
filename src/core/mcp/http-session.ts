/**
 * Reading Streamable HTTP transport errors: did the server forget our session (it restarted), is
 * it unreachable, or did only an SSE stream drop (which may be a proxy, so it is worth a probe)?
 * Used by McpConnection to fail in-flight calls at once and have the manager re-initialise.
 */

/** What a transport error says about the connection. */
export type HttpLossKind = 'session_lost' | 'unreachable' | 'stream_dropped' | 'other';

/** The SDK's StreamableHTTPError shape (its HTTP status is `code`). */
export interface HttpStatusError { code?: number; message: string }

/** Socket-level failures of a fetch (undici puts them on `cause`, sometimes two levels deep). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** The first socket error code in `e` or its `cause` chain. */
export function connectionErrorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * Classifies one error the Streamable HTTP transport reported.
 * - `session_lost`: per the MCP spec an HTTP 404 to a request carrying `Mcp-Session-Id` means the
 *   session is gone and the client must start a new one by initialising again. Many servers built
 *   from the SDK's examples (server-everything among them) answer 400 "No valid session ID" instead;
 *   that counts too.
 * - `unreachable`: the POST/GET could not reach the server (refused, reset, …).
 * - `stream_dropped`: an SSE stream broke or could not be re-opened; the server may be gone or
 *   only the stream was cut, so the caller probes (ping) before deciding.
 */
export function classifyHttpError(e: unknown, isStatusError: (e: unknown) => e is HttpStatusError, hadSession: boolean): HttpLossKind {
  if (isStatusError(e)) {
    if (hadSession && e.code === 404) return 'session_lost';
    if (hadSession && e.code === 400 && /session/i.test(e.message)) return 'session_lost';
    return 'other';
  }
  if (connectionErrorCode(e)) return 'unreachable';
  const message = e instanceof Error ? e.message : String(e);
  if (/^(SSE stream disconnected|Failed to reconnect SSE stream|Maximum reconnection attempts)/.test(message)) return 'stream_dropped';
  return 'other';
}

/**
 * Did the server answer with a JSON-RPC error (an McpError with a server-sent code)? Then it is
 * alive. The SDK's own -32000 (connection closed) and -32001 (request timed out) do not count.
 */
export function isJsonRpcErrorAnswer(e: unknown, isStatusError: (e: unknown) => e is HttpStatusError): boolean {
  if (isStatusError(e) || !e || typeof e !== 'object') return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'number' && code !== -32000 && code !== -32001;
}

/** Words for the model and the status: what happened to the server. */
export function lossText(kind: 'session_lost' | 'unreachable', detail?: string): string {
  return kind === 'session_lost'
    ? 'restarted (it no longer knows this session)'
    : `became unreachable${detail ? ` (${detail})` : ''}`;
}
