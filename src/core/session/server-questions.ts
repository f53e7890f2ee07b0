/**
 * MCP servers' questions during a tool call (elicitation) and their requests for a completion
 * (sampling), as a session answers them: each becomes a question card (question.asked), waits
 * for the user (SessionManager.answerQuestion) or for the call/turn to end (then `cancel` by
 * `system`), and is recorded as answered. An approved sampling request runs on the session's
 * own model through the same provider access the turn uses; its cost counts in the session's
 * totals (TurnRecorder.samplingUsage), not in its context meter.
 */
import type { HistoryMessage, StopReason, Usage } from '../../shared/model';
import type { ElicitValue, PendingQuestion, QuestionAnswer } from '../../shared/knowledge-types';
import type { ElicitRequest, SampleRequest, ServerRequestHandlers } from '../tools/types';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { elicitContentProblem } from '../mcp/elicitation-schema';
import { connectProvider } from './endpoint';
import type { HookedCall, ServerRequestsFactory } from './call-hooks';
import type { ActiveTurn, TurnHost } from './turn-host';

type Action = QuestionAnswer['action'];

/** What the user answered (or the system, when the call or turn ended first). */
interface Reply {
  action: Action;
  content?: Record<string, ElicitValue>;
  by: 'user' | 'system';
}

interface Waiting {
  sessionId: string;
  question: PendingQuestion;
  settle(reply: Reply): void;
}

/** Longest summary of a sampling request on its card, characters. */
const MAX_SUMMARY = 300;

/**
 * The questions waiting for their users, across sessions. `factory` goes into TurnEnv.serverRequests;
 * `answer` is what SessionManager.answerQuestion calls.
 */
export class ServerQuestions {
  private readonly waiting = new Map<string, Waiting>();

  /** Makes the handlers of one tool call's server requests. */
  readonly factory: ServerRequestsFactory = (host, turn, call) => this.handlers(host, turn, call);

  /**
   * Answers question `questionId` of session `sessionId`. `not_found` when it does not wait (any
   * more); `bad_request` when accepted elicitation content does not fit the requested schema.
   */
  answer(sessionId: string, questionId: string, action: Action, content?: Record<string, ElicitValue>): void {
    const w = this.waiting.get(questionId);
    if (!w || w.sessionId !== sessionId) throw new AgentError('not_found', 'This question no longer waits for an answer (it was answered, or its tool call ended).');
    if (action === 'accept' && w.question.kind === 'elicitation' && w.question.schema) {
      const problem = elicitContentProblem(w.question.schema, content ?? {});
      if (problem) throw new AgentError('bad_request', `The answer does not fit the form: ${problem}. Correct the fields and send it again.`);
    }
    w.settle({ action, ...(action === 'accept' && w.question.kind === 'elicitation' ? { content: content ?? {} } : {}), by: 'user' });
  }

  /** Question ids waiting in a session (tests, diagnostics). */
  pending(sessionId: string): string[] {
    return [...this.waiting.values()].filter((w) => w.sessionId === sessionId).map((w) => w.question.id);
  }

  private handlers(host: TurnHost, turn: ActiveTurn, call: HookedCall): ServerRequestHandlers {
    return {
      elicit: async (req, signal) => {
        const question = this.question(host, call, 'elicitation', req.server, req.message, elicitFields(req));
        const reply = await this.wait(turn, question, signal);
        turn.record.questionAnswered(question.id, { action: reply.action, ...(reply.content ? { content: reply.content } : {}), by: reply.by });
        return { action: reply.action, ...(reply.content ? { content: reply.content } : {}) };
      },
      sample: async (req, signal) => {
        const sampling = { messages: req.messages, maxTokens: req.maxTokens, ...(req.systemPrompt ? { systemPrompt: req.systemPrompt } : {}) };
        const question = this.question(host, call, 'sampling', req.server, samplingSummary(req), { sampling });
        const reply = await this.wait(turn, question, signal);
        if (reply.action !== 'accept') {
          turn.record.questionAnswered(question.id, { action: reply.action, by: reply.by });
          return { action: reply.action };
        }
        try {
          const out = await runSampling(host, turn, req, AbortSignal.any([signal, turn.abort.signal]));
          turn.record.questionAnswered(question.id, { action: 'accept', text: out.text, by: 'user' });
          return { action: 'accept', ...out };
        } catch (e) {
          turn.record.questionAnswered(question.id, { action: 'cancel', by: 'system' });
          if (signal.aborted || turn.abort.signal.aborted) return { action: 'cancel' };
          throw toAgentError(e);
        }
      },
    };
  }

  private question(host: TurnHost, call: HookedCall, kind: PendingQuestion['kind'], server: string, message: string, extra: Partial<PendingQuestion>): PendingQuestion {
    return { id: newId('q'), sessionId: host.data.id, server, kind, callId: call.id, message, ...extra, requestedAt: host.env.clock.now() };
  }

  /** Records the card and waits for its answer; the call's or the turn's end answers `cancel` (system). */
  private wait(turn: ActiveTurn, question: PendingQuestion, signal: AbortSignal): Promise<Reply> {
    const ended = AbortSignal.any([signal, turn.abort.signal]);
    if (ended.aborted || !turn.record.questionAsked(question)) return Promise.resolve({ action: 'cancel', by: 'system' });
    return new Promise<Reply>((resolve) => {
      const onEnd = (): void => settle({ action: 'cancel', by: 'system' });
      const settle = (reply: Reply): void => {
        ended.removeEventListener('abort', onEnd);
        this.waiting.delete(question.id);
        resolve(reply);
      };
      ended.addEventListener('abort', onEnd, { once: true });
      this.waiting.set(question.id, { sessionId: question.sessionId, question, settle });
    });
  }
}

function elicitFields(req: ElicitRequest): Partial<PendingQuestion> {
  return { ...(req.schema ? { schema: req.schema } : {}), ...(req.url ? { url: req.url } : {}) };
}

/** The card's one line: what the server wants the model to answer. */
function samplingSummary(req: SampleRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user')?.text ?? '';
  const text = last.replace(/\s+/g, ' ').trim();
  return `a completion of up to ${req.maxTokens} tokens for: ${text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY)}…` : text || '(no text)'}`;
}

const STOP: Partial<Record<StopReason, 'endTurn' | 'maxTokens' | 'stopSequence'>> = { max_tokens: 'maxTokens', stop_sequence: 'stopSequence' };

/**
 * Runs an approved sampling request on the session's model (the turn's config), no tools; records
 * its usage and cost as `sampling` (totals, not the meter). Abort → AgentError('cancelled').
 */
async function runSampling(host: TurnHost, turn: ActiveTurn, req: SampleRequest, signal: AbortSignal): Promise<{ text: string; model: string; stopReason: 'endTurn' | 'maxTokens' | 'stopSequence' }> {
  const cfg = turn.config;
  const provider = await connectProvider(host.env, cfg);
  const messages: HistoryMessage[] = req.messages.map((m, i) => (m.role === 'user'
    ? { id: `sampling-${i}`, role: 'user', content: m.text }
    : { id: `sampling-${i}`, role: 'assistant', content: [{ type: 'text', text: m.text }] }));
  const maxOutputTokens = Math.max(1, Math.min(req.maxTokens, cfg.maxOutputTokens ?? req.maxTokens));
  let text = '';
  let usage: Usage | undefined;
  let stop: StopReason | undefined;
  try {
    for await (const ev of provider.stream({
      model: cfg.model, system: req.systemPrompt ?? '', messages, tools: [], signal, maxOutputTokens,
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    }, { ...(cfg.streamIdleTimeoutMs ? { idleTimeoutMs: cfg.streamIdleTimeoutMs } : {}) })) {
      if (ev.type === 'text_delta') text += ev.text;
      else if (ev.type === 'usage') usage = ev.usage;
      else if (ev.type === 'stop') stop = ev.reason;
    }
  } catch (e) {
    if (signal.aborted) throw new AgentError('cancelled', 'The sampling request was cancelled.');
    throw toAgentError(e);
  } finally {
    if (usage) turn.record.samplingUsage(usage, host.env.costOf(cfg.model, usage, cfg.providerId));
  }
  return { text, model: cfg.model, stopReason: (stop && STOP[stop]) ?? 'endTurn' };
}
