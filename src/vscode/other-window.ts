/**
 * The two host actions of a session's storage notices: "Open in the other window" (a session
 * another window writes) and "Export the raw log" (e.g. of a damaged session).
 */
import * as vscode from 'vscode';
import { describeWriter } from '../core/session/read-only';
import type { ExtensionHost } from './host';

/** VS Code's window switcher (desktop only): the closest an extension gets to focusing another window. */
const SWITCH_WINDOW = 'workbench.action.quickSwitchWindow';

/**
 * Points the user at the window that writes the session. VS Code has no API to focus a given
 * window from an extension (microsoft/vscode#99569, #51078); on the desktop its window switcher
 * opens with the message saying which window to pick; in a browser (code-server) the windows are
 * tabs, so the message is all there is.
 */
export async function showOtherWindow(host: ExtensionHost, sessionId: string | undefined): Promise<void> {
  const manager = await host.manager();
  const by = sessionId ? manager.readOnlyBy(sessionId) : undefined;
  const title = sessionId ? manager.list().find((s) => s.id === sessionId)?.title : undefined;
  const what = title ? `"${title}"` : 'This session';
  const where = by ? describeWriter(by) : 'another window on this workspace';
  const desktop = vscode.env.uiKind === vscode.UIKind.Desktop && (await vscode.commands.getCommands(true)).includes(SWITCH_WINDOW);
  if (desktop) {
    void vscode.window.showInformationMessage(`Agent Sessions: ${what} is open in ${where}. Pick that window to continue there.`);
    await vscode.commands.executeCommand(SWITCH_WINDOW);
    return;
  }
  void vscode.window.showInformationMessage(
    `Agent Sessions: ${what} is open in ${where} (another window or browser tab on this workspace). Switch to it to continue there, or take it over here.`,
  );
}

/** Saves a copy of the session's log file as it is on disk (nothing is parsed or repaired). */
export async function exportLog(host: ExtensionHost, sessionId: string): Promise<void> {
  const source = vscode.Uri.file(await host.sessionLogPath(sessionId));
  const title = (await host.manager()).list().find((s) => s.id === sessionId)?.title ?? sessionId;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/');
  const name = `${title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'session'}.jsonl`;
  const target = await vscode.window.showSaveDialog({
    title: 'Export the session log', defaultUri: vscode.Uri.joinPath(base, name), filters: { 'Session log': ['jsonl'] },
  });
  if (!target) return;
  await vscode.workspace.fs.copy(source, target, { overwrite: true });
  host.logger.info(`Exported the log of session ${sessionId} to ${target.fsPath}.`);
  void vscode.window.showInformationMessage(`Agent Sessions: the log of "${title}" was saved to ${target.fsPath}.`);
}
