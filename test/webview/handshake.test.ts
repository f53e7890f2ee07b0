/**
 * The real host side (WebviewRouter + Connection, fake manager and services) wired to the real
 * webview bundle in Chromium: whatever the page posts reaches the connection, whatever the
 * connection posts reaches the page.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { WebviewRouter } from '../../src/vscode/webview/router';
import type { HostMessage, ProviderProfileInfo } from '../../src/shared/protocol';
import type { WebviewPort } from '../../src/vscode/webview/ports';
import { FakeManager, FakeServices } from '../unit/vscode/fakes';
import { launch, openWebview, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** Host services whose provider list waits for `release` (the handshake is held there). */
class HeldServices extends FakeServices {
  private releaseFn!: () => void;
  private readonly held = new Promise<void>((resolve) => { this.releaseFn = resolve; });
  private askedFn!: () => void;
  /** Resolves when the connection asked for providers, i.e. it is inside its handshake. */
  readonly asked = new Promise<void>((resolve) => { this.askedFn = resolve; });
  release(): void { this.releaseFn(); }
  override async providers(): Promise<ProviderProfileInfo[]> {
    this.askedFn();
    await this.held;
    return super.providers();
  }
}

interface Bridge {
  port: WebviewPort;
  /** Relays the page's posted messages to the connection until `stop` (call after attach). */
  start(): Promise<void>;
  stop(): void;
}

/** The page as a WebviewPort; relaying waits in the page for a new message, not on a clock. */
function bridge(w: WebviewPage): Bridge {
  const listeners = new Set<(m: unknown) => void>();
  let stopped = false;
  return {
    port: {
      postMessage: async (m: HostMessage) => { if (!stopped) await w.push(m); return true; },
      onDidReceiveMessage: (l) => { listeners.add(l); return { dispose: () => { listeners.delete(l); } }; },
    },
    start: async () => {
      let seen = 0;
      while (!stopped) {
        try {
          await w.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, seen, { polling: 'raf', timeout: 0 });
        } catch {
          return; // the page closed: nothing more to relay
        }
        const all = await w.posted();
        for (const m of all.slice(seen)) for (const l of listeners) l(m);
        seen = all.length;
      }
    },
    stop: () => { stopped = true; },
  };
}

async function selectedTab(w: WebviewPage): Promise<string | undefined> {
  return w.page.locator('[role="tab"][aria-selected="true"]').evaluate((e) => (e as HTMLElement).dataset.sessionId).catch(() => undefined);
}

void describe('handshake with the real connection', () => {
  void test('New Session during the handshake: the reveal arrives after the snapshot and the new tab is shown', async () => {
    const manager = new FakeManager();
    manager.add('a', 'Alpha');
    const services = new HeldServices();
    const router = new WebviewRouter(async () => manager, services);
    const w = await openWebview(browser);
    const b = bridge(w);
    const attached = router.attach(b.port, 'view');
    const pumping = b.start();
    await services.asked; // the webview said `ready`; the host is building the snapshot
    const created = await manager.create({ title: 'Fresh' });
    router.reveal(created.id);
    services.release();
    const tab = w.page.getByRole('tab', { name: /^Fresh/ });
    // Waits for the outcome (or times out, and the assertion below says what was shown instead).
    await tab.and(w.page.locator('[aria-selected="true"]')).waitFor({ timeout: 5000 }).catch(() => undefined);
    assert.equal(await selectedTab(w), created.id, 'the new session\'s tab is the selected one');
    assert.ok(manager.calls.some((c) => c.method === 'open' && c.args[0] === created.id), 'the webview opened the new session');
    b.stop();
    attached.dispose();
    router.dispose();
    await w.page.close();
    await pumping;
  });
});
