/** `agents.list`: the custom agents the new-session form offers, and agent files that did not load. */
import type { HandlerMap } from './types';

export const agentHandlers: HandlerMap<'agents.list'> = {
  'agents.list': async (_p, { knowledge }) => (knowledge?.agents ? knowledge.agents.overview() : { agents: [], problems: [] }),
};
