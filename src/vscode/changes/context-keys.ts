/**
 * Context keys the change ledger's menus depend on: `agentSessions.hasChanges` (some session has
 * changes to review) and `agentSessions.baselineDiff` (the active editor is a diff against a
 * session's baseline: its title bar shows Keep / Undo).
 */
import * as vscode from 'vscode';
import { BASELINE_SCHEME } from './baseline-uri';
import type { ChangesModel } from './changes-model';

export const HAS_CHANGES_KEY = 'agentSessions.hasChanges';
export const BASELINE_DIFF_KEY = 'agentSessions.baselineDiff';

export class ChangesContextKeys implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private readonly values = new Map<string, boolean>();

  constructor(private readonly model: ChangesModel) {
    this.subscriptions = [
      new vscode.Disposable(model.onDidChange(() => this.update()).dispose),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()),
    ];
    this.update();
  }

  private update(): void {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    this.set(BASELINE_DIFF_KEY, input instanceof vscode.TabInputTextDiff && input.original.scheme === BASELINE_SCHEME);
    this.set(HAS_CHANGES_KEY, this.model.all().length > 0);
  }

  private set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const key of this.values.keys()) void vscode.commands.executeCommand('setContext', key, false);
  }
}
