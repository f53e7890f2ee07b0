/**
 * "View diff" for file-edit approvals: VS Code's diff editor with the file on disk on the left and
 * the proposed content (a read-only virtual document) on the right. Approve / Deny are editor-title
 * actions there too (menus `when resourceScheme == agent-sessions-proposed`).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { AgentError } from '../core/base/errors';
import type { PendingApprovalInfo } from '../shared/session';
import type { ProposedEdit } from './proposed-edit';

export const PROPOSED_SCHEME = 'agent-sessions-proposed';

export interface ApprovalRef { sessionId: string; approvalId: string }

export class DiffApprovals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly propose: (approval: PendingApprovalInfo) => Promise<ProposedEdit | undefined>) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.query) ?? '';
  }

  async open(approval: PendingApprovalInfo): Promise<void> {
    const edit = await this.propose(approval);
    if (!edit) throw new AgentError('bad_request', `"${approval.toolName}" is not a file edit; there is no diff to show.`);
    const key = new URLSearchParams({ session: approval.sessionId, approval: approval.id }).toString();
    this.contents.set(key, edit.after);
    const name = basename(edit.path);
    const right = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${name}`, query: key });
    let left: vscode.Uri;
    if (existsSync(edit.path)) {
      left = vscode.Uri.file(edit.path);
    } else {
      const emptyKey = `${key}&side=before`;
      this.contents.set(emptyKey, edit.before);
      left = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${name}`, query: emptyKey });
    }
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: current ↔ proposed (${approval.toolName})`, { preview: true });
  }

  /** Which approval a proposed-side URI belongs to (for the editor-title Approve / Deny). */
  static refOf(uri: vscode.Uri | undefined): ApprovalRef | undefined {
    if (!uri || uri.scheme !== PROPOSED_SCHEME) return undefined;
    const q = new URLSearchParams(uri.query);
    const sessionId = q.get('session');
    const approvalId = q.get('approval');
    return sessionId && approvalId ? { sessionId, approvalId } : undefined;
  }

  /** The approval was resolved (anywhere): drop its content and close its diff tabs. */
  async closeFor(approvalId: string): Promise<void> {
    for (const key of [...this.contents.keys()]) if (new URLSearchParams(key).get('approval') === approvalId) this.contents.delete(key);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
      t.input instanceof vscode.TabInputTextDiff && DiffApprovals.refOf(t.input.modified)?.approvalId === approvalId);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
