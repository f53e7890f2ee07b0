import type { SessionData } from './reducer';
import type { TurnEnv } from './turn-host';
import type { Compaction } from './turn-recorder';
import type { HistoryMessage } from '../../shared/model';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { planCompaction, planTightCompaction, summariseWithModel, summaryMessageText, truncationSummary } from '../context/compaction';
import { buildSystemPrompt } from '../context/system-prompt';
import { estimateMessages, estimateText, estimateTools } from '../../shared/tokens';
import { connectProvider } from './endpoint';
import { worktreeRootOf } from '../../shared/worktree';

/** How long the summarising model may take before we fall back to truncation. */
const SUMMARY_TIMEOUT_MS = 120_000;

const cancelledError = (): AgentError => new AgentError('cancelled', 'The compaction was cancelled.');

/**
 * Works out a compaction of the session's history (undefined when there is nothing to compact); the
 * session records it as `context.compacted`.
 * Tries the compaction model (config.compactionModel, else the session's model); when it cannot
 * be reached or fails, truncates and says so in `note`. `signal` (cancel, dispose) aborts the
 * summary request and throws AgentError('cancelled'): nothing is built, so nothing is applied —
 * also when the summary arrived just before the abort. `tight`: keep the least (planTightCompaction)
 * — for a request that did not fit (trigger `overflow`) or a compaction right after another.
 */
export async function compactSession(
  data: SessionData, env: TurnEnv, trigger: 'manual' | 'auto' | 'overflow', signal?: AbortSignal, options: { tight?: boolean } = {},
): Promise<Compaction | undefined> {
  if (signal?.aborted) throw cancelledError();
  const plan = options.tight ? planTightCompaction(data.history, data.turn?.userMessageId) : planCompaction(data.history);
  if (!plan) return undefined;
  const cfg = data.config;
  let method: 'llm' | 'truncate' = 'llm';
  let note: string | undefined;
  let summary: string;
  // Our own controller: the timeout falls back to truncation, a cancel does not.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SUMMARY_TIMEOUT_MS);
  const onCancel = (): void => abort.abort(cancelledError());
  signal?.addEventListener('abort', onCancel, { once: true });
  try {
    const provider = await connectProvider(env, cfg);
    if (signal?.aborted) throw cancelledError(); // no request at all
    summary = await summariseWithModel({
      provider, model: cfg.compactionModel ?? cfg.model, messages: plan.summarise, tasks: data.tasks, signal: abort.signal,
    });
  } catch (e) {
    if (signal?.aborted) throw cancelledError();
    const err = toAgentError(e);
    env.logger.warn(`Compaction of ${data.id}: summary model failed (${err.code}); truncating instead.`);
    method = 'truncate';
    note = `No model could write a summary (${err.code}: ${err.message}); older messages were truncated instead.`;
    summary = truncationSummary(plan.summarise);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
  if (signal?.aborted) throw cancelledError();
  const summaryMessage: HistoryMessage = { id: newId('msg'), role: 'user', content: summaryMessageText(summary, data.tasks, method) };
  const after: HistoryMessage[] = [...(plan.original ? [plan.original] : []), summaryMessage, ...plan.keep];
  const specs = env.knowledge.toolsFor(cfg, worktreeRootOf(data.worktree), data).specs();
  const fixed = estimateText(buildSystemPrompt({ sessionPrompt: cfg.systemPrompt, agent: cfg.agent, tools: specs })) + estimateTools(specs);
  return {
    method,
    compactedMessageIds: plan.summarise.map((m) => m.id),
    summaryMessageId: summaryMessage.id,
    summary: summaryMessage.role === 'user' ? summaryMessage.content : '',
    before: { tokens: data.context.tokens, messages: data.history.length },
    after: { tokens: fixed + estimateMessages(after), messages: after.length },
    ...(note ? { note } : {}),
    trigger,
  };
}
