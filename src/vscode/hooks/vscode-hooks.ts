/**
 * The workspace hooks' VS Code ports: file watchers over the settings files, the approval modal
 * over `showWarningMessage`, answers in `workspaceState`.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { VsCodeFileWatcher } from '../knowledge/file-watcher';
import { WorkspaceHooksHost } from './workspace-hooks-host';

export function createVsCodeHooks(context: vscode.ExtensionContext, folders: readonly string[], logger: Logger): WorkspaceHooksHost {
  return new WorkspaceHooksHost({
    folders,
    watcher: new VsCodeFileWatcher((base, pattern) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern))),
    showModalWarning: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    workspaceState: context.workspaceState,
    logger,
  });
}
