/**
 * Responders answer a recorded request with a script, and helpers read the conversation of a
 * request in either wire format (so engine tests can e.g. echo the last tool result).
 */
import type { WireFormat } from './render';
import { script, type Script, type Step } from './script';

/** One request the fake server received. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  index: number;
  method: string;
  /** Path without query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Path with its query string, e.g. `/v1/responses?api-version=…`. */
  url?: string;
  /** `responses`: the OpenAI Responses API (`/v1/responses`). */
  format: WireFormat | 'responses';
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The raw request body as received (byte-exact prompt-prefix comparisons). */
  rawBody: string;
  /** The parsed JSON body (undefined when the body was not JSON). */
  body: Record<string, unknown> | undefined;
  receivedAt: number;
}

export type Responder = (req: RecordedRequest) => Script | Promise<Script>;

type Msg = { role?: unknown; content?: unknown; tool_call_id?: unknown };
type Block = { type?: unknown; text?: unknown; content?: unknown; tool_use_id?: unknown; is_error?: unknown };

type InputItem = { type?: unknown; role?: unknown; content?: unknown; call_id?: unknown; output?: unknown };
/** Responses input items read as Chat messages (user text, tool results). */
const inputAsMessages = (input: InputItem[]): Msg[] =>
  input.flatMap((i): Msg[] => (i.type === 'function_call_output' ? [{ role: 'tool', tool_call_id: i.call_id, content: i.output }]
    : i.role === 'user' ? [{ role: 'user', content: Array.isArray(i.content) ? (i.content as Block[]).map((b) => ({ ...b, type: b.type === 'input_text' ? 'text' : b.type })) : i.content }] : []));
const messagesOf = (req: RecordedRequest): Msg[] =>
  req.format === 'responses' ? (Array.isArray(req.body?.input) ? inputAsMessages(req.body.input as InputItem[]) : [])
    : Array.isArray(req.body?.messages) ? (req.body.messages as Msg[]) : [];
const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? (content as Block[]).map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('')
      : '';

/** The last message of the conversation when it is a tool result, else undefined. */
export function lastToolResult(req: RecordedRequest): { toolCallId: string; content: string; isError: boolean } | undefined {
  const last = messagesOf(req).at(-1);
  if (!last) return undefined;
  if (req.format !== 'anthropic') {
    return last.role === 'tool' ? { toolCallId: String(last.tool_call_id), content: textOf(last.content), isError: false } : undefined;
  }
  if (last.role !== 'user' || !Array.isArray(last.content)) return undefined;
  const results = (last.content as Block[]).filter((b) => b.type === 'tool_result');
  const r = results.at(-1);
  if (!r) return undefined;
  return { toolCallId: String(r.tool_use_id), content: textOf(r.content), isError: r.is_error === true };
}

/** The text of the last user message that is not a tool result ('' when none). */
export function lastUserText(req: RecordedRequest): string {
  const users = messagesOf(req).filter((m) => m.role === 'user' && textOf(m.content) !== '');
  return textOf(users.at(-1)?.content);
}

/** Tool names offered in the request. */
export function toolNames(req: RecordedRequest): string[] {
  const tools = Array.isArray(req.body?.tools) ? (req.body.tools as { name?: unknown; function?: { name?: unknown } }[]) : [];
  return tools.map((t) => String(t.function?.name ?? t.name ?? '')).filter(Boolean);
}

/** Default when nothing is queued: a short deterministic text reply. */
export const defaultResponder: Responder = () => script.text('Hello from the fake LLM.', 3);

/** Echoes the last tool result, or else the last user text. */
export const echoResponder: Responder = (req) => {
  const tool = lastToolResult(req);
  return script.text(tool ? `Tool result: ${tool.content}` : `You said: ${lastUserText(req)}`, 2);
};

/**
 * For interactive use (`npm start` without keys). Streams a few words of text; when the prompt says
 * `tool <name> {json}` (name among the offered tools) it calls that tool, then summarises the result;
 * `think` in the prompt adds a thinking block; `slow` paces the stream.
 */
export const interactiveResponder: Responder = (req) => {
  const tool = lastToolResult(req);
  if (tool) {
    const preview = tool.content.length > 400 ? `${tool.content.slice(0, 400)}…` : tool.content;
    return script.paced(script.text(`The tool ${tool.isError ? 'failed' : 'returned'}:\n\n${preview}\n\nDone.`, 6), 30);
  }
  const prompt = lastUserText(req);
  const steps: Step[] = [];
  if (/\bthink\b/i.test(prompt)) steps.push({ type: 'thinking', text: 'Let me think about this step by step.', chunks: 4, signature: 'sig-fake' });
  const m = /\btool\s+([\w.-]+)\s*(\{[\s\S]*\})?/i.exec(prompt);
  const offered = toolNames(req);
  if (m && offered.includes(m[1]!)) {
    let args: unknown = {};
    try {
      args = m[2] ? (JSON.parse(m[2]) as unknown) : {};
    } catch {
      args = {}; // a sloppy prompt still gets a call; the tool validates its own arguments
    }
    steps.push({ type: 'text', text: `Calling ${m[1]}.`, chunks: 2 }, { type: 'toolCall', name: m[1]!, args, chunks: 3 });
  } else {
    const hint = offered.length ? ` Say "tool <name> {json}" to call one of: ${offered.join(', ')}.` : '';
    steps.push({ type: 'text', text: `This is the fake model. You said: "${prompt.slice(0, 200)}".${hint}`, chunks: 8 });
  }
  steps.push({ type: 'usage', input: 100 + prompt.length, output: 20 });
  return { steps, chunkDelayMs: /\bslow\b/i.test(prompt) ? 200 : 25 };
};

/** The credential the client sent: `Authorization: Bearer …` (OpenAI) or `x-api-key` (Anthropic); '' when none. */
export function credentialOf(req: RecordedRequest): string {
  const auth = req.headers.authorization;
  if (auth) return auth.replace(/^Bearer\s+/i, '');
  return req.headers['x-api-key'] ?? '';
}

/**
 * A misbehaving server or gateway: answers with an HTTP error (default 401) whose message echoes
 * the request's credentials, both as the header line it received and as the bare value. Tests use
 * it to prove that no key reaches the session log, the checkpoint, the UI or the output channel.
 */
export function echoAuthErrorResponder(status = 401, headers: Record<string, string> = {}): Responder {
  return (req) => {
    const key = credentialOf(req);
    const header = req.format !== 'anthropic' ? `Authorization: Bearer ${key}` : `x-api-key: ${key}`;
    return script.error(status, { message: `Invalid credentials ${key} (request headers: {${header}})`, headers });
  };
}

export const builtinResponders: Record<string, Responder> = {
  default: defaultResponder,
  echo: echoResponder,
  interactive: interactiveResponder,
  'echo-auth': echoAuthErrorResponder(),
};
