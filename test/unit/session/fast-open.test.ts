import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { FAKE_KEY, makeManager } from './harness';
import { buildFixture, checkpointPath, copyOf, CountingStore, PAGE_LIMITS, storedEvents, type FixtureLog } from './fast-open-fixture';
import { foldEvents } from '../../../src/core/session/reducer';
import { foldTranscriptTail } from '../../../src/core/session/checkpoint';
import { previewEventsSince, previewPage, readPreview, widenPreview } from '../../../src/core/session/preview';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import type { SessionEvent } from '../../../src/core/session/events';

let fake: FakeLlm;
let root: string;
let fx: FixtureLog;
let n = 0;
const fresh = async (): Promise<string> => copyOf(fx, join(root, `copy-${++n}`));

before(async () => {
  fake = await startFakeLlm();
  root = await mkdtemp(join(tmpdir(), 'agent-sessions-fast-open-'));
  fx = await buildFixture(fake, join(root, 'fixture'));
});
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

void describe('fast open: transcript from a log tail', () => {
  void test('every tail of the log gives exactly the end of the whole transcript, compaction marks included', async () => {
    const events = await storedEvents(fx.dir, fx.id);
    const whole = foldEvents(fx.id, events).records;
    assert.ok(events.filter((e) => e.type === 'context.compacted').length === 2, 'the fixture has two compactions');
    let uncertain = 0;
    for (let k = 0; k < events.length; k++) {
      const t = foldTranscriptTail(fx.id, events.slice(k), k === 0);
      const sure = t.entries.slice(t.certainFrom);
      assert.deepEqual(sure, whole.slice(whole.length - sure.length), `tail from event ${k}`);
      if (t.certainFrom > 0) uncertain++;
      if (k === 0) assert.deepEqual(t.entries, whole);
    }
    assert.ok(uncertain > 0, 'some tails start inside a turn');
  });

  void test('compactions are recorded where they happened, and a tail that starts inside a turn is certain from its next turn', () => {
    let seq = 0;
    const ev = (body: Record<string, unknown>): SessionEvent => ({ ...body, seq: ++seq, ts: 1_000 + seq, sessionId: 's' }) as unknown as SessionEvent;
    const user = (id: string): SessionEvent => ev({ type: 'turn.started', turnId: `t-${id}`, promptId: `p-${id}`, messageId: id, text: id });
    const reply = (id: string): SessionEvent => ev({ type: 'message.completed', turnId: 't', messageId: id, content: [{ type: 'text', text: id }], stopReason: 'end_turn' });
    const compacted = (ids: string[], summaryId: string): SessionEvent => ev({
      type: 'context.compacted', method: 'llm', compactedMessageIds: ids, summaryMessageId: summaryId, summary: summaryId,
      before: { tokens: 10, messages: 4 }, after: { tokens: 5, messages: 3 }, trigger: 'manual',
    });
    const events = [
      ev({ type: 'session.created', title: 't', config: fx.snapshot.config }), user('u1'), reply('a1'),
      user('u2'), reply('a2'), compacted(['a1'], 'S1'), user('u3'), reply('a3'), compacted(['S1'], 'S2'),
    ];
    const whole = foldEvents('s', events).records;
    assert.deepEqual(whole.map((e) => `${e.key}${e.compacted ? '*' : ''}`), ['u1', 'a1*', 'u2', 'a2', 'm:6', 'u3', 'a3', 'm:9']);
    const t = foldTranscriptTail('s', events.slice(3), false);
    assert.deepEqual(t.entries.map((e) => e.key), ['u2', 'a2', 'm:6', 'u3', 'a3', 'm:9']);
    assert.equal(t.certainFrom, 0, 'the tail starts with a turn');
    const inside = foldTranscriptTail('s', events.slice(4), false);
    assert.deepEqual(inside.entries.slice(inside.certainFrom).map((e) => e.key), ['u3', 'a3', 'm:9']);
  });

  void test('a preview of any size serves the same snapshot, pages and events as the full load, or declines', async () => {
    const store = new JsonlSessionStore({ directory: await fresh() });
    const events = (await store.load(fx.id)).events;
    let served = 0;
    let declined = 0;
    for (const asked of [3, 6, 12, 25, 50, 100, 1_000]) {
      const p = await readPreview(store, fx.id, asked);
      assert.ok(p, `preview of ${asked}`);
      assert.deepEqual(p.snapshot, fx.snapshot);
      assert.equal(p.complete, asked > events.length);
      for (const limit of PAGE_LIMITS) {
        const page = previewPage(p, limit);
        if (!page) { declined++; continue; }
        served++;
        assert.deepEqual(page, fx.pages.get(limit), `tail ${asked}, limit ${limit}`);
      }
      for (const afterSeq of [0, 5, p.events[0].seq, fx.snapshot.lastSeq - 1, fx.snapshot.lastSeq]) {
        const got = previewEventsSince(p, afterSeq);
        if (got) assert.deepEqual(got, events.filter((e) => e.seq > afterSeq), `events after ${afterSeq}`);
      }
    }
    assert.ok(served > 0 && declined > 0, `${served} served, ${declined} declined`);
    const small = await readPreview(store, fx.id, 3);
    const wider = small && await widenPreview(store, small);
    assert.equal(wider?.asked, 12);
    await store.close();
  });
});

void describe('fast open through the manager', () => {
  void test('open + transcript answer from the checkpoint without a full load; identical to the full load; then it loads', async () => {
    for (const previewTailEvents of [undefined, 40]) {
      const store = new CountingStore({ directory: await fresh() });
      const m = await makeManager(fake, store, previewTailEvents ? { previewTailEvents } : {});
      const seen: SessionEvent[] = [];
      m.onEvent((e) => seen.push(e));
      assert.deepEqual(await m.open(fx.id), fx.snapshot);
      assert.equal(store.loads, 0, 'the host got the snapshot before any full load');
      assert.deepEqual(await m.transcript(fx.id, { limit: 8 }), fx.pages.get(8));
      assert.deepEqual(m.get(fx.id), fx.snapshot, 'get shows the previewed session');
      await m.whenIdle(fx.id); // waits for the background load
      assert.equal(store.loads, 1);
      assert.deepEqual(m.get(fx.id), fx.snapshot, 'the full load agrees');
      for (const limit of PAGE_LIMITS) assert.deepEqual(await m.transcript(fx.id, { limit }), fx.pages.get(limit));
      assert.deepEqual(seen, [], 'a quiet session records nothing when loaded');
      await m.dispose();
    }
  });

  void test('pages older than the tail, long pages and replays before the tail come out right', async () => {
    const dir = await fresh();
    const events = await storedEvents(dir, fx.id);
    const m = await makeManager(fake, new CountingStore({ directory: dir }), { previewTailEvents: 6 });
    await m.open(fx.id);
    assert.deepEqual(await m.eventsSince(fx.id, 0), events);
    assert.deepEqual(await m.eventsSince(fx.id, fx.snapshot.lastSeq - 2), events.filter((e) => e.seq > fx.snapshot.lastSeq - 2));
    assert.deepEqual(await m.transcript(fx.id, { limit: 1_000 }), fx.pages.get(1_000));
    const newest = fx.pages.get(3)!.entries[0].seq;
    const older = await m.transcript(fx.id, { limit: 4, beforeSeq: newest });
    const all = fx.pages.get(1_000)!.entries;
    const end = all.findIndex((e) => e.seq >= newest);
    assert.deepEqual(older, { entries: all.slice(end - 4, end), hasMore: end - 4 > 0 });
    await m.dispose();
  });

  void test('mutations during the background load wait for it, then apply in order with nothing lost', async () => {
    const dir = await fresh();
    const store = new CountingStore({ directory: dir });
    const m = await makeManager(fake, store);
    const seen: SessionEvent[] = [];
    m.onEvent((e) => { if (e.sessionId === fx.id) seen.push(e); });
    const snap = await m.open(fx.id);
    assert.equal(store.loads, 0);
    await Promise.all([m.rename(fx.id, 'during load'), m.updateConfig(fx.id, { mode: 'plan' }), m.send(fx.id, 'tenth')]);
    await m.whenIdle(fx.id);
    assert.equal(store.loads, 1, 'one full load served them all');
    assert.deepEqual(seen.map((e) => e.seq), seen.map((_, i) => snap.lastSeq + 1 + i), 'seqs follow the snapshot without a gap');
    const now = m.get(fx.id)!;
    assert.equal(now.title, 'during load');
    assert.equal(now.config.mode, 'plan');
    assert.equal(now.messageCount, fx.snapshot.messageCount + 2);
    assert.equal(now.state, 'idle');
    await m.dispose();
    // The next process opens the new state fast, and it matches its log.
    const store2 = new CountingStore({ directory: dir });
    const m2 = await makeManager(fake, store2);
    assert.deepEqual(await m2.open(fx.id), now);
    assert.equal(store2.loads, 0);
    await m2.whenIdle(fx.id);
    assert.deepEqual(m2.get(fx.id), now);
    await m2.dispose();
  });

  void test('falls back to the full load when the log moved on, or the checkpoint is damaged, missing or another session\'s', async () => {
    const cases: [string, (dir: string) => Promise<void>][] = [
      ['appended after the checkpoint (crash before it was written)', async (dir) => {
        const line = { type: 'session.renamed', title: 'after the checkpoint', seq: fx.snapshot.lastSeq + 1, ts: fx.snapshot.updatedAt + 1, sessionId: fx.id };
        await appendFile(join(dir, 'sessions', `${fx.id}.jsonl`), `${JSON.stringify(line)}\n`);
      }],
      ['damaged', async (dir) => { await writeFile(checkpointPath(dir, fx.id), '{"version":1,"sessionId":"x'); }],
      ['missing', async (dir) => { await rm(checkpointPath(dir, fx.id)); }],
      ['another session\'s', async (dir) => { await copyFile(checkpointPath(dir, fx.otherId), checkpointPath(dir, fx.id)); }],
      ['not quiet (paused)', async (dir) => {
        const c = JSON.parse(await readFile(checkpointPath(dir, fx.id), 'utf8')) as { data: { snapshot: { paused: boolean } } };
        c.data.snapshot.paused = true;
        await writeFile(checkpointPath(dir, fx.id), JSON.stringify(c));
      }],
      ['a snapshot of an unknown shape', async (dir) => {
        const c = JSON.parse(await readFile(checkpointPath(dir, fx.id), 'utf8')) as { data: { snapshot: Record<string, unknown> } };
        c.data.snapshot.surprise = 1;
        await writeFile(checkpointPath(dir, fx.id), JSON.stringify(c));
      }],
    ];
    for (const [what, damage] of cases) {
      const dir = await fresh();
      await damage(dir);
      const store = new CountingStore({ directory: dir });
      const m = await makeManager(fake, store);
      const snap = await m.open(fx.id);
      assert.equal(store.loads, 1, `${what}: full load`);
      if (what.startsWith('appended')) assert.deepEqual(snap, { ...fx.snapshot, title: 'after the checkpoint', lastSeq: fx.snapshot.lastSeq + 1, updatedAt: fx.snapshot.updatedAt + 1 });
      else assert.deepEqual(snap, fx.snapshot, what);
      assert.deepEqual(await m.transcript(fx.id, { limit: 100 }), fx.pages.get(100), what);
      await m.dispose();
      // The full load left a current checkpoint behind: the next open is fast again.
      const store2 = new CountingStore({ directory: dir });
      const m2 = await makeManager(fake, store2);
      assert.deepEqual(await m2.open(fx.id), snap, `${what}: reopened`);
      assert.equal(store2.loads, 0, `${what}: fast after repair`);
      await m2.dispose();
    }
  });

  void test('unknown and hostile ids still fail as before', async () => {
    const dir = await fresh();
    const m = await makeManager(fake, new CountingStore({ directory: dir }));
    await assert.rejects(m.open('s-unknown'), { code: 'not_found' });
    await assert.rejects(m.open('../x'), { code: 'invalid_id' });
    await m.dispose();
  });

  void test('no API key in any checkpoint (or anywhere in the store)', async () => {
    const files = (await readdir(join(fx.dir, 'sessions'))).map((f) => join(fx.dir, 'sessions', f));
    assert.ok(files.some((f) => f.endsWith('.checkpoint.json')));
    for (const f of [...files, join(fx.dir, 'index.json')]) {
      assert.ok(!(await readFile(f, 'utf8')).includes(FAKE_KEY), f);
    }
  });
});
