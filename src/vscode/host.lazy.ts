/**
 * The extension host proper, built as its own bundle (dist/vendor/host.js) and loaded by the
 * activation shim (extension.ts) on first use: when the view resolves, a panel is revived or a
 * command runs. Provider and MCP SDKs load later still, through their own vendor bundles.
 */
import type * as vscode from 'vscode';
import { commandHandlers, runHostAction } from './commands';
import { ExtensionHost } from './host';
import { changeCommandHandlers } from './changes/commands';
import { worktreeCommandHandlers } from './worktree/commands';

export interface LoadedHost {
  host: ExtensionHost;
  handlers: Map<string, (...args: unknown[]) => Promise<void>>;
}

export function createHost(context: vscode.ExtensionContext): LoadedHost {
  const host: ExtensionHost = new ExtensionHost(context, (action, providerId, sessionId, presetId): Promise<void> => runHostAction(host, action, providerId, sessionId, presetId));
  return { host, handlers: new Map([...commandHandlers(host), ...changeCommandHandlers(host), ...worktreeCommandHandlers(host)]) };
}
