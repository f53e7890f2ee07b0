/** `host.*`: host state (trust, notices, defaults) and banner actions. */
import type { HandlerMap } from './types';

export const hostHandlers: HandlerMap<'host.info' | 'host.runAction'> = {
  'host.info': async (_p, { services }) => services.hostInfo(),
  'host.runAction': async (p, { services }) => { await services.runAction(p.action, p.providerId, p.sessionId, p.presetId); return {}; },
};
