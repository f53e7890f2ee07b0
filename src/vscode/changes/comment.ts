/**
 * "Comment to Session" (editor context menu, also in the diff editor): the selected lines and a
 * comment go to a session as its next prompt (queued while it runs). The session is the one
 * that changed this file (asked when several did), else the usual "which session?" pick.
 */
import * as vscode from 'vscode';
import type { SessionManagerApi } from '../../core/session/api';
import type { FocusTracker } from '../focus';
import { pickSession } from '../session-picker';
import { parseBaselineUri } from './baseline-uri';
import type { ChangesModel } from './changes-model';
import { commentPrompt } from './comment-text';
import { labelOf } from './labels';

export interface CommentDeps {
  manager: SessionManagerApi;
  model: ChangesModel;
  focus: FocusTracker;
  /** Shows the session in the chat view. */
  reveal(sessionId: string): Promise<void>;
}

/** The top-level sessions that changed `path` (a child's change is commented to its parent, which drives it). */
async function sessionFor(deps: CommentDeps, path: string | undefined, fromBaseline: string | undefined): Promise<string | undefined> {
  if (fromBaseline) return deps.model.rootOf(fromBaseline);
  const roots = [...new Map((path ? deps.model.rowsFor(path) : []).map((r) => [r.root.sessionId, r.root])).values()];
  if (roots.length === 1) return roots[0]!.sessionId;
  if (roots.length > 1) {
    const focused = deps.focus.focused;
    if (focused && roots.some((r) => r.sessionId === focused)) return focused;
    const pick = await vscode.window.showQuickPick(roots.map((r) => ({ label: r.title, id: r.sessionId })), { title: 'Comment to session', placeHolder: 'These sessions changed this file' });
    return pick?.id;
  }
  return pickSession(deps.manager, deps.focus, 'Comment to session');
}

export async function commentToSession(deps: CommentDeps, editor = vscode.window.activeTextEditor): Promise<void> {
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Agent Sessions: select the lines to comment on first.');
    return;
  }
  const doc = editor.document;
  const base = parseBaselineUri(doc.uri);
  const path = base?.path ?? (doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined);
  const label = path ? labelOf(path) : vscode.workspace.asRelativePath(doc.uri);
  const sessionId = await sessionFor(deps, path, base?.sessionId);
  if (!sessionId) return;
  const title = deps.manager.list().find((s) => s.id === sessionId)?.title ?? sessionId;

  const sel = editor.selection;
  const startLine = sel.start.line;
  // A selection ending at the start of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > startLine ? sel.end.line - 1 : sel.end.line;
  const where = startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
  const comment = await vscode.window.showInputBox({
    title: `Comment to "${title}"`, prompt: `On ${label} ${where}${base ? ' (before the session\'s change)' : ''}`,
    placeHolder: 'What should the session do about these lines?', ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Write a comment first'),
  });
  if (!comment?.trim()) return;
  const lines = doc.getText(new vscode.Range(startLine, 0, endLine, doc.lineAt(endLine).text.length));
  const text = commentPrompt({ label: base ? `${label} (before the change)` : label, startLine: startLine + 1, endLine: endLine + 1, lines, comment });
  const sent = await deps.manager.send(sessionId, text);
  void vscode.window.showInformationMessage(`Agent Sessions: comment ${sent.queued ? 'queued for' : 'sent to'} "${title}".`, 'Show Session').then((pick) => {
    if (pick) void deps.reveal(sessionId);
  });
}
