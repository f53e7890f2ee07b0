import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * What every transport does with a message larger than the per-message cap: drop it unparsed and,
 * when the request id can be read from its first or last bytes, answer that request with a
 * JSON-RPC error so the caller fails fast instead of waiting for its timeout.
 */
export const TOO_LARGE_CODE = -32099; // server-defined range; -32001 is the SDK's RequestTimeout

/** How many bytes of a dropped message's start and end are kept to find its id. */
export const EDGE_BYTES = 200;

const ID = String.raw`(\d+|"(?:[^"\\]|\\.)*")`;
const TAIL_ID = new RegExp(String.raw`"id"\s*:\s*${ID}\s*\}\s*$`);
const HEAD_ID = new RegExp(String.raw`^\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*${ID}`);

/**
 * The id of a JSON-RPC message known only by its first and last bytes. The SDK serialises a
 * response as `{"result":…,"jsonrpc":"2.0","id":N}`, so the id is usually at the very end; other
 * writers put `"jsonrpc","id"` first.
 */
export function findJsonRpcId(head: string, tail: string): string | number | undefined {
  const raw = TAIL_ID.exec(tail)?.[1] ?? HEAD_ID.exec(head)?.[1];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as string | number;
  } catch {
    return undefined; // a cut escape sequence: no id
  }
}

/** The error the caller of request `id` sees instead of the oversized message. */
export function tooLargeResponse(id: string | number, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: TOO_LARGE_CODE, message } };
}
