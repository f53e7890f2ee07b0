/**
 * Fake-LLM scripts: plain JSON data describing one model response, rendered by the server in the
 * wire format of the endpoint that was called (OpenAI Chat Completions SSE or Anthropic Messages
 * SSE). Plain data so a script can also be sent to another process over the control API.
 */
import { z } from 'zod';

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal';

export type Step =
  /** Assistant text, split into `chunks` deltas (default 1). */
  | { type: 'text'; text: string; chunks?: number }
  /** Thinking (Anthropic `thinking` block + signature; OpenAI-compatible `reasoning_content`). */
  | { type: 'thinking'; text: string; chunks?: number; signature?: string }
  /** Anthropic `redacted_thinking` block (OpenAI renders nothing). */
  | { type: 'redactedThinking'; data: string }
  /**
   * A tool call; `args` is JSON-stringified, or `rawArgs` is sent verbatim (to test malformed
   * arguments). The argument string is split into `chunks` deltas (default 1).
   */
  | { type: 'toolCall'; id?: string; name: string; args?: unknown; rawArgs?: string; chunks?: number }
  /** Usage reported at the end (OpenAI: final usage chunk when include_usage; Anthropic: message_start + message_delta). */
  | { type: 'usage'; input: number; output: number; cacheRead?: number; cacheWrite?: number }
  /** The stop event (finish_reason / stop_reason). Implicit at the end when absent: tool_use if a tool was called, else end_turn. */
  | { type: 'stop'; reason?: StopReason }
  /** Wait before the next step. */
  | { type: 'delay'; ms: number }
  /** Keep-alive during a pause: Anthropic `event: ping`, OpenAI `: keep-alive` comments, every `intervalMs` for `durationMs`. */
  | { type: 'keepAlive'; durationMs: number; intervalMs?: number }
  /**
   * An HTTP error when it is the first step (status, headers such as retry-after, JSON body; a
   * realistic body per format when omitted); later in the stream an SSE error event.
   */
  | { type: 'error'; status: number; headers?: Record<string, string>; body?: unknown; message?: string; kind?: 'context_overflow' }
  /** Destroy the socket mid-stream (no end of chunked body). */
  | { type: 'disconnect' }
  /** Write an SSE data line that is not valid JSON (`raw` overrides the payload). */
  | { type: 'malformed'; raw?: string }
  /** End the HTTP response cleanly without stop / message_stop / [DONE]; later steps are ignored. */
  | { type: 'missingEnd' }
  /** Send nothing more and keep the connection open until the client goes away (or the server closes). */
  | { type: 'stall' }
  /**
   * Several tool calls at once. OpenAI: their chunks interleaved by `index` (round robin, as
   * parallel tool calls arrive from some servers); Anthropic: one block after the other.
   */
  | { type: 'toolCalls'; calls: { id?: string; name: string; args?: unknown }[]; chunks?: number }
  /** An SSE comment line (`: <text>`), e.g. OpenRouter's `: OPENROUTER PROCESSING`. */
  | { type: 'comment'; text: string }
  /** One SSE event written verbatim as `data: <JSON>` (with `event: <event>` when given), e.g. a server's error object. */
  | { type: 'sseData'; data: unknown; event?: string };

/**
 * How a real (non-OpenAI) server deviates from the reference wire format. OpenAI format unless
 * said otherwise; the default of every field is what api.openai.com does.
 */
export interface WireQuirks {
  /**
   * Tool-call chunks: `split` (id + name first, then argument pieces, all with `index`),
   * `whole` (id, name and all arguments in one chunk — Ollama, some gateways), `noIndex` (no
   * `index` field; the id only on the first chunk of a call — Gemini's and other compatible endpoints).
   */
  toolCalls?: 'split' | 'whole' | 'noIndex';
  /** The delta field reasoning travels in: `reasoning_content` (DeepSeek, older vLLM) or `reasoning` (OpenRouter, newer vLLM). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** `final` (a last chunk with `choices: []`, when include_usage was asked), `none` (never sent), `onFinish` (on the finish_reason chunk). */
  usage?: 'final' | 'none' | 'onFinish';
  /** The finish_reason sent verbatim, whatever the stop step says (e.g. "stop" after tool calls). */
  finishReason?: string;
  /** An SSE comment written before every event (`: keep-alive`, `: OPENROUTER PROCESSING`). */
  comment?: string;
}

export interface Script {
  steps: Step[];
  /** Delay between every emitted chunk, ms (default 0). */
  chunkDelayMs?: number;
  /** Extra HTTP response headers for a streaming response. */
  headers?: Record<string, string>;
  /** Deviations from the reference wire format (real-server quirks). */
  quirks?: WireQuirks;
}

const stopReason = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal']);
const chunks = z.number().int().min(1).max(10_000).optional();

export const stepSchema: z.ZodType<Step> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), chunks }),
  z.object({ type: z.literal('thinking'), text: z.string(), chunks, signature: z.string().optional() }),
  z.object({ type: z.literal('redactedThinking'), data: z.string() }),
  z.object({ type: z.literal('toolCall'), id: z.string().optional(), name: z.string(), args: z.unknown().optional(), rawArgs: z.string().optional(), chunks }),
  z.object({ type: z.literal('usage'), input: z.number(), output: z.number(), cacheRead: z.number().optional(), cacheWrite: z.number().optional() }),
  z.object({ type: z.literal('stop'), reason: stopReason.optional() }),
  z.object({ type: z.literal('delay'), ms: z.number().min(0) }),
  z.object({ type: z.literal('keepAlive'), durationMs: z.number().min(0), intervalMs: z.number().min(1).optional() }),
  z.object({ type: z.literal('error'), status: z.number().int(), headers: z.record(z.string(), z.string()).optional(), body: z.unknown().optional(), message: z.string().optional(), kind: z.literal('context_overflow').optional() }),
  z.object({ type: z.literal('disconnect') }),
  z.object({ type: z.literal('malformed'), raw: z.string().optional() }),
  z.object({ type: z.literal('missingEnd') }),
  z.object({ type: z.literal('stall') }),
  z.object({ type: z.literal('toolCalls'), calls: z.array(z.object({ id: z.string().optional(), name: z.string(), args: z.unknown().optional() })), chunks }),
  z.object({ type: z.literal('comment'), text: z.string() }),
  z.object({ type: z.literal('sseData'), data: z.unknown(), event: z.string().optional() }),
]) as z.ZodType<Step>;

export const quirksSchema: z.ZodType<WireQuirks> = z.object({
  toolCalls: z.enum(['split', 'whole', 'noIndex']).optional(),
  reasoningField: z.enum(['reasoning_content', 'reasoning']).optional(),
  usage: z.enum(['final', 'none', 'onFinish']).optional(),
  finishReason: z.string().optional(),
  comment: z.string().optional(),
});

export const scriptSchema: z.ZodType<Script> = z.object({
  steps: z.array(stepSchema),
  chunkDelayMs: z.number().min(0).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  quirks: quirksSchema.optional(),
}) as z.ZodType<Script>;

/** Splits `s` into `n` nearly equal pieces (at least one piece, never an empty one unless `s` is empty). */
export function splitInto(s: string, n = 1): string[] {
  if (n <= 1 || s.length <= 1) return [s];
  const count = Math.min(n, s.length);
  const size = Math.ceil(s.length / count);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

type StepOrScript = Step | Step[] | Script;
const flatten = (parts: StepOrScript[]): Step[] => parts.flatMap((p) => (Array.isArray(p) ? p : 'steps' in p ? p.steps : [p]));

/**
 * Builders. Each returns a Script (usable directly) whose steps can be composed:
 * `script.of(script.text('a'), script.toolCall('read', {path: 'x'}))`.
 */
export const script = {
  /** Composes steps and/or scripts into one script. */
  of: (...parts: StepOrScript[]): Script => ({ steps: flatten(parts) }),
  text: (text: string, chunks = 1): Script => ({ steps: [{ type: 'text', text, chunks }] }),
  thinking: (text: string, signature = 'sig-test', chunks = 1): Script => ({ steps: [{ type: 'thinking', text, signature, chunks }] }),
  toolCall: (name: string, args: unknown, opts: { id?: string; chunks?: number } = {}): Script => ({ steps: [{ type: 'toolCall', name, args, ...opts }] }),
  usage: (input: number, output: number, cacheRead?: number, cacheWrite?: number): Script => ({ steps: [{ type: 'usage', input, output, cacheRead, cacheWrite }] }),
  stop: (reason?: StopReason): Script => ({ steps: [{ type: 'stop', reason }] }),
  delay: (ms: number): Script => ({ steps: [{ type: 'delay', ms }] }),
  keepAlive: (durationMs: number, intervalMs = 50): Script => ({ steps: [{ type: 'keepAlive', durationMs, intervalMs }] }),
  error: (status: number, opts: { headers?: Record<string, string>; body?: unknown; message?: string } = {}): Script => ({ steps: [{ type: 'error', status, ...opts }] }),
  rateLimited: (retryAfterSeconds: number): Script => ({ steps: [{ type: 'error', status: 429, headers: { 'retry-after': String(retryAfterSeconds) } }] }),
  /** A realistic "context too long" 400 for each format (OpenAI code context_length_exceeded, Anthropic "prompt is too long"). */
  contextOverflow: (): Script => ({ steps: [{ type: 'error', status: 400, kind: 'context_overflow' }] }),
  disconnect: (): Script => ({ steps: [{ type: 'disconnect' }] }),
  malformed: (raw?: string): Script => ({ steps: [{ type: 'malformed', raw }] }),
  missingEnd: (): Script => ({ steps: [{ type: 'missingEnd' }] }),
  stall: (): Script => ({ steps: [{ type: 'stall' }] }),
  /** Sets the delay between chunks. */
  paced: (s: Script, chunkDelayMs: number): Script => ({ ...s, chunkDelayMs }),
  /** Several tool calls at once (OpenAI: interleaved by index). */
  toolCalls: (calls: { id?: string; name: string; args?: unknown }[], chunks = 1): Script => ({ steps: [{ type: 'toolCalls', calls, chunks }] }),
  comment: (text: string): Script => ({ steps: [{ type: 'comment', text }] }),
  sseData: (data: unknown, event?: string): Script => ({ steps: [{ type: 'sseData', data, ...(event !== undefined ? { event } : {}) }] }),
  /** An HTTP 200 whose body is JSON, not an event stream (OpenRouter / LiteLLM errors); `body` is sent as given. */
  okJson: (body: unknown): Script => ({ steps: [{ type: 'error', status: 200, body }] }),
  /** Applies server quirks to a script. */
  quirky: (s: Script, quirks: WireQuirks): Script => ({ ...s, quirks: { ...s.quirks, ...quirks } }),
};
