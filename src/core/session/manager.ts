import { z } from 'zod';
import type { Event } from '../base/emitter';
import type { SessionEvent } from './events';
import type { ApprovalResolution, ConfigUpdate, PermissionRule, SessionConfig, SessionKnowledge, SessionSnapshot } from './types';
import type { CreateSessionOptions, SendResult, SessionManagerApi, TranscriptPage } from './api';
import type { SessionIndexEntry } from '../store/types';
import type { SessionManagerDeps } from './manager-deps';
import { Emitter } from '../base/emitter';
import { AgentError, toAgentError } from '../base/errors';
import { assertSafeId } from '../base/ids';
import { patternRedactor, redactAgentError } from '../base/redact';
import { ConfirmationManager } from '../approval/confirmations';
import { withModelWindow, withProfileKind } from './model-window';
import { sessionEnvOf } from './manager-env';
import { BUILTIN_DEFAULTS, mergeConfig, parseConfigPatch, parseConfigUpdate } from './config';
import { toIndexEntry } from './reducer';
import { Session, type SessionEnv } from './session';
import { KnowledgeWiring } from './knowledge';
import { engineTools } from './engine-tools';
import { askSideQuestion, type AskOptions, type AskResult } from './side-question';
import { titleFromFirstPrompt } from './auto-title';
import { forwardHistoryWarnings, SessionLoader } from './loader';
import { SessionWriters } from './writers';
import { forkSession } from './fork';
import type { SessionWriterInfo } from '../store/types';
import { ChangesService } from '../changes/changes-service';
import * as lineHunks from '../changes/hunks';
import type { WorktreeDeleteChoice } from '../../shared/worktree';
import { WorktreeService } from '../worktree/service';
import type { WorktreeApi } from '../worktree/types';
import { worktreeRefusal } from '../worktree/refusal';
import { sharedFiles } from '../worktree/overlaps';
import { childWorkplace, parseWorkspaceChoice, type NewWorkplace } from '../worktree/new-worktree';
import { forkPlace, SessionCreator } from './creation';
import { worktreeRootOf } from '../../shared/worktree';
import { SessionAgents } from '../agents/session-agents';
import { undoMemoryWrite } from '../memory/undo';
import { ServerQuestions } from './server-questions';
import type { ElicitValue, QuestionAnswer } from '../../shared/knowledge-types';

export type { SessionManagerDeps };

const resolutionSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  reason: z.string().max(10_000).optional(),
  alwaysAllow: z.object({ pattern: z.string().min(1).max(1_000), scope: z.enum(['session', 'workspace', 'user']), confirmBroad: z.boolean().optional() }).optional(),
  by: z.enum(['user', 'timeout', 'cancel', 'interrupted']).optional(),
}).strict();

/**
 * Owns every session of a workspace: creation, listing (from the store index), opening (log
 * read and folded on demand), turns, approvals, compaction, and the running-session limit.
 * Call `init()` once before use. Reports back only through `onEvent`.
 */
export class SessionManager implements SessionManagerApi {
  private readonly emitter: Emitter<SessionEvent>;
  readonly onEvent: Event<SessionEvent>;
  private readonly loader: SessionLoader;
  private readonly index = new Map<string, SessionIndexEntry>();
  private readonly confirmations: ConfirmationManager;
  private defaults: SessionConfig;
  private readonly env: SessionEnv;
  private disposed = false;
  /** Sessions another window writes, and take-overs. */
  private readonly writers: SessionWriters;
  /** Fires when a session becomes read-only here (another window took it) or writable (this window took it over). */
  readonly onDidChangeWriter: Event<{ sessionId: string; readOnlyBy?: SessionWriterInfo }>;
  /** The change ledger's review, checkpoint restores, redo and fork (changes/changes-service.ts), on fully loaded sessions. */
  readonly changes = new ChangesService({
    session: (id) => this.session(id), ledger: () => this.env.ledger, hunks: () => this.deps.hunks ?? lineHunks,
    children: (id) => this.rows().filter((r) => r.parentId === id).map((r) => r.id),
    fork: (id, key) => this.fork(id, key),
    workplace: (session) => this.workplaces.checkWorkplace(session, 'turn'),
  });
  /** Sessions' own git worktrees (worktree/service.ts): support, check, status, commit, apply, discard. */
  readonly worktrees: WorktreeApi;
  /** The same service, with the engine's side (making, checking and removing worktrees). */
  private readonly workplaces: WorktreeService;
  private readonly creator: SessionCreator;
  /** MCP servers' questions waiting for their users (elicitation, sampling). */
  private readonly questions = new ServerQuestions();

  constructor(private readonly deps: SessionManagerDeps) {
    this.emitter = new Emitter<SessionEvent>((err) => deps.logger.error(`Session event listener failed: ${String(err)}`));
    this.onEvent = this.emitter.event;
    this.defaults = mergeConfig(BUILTIN_DEFAULTS, parseConfigPatch(deps.defaults ?? {}));
    this.confirmations = new ConfirmationManager((sessionId, rule) => this.saveRule(sessionId, rule));
    const toolNames = (config: SessionConfig, root?: string): string[] => this.env.knowledge.toolsFor(config, root).list().map((t) => t.name);
    const agents = new SessionAgents({ source: deps.agents, profiles: deps.providerProfiles, defaults: () => this.defaults, toolNames }); // custom agents
    const spawnTools = engineTools(deps.childSessions, {
      opened: (id) => this.loader.opened(id), agents, toolNames,
      running: () => ({ count: this.loader.all().filter((x) => x.isRunning).length, max: this.maxRunning }),
      createChild: (parent, title, config, workspace) => this.creator.create({
        title, patch: config, parentId: parent.id, place: childWorkplace(workspace, { id: parent.id, ...(parent.data.worktree ? { worktree: parent.data.worktree } : {}) }),
      }),
      onEvent: this.onEvent,
    });
    const knowledge = new KnowledgeWiring({
      tools: deps.tools, engineTools: spawnTools, isWorkspaceTrusted: deps.isWorkspaceTrusted, logger: deps.logger,
      ...(deps.rules ? { rules: deps.rules } : {}), ...(deps.skills ? { skills: deps.skills } : {}), ...(deps.mcp ? { mcp: deps.mcp } : {}),
      ...(deps.rootKnowledge ? { rootKnowledge: (root: string) => deps.rootKnowledge?.(root) } : {}),
      ...(deps.memory ? { memory: deps.memory } : {}),
    });
    this.worktrees = this.workplaces = new WorktreeService({
      ...(deps.worktrees ? { worktrees: deps.worktrees } : {}), workspaceRoots: deps.workspaceRoots, clock: deps.clock, logger: deps.logger,
      session: (id) => this.session(id), opened: (id) => this.loader.opened(id), rows: () => this.rows(), env: () => this.env,
    });
    this.loader = new SessionLoader({
      store: deps.store, logger: deps.logger, ...(deps.previewTailEvents !== undefined ? { previewTailEvents: deps.previewTailEvents } : {}),
      createSession: (data) => new Session(this.env, data),
      onLoaded: (session, damaged) => this.index.set(session.id, { ...toIndexEntry(session.data), ...(damaged ? { damaged } : {}) }),
      assertLive: () => this.assertLive(),
      writerOf: (id) => this.writers.writerOf(id),
      // The worktree first: an interrupted restore is finished only where the session works.
      afterLoad: async (session) => {
        await this.workplaces.afterLoad(session);
        if (!worktreeRefusal(session.data.worktree)) await this.changes.recover(session);
      },
    });
    this.creator = new SessionCreator({
      env: () => this.env, loader: this.loader, index: this.index, defaults: () => this.defaults, worktrees: this.workplaces, logger: deps.logger, agents,
      ...(deps.defaultWorkspace ? { defaultWorkspace: () => deps.defaultWorkspace?.() ?? { kind: 'shared' } } : {}),
    });
    this.env = sessionEnvOf(deps, {
      knowledge, confirmations: this.confirmations, questions: this.questions,
      approvalLabel: (d) => this.approvalLabel(d), fire: (ev) => this.emitter.fire(ev),
      checkCapacity: (session) => this.checkCapacity(session), checkWorkplace: (host, when) => this.workplaces.checkWorkplace(host, when),
    });
    this.writers = new SessionWriters(deps.store, () => this.loader);
    this.onDidChangeWriter = this.writers.onDidChange;
    // A live write failure (disk full, read-only storage) and its recovery reach the session as warnings.
    forwardHistoryWarnings(deps.store, (id) => this.loader.opened(id), () => !this.disposed);
  }

  /**
   * Reads the store index, and the logs of sessions the last process left unfinished (index state
   * not idle/error): their waiting approvals come back at once (timeouts restart, hosts can count
   * them) and turns that died with the process are closed as interrupted.
   */
  async init(): Promise<void> {
    for (const row of await this.deps.store.list()) this.index.set(row.id, row);
    for (const row of [...this.index.values()]) {
      if (row.state === 'idle' || row.state === 'error') continue;
      try {
        await this.session(row.id);
      } catch (e) {
        this.deps.logger.warn(`Session ${row.id} could not be restored: ${toAgentError(e).message}`);
      }
    }
  }

  private get maxRunning(): number { return this.deps.maxRunningSessions ?? 8; }

  private approvalLabel(d: { parentId?: string; title: string }): string | undefined {
    if (!d.parentId) return undefined;
    const parent = this.loader.opened(d.parentId)?.data.title ?? this.index.get(d.parentId)?.title ?? d.parentId;
    return `child ${d.title} of ${parent}`;
  }

  private checkCapacity(session: Session): void {
    const max = this.maxRunning;
    let running = 0;
    for (const s of this.loader.all()) if (s !== session && s.isRunning) running++;
    if (running >= max) {
      throw new AgentError('capacity_exceeded', `${running} sessions are already running (the limit is ${max}). Wait for one to finish, cancel one, or raise the limit in settings.`, { retryable: true });
    }
  }

  private async saveRule(sessionId: string, rule: PermissionRule): Promise<void> {
    if (rule.scope === 'session') {
      const s = await this.session(sessionId);
      s.updateConfig({ rules: [...s.data.config.rules, rule] });
      return;
    }
    if (!this.deps.ruleSink) throw new AgentError('bad_request', `Cannot save a ${rule.scope} rule here; save it for this session instead.`);
    await this.deps.ruleSink.saveRule(rule);
  }

  private assertLive(): void {
    if (this.disposed) throw new AgentError('invalid_state', 'The session manager has been disposed.');
  }

  async create(options: CreateSessionOptions = {}): Promise<SessionSnapshot> {
    this.assertLive();
    const patch = withModelWindow(this.deps, withProfileKind(this.deps, parseConfigPatch(options.config ?? {})), this.defaults, false);
    if (options.parentId !== undefined) assertSafeId(options.parentId, 'parent session id');
    const place: NewWorkplace | undefined = options.workspace === undefined ? undefined : parseWorkspaceChoice(options.workspace);
    const session = await this.creator.create({
      title: options.title ?? '', patch, ...(options.parentId !== undefined ? { parentId: options.parentId } : {}), ...(place ? { place } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
    });
    return session.snapshot();
  }

  /**
   * A new session with `sessionId`'s history up to the end of the turn of record `key` (see
   * fork.ts): same config, title "Fork of <title>", no parent; the source is only read.
   * AgentError('invalid_state') while that turn runs, 'not_found' for an unknown session or record.
   */
  async fork(sessionId: string, key: string): Promise<SessionSnapshot> {
    this.assertLive();
    const source = await this.session(sessionId);
    const loadEvents = async () => { await source.flush(); return (await this.deps.store.load(sessionId)).events; };
    const { place, note } = forkPlace(source); // a fork works where its source works
    const info = { id: source.id, title: source.data.title, config: source.data.config, loadEvents };
    return (await forkSession(info, key, (title, config) => this.creator.create({ title, patch: config, place }, note))).snapshot();
  }

  /** Every session's row, opened ones as they are now. */
  private rows(): SessionIndexEntry[] {
    const rows = new Map(this.index);
    for (const s of this.loader.all()) {
      const damaged = this.index.get(s.id)?.damaged; // a damaged log stays damaged once opened
      rows.set(s.id, { ...toIndexEntry(s.data), ...(damaged ? { damaged } : {}) });
    }
    return [...rows.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** The rows, with the files opened sessions of the shared tree both changed (`sharedFiles`). */
  list(): SessionIndexEntry[] {
    const overlaps = sharedFiles(this.loader.all().map((s) => s.data));
    return this.rows().map((r) => { const o = overlaps.get(r.id); return o ? { ...r, sharedFiles: o } : r; });
  }

  /** Shows a big session at once: from its checkpoint when it is current (see preview.ts), else loads the log. */
  async open(sessionId: string): Promise<SessionSnapshot> {
    return this.loader.open(sessionId);
  }

  get(sessionId: string): SessionSnapshot | undefined { return this.loader.get(sessionId); }

  /** The newest page comes from a preview's tail when it covers it; older pages (beforeSeq) need the full load. */
  async transcript(sessionId: string, options: { limit?: number; beforeSeq?: number } = {}): Promise<TranscriptPage> {
    return this.loader.transcript(sessionId, options);
  }

  async eventsSince(sessionId: string, afterSeq: number): Promise<SessionEvent[]> {
    return this.loader.eventsSince(sessionId, Number.isFinite(afterSeq) ? afterSeq : 0);
  }

  /** An opened session (loading and folding its log on first use). */
  private session(sessionId: string): Promise<Session> {
    return this.loader.session(sessionId);
  }

  /** An opened session this window may record into; AgentError('read_only') when another window writes it. */
  private async writable(sessionId: string): Promise<Session> {
    const session = await this.session(sessionId);
    session.assertWritable();
    return session;
  }

  /** The other window that writes this session (it is read-only here), or undefined. Opened sessions only. */
  readOnlyBy(sessionId: string): SessionWriterInfo | undefined {
    return this.writers.readOnlyBy(sessionId);
  }

  /**
   * "Take over here": makes this window the writer of a session another window writes. That window
   * writes out what it has, stops the session (a running turn is interrupted, one waiting for an
   * approval is left open and comes back here) and shows it read-only. The session is then read
   * again from its log, since that window wrote on after this one loaded it. AgentError('read_only')
   * when the other window refuses or does not answer; a dead one is taken over at once.
   */
  async takeOver(sessionId: string): Promise<SessionSnapshot> {
    this.assertLive();
    return this.writers.takeOver(sessionId);
  }

  async rename(sessionId: string, title: string): Promise<void> {
    (await this.writable(sessionId)).rename(title);
  }

  /**
   * Children 'delete' (default) deletes them (and theirs) too; 'keep' detaches them into top-level
   * sessions that keep running. Worktree 'keep' (default) leaves the session's worktree and branch;
   * 'remove-worktree' / 'remove-all' remove the folder / and the branch (the same for deleted
   * children's own worktrees; one inherited is never removed). When git cannot remove it, or
   * another session still works in it, nothing is deleted and the error says why.
   */
  async delete(sessionId: string, options: { children?: 'delete' | 'keep'; worktree?: WorktreeDeleteChoice } = {}): Promise<void> {
    const session = await this.writable(sessionId);
    const worktree = options.worktree ?? 'keep';
    if (!['keep', 'remove-worktree', 'remove-all'].includes(worktree)) throw new AgentError('bad_request', 'The worktree choice is "keep", "remove-worktree" or "remove-all".');
    const rows = this.rows();
    const children = rows.filter((row) => row.parentId === sessionId).map((row) => row.id);
    const deleting = new Set([sessionId]); // with its descendants, unless they are kept
    for (const id of deleting) for (const row of rows) if (options.children !== 'keep' && row.parentId === id) deleting.add(row.id);
    if (worktree !== 'keep') for (const id of deleting) this.workplaces.assertCanDelete(id === sessionId ? session : await this.session(id), worktree, deleting);
    if (options.children === 'keep') {
      // Detach first: the parent's cancel below must not cancel kept children.
      for (const id of children) (await this.session(id)).detach();
    }
    await this.cancel(sessionId); // its running children too: nothing writes in a worktree being removed
    await this.workplaces.removeForDelete(session, worktree);
    this.workplaces.forget(sessionId);
    this.loader.remove(sessionId);
    this.index.delete(sessionId);
    await this.deps.store.delete(sessionId);
    await this.env.toolOutput?.deleteSession(sessionId).catch((e: unknown) => {
      this.deps.logger.warn(`The saved tool output of ${sessionId} could not be deleted: ${toAgentError(e).message}`);
    });
    await this.env.ledger?.dropSession(sessionId);
    if (options.children !== 'keep') {
      for (const id of children) await this.delete(id, options);
    }
  }

  async updateConfig(sessionId: string, patch: ConfigUpdate): Promise<SessionSnapshot> {
    const session = await this.writable(sessionId);
    session.updateConfig(withModelWindow(this.deps, withProfileKind(this.deps, parseConfigUpdate(patch)), session.data.config, true));
    return session.snapshot();
  }

  setDefaults(patch: Partial<SessionConfig>): void {
    this.defaults = mergeConfig(this.defaults, withProfileKind(this.deps, parseConfigPatch(patch)));
  }

  /** Refused (invalid_state) while the session's worktree cannot be used; nothing runs in the main tree instead. */
  async send(sessionId: string, text: string): Promise<SendResult> {
    const session = await this.writable(sessionId);
    await this.workplaces.checkWorkplace(session, 'turn');
    const sent = session.send(text);
    if (this.deps.autoTitle) void titleFromFirstPrompt(session, this.env, text, this.deps.autoTitle);
    return sent;
  }

  async removeQueued(sessionId: string, promptId: string): Promise<boolean> {
    return (await this.writable(sessionId)).removeQueued(promptId);
  }

  /** Pauses the session's turn and, with it, its running children (and theirs). */
  async pause(sessionId: string): Promise<void> {
    (await this.writable(sessionId)).pause();
    this.cascade(sessionId, (child) => child.pause('parent'));
  }

  /**
   * Resumes the session and the children its pause paused; a child paused on its own stays
   * paused until it is resumed itself.
   */
  async resume(sessionId: string): Promise<void> {
    (await this.writable(sessionId)).resume();
    this.cascade(sessionId, (child) => child.resume('parent'));
  }

  /** Applies `act` to every running child of `parentId`, depth first. Running children are always opened. */
  private cascade(parentId: string, act: (child: Session) => void): void {
    for (const s of this.loader.all()) {
      if (s.data.parentId !== parentId || !s.isRunning) continue;
      act(s);
      this.cascade(s.id, act);
    }
  }

  /** Cancels the session's turn or compaction and, with it, every running child session (and theirs). */
  async cancel(sessionId: string): Promise<void> {
    await (await this.session(sessionId)).cancel();
    for (const s of this.loader.all()) {
      if (s.data.parentId === sessionId && s.isRunning) await this.cancel(s.id);
    }
  }

  /**
   * Side question ("btw"): answers a question about the session — also while it runs — from a
   * copy of its history and runtime state, with its provider and model and no tools. Nothing is
   * recorded: no event, no seq change. Empty question → bad_request; abort → cancelled.
   */
  async ask(sessionId: string, question: string, options: AskOptions = {}): Promise<AskResult> {
    const session = await this.session(sessionId);
    try {
      return await askSideQuestion(session.data, this.env, question, options);
    } catch (e) {
      // Nothing is recorded for a side question, but its error goes to the webview.
      throw redactAgentError(toAgentError(e), this.env.redactor ?? patternRedactor);
    }
  }

  /** Undoes memory write `entryId` of call `callId` (memory/undo.ts: not_found when the entry changed since). */
  async undoMemory(sessionId: string, callId: string, entryId: string): Promise<void> {
    const session = await this.writable(sessionId);
    session.memoryUndone(await undoMemoryWrite(this.deps.isWorkspaceTrusted() ? this.deps.memory : undefined, await this.eventsSince(sessionId, 0), callId, entryId));
  }

  /**
   * Re-reads the rules files and skills for this session and returns the listing (records
   * `knowledge.loaded` when it changed). Turns do the same on their own at their start.
   */
  async knowledge(sessionId: string): Promise<SessionKnowledge> {
    const session = await this.session(sessionId);
    const { knowledge } = await this.env.knowledge.prepare(session.data.config, worktreeRootOf(session.data.worktree), session.data);
    // Read-only here: listed, not recorded (the window that writes it records its own).
    session.recordKnowledge(knowledge);
    return knowledge;
  }

  /**
   * Compacts now (refused while a turn runs). `cancel(sessionId)` or `dispose()` while it runs
   * aborts the summary request and applies nothing; this then resolves, and the session records a
   * `compaction_cancelled` warning (not at dispose).
   */
  async compact(sessionId: string): Promise<void> {
    await (await this.writable(sessionId)).compact('manual');
  }

  /** Answers the running turn's pending retry (`now` / `wait`); invalid_state when nothing waits for it. */
  async retry(sessionId: string, action: 'now' | 'wait'): Promise<void> {
    (await this.session(sessionId)).retry(action);
  }

  async resolveApproval(sessionId: string, approvalId: string, resolution: ApprovalResolution): Promise<void> {
    await this.writable(sessionId);
    const parsed = resolutionSchema.safeParse(resolution);
    if (!parsed.success) throw new AgentError('bad_request', 'Invalid approval resolution.');
    await this.confirmations.resolve(sessionId, approvalId, { ...parsed.data, by: 'user' });
  }

  /** Answers an MCP server's question waiting in the session (not_found when none waits; bad_request when the form does not fit). */
  async answerQuestion(sessionId: string, questionId: string, action: QuestionAnswer['action'], content?: Record<string, ElicitValue>): Promise<void> {
    await this.writable(sessionId);
    this.questions.answer(sessionId, questionId, action, content);
  }

  /** Settles when the session's current turn (if any) has finished running. For tests and benchmarks. */
  async whenIdle(sessionId: string): Promise<void> {
    await (await this.session(sessionId)).whenSettled();
  }

  /**
   * Graceful shutdown: turns only waiting for approval stay open in their logs (the next process
   * restores them); every other running turn is interrupted. Then the store is flushed and closed.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.loader.dispose();
    for (const s of this.loader.all()) await s.shutdown();
    try {
      await this.deps.store.flush();
      await this.deps.store.close();
    } finally {
      this.emitter.dispose();
      this.writers.dispose();
    }
  }
}
