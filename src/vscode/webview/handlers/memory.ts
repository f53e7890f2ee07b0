/** Memory handlers: undo one memory write shown on a tool card, open the memory file. */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

export const memoryHandlers: HandlerMap<'memory.undo' | 'memory.open'> = {
  'memory.undo': async ({ sessionId, callId, entryId }, ctx) => {
    if (!ctx.manager.undoMemory) throw new AgentError('invalid_state', 'This window keeps no workspace memory.');
    await ctx.manager.undoMemory(sessionId, callId, entryId);
    return {};
  },
  'memory.open': async (_params, ctx) => {
    if (!ctx.services.openMemory) throw new AgentError('invalid_state', 'This window has no memory file to open.');
    await ctx.services.openMemory();
    return {};
  },
};
