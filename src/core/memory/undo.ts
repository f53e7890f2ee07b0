/**
 * Undo of one memory write, from the session's own record of it (the `memory.changed` event of
 * the call): added → removed, updated → its previous text, removed → added again. Only while the
 * entry is as that write left it: an entry edited, removed or re-added since is left alone.
 */
import type { SessionEvent } from '../../shared/events';
import { AgentError } from '../base/errors';
import type { MemoryPort } from './store';

/** What the session records for an undo (`memory.changed` action `undone`). */
export interface MemoryUndone {
  callId: string;
  entryId: string;
  text: string;
  memoryPath: string;
}

/**
 * Reverses write `entryId` of call `callId` as `events` recorded it. Throws `not_found` when this
 * session made no such write, there is no memory here, or the entry changed since (nothing is
 * changed then); `invalid_state` when it was undone already.
 */
export async function undoMemoryWrite(memory: MemoryPort | undefined, events: readonly SessionEvent[], callId: string, entryId: string): Promise<MemoryUndone> {
  if (!memory) throw new AgentError('not_found', 'There is no workspace memory here (Restricted Mode, or memory is switched off).');
  const mine = events.filter((e): e is Extract<SessionEvent, { type: 'memory.changed' }> => e.type === 'memory.changed' && e.callId === callId && e.entryId === entryId);
  if (mine.some((e) => e.action === 'undone')) throw new AgentError('invalid_state', 'This memory write was undone already.');
  const write = mine.find((e) => e.action !== 'undone');
  if (!write || write.action === 'undone') throw new AgentError('not_found', `This session made no memory write ${entryId} in call ${callId}.`);
  const done = await memory.undo({
    action: write.action,
    entry: { id: entryId, text: write.text, ...(write.topic ? { topic: write.topic } : {}) },
    ...(write.previousText !== undefined ? { previousText: write.previousText } : {}),
  });
  if (!done) {
    throw new AgentError('not_found', 'The memory entry was changed since this write (edited, removed or added again), so it was left as it is.', {
      hint: 'Open the memory file (Agent Sessions: Open Memory) to change it by hand.',
    });
  }
  return { callId, entryId, text: write.text, memoryPath: write.memoryPath };
}
