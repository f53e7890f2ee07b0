/** `knowledge.get`: the session's rules files and skills (with per-session switches) plus skill diagnostics. */
import type { HandlerMap } from './types';

export const knowledgeHandlers: HandlerMap<'knowledge.get'> = {
  'knowledge.get': async (p, ctx) => {
    // Diagnostics are workspace-wide and optional; the session's listing is what must not fail quietly.
    const [knowledge, diagnostics] = await Promise.all([
      ctx.manager.knowledge(p.sessionId),
      ctx.knowledge ? ctx.knowledge.skillDiagnostics() : Promise.resolve([]),
    ]);
    return { knowledge, diagnostics };
  },
};
