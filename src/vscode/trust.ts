/**
 * Workspace Trust. In restricted mode run_command, workspace MCP servers, workspace skills, rules
 * files and workspace settings that decide what runs or is allowed (settings.ts RESTRICTED_SETTINGS)
 * are off; the webview shows why and offers "Trust workspace".
 * Pure: the host passes VS Code's trust state and its grant event.
 */
import { Emitter, type Event } from '../core/base/emitter';
import { Disposable, type IDisposable } from '../core/base/disposable';
import type { HostNotice } from '../shared/protocol';

export const UNTRUSTED_REASON =
  'This workspace is in Restricted Mode: running commands, workspace MCP servers, workspace skills, rules files (AGENTS.md and the like) and workspace permission rules are off. Trust the workspace to turn them on.';

export const UNTRUSTED_NOTICE: HostNotice = {
  id: 'workspace-untrusted',
  severity: 'warning',
  message: UNTRUSTED_REASON,
  action: { label: 'Trust workspace', action: 'trustWorkspace' },
};

export interface TrustPort {
  readonly isTrusted: boolean;
  onDidGrantWorkspaceTrust(listener: () => void): IDisposable;
}

export class WorkspaceTrustState extends Disposable {
  private readonly changed = this._register(new Emitter<boolean>());
  /** Fires with the new state (VS Code only ever grants trust while running; revoking reloads the window). */
  readonly onDidChange: Event<boolean> = this.changed.event;
  private trusted: boolean;

  constructor(port: TrustPort) {
    super();
    this.trusted = port.isTrusted;
    this._register(port.onDidGrantWorkspaceTrust(() => {
      if (this.trusted) return;
      this.trusted = true;
      this.changed.fire(true);
    }));
  }

  get isTrusted(): boolean { return this.trusted; }
}
