/**
 * What a running turn records, said as intents (a message started, a delta arrived, a tool
 * completed …). Only Session constructs one, per turn, handing it a closure that records a body
 * while that turn is the session's current one and refuses once the session dropped it (cancel,
 * interrupt, shutdown). Together with session.ts this is the only code that builds events.
 */
import type { AssistantPart, StopReason, Usage } from '../../shared/model';
import type { SerializedError } from '../../shared/errors';
import type { PermissionSource, SessionEventBody, SessionEventType } from './events';
import type { ApprovalResolution, PendingApprovalInfo, SessionKnowledge, TaskItem } from './types';
import type { ToolResult } from '../tools/types';
import type { SessionData } from './reducer';
import { AgentError } from '../base/errors';
import { newId } from '../base/ids';
import { closeTurnEvents } from './reducer';

type Body<T extends SessionEventType> = Extract<SessionEventBody, { type: T }>;

/** A `context.compacted` event without its tag: what compactSession works out (see compact.ts). */
export type Compaction = Omit<Body<'context.compacted'>, 'type'>;
/** How a turn ended cleanly (the fields of `turn.completed`). */
export type TurnEnd = Omit<Body<'turn.completed'>, 'type' | 'turnId'>;
/** A request waiting to be sent again (the fields of `provider.retry`). */
export type RetryWaitInfo = Omit<Body<'provider.retry'>, 'type' | 'turnId'>;

/** Whether `knowledge` differs from the listing the session recorded last. */
export function knowledgeChanged(data: SessionData, knowledge: SessionKnowledge): boolean {
  return JSON.stringify(knowledge) !== JSON.stringify(data.knowledge ?? null);
}

/**
 * The running turn's recorder. Methods that return void throw AgentError('cancelled') when the
 * session dropped the turn, so the runner unwinds; those returning boolean (tool output and tasks,
 * called from inside a tool, and the failure record) say false and record nothing instead.
 */
export class TurnRecorder {
  /**
   * @param record records `body` while the turn is current (true), else records nothing (false).
   * @param data the session's folded state (read for derived figures; never written here).
   */
  constructor(readonly turnId: string, private readonly data: SessionData, private readonly record: (body: SessionEventBody) => boolean) {}

  private must(body: SessionEventBody): void {
    if (!this.record(body)) throw new AgentError('cancelled', 'The turn was cancelled.');
  }

  /** A skill matched the prompt: its body goes with the turn's user message. */
  skillAttached(skill: { name: string; reason: Body<'skill.attached'>['reason']; text: string }): void {
    this.must({ type: 'skill.attached', turnId: this.turnId, name: skill.name, reason: skill.reason, text: skill.text });
  }

  /** The rules files and skills of this turn's prompt; recorded only when the listing changed. */
  knowledge(knowledge: SessionKnowledge): void {
    if (knowledgeChanged(this.data, knowledge)) this.must({ type: 'knowledge.loaded', knowledge });
  }

  /** Model request number `round` starts streaming into assistant message `messageId`. */
  messageStarted(messageId: string, round: number): void {
    this.must({ type: 'message.started', turnId: this.turnId, messageId, round });
  }

  /** A streamed piece of text or thinking of message `messageId`. */
  delta(messageId: string, kind: 'text' | 'thinking', text: string): void {
    this.must({ type: 'message.delta', messageId, kind, text });
  }

  /** The message's final content; `partial`: the stream broke after this output (kept, marked, not sent to the model again). */
  messageCompleted(messageId: string, content: AssistantPart[], stopReason: StopReason, partial?: true): void {
    this.must({ type: 'message.completed', turnId: this.turnId, messageId, content, stopReason, ...(partial ? { partial } : {}) });
  }

  /** Usage of one request and its cost (null: unknown price); the fold derives the totals and the context share. */
  usage(usage: Usage, requestCostUsd: number | null): void {
    this.must({ type: 'usage.updated', usage, requestCostUsd });
  }

  /** The history was compacted during the turn (a request did not fit). */
  compacted(compaction: Compaction): void {
    this.must({ type: 'context.compacted', ...compaction });
  }

  /** The model asked for a tool call. */
  toolRequested(call: { id: string; name: string; args: Record<string, unknown> }): void {
    this.must({ type: 'tool.requested', turnId: this.turnId, callId: call.id, name: call.name, args: call.args });
  }

  /** A call waits for the user's answer (an approval card). */
  approvalRequested(approval: PendingApprovalInfo): void {
    this.must({ type: 'approval.requested', approval });
  }

  /** The answer to approval `approvalId` of call `callId`. */
  approvalResolved(approvalId: string, callId: string, resolution: ApprovalResolution): void {
    this.must({ type: 'approval.resolved', approvalId, callId, resolution });
  }

  /** A call starts running, let through by `permission`. */
  toolStarted(callId: string, permission: PermissionSource): void {
    this.must({ type: 'tool.started', callId, permission });
  }

  /** Streamed output of a running call; false (nothing recorded) once the turn was dropped. */
  toolOutput(callId: string, chunk: string): boolean {
    return this.record({ type: 'tool.output', callId, chunk });
  }

  /** A running call's progress; false once the turn was dropped. Callers throttle (tool-calls.ts). */
  toolProgress(callId: string, progress: { progress: number; total?: number; message?: string }): boolean {
    return this.record({ type: 'tool.progress', callId, ...progress });
  }

  /** Rules files join the context from the next request on (nested files on the path, matching Cursor rules). */
  rulesAttached(rules: Body<'rules.attached'>['rules']): boolean {
    return rules.length > 0 && this.record({ type: 'rules.attached', turnId: this.turnId, rules });
  }

  /** Tool definitions the model loaded on demand (search_tools), sent from the next request on. */
  toolsLoaded(names: string[], callId?: string): boolean {
    return names.length > 0 && this.record({ type: 'tools.loaded', turnId: this.turnId, names, ...(callId ? { callId } : {}) });
  }

  /** A hook ran (or was not run: unapproved). */
  hookRan(run: Omit<Body<'hook.ran'>, 'type' | 'turnId'>): boolean {
    return this.record({ type: 'hook.ran', turnId: this.turnId, ...run });
  }

  /** An MCP server asks the user, or wants a completion. */
  questionAsked(question: Body<'question.asked'>['question']): boolean {
    return this.record({ type: 'question.asked', question });
  }

  questionAnswered(questionId: string, answer: Body<'question.answered'>['answer']): boolean {
    return this.record({ type: 'question.answered', questionId, answer });
  }

  /** A completion run for an MCP server's sampling request: its cost counts in the session, not its context. */
  samplingUsage(usage: Usage, requestCostUsd: number | null): boolean {
    return this.record({ type: 'usage.updated', usage, requestCostUsd, source: 'sampling' });
  }

  /** remember / forget changed the workspace memory. */
  memoryChanged(change: Omit<Body<'memory.changed'>, 'type'>): boolean {
    return this.record({ type: 'memory.changed', ...change });
  }

  /** The session's task list as a tool set it; false (nothing recorded) once the turn was dropped. */
  tasks(tasks: TaskItem[]): boolean {
    return this.record({ type: 'tasks.updated', tasks: structuredClone(tasks) });
  }

  /** A call's result (a new tool message in the history), after `durationMs`. */
  toolCompleted(call: { id: string; name: string }, result: ToolResult, durationMs: number, permission?: PermissionSource): void {
    this.must({
      type: 'tool.completed', turnId: this.turnId, callId: call.id, messageId: newId('msg'), name: call.name,
      content: result.content, isError: result.isError === true, durationMs,
      ...(permission ? { permission } : {}),
    });
  }

  /** The request failed and waits to be sent again (a countdown, or a question to the user). */
  retryWait(wait: RetryWaitInfo): void {
    this.must({ type: 'provider.retry', turnId: this.turnId, ...wait });
  }

  /** The wait is over: the request goes again. */
  retrying(attempt: number, by: 'timer' | 'user'): void {
    this.must({ type: 'provider.retrying', turnId: this.turnId, attempt, by });
  }

  /** The turn ended cleanly (the fold derives that the session is idle again). */
  turnCompleted(end: TurnEnd): void {
    this.must({ type: 'turn.completed', turnId: this.turnId, stopReason: end.stopReason, rounds: end.rounds, ...(end.limit ? { limit: end.limit } : {}) });
  }

  /** The turn failed: its open items are closed and `turn.failed` recorded; false when the turn was dropped first. */
  turnFailed(error: SerializedError): boolean {
    for (const body of closeTurnEvents(this.data, { kind: 'failed', error }, () => newId('msg')) ?? []) {
      if (!this.record(body)) return false;
    }
    return true;
  }
}
