/**
 * The workspace's Claude Code hooks as the engine's seams (session/call-hooks.ts): PreToolUse
 * gives a call's permission verdict, PostToolUse adds to what the model reads of a result,
 * UserPromptSubmit blocks or adds context, Stop makes the model go on (guarded), SessionStart adds
 * context. Hooks run only in a trusted workspace, only once approved (per content hash), inside
 * the OS sandbox when the session's commands are, each within its time limit. Every run (or
 * refusal to run) is recorded as `hook.ran`; text for the model's history goes in its `context`
 * (the history fold adds it, see reducer.ts).
 */
import type { ToolResult } from '../tools/types';
import type { Logger } from '../ports';
import type { ActiveTurn, TurnHost } from '../session/turn-host';
import type { BeforeCallVerdict, HookedCall, ToolCallHooks, TurnHooks } from '../session/call-hooks';
import type { SessionKnowledge } from '../../shared/session';
import { HookApprovals } from './approval';
import { claudeToolInput, claudeToolName, matcherMatches, toolAliases } from './matcher';
import { interpretHookRun, type HookVerdict } from './output';
import { runHookProcess, type HookRunOptions } from './runner';
import { DEFAULT_HOOK_TIMEOUT_S, type HookApprovalPort, type HookCommand, type HookEventName, type HookSource } from './types';

/** Most times Stop hooks make one turn go on (beyond it the turn ends; Claude Code relies on stop_hook_active alone). */
export const MAX_STOP_CONTINUES = 3;

const CLAUDE_MODES: Record<string, string> = { ask: 'default', 'auto-edit': 'acceptEdits', plan: 'plan', full: 'bypassPermissions' };

export interface WorkspaceHooksDeps {
  source: HookSource;
  /** The host's approval port (absent: no hook is approved, none runs). */
  approvals?: HookApprovalPort;
  logger: Logger;
}

/** One hook's run, with its meaning. */
interface Ran { hook: HookCommand; verdict: HookVerdict; durationMs: number }

export class WorkspaceHooks implements ToolCallHooks, TurnHooks {
  private readonly approvals: HookApprovals;
  /** Sessions told that hooks do not run because the workspace is not trusted. */
  private readonly toldUntrusted = new Set<string>();
  /** Times Stop hooks continued each turn. */
  private readonly continues = new Map<string, number>();

  constructor(private readonly deps: WorkspaceHooksDeps) {
    this.approvals = new HookApprovals(deps.approvals);
  }

  async before(host: TurnHost, turn: ActiveTurn, call: HookedCall): Promise<BeforeCallVerdict | undefined> {
    const ran = await this.run(host, turn, 'PreToolUse', this.toolInput(host, call), { call });
    let best: BeforeCallVerdict | undefined;
    const rank = { deny: 3, ask: 2, allow: 1 } as const;
    for (const { hook, verdict } of ran) {
      if (!verdict.permission) continue;
      if (best?.decision && rank[best.decision] >= rank[verdict.permission]) continue;
      best = { decision: verdict.permission, source: `hook PreToolUse ${hook.source}`, ...(verdict.reason ? { reason: verdict.reason } : {}) };
    }
    return best;
  }

  async after(host: TurnHost, turn: ActiveTurn, call: HookedCall, result: ToolResult): Promise<{ context?: string } | undefined> {
    const input = { ...this.toolInput(host, call), tool_response: { content: result.content, is_error: result.isError === true } };
    const ran = await this.run(host, turn, 'PostToolUse', input, { call });
    const parts = ran.flatMap(({ hook, verdict }) => [
      ...(verdict.outcome === 'blocked' && verdict.reason ? [`PostToolUse hook (${hook.source}) says: ${verdict.reason}`] : []),
      ...(verdict.context ? [`PostToolUse hook (${hook.source}) adds: ${verdict.context}`] : []),
    ]);
    return parts.length > 0 ? { context: parts.join('\n\n') } : undefined;
  }

  async sessionStarted(host: TurnHost, turn: ActiveTurn): Promise<{ context?: string } | undefined> {
    const ran = await this.run(host, turn, 'SessionStart', { source: 'startup' }, {
      matchOn: ['startup'],
      context: (hook, v) => (v.context ? `Context from the SessionStart hook (${hook.source}):\n${v.context}` : undefined),
    });
    return joinContext(ran);
  }

  async promptSubmitted(host: TurnHost, turn: ActiveTurn): Promise<{ block?: string; context?: string } | undefined> {
    const ran = await this.run(host, turn, 'UserPromptSubmit', { prompt: turn.prompt }, {
      context: (hook, v) => (v.outcome !== 'blocked' && v.context ? `Context from the UserPromptSubmit hook (${hook.source}):\n${v.context}` : undefined),
    });
    const blocked = ran.find((r) => r.verdict.outcome === 'blocked');
    if (blocked) return { block: blocked.verdict.reason ?? 'The prompt was blocked by a hook.' };
    return joinContext(ran);
  }

  async stopping(host: TurnHost, turn: ActiveTurn): Promise<{ continueWith?: string } | undefined> {
    const count = this.continues.get(turn.turnId) ?? 0;
    const capped = count >= MAX_STOP_CONTINUES;
    const ran = await this.run(host, turn, 'Stop', { stop_hook_active: count > 0 }, {
      // The first blocking reason goes to the model as the next user message (the history fold adds it).
      context: (hook, v) => (!capped && v.outcome === 'blocked' && v.stop === undefined ? `Stop hook (${hook.source}): ${v.reason ?? 'keep going'}` : undefined),
      single: true,
      note: (v) => (capped && v.outcome === 'blocked' ? `not continued: Stop hooks already continued this turn ${MAX_STOP_CONTINUES} times` : undefined),
    });
    const go = ran.find((r) => r.verdict.outcome === 'blocked' && r.verdict.stop === undefined);
    if (!go || capped) { this.continues.delete(turn.turnId); return undefined; }
    this.continues.set(turn.turnId, count + 1);
    return { continueWith: `Stop hook (${go.hook.source}): ${go.verdict.reason ?? 'keep going'}` };
  }

  /** The hooks configured for the session's folders, with their approval (for SessionKnowledge.hooks). */
  async listing(host: TurnHost): Promise<NonNullable<SessionKnowledge['hooks']>> {
    const all = await this.configured(host);
    return all.map((h) => ({
      hookEvent: h.event, ...(h.matcher !== undefined ? { matcher: h.matcher } : {}), command: h.command, source: h.source,
      approved: host.env.isWorkspaceTrusted() && this.approvals.isApproved(h),
    }));
  }

  /** Every configured hook of the session's folders (problems are the host's to show). */
  private async configured(host: TurnHost): Promise<HookCommand[]> {
    const out: HookCommand[] = [];
    const seen = new Set<string>();
    for (const root of host.roots) {
      try {
        for (const h of (await this.deps.source.load(root)).hooks) {
          // Identical commands of one event run once (as in Claude Code).
          const key = `${h.event}\0${h.matcher ?? ''}\0${h.command}`;
          if (!seen.has(key)) { seen.add(key); out.push(h); }
        }
      } catch (e) {
        this.deps.logger.warn(`Hooks of ${root} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
  }

  private toolInput(host: TurnHost, call: HookedCall): Record<string, unknown> {
    return { tool_name: claudeToolName(call.name, call.args), tool_input: claudeToolInput(call.name, call.args, host.roots[0] ?? '.'), tool_use_id: call.id };
  }

  /**
   * Runs the hooks of `event` that apply (in parallel, recorded in order) and returns what each
   * said. `context` picks the text a run adds to the model's history (recorded with it);
   * `single`: only the first run with such text adds it.
   */
  private async run(host: TurnHost, turn: ActiveTurn, event: HookEventName, extra: Record<string, unknown>, how: {
    call?: HookedCall;
    /** Names the matcher is tested against when there is no call (SessionStart: its source). */
    matchOn?: string[];
    context?: (hook: HookCommand, v: HookVerdict) => string | undefined;
    single?: boolean;
    note?: (v: HookVerdict) => string | undefined;
  }): Promise<Ran[]> {
    const names = how.call ? toolAliases(how.call.name) : how.matchOn;
    const hooks = (await this.configured(host)).filter((h) => h.event === event && (!names || matcherMatches(h.matcher, names)));
    if (hooks.length === 0) return [];
    const record = turn.record;
    const callId = how.call ? { callId: how.call.id } : {};
    if (!host.env.isWorkspaceTrusted()) {
      if (!this.toldUntrusted.has(host.data.id)) {
        this.toldUntrusted.add(host.data.id);
        record.hookRan({
          hookEvent: event, command: hooks.map((h) => h.command).join('; ').slice(0, 500), source: [...new Set(hooks.map((h) => h.source))].join(', '),
          outcome: 'unapproved', durationMs: 0, message: 'hooks do not run in an untrusted workspace (Restricted Mode); trust the workspace to use them',
        });
      }
      return [];
    }
    const input = {
      session_id: host.data.id, cwd: host.roots[0] ?? '.', hook_event_name: event,
      permission_mode: CLAUDE_MODES[turn.config.mode] ?? 'default', ...extra,
    };
    const options = await this.runOptions(host, turn);
    const results = await Promise.all(hooks.map(async (hook): Promise<Ran | { hook: HookCommand; unapproved: true }> => {
      if (!(await this.approvals.check(hook))) return { hook, unapproved: true };
      const run = await runHookProcess(hook, input, options);
      return { hook, verdict: interpretHookRun(event, run, hook.timeoutSec ?? DEFAULT_HOOK_TIMEOUT_S), durationMs: run.durationMs };
    }));
    const out: Ran[] = [];
    let added = false;
    for (const r of results) {
      if ('unapproved' in r) {
        record.hookRan({ hookEvent: event, command: r.hook.command, source: r.hook.source, outcome: 'unapproved', durationMs: 0, ...callId, message: 'not approved: allow it when asked to run it' });
        continue;
      }
      const { hook, verdict } = r;
      const text = how.single && added ? undefined : how.context?.(hook, verdict);
      if (text) added = true;
      const note = how.note?.(verdict);
      const message = [verdict.message, note].filter((m) => m).join(' — ');
      record.hookRan({
        hookEvent: event, command: hook.command, source: hook.source, outcome: verdict.outcome, durationMs: r.durationMs,
        ...callId, ...(message ? { message } : {}), ...(text ? { context: text } : {}),
      });
      out.push(r);
    }
    return out;
  }

  /** Where hook commands run: the session's root, in the sandbox when its commands are sandboxed. */
  private async runOptions(host: TurnHost, turn: ActiveTurn): Promise<HookRunOptions> {
    const base: HookRunOptions = { cwd: host.roots[0] ?? '.', signal: turn.abort.signal };
    const isolation = host.env.isolation;
    if (!isolation) return base;
    const iso = await isolation.forCall(host.roots, [...host.data.config.rules, ...host.env.hostRules()]);
    return iso.sandboxed ? { ...base, sandbox: { sandbox: iso.sandbox, policy: iso.policy } } : base;
  }
}

function joinContext(ran: Ran[]): { context?: string } | undefined {
  const text = ran.map((r) => r.verdict.context).filter((c): c is string => !!c).join('\n\n');
  return text ? { context: text } : undefined;
}
