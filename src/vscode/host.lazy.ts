/**
 * Entry point (dist/extension.js). Activation (only onView / onCommand / onWebviewPanel) registers
 * commands, the view provider and the panel serializer; the session manager, store and tools are
 * created on first use, and provider SDKs load lazily through their vendor bundles.
 * Activation time is measured and logged.
 */
import * as vscode from 'vscode';
import { commandHandlers, runHostAction } from './commands';
import { ExtensionHost } from './host';
import { PANEL_TYPE, VIEW_ID } from './ids';

let host: ExtensionHost | undefined;

/** Our own activation work, ms. */
export let activationMs = 0;

export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const t0 = performance.now();
  const h: ExtensionHost = new ExtensionHost(context, (action, providerId): Promise<void> => runHostAction(h, action, providerId));
  host = h;
  for (const [id, fn] of commandHandlers(h)) context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(VIEW_ID, h.view),
    vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, h.panels),
  );
  activationMs = performance.now() - t0;
  h.logger.info(`Activated in ${activationMs.toFixed(2)} ms (registration only; the session manager starts on first use).`);
  return { activationMs };
}

export async function deactivate(): Promise<void> {
  const h = host;
  host = undefined;
  await h?.dispose();
}
