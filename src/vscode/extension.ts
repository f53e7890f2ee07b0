/**
 * Entry point (dist/extension.js). Activation only registers commands, the view provider and the
 * panel serializer; the session manager, store and tools are created on first use, and the
 * provider SDKs load lazily through their vendor bundles. Activation time is measured and logged.
 */
import * as vscode from 'vscode';
import { registerCommands, runHostAction } from './commands';
import { ExtensionHost } from './host';
import { PANEL_TYPE, VIEW_ID } from './webview/surfaces';

let host: ExtensionHost | undefined;

/** Activation time of our own work, ms (read by tests through the exported API). */
export let activationMs = 0;

export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const t0 = performance.now();
  const h: ExtensionHost = new ExtensionHost(context, (action, providerId): Promise<void> => runHostAction(h, action, providerId));
  host = h;
  context.subscriptions.push(
    ...registerCommands(h),
    vscode.window.registerWebviewViewProvider(VIEW_ID, h.view),
    vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, h.panels),
  );
  activationMs = performance.now() - t0;
  h.logger.info(`Activated in ${activationMs.toFixed(2)} ms (extension host work only; manager starts on first use).`);
  return { activationMs };
}

export async function deactivate(): Promise<void> {
  const h = host;
  host = undefined;
  await h?.dispose();
}
