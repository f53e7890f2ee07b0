/**
 * B5: the real webview bundle (dist/webview.js) in headless Chromium with a fake acquireVsCodeApi.
 * First render of a session opened with 5,000 transcript messages, main-thread time per streamed
 * chunk into it (Chromium TaskDuration, one chunk per frame), DOM rows present. Baseline: a naive page
 * that renders every message and re-renders the list per chunk (bench/lib/naive-page.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { HostMessage } from '../../src/shared/protocol';
import type { TranscriptRecord } from '../../src/shared/transcript';
import { config, opened, snapshot, snapshotMessage } from '../../test/webview/harness';
import { NAIVE_PAGE } from '../lib/naive-page';
import { median, type BenchRow } from '../lib/stats';
import { notMeasured, type CaseContext } from '../lib/case';

const ORIGIN = 'http://webview.bench';
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>body { margin: 0; }</style></head><body><script type="module" src="/webview.js"></script></body></html>`;

function entries(n: number): TranscriptRecord[] {
  return Array.from({ length: n }, (_, i): TranscriptRecord => (i % 2 === 0
    ? { kind: 'user', key: `u${i}`, text: `question ${i}: how do I refactor module ${i}?`, seq: i + 1 }
    : { kind: 'assistant', key: `m${i}`, text: `answer **${i}**: change the import, then run the tests. `.repeat(3), thinking: '', streaming: false, seq: i + 1 }));
}

/** Pushes one chunk per animation frame (each chunk fully rendered, the worst case for batching renderers). */
const CHUNK_LOOP = `async (n) => {
  for (let i = 0; i < n; i++) {
    window.__chunkAt(i);
    await new Promise((r) => requestAnimationFrame(() => r()));
  }
}`;

/** Main-thread busy time (Chromium's TaskDuration: script, style, layout, paint) per chunk, ms. */
async function mainThreadPerChunk(page: Page, chunks: number): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async (): Promise<number> => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
  const before = await task();
  await page.evaluate(`(${CHUNK_LOOP})(${chunks})`);
  const after = await task();
  await cdp.detach();
  return ((after - before) * 1000) / chunks;
}

async function measureOurs(page: Page, count: number, chunks: number): Promise<{ first: number; chunk: number; rows: number }> {
  const js = readFileSync(join(import.meta.dirname, '../../dist/webview.js'), 'utf8');
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/`) return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
    if (url === `${ORIGIN}/webview.js`) return route.fulfill({ status: 200, contentType: 'text/javascript', body: js });
    return route.abort();
  });
  // Scripts as strings: tsx would wrap named functions in a `__name` helper the page does not have.
  await page.addInitScript(`window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
    window.__push = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));`);
  page.on('pageerror', (err) => { console.error('page error:', err.message); });
  await page.goto(`${ORIGIN}/`);
  const s = snapshot('a', { title: 'Long session', lastSeq: count, messageCount: count, state: 'running', config });
  const msg: HostMessage = snapshotMessage([s], [opened(s, entries(count))], 'a');
  const first = await page.evaluate(async (m) => {
    const t0 = performance.now();
    (window as unknown as { __push(m: unknown): void }).__push(m);
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, msg);
  await page.locator(`.row[data-key="m${count - 1}"]`).waitFor({ timeout: 30_000 });
  await page.evaluate(`(() => {
    const base = ${count};
    window.__push({ kind: 'event', event: { type: 'message.started', turnId: 't', messageId: 'live', round: 1, seq: base + 1, ts: 1, sessionId: 'a' } });
    window.__chunkAt = (i) => window.__push({ kind: 'event', event: { type: 'message.delta', messageId: 'live', kind: 'text', text: 'chunk ' + i + ' ', seq: base + 2 + i, ts: 1, sessionId: 'a' } });
  })()`);
  const chunk = await mainThreadPerChunk(page, chunks);
  const rows = await page.locator('.row[data-key]').count();
  return { first, chunk, rows };
}

async function measureNaive(page: Page, count: number, chunks: number): Promise<{ first: number; chunk: number; rows: number }> {
  await page.setContent(NAIVE_PAGE);
  const list = entries(count).map((e) => ({ id: e.key, role: e.kind, text: e.kind === 'user' || e.kind === 'assistant' ? e.text : '' }));
  const first = await page.evaluate(async (l) => {
    const t0 = performance.now();
    (window as unknown as { __load(l: unknown): void }).__load(l);
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, list);
  await page.evaluate(`window.__chunkAt = (i) => window.__chunk('live', 'chunk ' + i + ' ')`);
  const chunk = await mainThreadPerChunk(page, chunks);
  const rows = await page.locator('.row').count();
  return { first, chunk, rows };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  if (!existsSync('/usr/bin/chromium')) return [notMeasured('B5', 'webview', '/usr/bin/chromium missing')];
  if (!existsSync(join(import.meta.dirname, '../../dist/webview.js'))) return [notMeasured('B5', 'webview', 'dist/webview.js missing')];
  const count = 5_000;
  const chunks = ctx.quick ? 50 : 200;
  const runs = ctx.quick ? 1 : 3;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const ours: Array<{ first: number; chunk: number; rows: number }> = [];
    const naive: Array<{ first: number; chunk: number; rows: number }> = [];
    for (let r = 0; r < runs; r++) {
      const p1 = await browser.newPage({ viewport: { width: 900, height: 700 } });
      ours.push(await measureOurs(p1, count, chunks));
      await p1.close();
      const p2 = await browser.newPage({ viewport: { width: 900, height: 700 } });
      naive.push(await measureNaive(p2, count, ctx.quick ? 20 : 50));
      await p2.close();
    }
    const m = (xs: typeof ours, k: 'first' | 'chunk' | 'rows'): number => median(xs.map((x) => x[k]));
    return [
      { id: 'B5', what: `webview first render, ${count}-message transcript`, unit: 'ms', ours: m(ours, 'first'), target: '< 200 ms', met: m(ours, 'first') < 200, baseline: m(naive, 'first'), baselineWhat: 'render every message' },
      { id: 'B5', what: 'main-thread time per streamed chunk', unit: 'ms', ours: m(ours, 'chunk'), target: '< 4 ms', met: m(ours, 'chunk') < 4, baseline: m(naive, 'chunk'), baselineWhat: 're-render the list per chunk', note: 'Chromium TaskDuration per chunk, one chunk per frame' },
      { id: 'B5', what: 'DOM rows present', unit: 'rows', ours: m(ours, 'rows'), target: '≤ ~100', met: m(ours, 'rows') <= 110, baseline: m(naive, 'rows'), baselineWhat: 'every message' },
    ];
  } finally {
    await browser.close();
  }
}
