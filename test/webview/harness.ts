/**
 * Runs the real webview bundle in headless Chromium with a fake `acquireVsCodeApi`: the test
 * sees every message the webview posts and pushes host messages in. Every network request
 * the page makes is routed: the page and bundle are served from memory, anything else is
 * recorded (and aborted) so tests can assert that nothing was fetched.
 */
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostMessage, OpenedSession, SessionSummary, WebviewMessage } from '../../src/shared/protocol';
import type { SessionConfig, SessionSnapshot, SessionState } from '../../src/shared/session';
import type { TranscriptRecord } from '../../src/shared/transcript';

// Tests run from the repository root (npm test, node --test from the root).
const root = process.cwd();
const ORIGIN = 'http://webview.test';

let bundle: Promise<string> | undefined;
/** Builds webview-ui/src/main.ts in memory (once per process). */
export function buildBundle(): Promise<string> {
  bundle ??= esbuild.build({
    entryPoints: [join(root, 'webview-ui/src/main.ts')], bundle: true, write: false, format: 'esm',
    platform: 'browser', target: 'es2022', logLevel: 'silent', sourcemap: 'inline',
  }).then((r) => r.outputFiles[0].text);
  return bundle;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Like the real host page (src/vscode/webview/html.ts): strict script/style CSP with a nonce (no
 * inline script, no inline style attributes), codicon.css linked with the id vscode-elements looks
 * for, and its font allowed only from the page's own origin (`font-src ${cspSource}`). Images,
 * frames and media are deliberately allowed here so that the sanitiser, not the CSP, is what the
 * "no network" tests exercise. Trusted Types are required as in the real page, so every component
 * test also proves that no string reaches a DOM sink.
 */
const CSP = `default-src 'none'; script-src 'nonce-t3st'; style-src ${ORIGIN} 'nonce-t3st'; font-src ${ORIGIN}; img-src http: https:; media-src http: https:; frame-src http: https:; connect-src 'none'; require-trusted-types-for 'script'; trusted-types lit-html dompurify`;
const pageWith = (csp: string): string => `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/codicon.css" id="vscode-codicon-stylesheet">
<style nonce="t3st">body { margin: 0; --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-foreground: #ccc; }</style>
</head><body><script type="module" nonce="t3st" src="/webview.js"></script></body></html>`;
const PAGE = pageWith(CSP);

/** The same files scripts/build.mjs copies to dist/. */
const codiconDir = join(root, 'node_modules/@vscode/codicons/dist');
const codiconCss = readFileSync(join(codiconDir, 'codicon.css'));
const codiconTtf = readFileSync(join(codiconDir, 'codicon.ttf'));

export interface WebviewPage {
  page: Page;
  /** URLs the page tried to fetch beyond the page and bundle. */
  external: string[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  /** Messages the webview posted, in order. */
  posted(): Promise<WebviewMessage[]>;
  /** Waits until the webview posted a message matching `pred` (checked in Node). */
  waitForPosted<T extends WebviewMessage>(pred: (m: WebviewMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitForRequest<M extends string>(method: M, timeoutMs?: number): Promise<Extract<WebviewMessage, { kind: 'request' }> & { method: M }>;
  push(message: HostMessage): Promise<void>;
  reply(id: string, result: unknown): Promise<void>;
  state(): Promise<unknown>;
  /** How many times the webview called setState. */
  stateWrites(): Promise<number>;
}

/**
 * Opens the webview page; `initialState` is what `getState()` returns (a revived view).
 * `options.csp` replaces the page's CSP (e.g. the host's real one, nonce `t3st`, origin http://webview.test).
 */
export async function openWebview(browser: Browser, initialState?: unknown, options: { csp?: string } = {}): Promise<WebviewPage> {
  const js = await buildBundle();
  const html = options.csp === undefined ? PAGE : pageWith(options.csp);
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const external: string[] = [];
  page.on('pageerror', (err) => { console.error('page error:', err.message); });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/`) return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    if (url === `${ORIGIN}/webview.js`) return route.fulfill({ status: 200, contentType: 'text/javascript', body: js });
    if (url === `${ORIGIN}/codicon.css`) return route.fulfill({ status: 200, contentType: 'text/css', body: codiconCss });
    if (url.startsWith(`${ORIGIN}/codicon.ttf`)) return route.fulfill({ status: 200, contentType: 'font/ttf', body: codiconTtf });
    external.push(url);
    return route.abort();
  });
  // A string, not a function: tsx would inject its `__name` helper into a function's source.
  await page.addInitScript(`(() => {
    const posted = [];
    let saved = ${JSON.stringify(initialState ?? null)};
    window.__posted = posted;
    let writes = 0;
    window.__state = () => saved;
    window.__stateWrites = () => writes;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => saved,
      setState: (s) => { writes++; saved = JSON.parse(JSON.stringify(s)); },
    });
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + (e.target && e.target.outerHTML ? ' ' + String(e.target.outerHTML).slice(0, 120) : '') + ' ' + e.sourceFile + ':' + e.lineNumber));
    window.__push = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));
  })();`);
  await page.goto(`${ORIGIN}/`);
  const posted = (): Promise<WebviewMessage[]> => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
  const waitForPosted = async <T extends WebviewMessage>(pred: (m: WebviewMessage) => m is T, timeoutMs = 5000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await posted()).find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for a posted message; got ${JSON.stringify(await posted()).slice(0, 1500)}`);
      await page.waitForTimeout(20);
    }
  };
  return {
    page, external, posted, waitForPosted,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    waitForRequest: <M extends string>(method: M, timeoutMs?: number) => waitForPosted(
      (m): m is Extract<WebviewMessage, { kind: 'request' }> & { method: M } => m.kind === 'request' && m.method === method, timeoutMs),
    push: (message) => page.evaluate((m) => { (window as unknown as { __push(m: unknown): void }).__push(m); }, message),
    reply: (id, result) => page.evaluate((m) => { (window as unknown as { __push(m: unknown): void }).__push(m); }, { kind: 'reply', id, ok: true, result }),
    state: () => page.evaluate(() => (window as unknown as { __state(): unknown }).__state()),
    stateWrites: () => page.evaluate(() => (window as unknown as { __stateWrites(): number }).__stateWrites()),
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

export const config: SessionConfig = {
  providerId: 'openai', providerKind: 'openai', model: 'gpt-test', autoCompact: true, autoCompactThreshold: 0.8,
  mode: 'ask', rules: [], maxToolRounds: 50,
};

export function snapshot(id: string, over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    id, title: `Session ${id}`, createdAt: 1, updatedAt: 2, config, state: 'idle', paused: false, lastSeq: 10, queue: [], pendingApprovals: [], tasks: [],
    context: { tokens: 12_345, window: 128_000, fraction: 12_345 / 128_000 }, meter: { base: 12_345, added: 0 }, requests: 1,
    totals: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null }, messageCount: 0, children: [], changes: [], ...over,
  };
}

export function summary(s: SessionSnapshot): SessionSummary {
  return { id: s.id, title: s.title, parentId: s.parentId, createdAt: s.createdAt, updatedAt: s.updatedAt, lastSeq: s.lastSeq, messageCount: s.messageCount, state: s.state, providerId: s.config.providerId, model: s.config.model };
}

/**
 * A session as the host opens it. A pending approval's tool call has its record waiting on it,
 * as core's fold gives it (added here when `entries` leave it out).
 */
export function opened(s: SessionSnapshot, entries: TranscriptRecord[] = [], hasMore = false): OpenedSession {
  const cards: TranscriptRecord[] = s.pendingApprovals.filter((a) => !entries.some((r) => r.key === `tool:${a.callId}`)).map((a) => ({
    kind: 'tool', key: `tool:${a.callId}`, seq: s.lastSeq, callId: a.callId, name: a.toolName, args: a.args, status: 'awaiting_approval', output: '', approval: a,
  }));
  return { snapshot: s, entries: [...entries, ...cards], hasMore, lastSeq: s.lastSeq };
}

export function snapshotMessage(sessions: SessionSnapshot[], open: OpenedSession[], visibleSessionId?: string, trusted = true): HostMessage {
  return {
    kind: 'snapshot', protocolVersion: 1, sessions: sessions.map(summary), opened: open, visibleSessionId,
    host: { protocolVersion: 1, workspaceTrusted: trusted, notices: [] },
    providers: [{ id: 'openai', label: 'OpenAI', kind: 'openai', models: [{ id: 'gpt-test' }, { id: 'gpt-other' }], requiresKey: true, hasKey: true }],
  };
}

/**
 * The snapshot in `state`, consistent with what the fold derives it from (a turn `t1` for a
 * running, waiting or paused session; the pause; a failed last turn), so live events folded on
 * top keep it.
 */
export function withState(s: SessionSnapshot, state: SessionState): SessionSnapshot {
  const turn = { turnId: 't1', userMessageId: 'u1', rounds: 1, openCalls: [], config: s.config, used: { tokens: 0, costUsd: 0 } };
  const open = state === 'running' || state === 'awaiting_approval' || state === 'paused';
  return {
    ...s, state, paused: state === 'paused', ...(open ? { turn } : {}),
    ...(state === 'error' ? { outcome: 'error' as const, lastError: s.lastError ?? { code: 'network', message: 'Connection failed', retryable: true } } : {}),
  };
}
