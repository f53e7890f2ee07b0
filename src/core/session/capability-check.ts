/**
 * Refuses a request the model cannot take before it is sent: a session with tools on a model the
 * profile's override, the server's listing or the model table marks `tools: false` fails with a
 * clear 'unsupported' error (instead of the server's confusing 400). Models nobody knows are tried.
 */
import { AgentError } from '../base/errors';
import type { ToolSpec } from '../../shared/model';
import { capabilitiesOf } from '../../shared/models';
import type { SessionConfig } from './types';
import type { TurnEnv } from './turn-host';

/** Throws AgentError('unsupported') naming the model and the way out when it cannot call the `tools` the request would send. */
export function assertToolsSupported(env: Pick<TurnEnv, 'modelCapabilities'>, cfg: Pick<SessionConfig, 'providerId' | 'model'>, tools: readonly ToolSpec[]): void {
  if (tools.length === 0) return;
  const caps = env.modelCapabilities ? env.modelCapabilities(cfg.providerId, cfg.model) : capabilitiesOf(cfg.model);
  if (caps?.tools !== false) return;
  throw new AgentError('unsupported', `The model "${cfg.model}" cannot call tools, and this session would send it ${tools.length} tool${tools.length === 1 ? '' : 's'}. Nothing was sent.`, {
    hint: 'Pick a model that supports tool calling, or switch the session\'s tools off. If this model can call tools, '
      + 'set "tools": true for it under "modelOverrides" of its provider profile.',
  });
}
