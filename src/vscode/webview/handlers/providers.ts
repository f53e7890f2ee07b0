/**
 * `providers.list`: provider profiles from settings, with whether a key is set (never the key);
 * `models.list`, `providers.presets`, `providers.probe`: model discovery, profile templates and
 * the local servers that answer now (each falls back to what the host can say without them).
 */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

export const providerHandlers: HandlerMap<'providers.list' | 'models.list' | 'providers.presets' | 'providers.probe'> = {
  'providers.list': async (_p, { services }) => ({ providers: await services.providers() }),
  'models.list': async (p, { services }) => {
    if (services.listModels) return services.listModels(p.providerId, p.refresh ?? false);
    const profile = (await services.providers()).find((x) => x.id === p.providerId);
    if (!profile) throw new AgentError('not_found', `There is no provider profile "${p.providerId}".`);
    return { models: profile.models, source: 'suggested' };
  },
  'providers.presets': async (_p, { services }) => ({ presets: services.presets?.() ?? [] }),
  'providers.probe': async (_p, { services }) => ({ found: (await services.probeProviders?.()) ?? [] }),
};
