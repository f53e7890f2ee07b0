/**
 * Missing or refused API keys, said once where the user looks. While a chat view is on screen
 * the view says it itself (the new-session form and start page with "Set key", the failed turn's
 * card with its action), so nothing here: no banner, no notification. Without a visible view
 * (a command started it) a notification with "Set key". Follows the manager's events (a new
 * session, an `auth` failure). VS Code's notification comes in as `showError`, so this runs in
 * plain unit tests.
 */
import { Disposable } from '../../core/base/disposable';
import type { Logger } from '../../core/ports';
import type { SessionManagerApi } from '../../core/session/api';
import type { HostActionId } from '../../shared/protocol';
import { noKeyNotice, type VsCodeHostServices } from '../host-services';

export interface KeyNoticesDeps {
  services: () => Pick<VsCodeHostServices, 'profile' | 'setNotice' | 'clearNotice'>;
  secrets: { hasApiKey(providerId: string): Promise<boolean>; withheld?(providerId: string): boolean };
  logger: Logger;
  /** Shows an error notification with one action; resolves with the action when picked. */
  showError(message: string, action: string): PromiseLike<string | undefined>;
  runAction(action: HostActionId, providerId?: string): Promise<void>;
  /** Whether a chat view (sidebar or editor tab) is on screen: then it shows the error itself. Absent: never. */
  viewVisible?(): boolean;
}

export class KeyNotices extends Disposable {
  constructor(private readonly deps: KeyNoticesDeps) { super(); }

  /** Follows `manager`'s events until this is disposed. */
  watch(manager: SessionManagerApi): void {
    this._register(manager.onEvent((e) => {
      if (e.type === 'turn.failed' && e.error.code === 'auth') {
        const providerId = manager.get(e.sessionId)?.config.providerId;
        if (providerId) void this.onAuthFailure(providerId, e.error.message);
      }
      if (e.type === 'session.created') void this.checkKey(e.config.providerId);
    }));
  }

  /** Warns once (a notification, unless a chat view is on screen) when a provider that needs a key has none. */
  async checkKey(providerId: string): Promise<void> {
    const services = this.deps.services();
    const profile = services.profile(providerId);
    if (!profile?.requiresKey) return;
    if (!(await this.deps.secrets.hasApiKey(providerId))) this.noKey(providerId);
    else services.clearNotice(`no-key:${providerId}`);
  }

  /**
   * A turn failed with `auth`. Keyless profiles (local servers) never get a "no key" banner; a
   * profile with a key set was refused by the server, which is said as such.
   */
  private async onAuthFailure(providerId: string, detail: string): Promise<void> {
    // The key was not sent (the user said no to another host): the turn's error says so; no "Set key".
    if (this.deps.secrets.withheld?.(providerId)) return;
    const profile = this.deps.services().profile(providerId);
    // VS Code's language models take no key: their consent error and its hint are in the transcript.
    if (profile?.kind === 'vscode-lm') return;
    const hasKey = await this.deps.secrets.hasApiKey(providerId);
    if (profile?.requiresKey && !hasKey) { this.noKey(providerId, detail); return; }
    const label = profile?.label ?? providerId;
    this.deps.logger.warn(`${label} refused the request: ${detail}`);
    if (this.deps.viewVisible?.()) return; // the failed turn's card says it, with "Set API key"
    const pick = await this.deps.showError(`${label} refused the credentials: ${detail}`, 'Set key');
    if (pick) await this.deps.runAction('setApiKey', providerId);
  }

  private noKey(providerId: string, detail?: string): void {
    const services = this.deps.services();
    const profile = services.profile(providerId) ?? { id: providerId, label: providerId };
    const notice = noKeyNotice(profile);
    services.clearNotice(notice.id); // one place: never a banner beside the form's or the card's own "Set key"
    this.deps.logger.warn(`${notice.message}${detail ? ` (${detail})` : ''}`);
    if (this.deps.viewVisible?.()) return;
    void Promise.resolve(this.deps.showError(`No API key for ${profile.label}.`, 'Set key')).then((pick) => {
      if (pick) void this.deps.runAction('setApiKey', providerId);
    });
  }
}
