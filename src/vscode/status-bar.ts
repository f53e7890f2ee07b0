/**
 * Status-bar items: running sessions and approvals waiting (click focuses the view and the first
 * waiting session), and, when there are any, sessions with unreviewed changes (click: Show Changes).
 */
import * as vscode from 'vscode';
import type { SessionManagerApi } from '../core/session/api';
import type { SessionEventType } from '../shared/events';
import { summarize, summarizeChanges, type ChangesSummary, type StatusSummary } from './status-summary';

import { COMMANDS } from './ids';

export const FOCUS_WAITING_COMMAND = COMMANDS.focusWaiting;

/** Events that change the changes item's count. */
const CHANGE_EVENTS: ReadonlySet<SessionEventType> = new Set(['file.changed', 'changes.kept', 'restore.completed', 'session.created']);

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentSessions.status', vscode.StatusBarAlignment.Right, 100);
  private readonly changesItem = vscode.window.createStatusBarItem('agentSessions.changes', vscode.StatusBarAlignment.Right, 99);
  private readonly sub: { dispose(): void };
  private timer: ReturnType<typeof setTimeout> | undefined;
  current: StatusSummary;
  changes: ChangesSummary;

  constructor(private readonly manager: SessionManagerApi, _viewId: string) {
    this.item.name = 'Agent Sessions';
    this.item.command = FOCUS_WAITING_COMMAND;
    this.changesItem.name = 'Agent Sessions: Changes';
    this.current = this.render();
    this.changes = this.renderChanges();
    this.item.show();
    this.sub = manager.onEvent((e) => {
      const changes = CHANGE_EVENTS.has(e.type);
      if (!changes && e.type !== 'session.state' && !e.type.startsWith('approval.') && !e.type.startsWith('turn.')) return;
      this.timer ??= setTimeout(() => { this.timer = undefined; this.current = this.render(); this.changes = this.renderChanges(); }, 50);
    });
  }

  private render(): StatusSummary {
    const s = summarize(this.manager.list());
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.accessibilityInformation = { label: s.tooltip, role: 'button' };
    this.item.backgroundColor = s.waiting > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    return s;
  }

  private renderChanges(): ChangesSummary {
    const s = summarizeChanges(this.manager.list(), (row) => this.manager.get(row.id)?.changes.length ?? row.changedFiles ?? 0);
    this.changesItem.text = s.text;
    this.changesItem.tooltip = s.tooltip;
    this.changesItem.accessibilityInformation = { label: s.tooltip, role: 'button' };
    this.changesItem.command = { command: COMMANDS.showChanges, title: 'Show Changes', arguments: s.target !== undefined ? [s.target] : [] };
    if (s.sessions > 0) this.changesItem.show();
    else this.changesItem.hide();
    return s;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this.item.dispose();
    this.changesItem.dispose();
  }
}
