/** Status-bar item: running sessions and approvals waiting; click focuses the view and the first waiting session. */
import * as vscode from 'vscode';
import type { SessionManagerApi } from '../core/session/api';
import { summarize, type StatusSummary } from './status-summary';

import { COMMANDS } from './ids';

export const FOCUS_WAITING_COMMAND = COMMANDS.focusWaiting;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentSessions.status', vscode.StatusBarAlignment.Right, 100);
  private readonly sub: { dispose(): void };
  private timer: ReturnType<typeof setTimeout> | undefined;
  current: StatusSummary;

  constructor(private readonly manager: SessionManagerApi, _viewId: string) {
    this.item.name = 'Agent Sessions';
    this.item.command = FOCUS_WAITING_COMMAND;
    this.current = this.render();
    this.item.show();
    this.sub = manager.onEvent((e) => {
      if (e.type !== 'session.state' && e.type !== 'session.created' && !e.type.startsWith('approval.') && !e.type.startsWith('turn.')) return;
      this.timer ??= setTimeout(() => { this.timer = undefined; this.current = this.render(); }, 50);
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

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this.item.dispose();
  }
}
