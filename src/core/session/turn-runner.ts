import type { AssistantPart, StopReason, ToolSpec, Usage } from '../../shared/model';
import type { ApprovalResolution } from './types';
import type { ToolRegistryLike } from '../tools/types';
import type { ActiveTurn, TurnHost } from './turn-host';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { buildSystemPrompt } from '../context/system-prompt';
import { findRecord } from './reducer';
import { ToolCallExecutor } from './tool-calls';
import type { ResumePoint, ToolCallPart } from './resume';
import type { ModelRequest, StreamEvent, StreamOptions } from '../providers/types';
import { usedCallIds, uniqueCallPart } from './call-ids';
import { RetryWaits } from './retry-wait';
import { compactSession } from './compact';
import { compactedJustNow, contextParts, overflowStopError, type OverflowStop } from './overflow';
import { connectProvider } from './endpoint';
import { assertToolsSupported } from './capability-check';
import type { TurnEnd, TurnRecorder } from './turn-recorder';
import { worktreeRootOf } from '../../shared/worktree';
import { hookListing, turnGoesOn, turnStarts } from './turn-edges';


interface StreamOutcome {
  content: AssistantPart[];
  stopReason: StopReason;
  usage?: Usage;
}

/** What one attempt streamed so far: its content, and whether any output arrived (then no silent retry). */
interface Streamed {
  content: AssistantPart[];
  output: boolean;
}

/**
 * One turn: model request → tool calls (permission, approval, execution) → results → repeat,
 * until the model stops or `maxToolRounds`. Cancellation is owned by the session: once it drops
 * the turn, its recorder refuses (AgentError 'cancelled') and the runner unwinds quietly.
 */
export class TurnRunner {
  /** Tool view of the latest request (MCP tools come and go between requests). */
  private tools?: ToolRegistryLike;
  /** Rules-files and skills sections, loaded once per turn. */
  private sections: string[] = [];
  /** How many attached rules the sections were built with (more attached: built again). */
  private sectionsAttached = 0;
  private readonly calls: ToolCallExecutor;
  private readonly retries: RetryWaits;
  private readonly record: TurnRecorder;

  constructor(private readonly host: TurnHost, private readonly turn: ActiveTurn) {
    this.record = turn.record;
    this.calls = new ToolCallExecutor(host, turn, () => this.tools ?? host.env.knowledge.toolsFor(turn.config, worktreeRootOf(host.data.worktree), host.data));
    this.retries = new RetryWaits(host, turn);
  }

  /** Runs the turn to its end; never throws. */
  async run(): Promise<void> {
    await this.guard(async () => {
      await this.host.env.checkWorkplace?.(this.host, 'turn');
      await this.prepare();
      // A hook blocked the prompt: the turn ends cleanly, the hook's reason shown (turn-edges.ts).
      if (await turnStarts(this.host, this.turn) !== undefined) return { stopReason: 'other', rounds: 0 };
      return this.loop(1);
    });
  }

  /**
   * Continues a turn restored after a restart at `point`: the restored approvals (already
   * registered, their answers in `answers` by approval id) and the rest of that message's calls,
   * then model requests as usual. Skills were attached when the turn started, unless it was paused
   * before its first request with nothing attached yet (then they are matched now); otherwise only
   * the prompt sections are loaded again. Never throws.
   */
  async resume(point: ResumePoint, answers: ReadonlyMap<string, Promise<ApprovalResolution>>): Promise<void> {
    await this.guard(async () => {
      await this.host.env.checkWorkplace?.(this.host, 'turn');
      if (point.rounds === 0 && !this.attachedAny()) await this.prepare();
      else await this.loadSections();
      await this.calls.resume(point, answers);
      return this.loop(point.rounds + 1);
    });
  }

  /** Records the turn's end: completed, or failed when `work` throws (a cancel has already closed it). */
  private async guard(work: () => Promise<TurnEnd>): Promise<void> {
    try {
      const end = await work();
      this.record.turnCompleted(end);
    } catch (e) {
      if (!this.host.isCurrent(this.turn)) return; // cancelled: the session closed the turn already
      const error = toAgentError(e);
      this.host.env.logger.warn(`Turn ${this.turn.turnId} failed: ${error.code}: ${error.message}`);
      this.record.turnFailed(error.toJSON());
    }
  }

  /**
   * Loads the rules files and skills index for this turn (recording the listing when it changed)
   * and attaches the bodies of skills the prompt clearly matches to the turn's user message.
   */
  private async prepare(): Promise<void> {
    await this.loadSections();
    for (const a of await this.host.env.knowledge.attachmentsFor(this.turn.prompt, this.turn.config, worktreeRootOf(this.host.data.worktree))) {
      this.record.skillAttached(a);
    }
  }

  /** Whether skills were attached to the turn's message (the history's copy then differs from the transcript's). */
  private attachedAny(): boolean {
    const d = this.host.data;
    const id = d.turn?.userMessageId;
    const sent = d.history.find((m) => m.id === id);
    const typed = id ? findRecord(d, id) : undefined;
    return sent?.role === 'user' && typed?.kind === 'user' && sent.content !== typed.text;
  }

  /** Rules-files and skills-index sections of the system prompt (records the listing when it changed). */
  private async loadSections(): Promise<void> {
    this.sectionsAttached = this.host.data.attachedRules?.length ?? 0;
    const prepared = await this.host.env.knowledge.prepare(this.turn.config, worktreeRootOf(this.host.data.worktree), this.host.data);
    this.sections = prepared.sections;
    const hooks = await hookListing(this.host);
    this.record.knowledge(hooks ? { ...prepared.knowledge, hooks } : prepared.knowledge);
  }

  /**
   * Model request → tool calls → repeat, from request number `first`, until the model stops,
   * `maxToolRounds` is reached or a budget is spent.
   */
  private async loop(first: number): Promise<TurnEnd> {
    const cfg = this.turn.config;
    for (let round = first; ; round++) {
      if (round > cfg.maxToolRounds) return { stopReason: 'max_rounds', rounds: round - 1 };
      // Budgets are checked between rounds, after every tool result is in: the history stays valid.
      const used = this.host.data.turn?.used ?? { tokens: 0, costUsd: 0 };
      if (cfg.maxTurnTokens !== undefined && used.tokens >= cfg.maxTurnTokens) {
        return { stopReason: 'limit', rounds: round - 1, limit: { kind: 'tokens', used: used.tokens, max: cfg.maxTurnTokens } };
      }
      if (cfg.maxTurnCostUsd !== undefined && used.costUsd >= cfg.maxTurnCostUsd) {
        return { stopReason: 'limit', rounds: round - 1, limit: { kind: 'cost', used: used.costUsd, max: cfg.maxTurnCostUsd } };
      }
      await this.host.gate(this.turn);
      const outcome = await this.request(round);
      const calls = outcome.content.filter((p): p is ToolCallPart => p.type === 'tool_call');
      if (calls.length === 0) {
        if (await turnGoesOn(this.host, this.turn)) continue; // a Stop hook: its reason is the next user message
        return { stopReason: outcome.stopReason, rounds: round };
      }
      await this.calls.runAll(calls);
    }
  }

  /**
   * One model request, streamed into events. Retries before any output are the provider's
   * (withRetry), waited for here (RetryWaits: countdown, "retry now", a question beyond the cap).
   * A request refused as too long is compacted once and sent again (overflow.ts says when that
   * stops instead). A stream that breaks after output keeps its partial text — in the transcript,
   * marked, not in the history — and the same request goes again when the user says so.
   */
  private async request(round: number): Promise<StreamOutcome> {
    for (let afterOutput = 0; ;) {
      const { env } = this.host;
      const cfg = this.turn.config;
      // Rules attached by the last calls (rules-on-path.ts) join from this request on.
      if ((this.host.data.attachedRules?.length ?? 0) !== this.sectionsAttached) await this.loadSections();
      this.tools = env.knowledge.toolsFor(cfg, worktreeRootOf(this.host.data.worktree), this.host.data);
      const specs = this.tools.specs();
      const system = buildSystemPrompt({ sessionPrompt: cfg.systemPrompt, agent: cfg.agent, tools: specs, extraSections: this.sections });
      assertToolsSupported(env, cfg, specs); // a model known to lack tool calling: a clear error, nothing sent
      // The key is looked up per request and lives only in this request's provider.
      const provider = await connectProvider(env, cfg);
      await this.host.gate(this.turn);
      const messageId = newId('msg');
      this.record.messageStarted(messageId, round);
      const streamed: Streamed = { content: [], output: false };
      const request: ModelRequest = {
        model: cfg.model, system, messages: [...this.host.data.history], tools: specs,
        ...(cfg.maxOutputTokens ? { maxOutputTokens: cfg.maxOutputTokens } : {}),
        ...(cfg.thinking ? { thinking: cfg.thinking } : {}),
        ...(cfg.reasoningEffort ? { reasoningEffort: cfg.reasoningEffort } : {}),
        signal: this.turn.abort.signal,
      };
      try {
        return await this.consume(provider.stream(request, this.streamOptions()), messageId, streamed);
      } catch (e) {
        const err = toAgentError(e);
        if (!this.host.isCurrent(this.turn) || err.code === 'cancelled') throw e;
        if (err.code === 'context_overflow' && !streamed.output) {
          this.record.messageCompleted(messageId, [], 'other');
          await this.compactForOverflow(err, specs);
          continue;
        }
        if (!streamed.output || !err.retryable) throw e;
        // Text and thinking only, for the record: calls of a broken message never run.
        const partial = streamed.content.flatMap((p): AssistantPart[] => (p.type === 'text' && p.text ? [p]
          : p.type === 'thinking' && p.text ? [{ type: 'thinking', text: p.text }] : []));
        this.record.messageCompleted(messageId, partial, 'other', true);
        await this.retries.afterOutput(++afterOutput, err.toJSON(), partial.length > 0 ? messageId : undefined);
      }
    }
  }

  private streamOptions(): StreamOptions {
    const cfg = this.turn.config;
    return {
      ...(cfg.streamIdleTimeoutMs ? { idleTimeoutMs: cfg.streamIdleTimeoutMs } : {}),
      maxRetryWaitMs: this.retries.maxWaitMs(), beforeRetry: this.retries.beforeRetry,
    };
  }

  /**
   * The provider refused the request as too long: compact (keeping the least) so it can go again —
   * unless the context was compacted just now (the retry overflowed too, or it refilled at once),
   * or nothing is left to compact: then the turn stops with what filled the window and what to do.
   */
  private async compactForOverflow(err: AgentError, specs: readonly ToolSpec[]): Promise<void> {
    const d = this.host.data;
    const stop = (why: OverflowStop): AgentError => overflowStopError(why, contextParts(d, specs, this.sections), err);
    if (compactedJustNow(d)) throw stop(d.requestsSinceCompaction === 0 ? 'still_too_long' : 'refilled');
    const compaction = await compactSession(d, this.host.env, 'overflow', this.turn.abort.signal, { tight: true });
    if (!compaction) throw stop('nothing_to_compact');
    this.record.compacted(compaction);
    await this.host.flush();
  }

  /** Streams one attempt into events; `streamed` says what arrived (kept when it breaks). */
  private async consume(stream: AsyncIterable<StreamEvent>, messageId: string, streamed: Streamed): Promise<StreamOutcome> {
    const { content } = streamed;
    const used = usedCallIds(this.host.data.history);
    let stopReason: StopReason | undefined;
    let usage: Usage | undefined;
    for await (const ev of stream) {
      if (ev.type !== 'retry' && ev.type !== 'usage' && ev.type !== 'stop') streamed.output = true;
      const last = content[content.length - 1];
      switch (ev.type) {
        case 'text_delta':
          if (last?.type === 'text') last.text += ev.text; else content.push({ type: 'text', text: ev.text });
          this.record.delta(messageId, 'text', ev.text);
          break;
        case 'thinking_delta':
          // A sealed block (signature, or a Responses reasoning item's id) is complete: new text starts a new one.
          if (last?.type === 'thinking' && last.signature === undefined && last.itemId === undefined) last.text += ev.text;
          else content.push({ type: 'thinking', text: ev.text });
          this.record.delta(messageId, 'thinking', ev.text);
          break;
        case 'thinking_end': {
          const seal = thinkingSeal(ev);
          if (last?.type === 'thinking' && last.signature === undefined && last.redacted === undefined && last.encrypted === undefined && last.itemId === undefined) {
            Object.assign(last, seal);
          } else if (Object.keys(seal).length > 0) {
            content.push({ type: 'thinking', text: '', ...seal });
          }
          break;
        }
        case 'tool_call_end':
          // Ids unique in the session (providers refuse repeats); bad arguments stay marked invalid.
          content.push(uniqueCallPart(ev, content, used, () => newId('call')));
          break;
        case 'usage':
          usage = mergeUsage(usage, ev.usage);
          break;
        case 'retry':
          break; // recorded and waited for by RetryWaits.beforeRetry
        case 'stop':
          stopReason = ev.reason;
          break;
        case 'tool_call_start': case 'tool_call_delta':
          break; // only complete, parsed calls count (tool_call_end)
      }
      if (!this.host.isCurrent(this.turn)) throw new AgentError('cancelled', 'The turn was cancelled.');
    }
    if (stopReason === undefined) throw new AgentError('network', 'The model stream ended without a stop event.', { retryable: true });
    this.record.messageCompleted(messageId, content, stopReason);
    if (usage) this.record.usage(usage, this.host.env.costOf(this.turn.config.model, usage, this.turn.config.providerId));
    return { content, stopReason, ...(usage ? { usage } : {}) };
  }
}

/** What a thinking_end carries to echo back (only the fields present). */
function thinkingSeal(ev: Extract<StreamEvent, { type: 'thinking_end' }>): Partial<Extract<AssistantPart, { type: 'thinking' }>> {
  return {
    ...(ev.signature !== undefined ? { signature: ev.signature } : {}), ...(ev.redacted !== undefined ? { redacted: ev.redacted } : {}),
    ...(ev.itemId !== undefined ? { itemId: ev.itemId } : {}), ...(ev.encrypted !== undefined ? { encrypted: ev.encrypted } : {}),
  };
}

/** Providers may report usage in pieces (Anthropic: input at start, output at the end). */
function mergeUsage(a: Usage | undefined, b: Usage): Usage {
  if (!a) return { ...b };
  const max = (x?: number, y?: number): number | undefined => (x === undefined && y === undefined ? undefined : Math.max(x ?? 0, y ?? 0));
  const cacheRead = max(a.cacheReadTokens, b.cacheReadTokens);
  const cacheWrite = max(a.cacheWriteTokens, b.cacheWriteTokens);
  return {
    inputTokens: Math.max(a.inputTokens, b.inputTokens), outputTokens: Math.max(a.outputTokens, b.outputTokens),
    ...(cacheRead !== undefined ? { cacheReadTokens: cacheRead } : {}), ...(cacheWrite !== undefined ? { cacheWriteTokens: cacheWrite } : {}),
  };
}
