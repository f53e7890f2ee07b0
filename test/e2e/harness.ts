// End-to-end harness: a real VS Code (code-server, see scripts/code-server.mjs) driven through
// its real UI by Debian's Chromium with playwright-core. For node:test files:
//
//   const vs = await launchVsCode({ name: 'my-flow', vsix });      // in before()
//   await vs.guard(async () => { await vs.runCommand('…'); … });   // dumps logs on failure
//   await vs.close();                                              // in after()
//
// Waits on conditions (selectors, files, HTTP), never on fixed sleeps. Screenshots go to
// test-results/e2e/<name>/NN-step.png. Every process started here is ended by close(), and on
// SIGINT/SIGTERM/exit as a last resort.
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, installExtension, killTreeNow, serve, waitFor, type Served } from '../../scripts/code-server.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why these tests cannot run on this system at all, or false. Anything else must fail, not skip. */
export function e2eSkipReason(): string | false {
  if (process.platform !== 'linux') return `end-to-end tests need Linux (code-server and Chromium are installed from npm/Debian; this is ${process.platform})`;
  return false;
}

export interface LaunchOptions {
  /** Names the artefact folder test-results/e2e/<name>/. */
  name: string;
  /** A VSIX to install into the fresh extensions folder. */
  vsix?: string;
  /** The folder to open; it is copied first so tests never change the repo. Default: playground/. */
  folder?: string;
  /** false: restricted mode (workspace trust stays on and the folder is not trusted). Default true. */
  trust?: boolean;
  /** Extra user settings (settings.json). */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** More VSIXs (test-only extensions) installed into the same fresh extensions folder. */
  extraVsix?: string[];
  /** More code-server arguments (e.g. `--enable-proposed-api <publisher.name>`). */
  serverArgs?: string[];
}

export interface Timings { installSeconds: number; installedNow: boolean; serverStartMs: number; workbenchMs: number }

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

const live = new Set<VsCode>();

/** Starts code-server with a fresh user-data dir (and the VSIX installed), opens the folder in Chromium. */
export async function launchVsCode(o: LaunchOptions): Promise<VsCode> {
  const install = await ensureCodeServer();
  const artefacts = join(repoRoot, 'test-results/e2e', o.name);
  rmSync(artefacts, { recursive: true, force: true });
  mkdirSync(artefacts, { recursive: true });
  const run = mkdtempSync(join(tmpdir(), `agent-sessions-e2e-${o.name}-`));
  const dirs = { userDataDir: join(run, 'user-data'), extensionsDir: join(run, 'extensions'), workspace: join(run, 'workspace') };
  cpSync(o.folder ?? join(repoRoot, 'playground'), dirs.workspace, { recursive: true });
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(dirs.userDataDir, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...o.settings }, null, 2));
  if (o.vsix) installExtension(o.vsix, dirs);
  for (const extra of o.extraVsix ?? []) installExtension(extra, dirs);

  const vs = new VsCode(o.name, artefacts, run, dirs);
  live.add(vs);
  try {
    let t = Date.now();
    vs.server = await serve({ folder: dirs.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, trust: o.trust !== false, env: o.env, ...(o.serverArgs ? { extraArgs: o.serverArgs } : {}) });
    const serverStartMs = Date.now() - t;
    t = Date.now();
    vs.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await vs.browser.newContext({ viewport: { width: 1400, height: 900 } });
    vs.page = await context.newPage();
    vs.page.on('pageerror', (e) => vs.note(`page error: ${e.message}`));
    await vs.page.goto(vs.server.url);
    await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    vs.timings = { installSeconds: install.seconds, installedNow: install.installedNow, serverStartMs, workbenchMs: Date.now() - t };
    console.log(`[e2e:${o.name}] code-server ${install.installedNow ? `installed in ${install.seconds.toFixed(0)} s` : 'cached'}; server up in ${serverStartMs} ms; workbench in ${vs.timings.workbenchMs} ms`);
    console.log(`[e2e:${o.name}] extension-host log: ${join(dirs.userDataDir, 'logs/*/exthost*/remoteexthost.log')}`);
    return vs;
  } catch (e) {
    vs.dumpLogs();
    await vs.close();
    throw e;
  }
}

/** One running VS Code: its page, server, folders and the helpers tests use. */
export class VsCode {
  server?: Served;
  browser?: Browser;
  private pageOrUndefined?: Page;
  timings?: Timings;
  private shots = 0;
  private notes: string[] = [];
  private closed = false;

  constructor(
    readonly name: string,
    readonly artefacts: string,
    private readonly runDir: string,
    readonly dirs: { userDataDir: string; extensionsDir: string; workspace: string },
  ) {}

  get page(): Page {
    if (!this.pageOrUndefined) throw new Error('VS Code page not open');
    return this.pageOrUndefined;
  }
  set page(p: Page) { this.pageOrUndefined = p; }

  note(msg: string): void { this.notes.push(msg); }

  /** Runs a command by its palette title (e.g. "Agent Sessions: New Session") through F1. */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const page = this.page;
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    // The palette lists the commands known when it opens; right after start-up the remote
    // extension host may not have registered ours yet, so reopen it until the row shows.
    await waitFor(async () => {
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden' });
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      return row.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false);
    }, timeoutMs, `command "${title}" in the palette`);
    await row.click();
    // The palette closes — unless the command opens its own quick input at once (a QuickPick or
    // an InputBox reuses the same widget), whose value no longer starts with '>'.
    await waitFor(async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'), timeoutMs, `the palette to close after "${title}"`);
  }

  /**
   * Restricted-mode runs: VS Code asks whether to trust the folder's authors in a modal dialog.
   * Answer "No" (stay restricted); returns false when no dialog came within `timeoutMs`.
   */
  async dismissTrustPrompt(timeoutMs = 15_000): Promise<boolean> {
    const button = this.page.locator('.monaco-dialog-box').getByRole('button', { name: /No, I don't trust/i });
    const shown = await button.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => true, () => false);
    if (shown) {
      await button.click();
      await button.waitFor({ state: 'hidden' });
    }
    return shown;
  }

  /** Waits until the extension host log shows `extensionId` activated (e.g. 'agent-sessions.agent-sessions'). */
  async waitForActivation(extensionId: string, timeoutMs = 30_000): Promise<void> {
    const needle = `_doActivateExtension ${extensionId},`;
    await waitFor(() => this.exthostLogs().some((f) => readFileSync(f, 'utf8').includes(needle)), timeoutMs, `activation of ${extensionId}`);
  }

  /**
   * The content of a webview (two iframes deep). With `containing`, the first webview whose
   * document has a matching element; otherwise the nth (default 0).
   */
  async webview(opts: { containing?: string; nth?: number; timeoutMs?: number } = {}): Promise<FrameLocator> {
    const outer = this.page.locator('iframe.webview.ready');
    const inner = (i: number) => this.page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
    if (!opts.containing) {
      await outer.nth(opts.nth ?? 0).waitFor({ state: 'attached', timeout: opts.timeoutMs ?? 30_000 });
      return inner(opts.nth ?? 0);
    }
    const selector = opts.containing;
    return waitFor(async () => {
      const n = await outer.count();
      for (let i = 0; i < n; i++) {
        if ((await inner(i).locator(selector).count()) > 0) return inner(i);
      }
      return undefined;
    }, opts.timeoutMs ?? 30_000, `a webview containing ${selector}`);
  }

  /** Saves test-results/e2e/<name>/NN-<step>.png and returns its path. */
  async screenshot(step: string): Promise<string> {
    this.shots += 1;
    const file = join(this.artefacts, `${String(this.shots).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Reloads the window (like "Developer: Reload Window") and waits for the workbench. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  /** A file in the opened workspace, or undefined when it does not exist. */
  readWorkspaceFile(rel: string): string | undefined {
    const p = join(this.dirs.workspace, rel);
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  }

  /** Waits until the workspace file exists and `accept` (default: any content) holds. */
  waitForWorkspaceFile(rel: string, accept: (text: string) => boolean = () => true, timeoutMs = 15_000): Promise<string> {
    return waitFor(() => {
      const t = this.readWorkspaceFile(rel);
      return t !== undefined && accept(t) ? t : undefined;
    }, timeoutMs, `workspace file ${rel}`);
  }

  /** Paths of the remote extension-host logs (newest session last). */
  exthostLogs(): string[] {
    const logs = join(this.dirs.userDataDir, 'logs');
    if (!existsSync(logs)) return [];
    const out: string[] = [];
    for (const session of readdirSync(logs).sort()) {
      const dir = join(logs, session);
      for (const sub of existsSync(dir) ? readdirSync(dir).filter((d) => d.startsWith('exthost')).sort() : []) {
        const f = join(dir, sub, 'remoteexthost.log');
        if (existsSync(f)) out.push(f);
      }
    }
    return out;
  }

  /** Prints where the logs are and the tail of the extension-host log, server output and notes. */
  dumpLogs(lines = 60): void {
    const tail = (text: string) => text.split('\n').slice(-lines).join('\n');
    for (const f of this.exthostLogs()) console.error(`--- ${f} (last ${lines} lines) ---\n${tail(readFileSync(f, 'utf8'))}`);
    if (this.server) console.error(`--- code-server output (tail) ---\n${tail(this.server.output())}`);
    if (this.notes.length) console.error(`--- browser notes ---\n${this.notes.slice(-lines).join('\n')}`);
  }

  /** Runs `fn`; on failure saves a screenshot and dumps the logs, then rethrows. */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (this.pageOrUndefined) await this.screenshot('failure').catch(() => { /* the page may be gone */ });
      this.dumpLogs();
      throw e;
    }
  }

  /** Ends the browser and every server process; removes the temporary folders (E2E_KEEP=1 keeps them). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.browser?.close().catch(() => { /* already gone */ });
    await this.server?.stop();
    live.delete(this); // only now: until the server is gone, the 'exit' handler still covers it
    if (process.env.E2E_KEEP !== '1') rmSync(this.runDir, { recursive: true, force: true });
    else console.log(`[e2e:${this.name}] kept ${this.runDir}`);
  }

  /** Synchronous last resort for process exit: kill the server and everything it started. */
  killNow(): void {
    const pid = this.server?.process.pid;
    if (pid) killTreeNow(pid);
  }
}

async function closeAll(): Promise<void> {
  await Promise.all([...live].map((v) => v.close()));
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void closeAll().finally(() => process.exit(130)); });
}
process.once('exit', () => { for (const v of live) v.killNow(); });
