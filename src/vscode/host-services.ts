/**
 * HostServices for the webview router: provider profiles (with key presence, never the key),
 * host state and notices (trust, missing keys, bad settings), new-session config from settings.
 * Pure: VS Code specifics (open a URL, the diff editor, commands) come in as callbacks.
 */
import { AgentError } from '../core/base/errors';
import { Emitter } from '../core/base/emitter';
import { Disposable } from '../core/base/disposable';
import type { Logger } from '../core/ports';
import { PROTOCOL_VERSION, type ConfigPatch, type HostActionId, type HostInfo, type HostNotice, type ParamsOf, type ProviderPresetInfo, type ProviderProfileInfo } from '../shared/protocol';
import type { ConfigUpdate, PendingApprovalInfo, SessionConfig } from '../shared/session';
import type { WorktreeApplyMode, WorktreeApplyResult } from '../shared/worktree';
import type { HostServices } from './webview/ports';
import { mergeProfiles, type ProviderProfile } from './providers';
import { presetInfos } from './presets';
import { hostLabel } from './key-binding';
import type { SecretStorageSecretSource } from './secrets';
import { formatProblem, type SettingsRead } from './settings';
import { knownVsCodeLmModels, VSCODE_LM_PROFILE_ID, vscodeLmProfile } from './lm/lm-model-info';
import { UNTRUSTED_NOTICE, UNTRUSTED_REASON, type WorkspaceTrustState } from './trust';
import { infoOf, ModelsService } from './models-service';
import { probeProviders, probeTargets } from './first-run/probe';
import type { ModelInfo, ModelListing, ProbedProvider } from '../shared/protocol';

export interface HostServicesDeps {
  logger: Logger;
  settings: () => SettingsRead;
  secrets: SecretStorageSecretSource;
  trust: WorkspaceTrustState;
  extensionVersion?: string;
  openExternal(href: string): Promise<boolean>;
  viewDiff(approval: PendingApprovalInfo): Promise<void>;
  /** A session's Changes view (Source Control), or one changed file's diff (absent: the host has none). */
  showChanges?(sessionId: string, path?: string): Promise<void>;
  /** A Bring-back action of a session's worktree, with the host's dialogs (absent: no worktrees here). */
  worktreeAction?(sessionId: string, action: 'apply' | 'commit' | 'openScm' | 'discard', mode?: WorktreeApplyMode): Promise<{ done: boolean; apply?: WorktreeApplyResult; commit?: string }>;
  /** Opens the session's terminal, or with `follow` the one that follows its commands. */
  openTerminal?(sessionId: string, follow: boolean): Promise<void>;
  /** Opens the workspace memory file (absent: no memory here). */
  openMemory?(): Promise<void>;
  runAction(action: HostActionId, providerId?: string, sessionId?: string, presetId?: string): Promise<void>;
  /** Kind `vscode-lm`: the models vscode.lm offers now (absent: the profile's suggestions). */
  vscodeLmModels?(refresh: boolean): Promise<ModelInfo[]>;
  /** More sources for `providers.probe` beside the local servers (the host connects VS Code's language models). */
  probeExtra?: () => Promise<ProbedProvider[]>;
  setVisible(connectionId: string, sessionId: string | null): void;
  forget(connectionId: string): void;
}

/** The model a new session of this provider gets: its default, else its first suggestion. */
function firstModelOf(p: ProviderProfile): string | undefined {
  return p.defaultModel ?? p.models[0];
}

export function noKeyNotice(profile: { id: string; label: string }): HostNotice {
  return {
    id: `no-key:${profile.id}`, severity: 'error',
    message: `No API key for ${profile.label} — set one to use it.`,
    action: { label: 'Set key', action: 'setApiKey', providerId: profile.id },
  };
}

export class VsCodeHostServices extends Disposable implements HostServices {
  private readonly hostChanged = this._register(new Emitter<void>());
  readonly onDidChangeHost = this.hostChanged.event;
  private readonly notices = new Map<string, HostNotice>();
  readonly logger: Logger;

  constructor(private readonly deps: HostServicesDeps) {
    super();
    this.logger = deps.logger;
    this._register(deps.trust.onDidChange(() => this.hostChanged.fire()));
  }

  /** Model discovery for the picker (cached listings); also SessionManagerDeps.listedModel. */
  readonly models = new ModelsService({
    profiles: () => this.profiles(), secrets: this.deps.secrets, logger: this.deps.logger,
    ...(this.deps.vscodeLmModels ? { vscodeLmModels: this.deps.vscodeLmModels.bind(this.deps) } : {}),
  });

  listModels(providerId: string, refresh: boolean): Promise<ModelListing> { return this.models.listModels(providerId, refresh); }

  profiles(): ProviderProfile[] {
    const merged = mergeProfiles(this.deps.settings().settings.providers);
    // Host-only, last, never the default: VS Code's language models (core cannot create this provider).
    return merged.some((p) => p.id === VSCODE_LM_PROFILE_ID) ? merged : [...merged, vscodeLmProfile(knownVsCodeLmModels())];
  }

  profile(id: string): ProviderProfile | undefined {
    return this.profiles().find((p) => p.id === id);
  }

  /** Adds or replaces a banner (keyed by id) and tells the webviews. */
  setNotice(notice: HostNotice): void {
    this.notices.set(notice.id, notice);
    this.hostChanged.fire();
  }

  clearNotice(id: string): void {
    if (this.notices.delete(id)) this.hostChanged.fire();
  }

  /** Settings, keys or defaults changed. */
  refresh(): void { this.hostChanged.fire(); }

  private sandbox?: { sandboxed: boolean; note: string };

  /** Whether commands are sandboxed (probed by the host once, again when settings change). */
  setSandbox(status: { sandboxed: boolean; note: string }): void {
    if (this.sandbox?.note === status.note) return;
    this.sandbox = status;
    this.hostChanged.fire();
  }

  hostInfo(): HostInfo {
    const read = this.deps.settings();
    const trusted = this.deps.trust.isTrusted;
    const notices: HostNotice[] = [...this.notices.values()];
    if (!trusted) notices.unshift(UNTRUSTED_NOTICE);
    for (const [i, p] of read.problems.entries()) {
      notices.push({ id: `settings:${i}`, severity: 'warning', message: formatProblem(p), action: { label: 'Open settings', action: 'openSettings' } });
    }
    const s = read.settings;
    return {
      protocolVersion: PROTOCOL_VERSION,
      ...(this.deps.extensionVersion !== undefined ? { extensionVersion: this.deps.extensionVersion } : {}),
      workspaceTrusted: trusted,
      ...(trusted ? {} : { untrustedReason: UNTRUSTED_REASON }),
      notices,
      defaults: { providerId: s.defaultProvider, ...(s.defaultModel ? { model: s.defaultModel } : {}), mode: s.defaultMode },
      // The form preselects it; when git cannot give worktrees here it shows the option disabled with the reason.
      ...(s['worktrees.default'] === 'worktree' ? { defaultWorkspace: 'worktree' as const } : {}),
      ...(this.sandbox ? { sandbox: this.sandbox } : {}),
    };
  }

  async providers(): Promise<ProviderProfileInfo[]> {
    const out: ProviderProfileInfo[] = [];
    for (const p of this.profiles()) {
      const keyOrigin = this.deps.secrets.keyOrigin(p.id);
      out.push({
        id: p.id, label: p.label, kind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}),
        models: p.models.map((id) => infoOf(p, id)), requiresKey: p.requiresKey,
        hasKey: await this.deps.secrets.hasApiKey(p.id),
        ...(p.api ? { api: p.api } : {}), ...(keyOrigin ? { keyHost: hostLabel(keyOrigin) } : {}),
      });
    }
    return out;
  }

  /** Provider-derived config (kind, base URL) for a profile id, or a bad_request naming it. */
  private providerConfig(providerId: string): Pick<SessionConfig, 'providerId' | 'providerKind'> & { baseUrl?: string; firstModel?: string } {
    const p = this.profile(providerId);
    if (!p) throw new AgentError('bad_request', `Unknown provider "${providerId}". Add it under the "agentSessions.providers" setting.`);
    const firstModel = firstModelOf(p);
    return { providerId: p.id, providerKind: p.kind, ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}), ...(firstModel !== undefined ? { firstModel } : {}) };
  }

  /** The defaults for new sessions, from settings (used for manager.setDefaults too). */
  defaultConfig(): Partial<SessionConfig> {
    return this.newSessionConfig({});
  }

  newSessionConfig(params: ParamsOf<'sessions.create'>): Partial<SessionConfig> {
    const s = this.deps.settings().settings;
    const providerId = params.providerId ?? s.defaultProvider;
    const { firstModel, ...provider } = this.providerConfig(providerId);
    const model = params.model ?? (providerId === s.defaultProvider && s.defaultModel ? s.defaultModel : firstModel);
    if (!model) throw new AgentError('bad_request', `Provider "${providerId}" lists no models; pick one or set "agentSessions.defaultModel".`);
    return { ...provider, model, mode: params.mode ?? s.defaultMode };
  }

  expandConfigPatch(patch: ConfigPatch): ConfigUpdate {
    if (patch.providerId === undefined) return { ...patch };
    const { firstModel, ...provider } = this.providerConfig(patch.providerId);
    const model = patch.model ?? firstModel;
    // A profile without baseUrl must clear the previous one (e.g. Ollama → OpenAI); `null` survives the log.
    return { ...patch, ...provider, baseUrl: provider.baseUrl ?? null, ...(model !== undefined ? { model } : {}) };
  }

  viewDiff(approval: PendingApprovalInfo): Promise<void> { return this.deps.viewDiff(approval); }
  async showChanges(sessionId: string, path?: string): Promise<void> {
    if (!this.deps.showChanges) throw new AgentError('invalid_state', 'This host has no Changes view.');
    return this.deps.showChanges(sessionId, path);
  }
  async worktreeAction(sessionId: string, action: 'apply' | 'commit' | 'openScm' | 'discard', mode?: WorktreeApplyMode): Promise<{ done: boolean; apply?: WorktreeApplyResult; commit?: string }> {
    if (!this.deps.worktreeAction) throw new AgentError('invalid_state', 'This host cannot give sessions worktrees.');
    return this.deps.worktreeAction(sessionId, action, mode);
  }
  async openMemory(): Promise<void> {
    if (!this.deps.openMemory) throw new AgentError('invalid_state', 'This host keeps no workspace memory.');
    return this.deps.openMemory();
  }

  async openTerminal(sessionId: string, follow: boolean): Promise<void> {
    if (!this.deps.openTerminal) throw new AgentError('invalid_state', 'This host has no terminals.');
    return this.deps.openTerminal(sessionId, follow);
  }
  openExternal(href: string): Promise<boolean> { return this.deps.openExternal(href); }
  runAction(action: HostActionId, providerId?: string, sessionId?: string, presetId?: string): Promise<void> { return this.deps.runAction(action, providerId, sessionId, presetId); }
  /** Profile templates (presets.ts) for `providers.presets`. */
  presets(): ProviderPresetInfo[] { return presetInfos(); }
  /** Local servers (loopback profiles, llama.cpp's port) and `probeExtra` that answer now. */
  probeProviders(): Promise<ProbedProvider[]> {
    return probeProviders(probeTargets(this.profiles()), { logger: this.logger, ...(this.deps.probeExtra ? { extra: this.deps.probeExtra } : {}) });
  }
  setVisible(connectionId: string, sessionId: string | null): void { this.deps.setVisible(connectionId, sessionId); }
  forget(connectionId: string): void { this.deps.forget(connectionId); }
}
