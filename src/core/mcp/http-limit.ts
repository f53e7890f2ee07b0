import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { EDGE_BYTES, findJsonRpcId, tooLargeResponse } from './oversize';

/**
 * A `fetch` for the SDK's HTTP transports (Streamable HTTP and the old SSE one) that bounds what
 * a server can make us hold in memory. The SDK reads a JSON response with `response.json()` and
 * an SSE stream through a parser that buffers a whole event, so without this a 50 MB result is
 * held several times over (bytes, string, parsed object) before our text cap ever sees it.
 *
 * - `application/json`: read at most `maxMessageBytes`; past that the body is cancelled (the
 *   connection closes, the rest is never downloaded) and the request(s) in the POST body get a
 *   JSON-RPC "too large" error instead, exactly as stdio does.
 * - `text/event-stream`: passed through event by event; an event over the cap is dropped while
 *   streaming (only its first and last bytes are kept, to find the request id) and replaced by
 *   that error event. Events end at a blank line (`\n\n` or `\r\n\r\n`; lone-CR line ends, which
 *   no SDK writer produces, are not recognised and so count toward one event).
 * - Error statuses: the body (which the SDK puts into its error message) is cut at 64 KiB.
 * - Anything else: cut at the cap. Redirects are returned untouched (the SDK follows them itself).
 */
export function limitedFetch(maxMessageBytes: number, onLog?: (message: string) => void, base: FetchLike = fetch): FetchLike {
  const onDrop = (bytes: number): void => onLog?.(`Dropped an SSE event of ${bytes} bytes (limit ${maxMessageBytes}).`);
  return async (url, init) => {
    const res = await base(url, init);
    if (!res.body || (res.status >= 300 && res.status < 400)) return res;
    if (!res.ok) return rewrap(res, res.body.pipeThrough(truncate(ERROR_BODY_BYTES)));
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/event-stream') return rewrap(res, res.body.pipeThrough(sseEventLimiter(maxMessageBytes, onDrop)));
    if (type !== 'application/json') return rewrap(res, res.body.pipeThrough(truncate(maxMessageBytes)));
    const read = await readCapped(res.body, maxMessageBytes);
    if (read.ok) return rewrap(res, read.bytes);
    onLog?.(`Dropped a JSON response over ${maxMessageBytes} bytes.`);
    const message = `MCP message too large: over ${maxMessageBytes} bytes (limit ${maxMessageBytes}); dropped before parsing.`;
    const errors = requestIds(init?.body).map((id) => tooLargeResponse(id, message));
    return rewrap(res, JSON.stringify(errors.length === 1 ? errors[0] : errors));
  };
}

const ERROR_BODY_BYTES = 64 * 1024;

/** A new Response with another body but the original's status, headers, url and redirected flag. */
function rewrap(res: Response, body: ConstructorParameters<typeof Response>[0]): Response {
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers });
  // eventsource reads `redirected`/`url` to resolve the endpoint against the final URL.
  Object.defineProperties(out, { url: { value: res.url }, redirected: { value: res.redirected } });
  return out;
}

async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined); // closes the connection: the rest is never downloaded
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  return { ok: true, bytes };
}

/** Ids of the requests (not notifications) in a POSTed JSON-RPC body. */
function requestIds(body: unknown): Array<string | number> {
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.flatMap((m) => {
      const id = (m as { id?: unknown; method?: unknown } | null)?.id;
      return typeof (m as { method?: unknown }).method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
    });
  } catch {
    return []; // not our JSON-RPC body
  }
}

function truncate(max: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      const room = max - seen;
      seen += chunk.length;
      if (room > 0) controller.enqueue(chunk.length > room ? chunk.subarray(0, room) : chunk);
      if (seen >= max) controller.terminate(); // cancels the source: nothing more is read
    },
  });
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function concat(parts: readonly Uint8Array[], limit = Infinity): Uint8Array {
  const size = Math.min(limit, parts.reduce((n, p) => n + p.length, 0));
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    if (at >= size) break;
    const take = p.subarray(0, size - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

/** The JSON text of an SSE event known only by its first bytes (`event: …\ndata: {…`). */
function dataOf(head: string): string {
  const m = /(?:^|\n)data: ?/.exec(head);
  return m ? head.slice(m.index + m[0].length) : head;
}

/** Holds each SSE event until its blank line, passing it on whole, or dropping it when over `max` bytes. */
export function sseEventLimiter(max: number, onDrop?: (bytes: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let held: Uint8Array[] = [];
  let size = 0;
  let discarding = false;
  let head = '';
  let tail: Uint8Array = new Uint8Array(0);
  let lineLen = 0; // bytes of the current line so far
  let lastByte = -1; // last byte of the current line (to see "\r" lines as blank)

  const add = (part: Uint8Array): void => {
    if (part.length === 0) return;
    if (!discarding && size + part.length > max) {
      discarding = true;
      head = decoder.decode(concat(held, EDGE_BYTES));
      held = [];
    }
    size += part.length;
    if (discarding) tail = concat([tail, part.subarray(-EDGE_BYTES)]).subarray(-EDGE_BYTES);
    else held.push(part);
  };
  const endEvent = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (discarding) {
      onDrop?.(size);
      const id = findJsonRpcId(dataOf(head), decoder.decode(tail).replace(/\s+$/, ''));
      const message = `MCP message too large: ${size} bytes (limit ${max}); dropped before parsing.`;
      if (id !== undefined) controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(tooLargeResponse(id, message))}\n\n`));
    } else {
      for (const c of held) controller.enqueue(c);
    }
    held = [];
    size = 0;
    discarding = false;
    head = '';
    tail = new Uint8Array(0);
  };

  return new TransformStream({
    transform(chunk, controller) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, nl + 1)) {
        const segment = nl - start;
        const line = lineLen + segment;
        const last = segment > 0 ? chunk[nl - 1]! : lastByte;
        add(chunk.subarray(start, nl + 1));
        start = nl + 1;
        lineLen = 0;
        lastByte = -1;
        if (line === 0 || (line === 1 && last === 0x0d)) endEvent(controller);
      }
      if (start < chunk.length) {
        add(chunk.subarray(start));
        lineLen += chunk.length - start;
        lastByte = chunk[chunk.length - 1]!;
      }
    },
    flush(controller) {
      if (size > 0) endEvent(controller);
    },
  });
}
