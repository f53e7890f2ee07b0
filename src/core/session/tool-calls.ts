import { patternRedactor } from '../base/redact';
import type { ApprovalResolution, PendingApprovalInfo } from './types';
import type { PermissionSource } from './events';
import type { AnyTool, EditPrecondition, ToolCallDescription, ToolRegistryLike, ToolResult } from '../tools/types';
import type { ToolOutputSpill } from '../tools/spill';
import type { CallIsolation } from '../sandbox/isolation';
import type { ActiveTurn, TurnHost } from './turn-host';
import type { ResumePoint, ToolCallPart } from './resume';
import { toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { SPAWN_SESSION_TOOL } from '../tools/spawn-session';
import { capToolResult } from '../tools/result-cap';
import { OneAtATime, runByLane, type Lane } from './lanes';
import { createSessionFiles } from '../changes/session-files';
import type { SessionFiles } from '../changes/types';
import type { PermissionDecision } from '../approval/types';
import { strictestVerdict, type BeforeCallVerdict } from './call-hooks';

/** Progress of one call is recorded at most this often, ms (a server may send hundreds per second). */
const PROGRESS_EVERY_MS = 250;

/**
 * The permission decision after the `before` seams' verdict (a deny verdict never gets here): `ask`
 * turns an allow into a card; `allow` skips a card, but never one that cannot become a rule
 * (sensitive targets, commands that cannot be fully analysed), and never overrides a deny.
 */
function overruled(decision: PermissionDecision, verdict: BeforeCallVerdict | undefined): PermissionDecision {
  if (!verdict?.decision || decision.decision === 'deny') return decision;
  const source = verdict.source ?? 'hook';
  if (verdict.decision === 'ask' && decision.decision === 'allow') {
    return { decision: 'ask', source, message: verdict.reason ?? `${source} asks for approval`, rememberable: false };
  }
  if (verdict.decision === 'allow' && decision.decision === 'ask' && decision.rememberable !== false) {
    return { decision: 'allow', source: `${source}${verdict.reason ? `: ${verdict.reason}` : ''}` };
  }
  return decision;
}

type Call = Pick<ToolCallPart, 'id' | 'name' | 'args' | 'invalid'>;
/** A call's result, ready to record (in call order, by the lanes). */
interface Completion { call: Call; result: ToolResult; durationMs: number; permission?: PermissionSource }
type Finish = (result: ToolResult, permission?: PermissionSource) => Completion;
/** A call's tool and validated arguments (and, for edits, the state they were shown for), or why it cannot run. */
type Prepared = { tool: AnyTool; value: unknown; precondition?: EditPrecondition } | { error: string };
type Ready = Exclude<Prepared, { error: string }>;

/**
 * Runs the tool calls of one assistant message: permission → (approval) → execution → result.
 * Calls run by lane (lanes.ts): read-only calls at once, consecutive spawn_session calls at once
 * (the children work concurrently), every other call alone in call order; one approval card at a
 * time; results recorded in call order. Also continues a message whose approvals were restored
 * after a restart.
 */
export class ToolCallExecutor {
  /** Approval cards of this message, one at a time (read-only calls may ask at the same time). */
  private readonly cards = new OneAtATime();

  /** @param tools the tool view to use now (the latest request's, or a fresh one). */
  constructor(private readonly host: TurnHost, private readonly turn: ActiveTurn, private readonly tools: () => ToolRegistryLike) {}

  /** Records a finished call (the lanes call it in call order). */
  private record(done: Completion): void {
    this.turn.record.toolCompleted(done.call, done.result, done.durationMs, done.permission);
  }

  /** Every call of a fresh assistant message. */
  async runAll(calls: readonly Call[]): Promise<void> {
    await this.each(calls, (c) => this.run(c));
  }

  /**
   * Continues a message after a restart: calls with results are skipped, calls with a restored
   * approval wait for its `answers` entry, calls already approved (held by a pause) run, the rest
   * go through the permission engine as usual (a recorded `tool.requested` is not recorded again).
   */
  async resume(point: ResumePoint, answers: ReadonlyMap<string, Promise<ApprovalResolution>>): Promise<void> {
    const left = point.calls.filter((c) => !point.done.has(c.id));
    await this.each(left, (c) => {
      const info = point.pending.get(c.id);
      const answer = info ? answers.get(info.id) : undefined;
      if (info && answer) {
        const started = this.host.env.clock.now();
        return this.resolved(c, info, answer).then((resolution) => this.answered(c, resolution, started, () => this.prepareRestored(c, info)));
      }
      if (point.approved.has(c.id)) return this.runApproved(c);
      return this.run(c, point.requested.has(c.id));
    });
  }

  /**
   * A call the user approved before the restart: looked up again and run, not asked again. An edit
   * is refused instead: the change shown on the card is not at hand to check the file against.
   */
  private async runApproved(call: Call): Promise<Completion> {
    const finish = this.finisher(call, this.host.env.clock.now());
    const permission: PermissionSource = { decision: 'allow', source: 'approved by user' };
    const prepared = this.prepare(call);
    if ('error' in prepared) return finish({ content: `${prepared.error} The approved call was not run.`, isError: true }, permission);
    const described = await this.describe(call, prepared);
    if ('error' in described) return finish({ content: `${described.error} The approved call was not run.`, isError: true }, permission);
    if (described.precondition !== undefined) {
      const what = described.target ?? call.name;
      return finish({ content: `${what}: the change was approved before a restart and what was shown then cannot be checked against the file now, so nothing was written. Read it again and redo the edit.`, isError: true }, permission);
    }
    return this.execute(call, prepared, permission, finish);
  }

  /** Runs `calls` by lane, recording each result in call order. */
  private async each(calls: readonly Call[], runOne: (c: Call) => Promise<Completion>): Promise<void> {
    await runByLane(calls.map((c) => ({ lane: this.laneOf(c), run: () => runOne(c) })), (done) => this.record(done));
  }

  /** read: a read-only tool (its definition says so); children: spawn_session; anything else runs alone. */
  private laneOf(call: Call): Lane {
    if (call.name === SPAWN_SESSION_TOOL) return 'children';
    if (call.invalid !== undefined) return 'serial';
    return this.tools().get(call.name)?.readOnly === true ? 'read' : 'serial';
  }

  private finisher(call: Call, started: number): Finish {
    const { clock } = this.host.env;
    return (result, permission) => ({ call, result, durationMs: clock.now() - started, ...(permission ? { permission } : {}) });
  }

  /** The call's description (for rules, the card, and an edit's precondition), or why it cannot run. */
  private async describe(call: Call, prepared: Ready): Promise<ToolCallDescription | { error: string }> {
    const { data, roots } = this.host;
    try {
      return await prepared.tool.describe(prepared.value, { workspaceRoots: roots, sessionId: data.id, ...this.spill() });
    } catch (e) {
      return { error: `${call.name} cannot run: ${toAgentError(e).message}` };
    }
  }

  /**
   * A call whose approval was restored after a restart: looked up and described again now. An
   * edit runs only while it still shows the change on the card (the diff recorded with the
   * approval); the file's state now is then the precondition.
   */
  private async prepareRestored(call: Call, info: PendingApprovalInfo): Promise<Prepared> {
    const prepared = this.prepare(call);
    if ('error' in prepared) return prepared;
    const described = await this.describe(call, prepared);
    if ('error' in described) return described;
    if (described.precondition === undefined) return prepared;
    const redactor = this.host.env.redactor ?? patternRedactor; // the recorded diff went through it
    const now = described.diff === undefined ? undefined : redactor.redact(described.diff);
    if (now !== info.diff) return { error: `${described.target ?? call.name} changed since the change was shown for approval; read it again and redo the edit.` };
    return { ...prepared, precondition: { state: described.precondition, approved: true } };
  }

  /** The call's tool (from the current view, which applies the allowlist) and validated arguments. */
  private prepare(call: Call): Prepared {
    if (call.invalid !== undefined) return { error: call.invalid }; // bad arguments or a repeated id: never run
    const tools = this.tools();
    const tool = tools.get(call.name);
    if (!tool) {
      const names = tools.specs().map((t) => t.name).join(', ');
      return { error: `Unknown tool "${call.name}". Available tools: ${names || 'none'}.` };
    }
    const valid = tool.validate(call.args);
    if (valid.ok) return { tool, value: valid.value };
    // Tools built with defineTool and MCP tools name themselves in the message: prefixed only when it does not.
    return { error: valid.error.includes(call.name) ? valid.error : `Invalid arguments for ${call.name}: ${valid.error}` };
  }

  /** Permission → (approval) → execution → result, for one call. `recorded`: its tool.requested is in the log already. */
  private async run(call: Call, recorded = false): Promise<Completion> {
    const { env, data } = this.host;
    if (!recorded) this.turn.record.toolRequested(call);
    await this.host.gate(this.turn);
    const started = env.clock.now();
    const finish = this.finisher(call, started);
    const live = data.config; // mode and rules apply from the next tool call after a change
    const prepared = this.prepare(call);
    if ('error' in prepared) return finish({ content: prepared.error, isError: true });
    const { tool } = prepared;
    const description = await this.describe(call, prepared);
    if ('error' in description) return finish({ content: description.error, isError: true });
    const isolation = await this.isolationFor(tool);
    const verdict = await this.before(call);
    if (verdict?.decision === 'deny') {
      const source = verdict.source ?? 'hook';
      return finish({ content: `Permission denied (${source}). ${verdict.reason ?? 'This call is not allowed.'}`, isError: true }, { decision: 'deny', source });
    }
    const evaluated = await env.permissions.evaluate(tool, call.args, description, {
      mode: live.mode, rules: [...live.rules, ...env.hostRules()], workspaceRoots: this.host.roots,
      workspaceTrusted: env.isWorkspaceTrusted(), sandboxed: isolation?.sandboxed === true,
    });
    const decision = overruled(evaluated, verdict);
    if (decision.decision === 'deny') {
      return finish({ content: `Permission denied (${decision.source}). ${decision.message ?? 'This call is not allowed.'}`, isError: true }, { decision: 'deny', source: decision.source });
    }
    // What is written is what was described (and shown on the card): execute checks the file is still so.
    const held = (approved: boolean): Ready => (description.precondition === undefined ? prepared
      : { ...prepared, precondition: { state: description.precondition, approved } });
    if (decision.decision === 'allow') return this.execute(call, held(false), { decision: 'allow', source: decision.source }, finish, isolation);
    const label = env.approvalLabel(data);
    const info: PendingApprovalInfo = {
      id: newId('ap'), sessionId: data.id, callId: call.id, toolName: call.name, summary: description.summary,
      args: call.args, reason: decision.message ?? decision.source, requestedAt: env.clock.now(),
      ...(label ? { label } : {}),
      ...(description.diff ? { diff: description.diff } : {}),
      ...(decision.subcommands ? { subcommands: decision.subcommands } : {}),
      ...(decision.suggestedRule && decision.rememberable !== false ? { suggestedRule: decision.suggestedRule } : {}),
      ...(decision.rememberable === false ? { rememberable: false } : {}),
    };
    const resolution = await this.cards.run(async () => {
      this.turn.record.approvalRequested(info);
      // Registered right after the event, synchronously: a cancel cannot slip in between.
      const answer = env.confirmations.request(info, live.approvalTimeoutMs);
      await this.host.flush(); // a reload from here on finds the approval in the log
      return this.resolved(call, info, answer);
    });
    return this.answered(call, resolution, started, async () => held(true));
  }

  /** Waits for the user's answer to `info` and records it. */
  private async resolved(call: Call, info: PendingApprovalInfo, answer: Promise<ApprovalResolution>): Promise<ApprovalResolution> {
    const resolution = await answer;
    this.turn.record.approvalResolved(info.id, call.id, resolution);
    return resolution;
  }

  /** Runs or denies the call as the user answered. */
  private async answered(call: Call, resolution: ApprovalResolution, started: number, prepare: () => Promise<Prepared>): Promise<Completion> {
    const finish = this.finisher(call, started);
    if (resolution.decision === 'deny') {
      const text = resolution.by === 'timeout'
        ? 'The approval request timed out, so the call was not run.'
        : `The user denied this call.${resolution.reason ? ` Reason: ${resolution.reason}` : ''}`;
      return finish({ content: text, isError: true }, { decision: 'deny', source: resolution.by === 'timeout' ? 'approval timed out' : 'denied by user' });
    }
    const permission: PermissionSource = {
      decision: 'allow',
      source: resolution.alwaysAllow ? `approved by user; rule ${resolution.alwaysAllow.pattern} saved [${resolution.alwaysAllow.scope}]` : 'approved by user',
    };
    const prepared = await prepare(); // after a restart the tool is looked up now (an MCP server may have gone)
    if ('error' in prepared) return finish({ content: `${prepared.error} The approved call was not run.`, isError: true }, permission);
    return this.execute(call, prepared, permission, finish);
  }

  /** For command tools: whether this call runs in the OS sandbox (computed per call: settings and rules may change). */
  private async isolationFor(tool: AnyTool): Promise<CallIsolation | undefined> {
    const { env, data } = this.host;
    if (tool.kind !== 'command' || !env.isolation) return undefined;
    return env.isolation.forCall(this.host.roots, [...data.config.rules, ...env.hostRules()]);
  }

  private async execute(call: Call, prepared: Ready, permission: PermissionSource, finish: Finish, known?: CallIsolation): Promise<Completion> {
    await this.host.gate(this.turn); // a pause holds before a new tool starts
    const isolation = known ?? await this.isolationFor(prepared.tool);
    const withNote = isolation ? { ...permission, sandbox: isolation.note } : permission;
    this.turn.record.toolStarted(call.id, withNote);
    const first = await this.runTool(call, prepared, isolation?.sandboxed ? isolation : undefined);
    if (!first.sandboxRefusal || !isolation?.sandboxed) return finish(await this.after(call, first), withNote);
    // The sandbox refused something: the user may run the command once more without it.
    const refused = { ...withNote, sandbox: `${isolation.note} — refused: ${first.sandboxRefusal.message}` };
    const answer = await this.askUnsandboxed(call, first.sandboxRefusal.message);
    if (answer.decision !== 'approve') return finish(first, refused);
    await this.host.gate(this.turn); // a pause taken while the card was open holds here
    const second = await this.after(call, await this.runTool(call, prepared, undefined));
    return finish({ ...second, content: `The sandbox refused the first run (${first.sandboxRefusal.message}); the user approved running it once without the sandbox.\n${second.content}` },
      { decision: 'allow', source: 'approved by user: run once without the sandbox', sandbox: `not sandboxed (approved by the user after: ${first.sandboxRefusal.message})` });
  }

  /** "Run unsandboxed once?": an approval on the running call (never rememberable). */
  private async askUnsandboxed(call: Call, refusal: string): Promise<ApprovalResolution> {
    const { env, data } = this.host;
    const label = env.approvalLabel(data);
    const command = typeof call.args.command === 'string' ? call.args.command : call.name;
    const info: PendingApprovalInfo = {
      id: newId('ap'), sessionId: data.id, callId: call.id, toolName: call.name, summary: `run without the sandbox: ${command}`,
      args: call.args, reason: `The sandbox refused it: ${refusal.replace(/\.$/, '')}. Approving runs the whole command once more without the sandbox.`,
      requestedAt: env.clock.now(), rememberable: false, unsandboxed: true, ...(label ? { label } : {}),
    };
    return this.cards.run(async () => {
      this.turn.record.approvalRequested(info);
      const answer = env.confirmations.request(info, data.config.approvalTimeoutMs);
      await this.host.flush();
      return this.resolved(call, info, answer);
    });
  }

  /** The `before` seams' verdict on a call (the strictest; a failing seam is logged and has no say). */
  private async before(call: Call): Promise<BeforeCallVerdict | undefined> {
    const hooks = this.host.env.callHooks ?? [];
    if (hooks.length === 0) return undefined;
    const verdicts: (BeforeCallVerdict | undefined)[] = [];
    for (const h of hooks) {
      try {
        verdicts.push(await h.before?.(this.host, this.turn, call));
      } catch (e) {
        this.host.env.logger.warn(`tool-call seam failed before ${call.name}: ${toAgentError(e).message}`);
      }
    }
    return strictestVerdict(verdicts);
  }

  /** The `after` seams: what they add is appended to the result the model sees. */
  private async after(call: Call, result: ToolResult): Promise<ToolResult> {
    const hooks = this.host.env.callHooks ?? [];
    let out = result;
    for (const h of hooks) {
      try {
        const added = await h.after?.(this.host, this.turn, call, out);
        if (added?.context) out = { ...out, content: `${out.content}\n\n${added.context}` };
      } catch (e) {
        this.host.env.logger.warn(`tool-call seam failed after ${call.name}: ${toAgentError(e).message}`);
      }
    }
    return out;
  }

  /** Records a call's progress, at most every PROGRESS_EVERY_MS (the newest one that arrives then). */
  private progressOf(callId: string): (p: { progress: number; total?: number; message?: string }) => void {
    let last = -Infinity;
    return (p) => {
      const now = this.host.env.clock.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      this.turn.record.toolProgress(callId, p);
    };
  }

  /** The session's spill folder for tools (long output saved; read_file reads it back), if the host gave one. */
  private spill(): { spill?: ToolOutputSpill } {
    const folder = this.host.env.toolOutput;
    return folder ? { spill: folder.forSession(this.host.data.id, this.host.env.redactor ?? patternRedactor) } : {};
  }

  /** The call's file changes through the change ledger (absent when the host gave none). */
  private files(call: Call): { files?: SessionFiles } {
    const { env, data, changes } = this.host;
    if (!env.ledger) return {};
    return { files: createSessionFiles({
      sessionId: data.id, turnId: this.turn.turnId, callId: call.id, changes, ledger: env.ledger, data,
      workspaceRoots: this.host.roots, signal: this.turn.abort.signal,
    }) };
  }

  /** Runs the tool; its result capped once, here, for every tool (result-cap.ts). */
  private async runTool(call: Call, prepared: Ready, isolation: Extract<CallIsolation, { sandboxed: true }> | undefined): Promise<ToolResult> {
    const { env, data } = this.host;
    const { spill } = this.spill();
    const serverRequests = env.serverRequests?.(this.host, this.turn, call);
    let result: ToolResult;
    try {
      // A worktree deleted meanwhile: nothing runs (its folder is the session's only root).
      await env.checkWorkplace?.(this.host, 'tool');
      result = await prepared.tool.execute(prepared.value, {
        sessionId: data.id, callId: call.id, workspaceRoots: this.host.roots, signal: this.turn.abort.signal,
        onOutput: (chunk: string) => { this.turn.record.toolOutput(call.id, chunk); },
        onProgress: this.progressOf(call.id),
        loadTools: (names) => this.turn.record.toolsLoaded(names, call.id),
        memoryChanged: (change) => { this.turn.record.memoryChanged({ callId: call.id, ...change }); },
        ...(serverRequests ? { serverRequests } : {}),
        tasks: {
          get: () => structuredClone(this.host.data.tasks),
          set: (tasks) => { this.turn.record.tasks(tasks); },
        },
        logger: env.logger,
        ...(isolation ? { sandbox: { sandbox: isolation.sandbox, policy: isolation.policy } } : {}),
        ...(prepared.precondition ? { precondition: prepared.precondition } : {}),
        ...(spill ? { spill } : {}),
        ...this.files(call),
      });
    } catch (e) {
      if (!this.host.isCurrent(this.turn)) throw e;
      return { content: `${call.name} failed: ${toAgentError(e).message}`, isError: true };
    }
    return capToolResult(result, prepared.tool, call.id, spill);
  }
}
