import type { AssistantPart, StopReason, Usage } from '../../shared/model';
import type { PermissionSource, SessionEventBody } from './events';
import type { PendingApprovalInfo, SessionConfig } from './types';
import type { ModelProvider, ProviderEndpoint } from '../providers/types';
import type { AnyTool, ToolRegistryLike, ToolResult } from '../tools/types';
import type { KnowledgeWiring } from './knowledge';
import type { PermissionEvaluator } from '../approval/types';
import type { ConfirmationManager } from '../approval/confirmations';
import type { Clock, Logger, SecretSource } from '../ports';
import type { PermissionRule } from './types';
import type { SessionData } from './reducer';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { buildSystemPrompt } from '../context/system-prompt';
import { closeTurnEvents } from './reducer';
import { SPAWN_SESSION_TOOL } from '../tools/spawn-session';

/** What a turn needs from outside the session (provided by the SessionManager). */
export interface TurnEnv {
  createProvider(endpoint: ProviderEndpoint): ModelProvider;
  secrets: SecretSource;
  /** The session's tools (built-ins, skills, MCP, spawn_session), prompt sections and skill matching. */
  knowledge: KnowledgeWiring;
  /** Label of approvals raised in this session ("child ‹title› of ‹parent›"), if any. */
  approvalLabel(data: SessionData): string | undefined;
  permissions: PermissionEvaluator;
  confirmations: ConfirmationManager;
  hostRules(): PermissionRule[];
  workspaceRoots: readonly string[];
  isWorkspaceTrusted(): boolean;
  logger: Logger;
  clock: Clock;
  /** Base URL of a provider profile, when the session config has none. */
  profileBaseUrl(providerId: string): string | undefined;
  /** USD cost of one request; null when the model's price is unknown. */
  costOf(model: string, usage: Usage): number | null;
}

/** The running turn's handle. Once the session drops it (cancel), nothing it emits is recorded. */
export interface ActiveTurn {
  turnId: string;
  /** The prompt that opened the turn (skills are matched against it). */
  prompt: string;
  /** Config captured at turn start: a model switch mid-turn applies to the next turn. */
  config: SessionConfig;
  abort: AbortController;
  /** Wakes a paused turn (resume or cancel). */
  wakers: Array<() => void>;
}

/** The session as seen by its turn runner (implemented by Session). */
export interface TurnHost {
  readonly data: SessionData;
  readonly env: TurnEnv;
  /** Records an event of this turn; returns false (and records nothing) once the turn is no longer current. */
  emitFor(turn: ActiveTurn, body: SessionEventBody): boolean;
  isCurrent(turn: ActiveTurn): boolean;
  /** Resolves when the turn may cross a boundary (not paused); throws `cancelled` once the turn is gone. */
  gate(turn: ActiveTurn): Promise<void>;
  /** Emits session.state for the turn's effective state (running / awaiting_approval / paused). */
  refreshState(turn: ActiveTurn): void;
  flush(): Promise<void>;
}

interface StreamOutcome {
  content: AssistantPart[];
  stopReason: StopReason;
  usage?: Usage;
}

/**
 * One turn: model request → tool calls (permission, approval, execution) → results → repeat,
 * until the model stops or `maxToolRounds`. Cancellation is owned by the session: once it drops
 * the turn, every emit here is refused and the runner unwinds quietly.
 */
export class TurnRunner {
  /** Tool view of the latest request (MCP tools come and go between requests). */
  private tools?: ToolRegistryLike;
  /** Rules-files and skills sections, loaded once per turn. */
  private sections: string[] = [];
  /** Spent by this turn's requests, for maxTurnTokens / maxTurnCostUsd. */
  private used = { tokens: 0, costUsd: 0 };

  constructor(private readonly host: TurnHost, private readonly turn: ActiveTurn) {}

  private emit(body: SessionEventBody): void {
    if (!this.host.emitFor(this.turn, body)) throw new AgentError('cancelled', 'The turn was cancelled.');
  }

  /** Runs the turn to its end; never throws. */
  async run(): Promise<void> {
    try {
      await this.prepare();
      const end = await this.loop();
      this.emit({ type: 'turn.completed', turnId: this.turn.turnId, stopReason: end.stopReason, rounds: end.rounds, ...(end.limit ? { limit: end.limit } : {}) });
      this.emit({ type: 'session.state', state: 'idle' });
    } catch (e) {
      if (!this.host.isCurrent(this.turn)) return; // cancelled: the session closed the turn already
      const error = toAgentError(e);
      this.host.env.logger.warn(`Turn ${this.turn.turnId} failed: ${error.code}: ${error.message}`);
      const events = closeTurnEvents(this.host.data, { kind: 'failed', error: error.toJSON() }, () => newId('msg')) ?? [];
      for (const body of events) this.host.emitFor(this.turn, body);
    }
  }

  /**
   * Loads the rules files and skills index for this turn (recording the listing when it changed)
   * and attaches the bodies of skills the prompt clearly matches to the turn's user message.
   */
  private async prepare(): Promise<void> {
    const { knowledge } = this.host.env;
    const cfg = this.turn.config;
    const prepared = await knowledge.prepare(cfg);
    this.sections = prepared.sections;
    if (JSON.stringify(prepared.knowledge) !== JSON.stringify(this.host.data.knowledge ?? null)) {
      this.emit({ type: 'knowledge.loaded', knowledge: prepared.knowledge });
    }
    for (const a of await knowledge.attachmentsFor(this.turn.prompt, cfg)) {
      this.emit({ type: 'skill.attached', turnId: this.turn.turnId, name: a.name, reason: a.reason, text: a.text });
    }
  }

  private async loop(): Promise<{ stopReason: StopReason | 'max_rounds' | 'limit'; rounds: number; limit?: { kind: 'tokens' | 'cost'; used: number; max: number } }> {
    const cfg = this.turn.config;
    for (let round = 1; ; round++) {
      if (round > cfg.maxToolRounds) return { stopReason: 'max_rounds', rounds: round - 1 };
      // Budgets are checked between rounds, after every tool result is in: the history stays valid.
      if (cfg.maxTurnTokens !== undefined && this.used.tokens >= cfg.maxTurnTokens) {
        return { stopReason: 'limit', rounds: round - 1, limit: { kind: 'tokens', used: this.used.tokens, max: cfg.maxTurnTokens } };
      }
      if (cfg.maxTurnCostUsd !== undefined && this.used.costUsd >= cfg.maxTurnCostUsd) {
        return { stopReason: 'limit', rounds: round - 1, limit: { kind: 'cost', used: this.used.costUsd, max: cfg.maxTurnCostUsd } };
      }
      await this.host.gate(this.turn);
      const outcome = await this.request(round);
      const calls = outcome.content.filter((p): p is Extract<AssistantPart, { type: 'tool_call' }> => p.type === 'tool_call');
      if (calls.length === 0) return { stopReason: outcome.stopReason, rounds: round };
      for (let i = 0; i < calls.length; i++) {
        if (calls[i].name !== SPAWN_SESSION_TOOL) { await this.runTool(calls[i]); continue; }
        // Consecutive spawn_session calls run at once: the children work concurrently.
        let j = i;
        while (j + 1 < calls.length && calls[j + 1].name === SPAWN_SESSION_TOOL) j++;
        const settled = await Promise.allSettled(calls.slice(i, j + 1).map((c) => this.runTool(c)));
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        i = j;
      }
    }
  }

  /** One model request, streamed into events. */
  private async request(round: number): Promise<StreamOutcome> {
    const { env } = this.host;
    const cfg = this.turn.config;
    this.tools = env.knowledge.toolsFor(cfg);
    const specs = this.tools.specs();
    const system = buildSystemPrompt({ sessionPrompt: cfg.systemPrompt, tools: specs, extraSections: this.sections });
    // The key is looked up per request and lives only in this call's endpoint object.
    const apiKey = await env.secrets.getApiKey(cfg.providerId);
    const baseUrl = cfg.baseUrl ?? env.profileBaseUrl(cfg.providerId);
    const provider = env.createProvider({ kind: cfg.providerKind, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}) });
    await this.host.gate(this.turn);
    const messageId = newId('msg');
    this.emit({ type: 'message.started', turnId: this.turn.turnId, messageId, round });

    const content: AssistantPart[] = [];
    let stopReason: StopReason | undefined;
    let usage: Usage | undefined;
    const stream = provider.stream({
      model: cfg.model, system, messages: [...this.host.data.history], tools: specs,
      ...(cfg.maxOutputTokens ? { maxOutputTokens: cfg.maxOutputTokens } : {}),
      ...(cfg.thinking ? { thinking: cfg.thinking } : {}),
      signal: this.turn.abort.signal,
    }, { ...(cfg.streamIdleTimeoutMs ? { idleTimeoutMs: cfg.streamIdleTimeoutMs } : {}) });
    for await (const ev of stream) {
      const last = content[content.length - 1];
      switch (ev.type) {
        case 'text_delta':
          if (last?.type === 'text') last.text += ev.text; else content.push({ type: 'text', text: ev.text });
          this.emit({ type: 'message.delta', messageId, kind: 'text', text: ev.text });
          break;
        case 'thinking_delta':
          if (last?.type === 'thinking' && last.signature === undefined) last.text += ev.text;
          else content.push({ type: 'thinking', text: ev.text });
          this.emit({ type: 'message.delta', messageId, kind: 'thinking', text: ev.text });
          break;
        case 'thinking_end':
          if (last?.type === 'thinking' && last.signature === undefined && last.redacted === undefined) {
            if (ev.signature !== undefined) last.signature = ev.signature;
            if (ev.redacted !== undefined) last.redacted = ev.redacted;
          } else if (ev.redacted !== undefined || ev.signature !== undefined) {
            content.push({ type: 'thinking', text: '', ...(ev.signature !== undefined ? { signature: ev.signature } : {}), ...(ev.redacted !== undefined ? { redacted: ev.redacted } : {}) });
          }
          break;
        case 'tool_call_end':
          content.push({ type: 'tool_call', id: ev.id, name: ev.name, args: ev.args });
          break;
        case 'usage':
          usage = mergeUsage(usage, ev.usage);
          break;
        case 'retry':
          this.emit({ type: 'provider.retry', turnId: this.turn.turnId, attempt: ev.attempt, delayMs: ev.delayMs, error: ev.error });
          break;
        case 'stop':
          stopReason = ev.reason;
          break;
        case 'tool_call_start': case 'tool_call_delta':
          break; // only complete, parsed calls count (tool_call_end)
      }
      if (!this.host.isCurrent(this.turn)) throw new AgentError('cancelled', 'The turn was cancelled.');
    }
    if (stopReason === undefined) throw new AgentError('network', 'The model stream ended without a stop event.', { retryable: true });
    this.emit({ type: 'message.completed', turnId: this.turn.turnId, messageId, content, stopReason });
    if (usage) this.recordUsage(usage);
    return { content, stopReason, ...(usage ? { usage } : {}) };
  }

  private recordUsage(usage: Usage): void {
    const { data, env } = this.host;
    const cost = env.costOf(this.turn.config.model, usage);
    this.used.tokens += usage.inputTokens + usage.outputTokens;
    if (cost !== null) this.used.costUsd += cost;
    const t = data.totals;
    const totals = {
      inputTokens: t.inputTokens + usage.inputTokens,
      outputTokens: t.outputTokens + usage.outputTokens,
      cacheReadTokens: t.cacheReadTokens + (usage.cacheReadTokens ?? 0),
      cacheWriteTokens: t.cacheWriteTokens + (usage.cacheWriteTokens ?? 0),
      // Unknown once any request had an unknown price: never shown as a too-low number.
      costUsd: t.costUsd === null || cost === null ? null : t.costUsd + cost,
    };
    const window = data.context.window;
    const tokens = usage.inputTokens + usage.outputTokens;
    this.emit({ type: 'usage.updated', usage, context: { tokens, window, fraction: window > 0 ? tokens / window : 0 }, totals, requestCostUsd: cost });
  }

  /** Permission → (approval) → execution → result, for one call. */
  private async runTool(call: { id: string; name: string; args: Record<string, unknown> }): Promise<void> {
    const { env, data } = this.host;
    const turnId = this.turn.turnId;
    this.emit({ type: 'tool.requested', turnId, callId: call.id, name: call.name, args: call.args });
    await this.host.gate(this.turn);
    const started = env.clock.now();
    const finish = (result: ToolResult, permission?: PermissionSource): void => {
      this.emit({
        type: 'tool.completed', turnId, callId: call.id, messageId: newId('msg'), name: call.name,
        content: result.content, isError: result.isError === true, durationMs: env.clock.now() - started,
        ...(permission ? { permission } : {}),
      });
    };

    const live = data.config; // mode and rules apply from the next tool call after a change
    const tools = this.tools ?? env.knowledge.toolsFor(this.turn.config);
    const tool: AnyTool | undefined = tools.get(call.name); // the view already applies the allowlist
    if (!tool) {
      const names = tools.specs().map((t) => t.name).join(', ');
      return finish({ content: `Unknown tool "${call.name}". Available tools: ${names || 'none'}.`, isError: true });
    }
    const valid = tool.validate(call.args);
    if (!valid.ok) return finish({ content: `Invalid arguments for ${call.name}: ${valid.error}`, isError: true });
    let description;
    try {
      description = await tool.describe(valid.value, { workspaceRoots: env.workspaceRoots, sessionId: data.id });
    } catch (e) {
      return finish({ content: `${call.name} cannot run: ${toAgentError(e).message}`, isError: true });
    }
    const decision = env.permissions.evaluate(tool, call.args, description, {
      mode: live.mode, rules: [...live.rules, ...env.hostRules()], workspaceRoots: env.workspaceRoots,
      workspaceTrusted: env.isWorkspaceTrusted(),
    });
    let permission: PermissionSource = { decision: decision.decision, source: decision.source };
    if (decision.decision === 'deny') {
      return finish({ content: `Permission denied (${decision.source}). ${decision.message ?? 'This call is not allowed.'}`, isError: true }, permission);
    }
    if (decision.decision === 'ask') {
      const info: PendingApprovalInfo = {
        id: newId('ap'), sessionId: data.id, callId: call.id, toolName: call.name, summary: description.summary,
        args: call.args, reason: decision.message ?? decision.source, requestedAt: env.clock.now(),
        ...labelOf(env.approvalLabel(data)),
        ...(description.diff ? { diff: description.diff } : {}),
        ...(decision.subcommands ? { subcommands: decision.subcommands } : {}),
        ...(decision.suggestedRule ? { suggestedRule: decision.suggestedRule } : {}),
      };
      this.emit({ type: 'approval.requested', approval: info });
      // Registered right after the event, synchronously: a cancel cannot slip in between.
      const answer = env.confirmations.request(info, live.approvalTimeoutMs);
      this.host.refreshState(this.turn);
      await this.host.flush();
      const resolution = await answer;
      this.emit({ type: 'approval.resolved', approvalId: info.id, callId: call.id, resolution });
      this.host.refreshState(this.turn);
      if (resolution.decision === 'deny') {
        const text = resolution.by === 'timeout'
          ? 'The approval request timed out, so the call was not run.'
          : `The user denied this call.${resolution.reason ? ` Reason: ${resolution.reason}` : ''}`;
        return finish({ content: text, isError: true }, { decision: 'deny', source: resolution.by === 'timeout' ? 'approval timed out' : 'denied by user' });
      }
      permission = {
        decision: 'allow',
        source: resolution.alwaysAllow ? `approved by user; rule ${resolution.alwaysAllow.pattern} saved [${resolution.alwaysAllow.scope}]` : 'approved by user',
      };
    }
    await this.host.gate(this.turn); // a pause holds before a new tool starts
    this.emit({ type: 'tool.started', callId: call.id, permission });
    let result: ToolResult;
    try {
      result = await tool.execute(valid.value, {
        sessionId: data.id, callId: call.id, workspaceRoots: env.workspaceRoots, signal: this.turn.abort.signal,
        onOutput: (chunk: string) => { this.host.emitFor(this.turn, { type: 'tool.output', callId: call.id, chunk }); },
        tasks: {
          get: () => structuredClone(this.host.data.tasks),
          set: (tasks) => { this.host.emitFor(this.turn, { type: 'tasks.updated', tasks: structuredClone(tasks) }); },
        },
        logger: env.logger,
      });
    } catch (e) {
      if (!this.host.isCurrent(this.turn)) throw e;
      result = { content: `${call.name} failed: ${toAgentError(e).message}`, isError: true };
    }
    finish(result, permission);
  }
}

function labelOf(label: string | undefined): { label?: string } {
  return label ? { label } : {};
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
