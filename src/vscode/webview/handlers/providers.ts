/** `providers.list`: provider profiles from settings, with whether a key is set (never the key). */
import type { HandlerMap } from './types';

export const providerHandlers: HandlerMap<'providers.list'> = {
  'providers.list': async (_p, { services }) => ({ providers: await services.providers() }),
};
