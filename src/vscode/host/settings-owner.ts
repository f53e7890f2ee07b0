/**
 * The extension's settings, read once and cached until they change: a change of the
 * `agentSessions.*` configuration or of workspace trust (the restricted settings' workspace
 * values apply once trusted) re-reads them and fires `onDidChange` when anything differs.
 * Problems in the settings are logged and shown once per read, with "Open Settings".
 */
import * as vscode from 'vscode';
import { Disposable } from '../../core/base/disposable';
import { Emitter } from '../../core/base/emitter';
import type { Logger } from '../../core/ports';
import { formatProblem, readSettings, SECTION, settingsEqual, type SettingKey, type SettingsRead } from '../settings';
import type { WorkspaceTrustState } from '../trust';

export interface SettingsChange {
  /** The settings before (undefined when they had not been read yet). */
  before: SettingsRead | undefined;
  now: SettingsRead;
}

export class SettingsOwner extends Disposable {
  private cache: SettingsRead | undefined;
  private readonly changed = this._register(new Emitter<SettingsChange>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly trust: WorkspaceTrustState, private readonly logger: Logger) {
    super();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) this.reload(); }));
  }

  read(): SettingsRead {
    if (!this.cache) {
      const config = vscode.workspace.getConfiguration(SECTION);
      this.cache = readSettings((key: SettingKey) => config.inspect(key), { trusted: this.trust.isTrusted });
      this.reportProblems(this.cache);
      const ignored = this.cache.ignoredUntrusted;
      if (ignored.length > 0) this.logger.info(`Restricted Mode: the workspace values of ${ignored.join(', ')} are ignored until the workspace is trusted.`);
    }
    return this.cache;
  }

  /** Re-reads now (e.g. trust was granted); fires `onDidChange` unless nothing changed. */
  reload(): void {
    const before = this.cache;
    this.cache = undefined;
    const now = this.read();
    if (before && settingsEqual(before, now)) return;
    this.changed.fire({ before, now });
  }

  private reportProblems(read: SettingsRead): void {
    for (const p of read.problems) {
      const text = formatProblem(p);
      this.logger.warn(text);
      void vscode.window.showWarningMessage(text, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
      });
    }
  }
}
