/**
 * The SessionEnv every session of a manager shares, assembled from the host's deps and the
 * manager's own parts (approvals, questions, knowledge, capacity and workplace checks). Apart
 * from manager.ts so that file stays about the sessions' lifecycle.
 */
import type { SessionManagerDeps } from './manager-deps';
import type { SessionEnv } from './session';
import type { KnowledgeWiring } from './knowledge';
import type { ConfirmationManager } from '../approval/confirmations';
import type { ServerQuestions } from './server-questions';
import { patternRedactor } from '../base/redact';
import { costOf } from '../../shared/pricing';
import { modelCapabilitiesFrom } from './model-window';
import { profileEndpointOf } from './endpoint';
import { rulesOnPathHooks } from '../context/rules-on-path';
import { ToolOutputFolder } from '../tools/spill';
import { createLedgerEnv } from '../changes/ledger-env';

/** What the manager itself contributes to its sessions' env. */
export interface ManagerEnvParts extends Pick<SessionEnv, 'approvalLabel' | 'fire' | 'checkCapacity' | 'checkWorkplace'> {
  knowledge: KnowledgeWiring;
  confirmations: ConfirmationManager;
  questions: ServerQuestions;
}

/**
 * The env of a manager's sessions. Provider profiles give each session its endpoint (base URL, API,
 * auth header, query) and its price overrides; the host's `costOf` replaces the table when given.
 */
export function sessionEnvOf(deps: SessionManagerDeps, parts: ManagerEnvParts): SessionEnv {
  return {
    store: deps.store, createProvider: deps.createProvider, secrets: deps.secrets, knowledge: parts.knowledge,
    approvalLabel: parts.approvalLabel,
    permissions: deps.permissions, confirmations: parts.confirmations, hostRules: deps.hostRules,
    workspaceRoots: deps.workspaceRoots, isWorkspaceTrusted: deps.isWorkspaceTrusted, logger: deps.logger, clock: deps.clock,
    profileEndpoint: (id) => profileEndpointOf(deps.providerProfiles?.[id]),
    costOf: deps.costOf ?? ((model, usage, providerId) => costOf(model, usage, providerId ? deps.providerProfiles?.[providerId]?.prices : undefined)),
    modelCapabilities: (providerId, model) => modelCapabilitiesFrom(deps, providerId, model),
    ...(deps.isolation ? { isolation: deps.isolation } : {}),
    ...(deps.toolOutputDir ? { toolOutput: new ToolOutputFolder(deps.toolOutputDir) } : {}),
    ...(deps.maxRetryWaitMs ? { maxRetryWaitMs: deps.maxRetryWaitMs } : {}),
    fire: parts.fire,
    checkCapacity: parts.checkCapacity,
    redactor: deps.redactor ?? patternRedactor,
    ledger: createLedgerEnv(deps),
    ...(parts.checkWorkplace ? { checkWorkplace: parts.checkWorkplace } : {}),
    // Rules attached on the way (nested AGENTS.md, Cursor globs) first, then the host's seams (hooks).
    callHooks: [rulesOnPathHooks(), ...(deps.callHooks ?? [])],
    ...(deps.turnHooks ? { turnHooks: deps.turnHooks } : {}),
    serverRequests: deps.serverRequests ?? parts.questions.factory,
  };
}
