import type { HistoryMessage } from '../../shared/model';
import { streamingText, type SessionData } from './reducer';
import type { TurnEnv } from './turn-host';
import { AgentError, toAgentError } from '../base/errors';
import { connectProvider } from './endpoint';

/** Options of a side question. */
export interface AskOptions {
  signal?: AbortSignal;
  /** Called with each streamed piece of the answer. */
  onDelta?(text: string): void;
}

export interface AskResult {
  answer: string;
}

/** Longest question accepted, characters. */
export const MAX_QUESTION_CHARS = 10_000;
/** Characters of the session's conversation shown to the side model (the start and the most recent part). */
const MAX_TRANSCRIPT_CHARS = 80_000;
const MAX_PART_CHARS = 4_000;

const SIDE_SYSTEM = [
  'You answer a side question about an AI coding-agent session that the user is watching.',
  'You see a copy of the session\'s conversation and its current runtime state. You cannot call tools or change the session;',
  'answer from what you see, briefly and precisely, and say so when the answer is not in the session.',
].join(' ');

function clip(text: string, max = MAX_PART_CHARS): string {
  return text.length > max ? `${text.slice(0, max)} […${text.length - max} more characters]` : text;
}

function render(m: HistoryMessage): string {
  if (m.role === 'user') return `USER:\n${clip(m.content)}`;
  if (m.role === 'tool') return `TOOL RESULT (${m.toolName}${m.isError ? ', error' : ''}):\n${clip(m.content)}`;
  const parts = m.content.map((p) => {
    if (p.type === 'text') return clip(p.text);
    if (p.type === 'tool_call') return `[calls ${p.name} ${clip(JSON.stringify(p.args), 500)}]`;
    return ''; // thinking stays private to the session
  }).filter(Boolean);
  return `ASSISTANT:\n${parts.join('\n')}`;
}

/** The conversation as text, newest kept when it is long (plus the first message: the original request). */
export function renderTranscript(history: readonly HistoryMessage[]): string {
  const blocks = history.map(render);
  let total = 0;
  const tail: string[] = [];
  for (let i = blocks.length - 1; i >= 1; i--) {
    if (total + blocks[i].length > MAX_TRANSCRIPT_CHARS) {
      tail.unshift(`[… ${i} earlier messages left out …]`);
      break;
    }
    total += blocks[i].length;
    tail.unshift(blocks[i]);
  }
  return [blocks[0] ?? '(no messages yet)', ...tail].join('\n\n');
}

/** The runtime state a side question may ask about (what the history alone does not show). */
export function renderRuntimeState(d: SessionData): string {
  const lines = [`State: ${d.state}${d.paused ? ' (pause requested)' : ''}`, `Title: ${d.title}`, `Model: ${d.config.model} (${d.config.providerId}), mode ${d.config.mode}`];
  if (d.turn) {
    lines.push(`A turn is running: model request ${d.turn.rounds}.`);
    const writing = streamingText(d)?.text;
    if (writing) lines.push(`The assistant is currently writing:\n${clip(writing)}`);
    if (d.turn.openCalls.length > 0) lines.push(`Tool calls in progress: ${d.turn.openCalls.map((c) => c.name).join(', ')}`);
  }
  lines.push(d.pendingApprovals.length === 0 ? 'Pending approvals: none' : `Pending approvals:\n${d.pendingApprovals.map((a) => `- ${a.toolName}: ${a.summary} (${a.reason})`).join('\n')}`);
  lines.push(d.queue.length === 0 ? 'Queued prompts: none' : `Queued prompts:\n${d.queue.map((q) => `- ${clip(q.text, 500)}`).join('\n')}`);
  lines.push(d.tasks.length === 0 ? 'Tasks: none' : `Tasks:\n${d.tasks.map((t) => `- [${t.status}] ${t.title}`).join('\n')}`);
  if (d.lastError) lines.push(`Last error: ${d.lastError.code}: ${d.lastError.message}`);
  lines.push(`Context: ${d.context.tokens} of ${d.context.window} tokens; cost so far ${d.totals.costUsd === null ? 'unknown' : `$${d.totals.costUsd.toFixed(4)}`}`);
  return lines.join('\n');
}

/**
 * Answers a question about a session from a copy of its history and runtime state, with the
 * session's provider and model and no tools. Reads `data` once, synchronously, then never
 * touches the session again: nothing is recorded, the seq does not move.
 */
export async function askSideQuestion(data: SessionData, env: TurnEnv, question: string, options: AskOptions = {}): Promise<AskResult> {
  const q = typeof question === 'string' ? question.trim() : '';
  if (!q) throw new AgentError('bad_request', 'The side question is empty. Type a question about this session.');
  if (q.length > MAX_QUESTION_CHARS) throw new AgentError('bad_request', `The side question is too long (${q.length} characters; the limit is ${MAX_QUESTION_CHARS}).`);
  // Snapshot first (synchronously): the session may keep running while we wait for the model.
  const prompt = `# The session's conversation so far\n\n${renderTranscript(data.history)}\n\n# Its runtime state now\n\n${renderRuntimeState(data)}\n\n# The user's side question\n\n${q}`;
  return { answer: await askModel(data, env, SIDE_SYSTEM, prompt, options, 'The side question was cancelled.') };
}

/**
 * One request to the session's provider and model, outside its history: `system` and one user
 * message, no tools; the streamed text, trimmed. Reads the session's config once, synchronously,
 * and records nothing. Abort → AgentError('cancelled', `cancelledMessage`).
 */
export async function askModel(
  data: Pick<SessionData, 'config'>, env: TurnEnv, system: string, prompt: string, options: AskOptions = {}, cancelledMessage = 'The request was cancelled.',
): Promise<string> {
  const cfg = structuredClone(data.config);
  const provider = await connectProvider(env, cfg);
  const signal = options.signal ?? new AbortController().signal;
  let answer = '';
  try {
    for await (const ev of provider.stream({
      model: cfg.model, system, messages: [{ id: 'side-question', role: 'user', content: prompt }], tools: [], signal,
      ...(cfg.maxOutputTokens ? { maxOutputTokens: cfg.maxOutputTokens } : {}),
    }, { ...(cfg.streamIdleTimeoutMs ? { idleTimeoutMs: cfg.streamIdleTimeoutMs } : {}) })) {
      if (ev.type === 'text_delta') {
        answer += ev.text;
        options.onDelta?.(ev.text);
      }
    }
  } catch (e) {
    if (signal.aborted) throw new AgentError('cancelled', cancelledMessage);
    throw toAgentError(e);
  }
  return answer.trim();
}
