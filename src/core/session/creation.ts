/**
 * Making a new session: its id, where it works (the shared tree, a worktree of its own made first,
 * or the worktree of the session it comes from), its first events (`session.created`, then
 * `worktree.created`) and its index row. When the worktree cannot be made nothing is created and
 * git's AgentError says why.
 */
import type { SessionConfig } from './types';
import type { SessionIndexEntry } from '../store/types';
import type { WorkspaceChoice } from '../../shared/worktree';
import type { SessionLoader } from './loader';
import type { WorktreeService } from '../worktree/service';
import type { NewWorkplace } from '../worktree/new-worktree';
import type { Logger } from '../ports';
import type { SessionAgents } from '../agents/session-agents';
import { AgentError, toAgentError } from '../base/errors';
import { assertSafeId, newId } from '../base/ids';
import { mergeConfig } from './config';
import { initialData, toIndexEntry } from './reducer';
import { Session, type SessionEnv } from './session';
import { parseWorkspaceChoice } from '../worktree/new-worktree';
import { UNTITLED } from './auto-title';

export interface SessionCreatorDeps {
  env(): SessionEnv;
  loader: SessionLoader;
  index: Map<string, SessionIndexEntry>;
  defaults(): SessionConfig;
  worktrees: WorktreeService;
  /** Where a new session works when nothing is named (the setting); absent: the shared tree. */
  defaultWorkspace?(): WorkspaceChoice;
  logger: Logger;
  /** Resolves `NewSession.agent` (absent: naming an agent is refused as not found). */
  agents?: SessionAgents;
}

/** What a new session is: title, config patch, parent, and where it works (absent: the default). */
export interface NewSession {
  title: string;
  patch: Partial<SessionConfig>;
  parentId?: string;
  place?: NewWorkplace;
  /** Warnings recorded right after creation (e.g. what of a custom agent could not be applied). */
  warnings?: ReadonlyArray<{ code: string; message: string }>;
  /** A custom agent's name (manager.create): applied over `patch` before anything is made; AgentError('not_found') when unknown. */
  agent?: string;
}

/** The worktree a fork works in: its source's, unless that was discarded (then the shared tree, said in the fork). */
export function forkPlace(source: Session): { place: NewWorkplace; note?: string } {
  const w = source.data.worktree;
  if (!w) return { place: { kind: 'shared' } };
  if (w.state === 'discarded') {
    return { place: { kind: 'shared' }, note: `The worktree of "${source.data.title}" was discarded, so this fork works in the shared workspace; paths in its history name that worktree.` };
  }
  return { place: { kind: 'inherit', owner: w.inheritedFrom ?? source.id, worktree: w } };
}

export class SessionCreator {
  constructor(private readonly deps: SessionCreatorDeps) {}

  /** Where a session works when create() names nothing: the default, when this workspace can give it. */
  private async defaultPlace(): Promise<{ place: NewWorkplace; note?: string }> {
    let choice: WorkspaceChoice;
    try {
      choice = parseWorkspaceChoice(this.deps.defaultWorkspace?.() ?? { kind: 'shared' });
    } catch (e) {
      this.deps.logger.warn(`The default workspace setting is not valid (${toAgentError(e).message}); new sessions work in the shared workspace.`);
      return { place: { kind: 'shared' } };
    }
    if (choice.kind === 'shared') return { place: choice };
    const support = await this.deps.worktrees.support();
    if (support.available) return { place: choice };
    return { place: { kind: 'shared' }, note: `New sessions get a worktree by default, but not here: ${support.reason.replace(/\.?$/, '.')} This session works in the shared workspace.` };
  }

  /** Creates, records and stores a new session (its worktree made first when it gets one of its own). */
  async create(o: NewSession, note?: string): Promise<Session> {
    await this.deps.agents?.refresh(); // spawn_session's description lists them from the first request on
    if (o.agent !== undefined) {
      if (!this.deps.agents) throw new AgentError('not_found', `There is no custom agent "${o.agent}": this host offers none.`);
      const r = await this.deps.agents.resolve(o.agent, o.patch);
      o = { ...o, patch: r.patch, warnings: [...(o.warnings ?? []), ...r.warnings], agent: undefined };
    }
    const title = o.title.trim().slice(0, 200) || UNTITLED;
    const id = newId('s');
    assertSafeId(id);
    const chosen = o.place ? { place: o.place } : await this.defaultPlace();
    const made = await this.deps.worktrees.prepare(id, title, chosen.place);
    const session = new Session(this.deps.env(), initialData(id));
    this.deps.loader.add(session);
    session.recordCreated(title, mergeConfig(this.deps.defaults(), o.patch), o.parentId);
    if (made) session.worktree.created(made.fields);
    for (const text of [...(made?.notes ?? []), ...(chosen.note ? [chosen.note] : []), ...(note ? [note] : [])]) session.warn('worktree_note', text);
    for (const w of o.warnings ?? []) session.warn(w.code, w.message);
    this.deps.index.set(id, toIndexEntry(session.data));
    await session.flush();
    return session;
  }
}
