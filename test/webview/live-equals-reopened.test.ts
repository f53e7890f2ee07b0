/**
 * Live equals reopened, in Chromium on the real webview bundle: for every session of the corpus
 * (test/unit/session/live-corpus.ts, run through the real engine and the fake LLM server), a
 * webview that opened the session right after it was created and then received every live event
 * holds exactly the state a webview opened from a fresh open of the log holds.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fake-llm';
import { makeManager } from '../unit/session/harness';
import { buildCorpus, type CorpusSession } from '../unit/session/live-corpus';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { foldEvents, toSnapshot } from '../../src/core/session/reducer';
import type { OpenedSession } from '../../src/shared/protocol';
import { launch, openWebview, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
let fake: FakeLlm;
let root: string;
let corpus: CorpusSession[];
const reopened = new Map<string, OpenedSession>();

before(async () => {
  browser = await launch();
  fake = await startFakeLlm();
  root = await mkdtemp(join(tmpdir(), 'agent-sessions-live-reopened-web-'));
  corpus = await buildCorpus(fake, join(root, 'logs'));
  const m = await makeManager(fake, new JsonlSessionStore({ directory: join(root, 'logs') }));
  for (const s of corpus) {
    const snapshot = await m.open(s.id);
    const page = await m.transcript(s.id, { limit: 1_000 });
    reopened.set(s.id, { snapshot, entries: page.entries, hasMore: page.hasMore, lastSeq: snapshot.lastSeq });
  }
  await m.dispose();
});
after(async () => { await browser?.close(); await fake?.close(); await rm(root, { recursive: true, force: true }); });

/** The projection the page's store holds for `id` (the element's store is private to TypeScript only). */
async function heldProjection(w: WebviewPage, id: string): Promise<unknown> {
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  return w.page.evaluate((sid) => {
    const app = document.querySelector('as-app') as unknown as { store: { get(id: string): { snapshot?: unknown } | undefined } };
    return JSON.parse(JSON.stringify(app.store.get(sid)?.snapshot ?? null)) as unknown;
  }, id);
}

void describe('live equals reopened, in the webview', () => {
  void test('every corpus session: opened at its start and folded live = opened from a fresh open of its log', async () => {
    for (const s of corpus) {
      const end = reopened.get(s.id)!;
      // A reopen of these quiet sessions records nothing: the live events are the whole log.
      assert.equal(end.lastSeq, s.live.at(-1)!.seq, `${s.what}: nothing added by the open`);

      const start = foldEvents(s.id, s.live.slice(0, 1));
      const live = await openWebview(browser);
      const first = { snapshot: toSnapshot(start), entries: start.records, hasMore: false, lastSeq: start.lastSeq };
      await live.push(snapshotMessage([first.snapshot], [first], s.id));
      await live.page.getByRole('log', { name: 'Transcript' }).waitFor();
      for (const e of s.live.slice(1)) await live.push({ kind: 'event', event: e });
      await live.page.waitForFunction((args) => {
        const app = document.querySelector('as-app') as unknown as { store: { get(id: string): { lastSeq: number } | undefined } };
        return app.store.get(args.id)?.lastSeq === args.seq;
      }, { id: s.id, seq: end.lastSeq });

      const again = await openWebview(browser);
      await again.push(snapshotMessage([end.snapshot], [end], s.id));
      assert.deepStrictEqual(await heldProjection(live, s.id), await heldProjection(again, s.id), s.what);
      assert.deepStrictEqual(await heldProjection(again, s.id), JSON.parse(JSON.stringify({ ...end.snapshot, records: end.entries })), `${s.what}: held as sent`);
      await live.page.close();
      await again.page.close();
    }
  });
});
