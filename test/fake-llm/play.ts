/**
 * Plays one script onto one HTTP response, in the wire format of the endpoint that was called.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicRenderer, errorBody, openaiRenderer, sseComment, sseEvent, type Renderer, type ScriptUsage, type WireFormat } from './render';
import { splitInto, type Script, type Step, type StopReason } from './script';

const DEFAULT_USAGE: ScriptUsage = { input: 12, output: 6 };

export interface PlayContext {
  format: WireFormat;
  body: Record<string, unknown>;
  req: IncomingMessage;
  res: ServerResponse;
  /** Unique per response (ids of messages / tool calls). */
  seq: number;
  /** Resolves when the server is closing (stalled responses give up). */
  closing: Promise<void>;
  /** Renders the stream instead of `format`'s own renderer (the Responses API; HTTP errors keep `format`'s bodies). */
  renderer?: Renderer;
}

/** Plays `script`; resolves when the response is finished, destroyed or abandoned. */
export async function play(script: Script, ctx: PlayContext): Promise<void> {
  const { res, format } = ctx;
  const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
  const alive = (): boolean => !res.destroyed && !res.writableEnded;
  const sleep = (ms: number): Promise<void> =>
    ms <= 0 ? Promise.resolve() : Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), gone, ctx.closing]);

  const steps = script.steps;
  const firstReal = steps.find((s) => s.type !== 'delay');
  if (firstReal?.type === 'error') {
    for (const s of steps) {
      if (s.type === 'delay') await sleep(s.ms);
      else break;
    }
    if (!alive()) return;
    const body = firstReal.body ?? errorBody(format, firstReal.status, firstReal.message, firstReal.kind);
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(firstReal.status, { 'content-type': 'application/json', ...firstReal.headers });
    res.end(payload);
    return;
  }

  if (ctx.body.stream !== true) return playNonStreaming(script, ctx);

  const model = typeof ctx.body.model === 'string' ? ctx.body.model : 'fake-model';
  const includeUsage = (ctx.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const id = `${format === 'openai' ? 'chatcmpl' : 'msg'}_fake_${ctx.seq}`;
  const r: Renderer = ctx.renderer ?? (format === 'openai' ? openaiRenderer(model, includeUsage, id, script.quirks) : anthropicRenderer(model, id));
  const usage = lastUsage(steps);
  const delay = script.chunkDelayMs ?? 0;

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...script.headers });
  res.flushHeaders();

  let started = false;
  let stopped = false;
  let toolCalls = 0;
  const comment = script.quirks?.comment;
  const write = async (events: string[]): Promise<boolean> => {
    for (const e of events) {
      if (!alive()) return false;
      if (comment !== undefined) res.write(sseComment(comment));
      res.write(e);
      await sleep(delay);
    }
    return alive();
  };
  const ensureStarted = async (): Promise<boolean> => {
    if (started) return alive();
    started = true;
    return write(r.start(usage));
  };

  for (const step of steps) {
    if (!alive()) return;
    switch (step.type) {
      case 'text':
        if (!(await ensureStarted()) || !(await write(r.text(splitInto(step.text, step.chunks))))) return;
        break;
      case 'thinking':
        if (!(await ensureStarted()) || !(await write(r.thinking(splitInto(step.text, step.chunks), step.signature)))) return;
        break;
      case 'redactedThinking':
        if (!(await ensureStarted()) || !(await write(r.redactedThinking(step.data)))) return;
        break;
      case 'toolCall': {
        const args = step.rawArgs ?? JSON.stringify(step.args ?? {});
        const callId = step.id ?? `call_${ctx.seq}_${toolCalls}`;
        toolCalls++;
        if (!(await ensureStarted()) || !(await write(r.toolCall(callId, step.name, splitInto(args, step.chunks))))) return;
        break;
      }
      case 'toolCalls': {
        const calls = step.calls.map((c, i) => ({
          id: c.id ?? `call_${ctx.seq}_${toolCalls + i}`, name: c.name, pieces: splitInto(JSON.stringify(c.args ?? {}), step.chunks),
        }));
        toolCalls += calls.length;
        if (!(await ensureStarted()) || !(await write(r.toolCalls(calls)))) return;
        break;
      }
      case 'comment':
        if (!alive()) return;
        res.write(sseComment(step.text));
        await sleep(delay);
        break;
      case 'sseData':
        if (!(await ensureStarted()) || !(await write([sseEvent(step.data, step.event)]))) return;
        break;
      case 'usage':
        break; // collected up front: usage travels with message_start / the final chunk
      case 'stop':
        if (!(await ensureStarted()) || !(await write(r.stop(step.reason ?? defaultStop(toolCalls), usage)))) return;
        stopped = true;
        break;
      case 'delay':
        await sleep(step.ms);
        break;
      case 'keepAlive': {
        const interval = step.intervalMs ?? 50;
        const until = Date.now() + step.durationMs;
        while (alive() && Date.now() < until) {
          await sleep(Math.min(interval, until - Date.now()));
          if (alive() && Date.now() <= until + 5) res.write(r.keepAlive());
        }
        break;
      }
      case 'error':
        if (!(await ensureStarted()) || !(await write([r.midStreamError(step.status, step.message ?? `Fake error ${step.status}`)]))) return;
        res.end();
        return;
      case 'disconnect':
        // Let what was written reach the client first, then cut the connection without ending the body.
        await new Promise<void>((resolve) => (res.socket && !res.socket.destroyed ? res.socket.write('', () => resolve()) : resolve()));
        await sleep(20);
        res.socket?.destroy();
        res.destroy();
        return;
      case 'malformed':
        if (!(await ensureStarted())) return;
        res.write(r.malformed(step.raw));
        await sleep(delay);
        break;
      case 'missingEnd':
        res.end();
        return;
      case 'stall':
        await Promise.race([gone, ctx.closing]);
        return;
    }
  }
  if (!alive()) return;
  if (!stopped && (await ensureStarted())) await write(r.stop(defaultStop(toolCalls), usage));
  if (alive()) res.end();
}

function defaultStop(toolCalls: number): StopReason {
  return toolCalls > 0 ? 'tool_use' : 'end_turn';
}

function lastUsage(steps: Step[]): ScriptUsage {
  let u: ScriptUsage = DEFAULT_USAGE;
  for (const s of steps) if (s.type === 'usage') u = { input: s.input, output: s.output, cacheRead: s.cacheRead, cacheWrite: s.cacheWrite };
  return u;
}

/** `stream: false` requests: the same script as one JSON body (failure steps other than errors are ignored). */
function playNonStreaming(script: Script, ctx: PlayContext): void {
  const { res, format } = ctx;
  const model = typeof ctx.body.model === 'string' ? ctx.body.model : 'fake-model';
  const usage = lastUsage(script.steps);
  let text = '';
  let stop: StopReason | undefined;
  const calls: { id: string; name: string; args: string }[] = [];
  for (const s of script.steps) {
    if (s.type === 'text') text += s.text;
    if (s.type === 'toolCall') calls.push({ id: s.id ?? `call_${ctx.seq}_${calls.length}`, name: s.name, args: s.rawArgs ?? JSON.stringify(s.args ?? {}) });
    if (s.type === 'stop') stop = s.reason;
    if (s.type === 'disconnect') {
      res.socket?.destroy();
      return;
    }
  }
  const reason = stop ?? defaultStop(calls.length);
  const body =
    format === 'openai'
      ? {
          id: `chatcmpl_fake_${ctx.seq}`, object: 'chat.completion', created: 1_700_000_000, model,
          choices: [{
            index: 0, finish_reason: reason === 'tool_use' ? 'tool_calls' : reason === 'max_tokens' ? 'length' : 'stop',
            message: { role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) } : {}) },
          }],
          usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output, prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 } },
        }
      : {
          id: `msg_fake_${ctx.seq}`, type: 'message', role: 'assistant', model, stop_reason: reason, stop_sequence: null,
          content: [...(text ? [{ type: 'text', text }] : []), ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: parseOr(c.args) }))],
          usage: { input_tokens: Math.max(0, usage.input - (usage.cacheRead ?? 0) - (usage.cacheWrite ?? 0)), output_tokens: usage.output, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: usage.cacheWrite ?? 0 },
        };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseOr(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {}; // non-streaming responses carry parsed input; malformed args only matter when streaming
  }
}
