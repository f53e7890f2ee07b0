/** How the user names a file: workspace-relative, with the folder's name in a multi-root workspace. */
import * as vscode from 'vscode';

export function labelOf(absolute: string): string {
  return vscode.workspace.asRelativePath(absolute, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
