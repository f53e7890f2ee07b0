import type { Event } from '../base/emitter';
import type { SessionEvent } from './events';
import type { ChildSessionInfo, SessionConfig, SessionMode } from './types';
import type { ToolContext, ToolResult } from '../tools/types';
import type { ChildSpawner, SpawnSessionArgs } from '../tools/spawn-session';
import type { Session } from './session';
import type { ChildWorkspaceChoice } from '../../shared/worktree';
import type { SessionAgents } from '../agents/session-agents';
import { AgentError, toAgentError } from '../base/errors';
import { SPAWN_SESSION_TOOL } from '../tools/spawn-session';
import { worktreeRootOf } from '../../shared/worktree';

/** Limits a child gets when the parent's call names none. */
export interface ChildDefaults {
  /** Most model requests of the child's turn. Default 25. */
  maxRounds: number;
  /** Token budget of the child's turn; undefined = none. */
  maxTokens?: number;
  /** Cost budget of the child's turn, USD; undefined = none. */
  maxCostUsd?: number;
}

export const DEFAULT_CHILD_LIMITS: ChildDefaults = { maxRounds: 25 };

/** What the coordinator needs from the manager. */
export interface ChildHost {
  /** An opened session (the parent of a running tool call always is). */
  opened(sessionId: string): Session | undefined;
  /** Names of the tools a session with this config (rooted at its worktree `root`, if any) may call now. */
  toolNames(config: SessionConfig, root?: string): string[];
  /** Sessions with a turn in progress, and the limit. */
  running(): { count: number; max: number };
  /**
   * Creates and persists a child session of `parent`, working where `workspace` says (default
   * `inherit`: the parent's worktree, or the shared tree). A worktree that cannot be made throws.
   */
  createChild(parent: Session, title: string, config: Partial<SessionConfig>, workspace?: ChildWorkspaceChoice): Promise<Session>;
  readonly onEvent: Event<SessionEvent>;
  limits: ChildDefaults;
  /** Custom agents a child may run as (spawn_session's `agent`); absent: naming one is refused. */
  agents?: SessionAgents;
}

/** Permissiveness order: a child may be as strict as its parent or stricter. */
const MODE_RANK: Record<SessionMode, number> = { plan: 0, ask: 1, 'auto-edit': 2, full: 3 };
/** Characters of a child's answer returned to the parent. */
const MAX_REPORT_CHARS = 20_000;

const CHILD_INSTRUCTIONS = [
  'You are a child session: another agent session started you for one goal and waits for your final answer.',
  'Work on that goal only. Your last message is returned to the parent as the result, so end with a concise, self-contained answer',
  '(what you found or changed, file paths, and anything left undone). You cannot ask the parent questions.',
].join(' ');

type Outcome = Exclude<ChildSessionInfo['status'], 'running'>;

const fail = (content: string): ToolResult => ({ content, isError: true });

/** Runs spawn_session calls: creates the child, starts its turn, waits for its end, reports back. */
export class ChildCoordinator implements ChildSpawner {
  constructor(private readonly host: ChildHost) {}

  async spawn(args: SpawnSessionArgs, ctx: ToolContext): Promise<ToolResult> {
    const parent = this.host.opened(ctx.sessionId);
    if (!parent) return fail('spawn_session can only run inside an open session.');
    const p = parent.data.config;
    if (args.mode && MODE_RANK[args.mode] > MODE_RANK[p.mode]) {
      return fail(`A child session cannot use mode "${args.mode}", which is looser than this session's mode "${p.mode}". Use "${p.mode}" or a stricter mode.`);
    }
    const root = worktreeRootOf(parent.data.worktree);
    const mine = this.host.toolNames(p, root).filter((n) => n !== SPAWN_SESSION_TOOL);
    const unknown = (args.allowedTools ?? []).filter((n) => !mine.includes(n));
    if (unknown.length > 0) {
      return fail(`A child session can only get tools this session has. Not available: ${unknown.join(', ')}. Available: ${mine.join(', ') || 'none'}.`);
    }
    const { count, max } = this.host.running();
    if (count >= max) {
      return fail(`Cannot start a child session: ${count} sessions are already running and the limit is ${max}. Do the work yourself, or wait for a child to finish and try again.`);
    }
    const limits = this.host.limits;
    const title = args.title ?? firstLine(args.goal);
    let config: Partial<SessionConfig> = {
      providerId: p.providerId, providerKind: p.providerKind, model: args.model ?? p.model,
      ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}),
      ...(p.thinking && !args.model ? { thinking: p.thinking } : {}),
      ...(p.maxOutputTokens ? { maxOutputTokens: p.maxOutputTokens } : {}),
      ...(p.contextWindow && !args.model ? { contextWindow: p.contextWindow } : {}),
      ...(p.streamIdleTimeoutMs ? { streamIdleTimeoutMs: p.streamIdleTimeoutMs } : {}),
      ...(p.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: p.approvalTimeoutMs } : {}),
      ...(p.disabledRuleIds ? { disabledRuleIds: [...p.disabledRuleIds] } : {}),
      ...(p.skillOverrides ? { skillOverrides: { ...p.skillOverrides } } : {}),
      ...(p.disabledMcpServers ? { disabledMcpServers: [...p.disabledMcpServers] } : {}),
      mode: args.mode ?? p.mode,
      rules: p.rules.map((r) => ({ ...r })),
      autoCompact: p.autoCompact, autoCompactThreshold: p.autoCompactThreshold,
      systemPrompt: p.systemPrompt ? `${CHILD_INSTRUCTIONS}\n\n${p.systemPrompt}` : CHILD_INSTRUCTIONS,
      allowedTools: args.allowedTools ?? mine,
      maxToolRounds: args.maxRounds ?? limits.maxRounds,
      ...(args.maxTokens ?? limits.maxTokens ? { maxTurnTokens: args.maxTokens ?? limits.maxTokens } : {}),
      ...(limits.maxCostUsd ? { maxTurnCostUsd: limits.maxCostUsd } : {}),
    };
    let warnings: Array<{ code: string; message: string }> = [];
    if (args.agent !== undefined) {
      // The agent narrows the tools chosen above (never wider than this session's) and brings its prompt and model.
      if (!this.host.agents) return fail(`There is no custom agent "${args.agent}" here. Start the child without "agent".`);
      try {
        const r = await this.host.agents.resolve(args.agent, config, root, p);
        config = { ...r.patch, ...(args.model ? { model: args.model } : {}) };
        warnings = r.warnings;
      } catch (e) {
        return fail(`${toAgentError(e).message} Start the child without "agent", or with one of those.`);
      }
    }
    if (ctx.signal.aborted) throw new AgentError('cancelled', 'The turn was cancelled.');
    let child: Session;
    try {
      child = await this.host.createChild(parent, title, config, args.workspace);
    } catch (e) {
      if (ctx.signal.aborted) throw new AgentError('cancelled', 'The turn was cancelled.');
      return fail(`The child session "${title}" could not be created: ${toAgentError(e).message} Try again with workspace "inherit" or "shared", or do the work yourself.`);
    }
    for (const w of warnings) child.warn(w.code, w.message);
    if (!ctx.signal.aborted) parent.childStarted(child.id, ctx.callId, title, args.goal);
    const finish = (status: Outcome, result: ToolResult): ToolResult => {
      if (!ctx.signal.aborted) parent.childFinished(child.id, ctx.callId, status);
      return result;
    };
    // Subscribe before starting: the child's turn may end before send() returns to us.
    const ended = this.turnEnd(child, ctx.signal, parent.id);
    try {
      child.send(args.goal);
      // The parent was paused while the child was being created (the cascade could not see it yet).
      if (parent.data.paused) child.pause('parent');
    } catch (e) {
      ended.dispose();
      const err = toAgentError(e);
      child.warn(err.code, `The child session could not start: ${err.message}`);
      return finish('failed', fail(`The child session "${title}" (${child.id}) could not start: ${err.message}`));
    }
    const turnId = child.data.turn?.turnId;
    const end = await ended.wait(turnId);
    return finish(end.status, report(child, title, end));
  }

  /** Resolves with the first terminal event of the child's turn; on abort, cancels the child (unless detached). */
  private turnEnd(child: Session, signal: AbortSignal, parentId: string): { wait(turnId: string | undefined): Promise<TurnEnd>; dispose(): void } {
    let turnId: string | undefined;
    const seen: SessionEvent[] = [];
    let resolveEnd: ((e: TurnEnd) => void) | undefined;
    let rejectEnd: ((e: unknown) => void) | undefined;
    const check = (ev: SessionEvent): void => {
      const end = terminal(ev);
      if (end && resolveEnd && (turnId === undefined || ('turnId' in ev && ev.turnId === turnId))) resolveEnd(end);
    };
    const sub = this.host.onEvent((ev) => {
      if (ev.sessionId !== child.id) return;
      if (resolveEnd) check(ev); else seen.push(ev);
    });
    const onAbort = (): void => {
      rejectEnd?.(new AgentError('cancelled', 'The turn was cancelled.'));
      // A child kept after its parent was deleted ('keep') carries on on its own.
      if (child.data.parentId === parentId) {
        child.cancel().catch((e: unknown) => child.env.logger.warn(`Cancelling child ${child.id} failed: ${toAgentError(e).message}`));
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const dispose = (): void => { sub.dispose(); signal.removeEventListener('abort', onAbort); };
    return {
      dispose,
      wait: (id) => {
        turnId = id;
        const p = new Promise<TurnEnd>((resolve, reject) => {
          resolveEnd = resolve; rejectEnd = reject;
          if (signal.aborted) { reject(new AgentError('cancelled', 'The turn was cancelled.')); return; }
          for (const ev of seen.splice(0)) check(ev);
        });
        return p.finally(dispose);
      },
    };
  }
}

interface TurnEnd {
  status: Outcome;
  rounds?: number;
  error?: string;
  limit?: string;
}

function terminal(ev: SessionEvent): TurnEnd | undefined {
  switch (ev.type) {
    case 'turn.completed': {
      if (ev.stopReason === 'max_rounds') return { status: 'limit', rounds: ev.rounds, limit: `its limit of ${ev.rounds} model requests` };
      if (ev.stopReason === 'limit' && ev.limit) {
        const what = ev.limit.kind === 'tokens' ? `${ev.limit.max} tokens (used ${ev.limit.used})` : `$${ev.limit.max} (spent $${ev.limit.used.toFixed(4)})`;
        return { status: 'limit', rounds: ev.rounds, limit: `its budget of ${what}` };
      }
      return { status: 'completed', rounds: ev.rounds };
    }
    case 'turn.failed': return { status: 'failed', error: `${ev.error.code}: ${ev.error.message}` };
    case 'turn.cancelled': case 'turn.interrupted': return { status: 'cancelled' };
    default: return undefined;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || 'Child session';
}

/** The child's last assistant text (its answer), capped. */
function lastAnswer(child: Session): string {
  for (let i = child.data.history.length - 1; i >= 0; i--) {
    const m = child.data.history[i];
    if (m.role === 'user') break;
    if (m.role !== 'assistant') continue;
    const text = m.content.filter((c) => c.type === 'text').map((c) => (c.type === 'text' ? c.text : '')).join('').trim();
    if (text) return text.length > MAX_REPORT_CHARS ? `${text.slice(0, MAX_REPORT_CHARS)}\n[answer truncated: ${text.length} characters]` : text;
  }
  return '';
}

function report(child: Session, title: string, end: TurnEnd): ToolResult {
  const who = `Child session "${title}" (${child.id})`;
  const answer = lastAnswer(child);
  const tasks = child.data.tasks.filter((t) => t.status !== 'done' && t.status !== 'cancelled');
  const open = tasks.length > 0 ? `\n\nIts open tasks:\n${tasks.map((t) => `- [${t.status}] ${t.title}`).join('\n')}` : '';
  switch (end.status) {
    case 'completed': return { content: `${who} finished:\n\n${answer || '(it gave no final answer)'}${open}` };
    case 'limit':
      return { content: `${who} was stopped at ${end.limit ?? 'its limit'} before it finished. Its last output:\n\n${answer || '(none)'}${open}` };
    case 'failed': return { content: `${who} failed: ${end.error ?? 'unknown error'}.${answer ? ` Its last output:\n\n${answer}` : ''}${open}`, isError: true };
    case 'cancelled': return { content: `${who} was cancelled before it finished.${answer ? ` Its last output:\n\n${answer}` : ''}${open}`, isError: true };
  }
}
