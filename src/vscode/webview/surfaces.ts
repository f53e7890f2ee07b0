/**
 * The two places the chat UI lives: the sidebar WebviewView and editor-tab WebviewPanels
 * ("Open in Editor Tab"), revived after a reload by a WebviewPanelSerializer. Every one attaches
 * to the same WebviewRouter, so they all show the same live sessions. Each owns one
 * DisposableStore, released when VS Code disposes the webview.
 */
import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../../core/base/disposable';
import type { HostMessage } from '../../shared/protocol';
import { createNonce, renderWebviewHtml } from './html';
import type { WebviewRouter } from './router';

import { PANEL_TYPE } from '../ids';

export { VIEW_ID, PANEL_TYPE } from '../ids';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function setHtml(webview: vscode.Webview, extensionUri: vscode.Uri, surface: 'view' | 'panel'): void {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
    codiconCssUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css')).toString(),
    surface,
  });
}

/** Attaches a webview to the router; returns the store to dispose with the webview. */
function attach(webview: vscode.Webview, router: () => WebviewRouter, label: string): DisposableStore {
  const store = new DisposableStore();
  store.add(router().attach({
    postMessage: (m: HostMessage) => webview.postMessage(m),
    onDidReceiveMessage: (listener) => webview.onDidReceiveMessage(listener),
  }, label));
  return store;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  private current: vscode.WebviewView | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly router: () => WebviewRouter) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.current = view;
    view.webview.options = webviewOptions(this.extensionUri);
    // Attach before setting the HTML, so the webview's first `ready` cannot be missed.
    const store = attach(view.webview, this.router, 'view');
    store.add(toDisposable(() => { if (this.current === view) this.current = undefined; }));
    setHtml(view.webview, this.extensionUri, 'view');
    view.onDidDispose(() => store.dispose());
  }

  get isResolved(): boolean { return this.current !== undefined; }
  /** Whether the sidebar view is on screen now. */
  get isVisible(): boolean { return this.current?.visible ?? false; }
}

/** Editor-tab panels; any number may be open. */
export class ChatPanels implements vscode.WebviewPanelSerializer {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly router: () => WebviewRouter) {}

  /** Opens a new editor tab, or reveals the existing one. */
  open(): vscode.WebviewPanel {
    const existing = [...this.panels][0];
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_TYPE, 'Agent Sessions', vscode.ViewColumn.Active, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: false,
    });
    this.setup(panel);
    return panel;
  }

  /** Called by VS Code after a reload for each panel that was open. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    // The webview keeps its own state (visible tab, closed tabs) through setState; the `ready` it
    // sends after loading names the visible tab, and the host answers with a fresh snapshot.
    panel.webview.options = webviewOptions(this.extensionUri);
    this.setup(panel);
  }

  private setup(panel: vscode.WebviewPanel): void {
    this.panels.add(panel);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    const store = attach(panel.webview, this.router, 'panel');
    store.add(toDisposable(() => this.panels.delete(panel)));
    setHtml(panel.webview, this.extensionUri, 'panel');
    panel.onDidDispose(() => store.dispose());
  }

  get count(): number { return this.panels.size; }
  /** Whether an editor-tab panel is on screen now. */
  get anyVisible(): boolean { return [...this.panels].some((p) => p.visible); }
}
