/**
 * Entry point (dist/extension.js): a tiny activation shim. Activation (only onView / onCommand /
 * onWebviewPanel) registers the commands, the view provider and the panel serializer as thin
 * proxies; the real host (dist/vendor/host.js: settings, secrets, session manager, router,
 * webview surfaces) is loaded on the first call through any of them. Activation time is
 * measured and reported in the log once the host has loaded.
 */
import * as vscode from 'vscode';
import { COMMANDS, PANEL_TYPE, VIEW_ID } from './ids';

type HostModule = typeof import('./host.lazy');
type LoadedHost = ReturnType<HostModule['createHost']>;

let loaded: Promise<LoadedHost> | undefined;
let context: vscode.ExtensionContext | undefined;

/** Our own activation work, ms (registration only). */
export let activationMs = 0;

function loadHost(): Promise<LoadedHost> {
  if (!context) return Promise.reject(new Error('Agent Sessions is not active.'));
  const ctx = context;
  if (loaded) return loaded;
  // Measured from the first use: loading and evaluating dist/vendor/host.js dominates, not createHost.
  const t0 = performance.now();
  loaded = import('./host.lazy').then((m) => {
    const t1 = performance.now();
    const h = m.createHost(ctx);
    h.host.logger.info(`Activated in ${activationMs.toFixed(2)} ms (registration only); host bundle loaded on first use in ${(t1 - t0).toFixed(1)} ms, created in ${(performance.now() - t1).toFixed(1)} ms.`);
    return h;
  });
  return loaded;
}

export function activate(ctx: vscode.ExtensionContext): { activationMs: number } {
  const t0 = performance.now();
  context = ctx;
  for (const id of Object.values(COMMANDS)) {
    ctx.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      const h = await loadHost();
      await h.handlers.get(id)?.(...args);
    }));
  }
  ctx.subscriptions.push(
    vscode.window.registerWebviewViewProvider(VIEW_ID, {
      resolveWebviewView: async (view) => (await loadHost()).host.view.resolveWebviewView(view),
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => (await loadHost()).host.panels.deserializeWebviewPanel(panel, state),
    }),
  );
  activationMs = performance.now() - t0;
  return { activationMs };
}

export async function deactivate(): Promise<void> {
  const pending = loaded;
  loaded = undefined;
  context = undefined;
  if (pending) await (await pending).host.dispose();
}
