import type { SessionEvent, SessionEventBody } from './events';
import type { ApprovalResolution, ChildSessionInfo, ConfigUpdate, SessionConfig, SessionKnowledge, SessionSnapshot } from './types';
import type { SendResult, TranscriptPage } from './api';
import type { SessionStore } from '../store/types';
import { COALESCIBLE_TYPES } from './events';
import { AgentError, toAgentError } from '../base/errors';
import { newId } from '../base/ids';
import { patternRedactor, redactDeep } from '../base/redact';
import { applyEvent, closeTurnEvents, findRecord, toIndexEntry, toSnapshot, type SessionData } from './reducer';
import { TurnRunner } from './turn-runner';
import type { ActiveTurn, TurnEnv, TurnHost } from './turn-host';
import { knowledgeChanged, TurnRecorder, type Compaction } from './turn-recorder';
import { compactSession } from './compact';
import { compactedJustNow, contextParts, thrashWarning } from './overflow';
import type { RetryAction } from './retry-wait';
import { findResumePoint, type ResumePoint } from './resume';
import { notRestorable } from './restorable';
import { checkpointOf, pageSize } from './checkpoint';
import { readOnlyError } from './read-only';
import { ChangeRecorder } from './change-recorder';
import { WorktreeRecorder } from './worktree-recorder';
import { assertWorktreeUsable, worktreeRefusal } from '../worktree/refusal';
import type { SessionWriterInfo } from '../store/types';
import { worktreeRoot, worktreeRootOf } from '../../shared/worktree';
import type { MemoryUndone } from '../memory/undo';

/** What a session needs from its manager. */
export interface SessionEnv extends TurnEnv {
  store: SessionStore;
  /** Delivers a recorded event to the manager's listeners. */
  fire(event: SessionEvent): void;
  /** Throws AgentError('capacity_exceeded') when one more running session would exceed the limit. */
  checkCapacity(session: Session): void;
}

/** Who paused a session: itself (user, host) or its parent's pause cascade. */
export type PausedBy = 'self' | 'parent';

const REPLAY_BUFFER = 2_000; // events kept in memory for replay; older ones are read back from the store

/**
 * One session: its state (folded from its events), its queue and at most one running turn.
 * The only author of its events: every change goes through the private `emit` (fold, append,
 * notify), reached from outside only through intent methods — `warn`, `recordKnowledge`,
 * `childStarted`… here, and for a running turn its TurnRecorder (turn-recorder.ts), which
 * refuses once the session dropped that turn.
 */
export class Session implements TurnHost {
  private active?: ActiveTurn;
  private activeRun?: Promise<void>;
  /** The compaction in progress: cancel and shutdown abort it. */
  private compaction?: AbortController;
  /** Shutting down (dispose): nothing more is recorded for a stopped compaction. */
  private closing = false;
  /** Who asked for the current pause (meaningful while data.paused). */
  private pausedBy: PausedBy = 'self';
  private readonly recent: SessionEvent[] = [];
  /** Made when the store writes the checkpoint, so it is always the latest state. */
  private readonly makeCheckpoint = () => checkpointOf(this.data);

  /** What the recorders below record through: refused while read-only here. */
  private readonly recordWritable = (body: SessionEventBody): void => { this.assertWritable(); this.emit(body); };
  /** Records the change ledger's events (file changes, reviews, restores). */
  readonly changes = new ChangeRecorder(this.recordWritable);
  /** Records its worktree's events (made for it, checked, applied, committed, discarded). */
  readonly worktree = new WorktreeRecorder(this.recordWritable);

  constructor(readonly env: SessionEnv, readonly data: SessionData) {}

  get id(): string { return this.data.id; }
  /** Its worktree's folder when it has one (whatever its state: never the main tree then), else the workspace's folders. */
  get roots(): readonly string[] { return this.data.worktree ? [worktreeRoot(this.data.worktree)] : this.env.workspaceRoots; }
  /** True while a turn holds a running slot (running, awaiting approval or paused). */
  get isRunning(): boolean { return this.active !== undefined; }
  /** Settles when no turn runs, including turns started from the queue meanwhile (tests, benchmarks). */
  async whenSettled(): Promise<void> {
    for (let p = this.activeRun; p; ) {
      await p;
      if (p === this.activeRun) break;
      p = this.activeRun;
    }
  }

  snapshot(): SessionSnapshot { return toSnapshot(this.data); }

  /** Set while another window writes this session's log: it is shown here and nothing is stored (see read-only.ts). */
  readOnlyBy?: SessionWriterInfo;

  /** Throws AgentError('read_only') while another window writes this session. */
  assertWritable(): void {
    if (this.readOnlyBy) throw readOnlyError(this.data.id, this.readOnlyBy);
  }

  /** Records one event: redact, seq, fold, append, notify. */
  private emit(body: SessionEventBody): SessionEvent {
    // The one place events are recorded: no key reaches the state, the log, the checkpoint or a view.
    const clean = redactDeep(body, this.env.redactor ?? patternRedactor);
    const ev = { ...clean, seq: this.data.lastSeq + 1, ts: this.env.clock.now(), sessionId: this.data.id } as SessionEvent;
    applyEvent(this.data, ev);
    this.recent.push(ev);
    if (this.recent.length > REPLAY_BUFFER) this.recent.splice(0, this.recent.length - REPLAY_BUFFER);
    // Read-only here: another window writes the log, so nothing of this window's goes into it.
    const store = this.readOnlyBy ? undefined : this.env.store;
    try {
      store?.append(this.data.id, ev);
      if (store && !COALESCIBLE_TYPES.has(ev.type)) {
        store.updateIndex(toIndexEntry(this.data));
        store.saveCheckpoint?.(this.data.id, this.makeCheckpoint);
      }
    } catch (e) {
      // The store reports write failures itself; the session keeps working in memory.
      this.env.logger.error(`Could not store event ${ev.seq} of ${this.data.id}: ${toAgentError(e).message}`);
    }
    this.env.fire(ev);
    return ev;
  }

  /** Schedules a checkpoint of the current state (after a full load that did not match one). */
  saveCheckpoint(): void {
    try {
      this.env.store.saveCheckpoint?.(this.data.id, this.makeCheckpoint);
    } catch (e) {
      this.env.logger.warn(`Could not schedule a checkpoint of ${this.data.id}: ${toAgentError(e).message}`);
    }
  }

  /** Records the session's creation: its first event, once. */
  recordCreated(title: string, config: SessionConfig, parentId?: string): void {
    if (this.data.lastSeq !== 0) throw new AgentError('invalid_state', `Session ${this.data.id} was created already.`);
    this.emit({ type: 'session.created', title, config, ...(parentId ? { parentId } : {}) });
  }

  /** Records a warning shown in the session's tab (`code` for views and tests, `message` for the user). */
  warn(code: string, message: string): void { this.emit({ type: 'warning', code, message }); }
  /** The user undid a memory write of this session (outside a turn; memory/undo.ts). */
  memoryUndone(change: MemoryUndone): void { this.emit({ type: 'memory.changed', action: 'undone', ...change }); }

  /** Records the rules-files and skills listing when it changed; read-only here, it is only listed. */
  recordKnowledge(knowledge: SessionKnowledge): void {
    if (!this.readOnlyBy && knowledgeChanged(this.data, knowledge)) this.emit({ type: 'knowledge.loaded', knowledge });
  }

  /** Parent side of spawn_session: call `callId` started child session `childId`. */
  childStarted(childId: string, callId: string, title: string, goal: string): void { this.emit({ type: 'child.started', childId, callId, title, goal }); }

  /** Parent side of spawn_session: child `childId`'s answer went back as the result of call `callId`. */
  childFinished(childId: string, callId: string, status: Exclude<ChildSessionInfo['status'], 'running'>): void {
    this.emit({ type: 'child.completed', childId, callId, status });
  }

  /** This child's parent is deleted with children 'keep': a top-level session from now on. */
  detach(): void { this.emit({ type: 'session.detached' }); }

  isCurrent(turn: ActiveTurn): boolean { return this.active === turn; }

  async gate(turn: ActiveTurn): Promise<void> {
    while (this.active === turn && this.data.paused) {
      await new Promise<void>((resolve) => turn.wakers.push(resolve));
    }
    if (this.active !== turn) throw new AgentError('cancelled', 'The turn was cancelled.');
  }

  async flush(): Promise<void> {
    try { await this.env.store.flush(this.data.id); } catch (e) {
      this.env.logger.warn(`Flush of ${this.data.id} failed: ${toAgentError(e).message}`);
    }
  }

  /** Starts a turn, or queues the prompt behind the running turn (or behind older queued prompts). */
  send(text: string): SendResult {
    this.assertWritable();
    if (this.data.restoring) throw new AgentError('invalid_state', 'A checkpoint restore is running in this session; send the message when it has finished.');
    if (typeof text !== 'string' || !text.trim()) throw new AgentError('bad_request', 'The prompt is empty.');
    assertWorktreeUsable(this.data.worktree); // never the main tree instead
    const promptId = newId('p');
    if (this.active || this.compaction) {
      this.emit({ type: 'prompt.queued', promptId, text });
      return { promptId, queued: true };
    }
    this.env.checkCapacity(this);
    if (this.data.queue.length > 0) {
      // Left over after a cancel or restart: keep the order, the oldest starts now.
      this.emit({ type: 'prompt.queued', promptId, text });
      const next = this.data.queue[0];
      this.startTurn(next.id, next.text);
      return { promptId, queued: true };
    }
    this.startTurn(promptId, text);
    return { promptId, queued: false };
  }

  removeQueued(promptId: string): boolean {
    if (!this.data.queue.some((q) => q.id === promptId)) return false;
    this.emit({ type: 'prompt.removed', promptId });
    return true;
  }

  /** A turn handle whose recorder records only while it is the current turn. */
  private newTurn(turnId: string, prompt: string, config: SessionConfig): ActiveTurn {
    const turn: ActiveTurn = {
      turnId, prompt, config: structuredClone(config), abort: new AbortController(), wakers: [],
      record: new TurnRecorder(turnId, this.data, (body) => {
        if (this.active !== turn) return false;
        this.emit(body);
        return true;
      }),
    };
    return turn;
  }

  private startTurn(promptId: string, text: string): void {
    const turn = this.newTurn(newId('t'), text, this.data.config);
    this.active = turn;
    this.emit({ type: 'turn.started', turnId: turn.turnId, promptId, messageId: newId('msg'), text });
    this.activeRun = this.runTurn(turn, (r) => r.run());
  }

  private async runTurn(turn: ActiveTurn, go: (runner: TurnRunner) => Promise<void>): Promise<void> {
    try {
      await go(new TurnRunner(this, turn));
    } catch (e) {
      this.env.logger.error(`Turn runner crashed: ${toAgentError(e).message}`); // run() never throws; belt and braces
    }
    if (this.active !== turn) return; // cancelled or interrupted: the session already closed it
    this.active = undefined;
    await this.flush();
    const { config, context } = this.data;
    if (config.autoCompact && context.fraction >= config.autoCompactThreshold && !this.active && compactedJustNow(this.data)) {
      // Full again right after the last compaction: compacting once more would not help (thrash).
      const parts = contextParts(this.data, this.env.knowledge.toolsFor(config, worktreeRootOf(this.data.worktree), this.data).specs());
      this.warn('compaction_thrash', thrashWarning(parts, context.fraction, config.autoCompactThreshold));
    } else if (config.autoCompact && context.fraction >= config.autoCompactThreshold && !this.active) {
      try {
        if (await this.compact('auto') === 'cancelled') return; // a cancel stops here; queued prompts wait for resume
      } catch (e) {
        this.warn('auto_compact_failed', `Automatic compaction failed: ${toAgentError(e).message}`);
      }
    }
    const check = this.data.queue.length > 0 ? this.env.checkWorkplace?.(this, 'turn') : undefined;
    if (check && !(await check.then(() => true, () => false))) return; // worktree gone: queued prompts wait (the check records why)
    this.drainQueue();
  }

  /** Starts the oldest queued prompt when nothing runs. */
  private drainQueue(): void {
    if (this.active || this.compaction || this.data.queue.length === 0) return;
    if (worktreeRefusal(this.data.worktree)) return; // the queued prompts wait until the worktree works again
    try {
      this.env.checkCapacity(this);
    } catch (e) {
      this.warn('capacity_exceeded', `${toAgentError(e).message} The queued prompt waits; resume the session to start it.`);
      return;
    }
    const next = this.data.queue[0];
    this.startTurn(next.id, next.text);
  }

  /**
   * Holds at the next boundary. No-op when nothing runs or already paused. `by: 'parent'` is the
   * parent's pause cascade: only such a pause is lifted by the parent's resume; a pause asked for
   * this session itself (also on top of a cascaded one) waits for its own resume.
   */
  pause(by: PausedBy = 'self'): void {
    const turn = this.active;
    if (!turn) return;
    if (this.data.paused) {
      if (by === 'self') this.pausedBy = 'self';
      return;
    }
    this.pausedBy = by;
    this.emit({ type: 'session.paused' });
  }

  /**
   * Continues a paused turn; on an idle session with queued prompts, starts the oldest. The
   * parent's resume (`by: 'parent'`) only lifts a pause its own cascade made.
   */
  resume(by: PausedBy = 'self'): void {
    const turn = this.active;
    if (!turn) { if (by === 'self') this.drainQueue(); return; }
    if (!this.data.paused || (by === 'parent' && this.pausedBy !== 'parent')) return;
    this.emit({ type: 'session.resumed' });
    for (const wake of turn.wakers.splice(0)) wake();
  }

  /**
   * Cancels the running turn: aborts the stream and tools, denies pending approvals, records
   * interrupted items and `turn.cancelled`. Nothing of that turn is recorded afterwards.
   */
  async cancel(): Promise<void> {
    this.compaction?.abort();
    await this.stopTurn('cancelled');
  }

  /** Like cancel, but recorded as `turn.interrupted` (dispose / process end). */
  async interrupt(): Promise<void> {
    await this.stopTurn('interrupted');
  }

  /**
   * Graceful shutdown (window reload, extension host exit). A turn that is only waiting for the
   * user — an approval, or a resume when paused at a boundary (see findResumePoint) — is left open
   * in the log — the next process restores it — and nothing is recorded for it here; any other turn
   * is interrupted (its stream or tool cannot go on).
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.compaction?.abort();
    const turn = this.active;
    if (!turn || !findResumePoint(this.data)) { await this.interrupt(); return; }
    this.active = undefined; // the runner unwinds without recording anything
    turn.abort.abort(new AgentError('cancelled', 'The session manager was disposed.'));
    for (const wake of turn.wakers.splice(0)) wake();
    this.env.confirmations.cancelAll(this.data.id, 'interrupted');
    await this.flush();
  }

  /**
   * Another window takes this session over: stop as at shutdown (a turn waiting only for the user
   * stays open in the log, for that window to restore; any other turn is interrupted), flush, and
   * from then on record nothing. `undo` (the handover failed) makes it writable again and restores
   * a turn left waiting.
   */
  async handOver(to: SessionWriterInfo): Promise<{ undo(): void }> {
    await this.shutdown();
    this.readOnlyBy = to;
    return {
      undo: () => {
        this.readOnlyBy = undefined;
        this.closing = false;
        this.recoverAfterRestart();
      },
    };
  }

  private async stopTurn(kind: 'cancelled' | 'interrupted'): Promise<void> {
    const turn = this.active;
    if (!turn) return;
    this.active = undefined; // from here on the runner's emits are refused
    turn.abort.abort(new AgentError('cancelled', 'The turn was cancelled.'));
    for (const wake of turn.wakers.splice(0)) wake();
    this.env.confirmations.cancelAll(this.data.id, kind === 'cancelled' ? 'cancel' : 'interrupted');
    for (const body of closeTurnEvents(this.data, { kind }, () => newId('msg')) ?? []) this.emit(body);
    await this.flush();
  }

  /**
   * After a restart (the log was just folded). A turn that was only waiting for the user is
   * restored with the config it started with: its approvals are registered again (same ids; their
   * timeouts restart), a paused turn comes back paused, and the turn holds until answered or
   * resumed, then carries on as if nothing happened. Any other open turn — or one whose approved
   * tool no longer exists — is closed as interrupted.
   */
  recoverAfterRestart(): void {
    const point = findResumePoint(this.data);
    const why = point ? notRestorable(point, this.env.knowledge.toolsFor(point.config, worktreeRootOf(this.data.worktree), this.data)) : undefined;
    if (point && why === undefined) { this.restoreTurn(point); return; }
    if (why) this.warn('approval_not_restored', `${why} The turn was interrupted.`);
    const events = closeTurnEvents(this.data, { kind: 'interrupted' }, () => newId('msg'));
    if (events) {
      for (const body of events) {
        this.emit(why && body.type === 'approval.resolved' ? { ...body, resolution: { ...body.resolution, reason: why } } : body);
      }
    }
  }

  private restoreTurn(point: ResumePoint): void {
    const userMessageId = this.data.turn?.userMessageId;
    const opened = userMessageId ? findRecord(this.data, userMessageId) : undefined;
    const turn = this.newTurn(point.turnId, opened?.kind === 'user' ? opened.text : '', point.config);
    this.active = turn;
    // Held (paused) while its request waited to go again: nothing waits for that answer any more.
    const retry = this.data.pendingRetry;
    if (retry) this.emit({ type: 'provider.retrying', turnId: retry.turnId, attempt: retry.attempt, by: 'restart' });
    const answers = new Map<string, Promise<ApprovalResolution>>();
    for (const info of point.pending.values()) answers.set(info.id, this.env.confirmations.request(info, this.data.config.approvalTimeoutMs));
    this.activeRun = this.runTurn(turn, (r) => r.resume(point, answers));
  }

  /**
   * Summarises older history; refused while a turn runs. A cancel (or shutdown) while it runs
   * aborts the summary request and applies nothing: the result is 'cancelled' and, unless shutting
   * down, a `compaction_cancelled` warning is recorded. Queued prompts then wait for a resume.
   */
  async compact(trigger: 'manual' | 'auto' = 'manual'): Promise<'compacted' | 'nothing' | 'cancelled'> {
    if (this.active) throw new AgentError('invalid_state', 'Cannot compact while a turn is running. Wait for it to finish or cancel it.');
    if (this.compaction) throw new AgentError('invalid_state', 'This session is already being compacted.');
    const abort = new AbortController();
    this.compaction = abort;
    let compaction: Compaction | undefined;
    try {
      // Asked for right after another compaction: keep the least this time (overflow.ts says so).
      compaction = await compactSession(this.data, this.env, trigger, abort.signal, { tight: trigger === 'manual' && compactedJustNow(this.data) });
      if (compaction) this.emit({ type: 'context.compacted', ...compaction });
      await this.flush();
    } catch (e) {
      if (!abort.signal.aborted) throw e;
    } finally {
      this.compaction = undefined;
    }
    if (abort.signal.aborted && !compaction) {
      if (!this.closing) {
        this.warn('compaction_cancelled', `The ${trigger === 'auto' ? 'automatic ' : ''}compaction was cancelled; the history is unchanged.`);
        await this.flush();
      }
      return 'cancelled';
    }
    if (trigger === 'manual') this.drainQueue();
    return compaction ? 'compacted' : 'nothing';
  }

  /**
   * Answers the running turn's pending retry: `now` sends the request at once; `wait` accepts a
   * wait longer than the cap (the countdown starts). invalid_state when nothing waits for that answer.
   */
  retry(action: RetryAction): void {
    const pending = this.data.pendingRetry;
    const answer = this.active?.answerRetry;
    if (!pending || !answer) throw new AgentError('invalid_state', 'Nothing is waiting to be retried in this session.');
    if (action === 'wait' && pending.ask !== 'long_wait') {
      throw new AgentError('invalid_state', pending.ask === 'after_output' ? 'This request can only be retried now or cancelled.' : 'The request is already waiting; retry now or cancel.');
    }
    answer(action);
  }

  rename(title: string): void {
    const t = typeof title === 'string' ? title.trim() : '';
    if (!t || t.length > 200) throw new AgentError('bad_request', 'A title must be 1-200 characters.');
    this.emit({ type: 'session.renamed', title: t });
  }

  updateConfig(patch: ConfigUpdate): void {
    if (Object.keys(patch).length > 0) this.emit({ type: 'session.config_changed', patch });
  }

  /** Events after `afterSeq`, from memory when recent enough, else from the store. */
  async eventsSince(afterSeq: number): Promise<SessionEvent[]> {
    const first = this.recent[0];
    if (first && first.seq <= afterSeq + 1) return this.recent.filter((e) => e.seq > afterSeq);
    await this.flush();
    const loaded = await this.env.store.load(this.data.id);
    return loaded.events.filter((e) => e.seq > afterSeq);
  }

  transcript(limit?: number, beforeSeq?: number): TranscriptPage {
    const all = this.data.records;
    let end = all.length;
    if (beforeSeq !== undefined) { end = 0; while (end < all.length && all[end].seq < beforeSeq) end++; }
    const n = pageSize(limit);
    const start = Math.max(0, end - n);
    return { entries: structuredClone(all.slice(start, end)), hasMore: start > 0 };
  }
}
