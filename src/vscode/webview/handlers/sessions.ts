/** `sessions.*`: list, create, open, transcript paging, rename, delete, send, queue, pause/resume/cancel, compact, retry, config, side questions. */
import { DEFAULT_TAIL_ENTRIES } from '../../../shared/protocol';
import type { SessionSummary } from '../../../shared/protocol';
import type { SessionIndexEntry } from '../../../core/store/types';
import { AgentError } from '../../../core/base/errors';
import { loadOpened, type HandlerMap } from './types';

export function toSummary(e: SessionIndexEntry): SessionSummary {
  return {
    id: e.id, title: e.title, ...(e.parentId !== undefined ? { parentId: e.parentId } : {}),
    createdAt: e.createdAt, updatedAt: e.updatedAt, lastSeq: e.lastSeq, messageCount: e.messageCount,
    state: e.state, providerId: e.providerId, model: e.model,
    ...(e.damaged ? { damaged: { ...e.damaged } } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.changedFiles !== undefined ? { changedFiles: e.changedFiles } : {}),
    ...(e.worktree ? { worktree: { ...e.worktree } } : {}),
    ...(e.sharedFiles?.length ? { sharedFiles: e.sharedFiles.map((o) => ({ ...o, files: [...o.files] })) } : {}),
  };
}

type SessionMethods =
  | 'sessions.list' | 'sessions.create' | 'sessions.open' | 'sessions.transcript' | 'sessions.rename'
  | 'sessions.delete' | 'sessions.send' | 'sessions.removeQueued' | 'sessions.pause' | 'sessions.resume'
  | 'sessions.cancel' | 'sessions.compact' | 'sessions.retry' | 'sessions.takeOver' | 'sessions.updateConfig' | 'sessions.ask';

export const sessionHandlers: HandlerMap<SessionMethods> = {
  'sessions.list': async (_p, { manager }) => ({ sessions: manager.list().map(toSummary) }),

  'sessions.create': async (p, ctx) => {
    const snapshot = await ctx.manager.create({
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.parentId !== undefined ? { parentId: p.parentId } : {}),
      ...(p.workspace !== undefined ? { workspace: p.workspace } : {}),
      ...(p.agent !== undefined ? { agent: p.agent } : {}),
      config: ctx.services.newSessionConfig(p),
    });
    ctx.sessionsChanged();
    return { snapshot };
  },

  'sessions.open': async (p, ctx) => {
    const opened = await ctx.connection.subscribe(p.sessionId, async () => {
      const value = await loadOpened(ctx.manager, p.sessionId, p.limit ?? DEFAULT_TAIL_ENTRIES);
      return { value, upTo: value.lastSeq };
    }, ctx);
    return opened;
  },

  'sessions.transcript': async (p, { manager }) => {
    const page = await manager.transcript(p.sessionId, {
      ...(p.beforeSeq !== undefined ? { beforeSeq: p.beforeSeq } : {}),
      ...(p.limit !== undefined ? { limit: p.limit } : {}),
    });
    return { entries: page.entries, hasMore: page.hasMore };
  },

  'sessions.rename': async (p, ctx) => {
    await ctx.manager.rename(p.sessionId, p.title);
    ctx.sessionsChanged();
    return {};
  },

  'sessions.delete': async (p, ctx) => {
    await ctx.manager.delete(p.sessionId, {
      ...(p.children !== undefined ? { children: p.children } : {}), ...(p.worktree !== undefined ? { worktree: p.worktree } : {}),
    });
    ctx.connection.unsubscribe(p.sessionId);
    ctx.sessionsChanged();
    return {};
  },

  'sessions.send': async (p, { manager }) => manager.send(p.sessionId, p.text),
  'sessions.removeQueued': async (p, { manager }) => ({ removed: await manager.removeQueued(p.sessionId, p.promptId) }),
  'sessions.pause': async (p, { manager }) => { await manager.pause(p.sessionId); return {}; },
  'sessions.resume': async (p, { manager }) => { await manager.resume(p.sessionId); return {}; },
  'sessions.cancel': async (p, { manager }) => { await manager.cancel(p.sessionId); return {}; },
  'sessions.compact': async (p, { manager }) => { await manager.compact(p.sessionId); return {}; },
  'sessions.retry': async (p, { manager }) => { await manager.retry(p.sessionId, p.action); return {}; },
  // The other window writes out its history first; the reply is the session read afresh.
  'sessions.takeOver': async (p, ctx) => {
    const take = ctx.manager.takeOver?.bind(ctx.manager);
    if (!take) throw new AgentError('bad_request', 'Sessions are not shared between windows here: there is nothing to take over.');
    return ctx.connection.subscribe(p.sessionId, async () => {
      await take(p.sessionId);
      const value = await loadOpened(ctx.manager, p.sessionId, DEFAULT_TAIL_ENTRIES);
      return { value, upTo: value.lastSeq };
    }, ctx);
  },

  'sessions.updateConfig': async (p, ctx) => {
    const snapshot = await ctx.manager.updateConfig(p.sessionId, ctx.services.expandConfigPatch(p.patch));
    ctx.sessionsChanged();
    return { snapshot };
  },

  // The webview's `cancel` (or the webview going away) aborts the side model's stream.
  'sessions.ask': async (p, { manager, signal }) => ({ answer: (await manager.ask(p.sessionId, p.question, { signal })).answer }),
};
