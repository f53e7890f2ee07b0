/**
 * TEMPORARY (issue 15 contract): methods whose handlers are being written on their own branches.
 * Each branch moves its method into its own handler file and deletes it here; this file is
 * removed before the work lands.
 */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

const later = async (): Promise<never> => { throw new AgentError('invalid_state', 'Not available in this build yet.'); };

export const pendingHandlers: HandlerMap<'agents.list' | 'memory.undo' | 'memory.open'> = {
  'agents.list': later,
  'memory.undo': later,
  'memory.open': later,
};
