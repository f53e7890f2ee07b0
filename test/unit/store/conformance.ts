/**
 * The SessionStore contract as one suite, run against every implementation
 * (memory-store.test.ts, jsonl-store.test.ts).
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAgentError } from '../../../src/core/base/errors';
import type { SessionEvent } from '../../../src/core/session/events';
import type { SessionCheckpoint, SessionStore } from '../../../src/core/store/types';
import { deltaText, EventMaker, HOSTILE_IDS, indexRow, sampleTurn } from './fixtures';

export interface StoreHarness {
  store: SessionStore;
  /** Closes the current store and opens a new one over the same persisted data (a restart). */
  reopen(): Promise<SessionStore>;
  cleanup(): Promise<void>;
  /** Replaces the stored checkpoint of a session with raw text (damage, another session's file). */
  writeRawCheckpoint(sessionId: string, text: string): Promise<void>;
}

function checkpoint(sessionId: string, lastSeq: number, extra: Record<string, unknown> = {}): SessionCheckpoint {
  return { version: 1, sessionId, lastSeq, data: { snapshot: { id: sessionId, title: `at ${lastSeq}` }, ...extra } };
}

/** Events minus deltas, compared by type+seq: coalescing may only ever merge deltas/output. */
function skeleton(events: readonly SessionEvent[]): string[] {
  return events.filter((e) => e.type !== 'message.delta' && e.type !== 'tool.output').map((e) => `${e.seq}:${e.type}`);
}

export function runStoreConformance(name: string, makeHarness: () => Promise<StoreHarness>): void {
  void describe(`SessionStore conformance: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => { h = await makeHarness(); });
    afterEach(async () => { await h.cleanup(); });

    void test('append then load returns the events in order, before and after a restart', async () => {
      const ev = new EventMaker('s1');
      const events = [...sampleTurn(ev, 4, 't1'), ...sampleTurn(ev, 3, 't2')];
      for (const e of events) h.store.append('s1', e);
      const before = await h.store.load('s1');
      assert.deepEqual(skeleton(before.events), skeleton(events));
      assert.equal(before.readOnly, false);
      assert.deepEqual(before.warnings, []);
      const seqs = before.events.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seq increases');
      await h.store.flush();
      const store2 = await h.reopen();
      const after = await store2.load('s1');
      assert.deepEqual(after.events, before.events);
      const completed = after.events.find((e) => e.type === 'message.completed');
      assert.deepEqual(completed, events.find((e) => e.type === 'message.completed'), 'completed message stored verbatim');
    });

    void test('coalescing keeps every character of deltas and tool output, and the last seq', async () => {
      const ev = new EventMaker('s1');
      const events = [ev.created()];
      for (let i = 0; i < 50; i++) events.push(ev.next({ type: 'message.delta', messageId: 'm1', kind: 'text', text: `ä${i}€ ` }));
      events.push(ev.next({ type: 'message.delta', messageId: 'm1', kind: 'thinking', text: 'hmm' }));
      events.push(ev.next({ type: 'message.delta', messageId: 'm2', kind: 'text', text: 'other' }));
      for (let i = 0; i < 20; i++) events.push(ev.next({ type: 'tool.output', callId: 'c1', chunk: `line ${i}\n` }));
      events.push(ev.next({ type: 'tool.output', callId: 'c2', chunk: 'x' }));
      for (const e of events) h.store.append('s1', e);
      await h.store.flush('s1');
      for (const restart of [false, true]) {
        const store = restart ? await h.reopen() : h.store;
        const { events: got } = await store.load('s1');
        assert.deepEqual(deltaText(got), deltaText(events));
        const out = got.filter((e) => e.type === 'tool.output').map((e) => (e.type === 'tool.output' ? `${e.callId}=${e.chunk}` : ''));
        assert.deepEqual(out.join('|'), `c1=${Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('')}|c2=x`);
        assert.ok(got.length < events.length, 'consecutive deltas were merged');
        assert.equal(got[got.length - 1].seq, events[events.length - 1].seq);
        const m1Text = got.find((e) => e.type === 'message.delta' && e.kind === 'text' && e.messageId === 'm1');
        assert.equal(m1Text?.seq, 51, 'a merged delta carries the seq of its last part');
      }
    });

    void test('loadTail returns the last N events, consistent with load', async () => {
      const ev = new EventMaker('s1');
      h.store.append('s1', ev.created());
      for (let i = 0; i < 40; i++) h.store.append('s1', ev.next({ type: 'prompt.queued', promptId: `p${i}`, text: `prompt ${i}` }));
      await h.store.flush('s1');
      for (let i = 40; i < 45; i++) h.store.append('s1', ev.next({ type: 'prompt.queued', promptId: `p${i}`, text: `prompt ${i}` }));
      const all = (await h.store.load('s1')).events;
      assert.equal(all.length, 46);
      assert.deepEqual((await h.store.loadTail('s1', 10)).events, all.slice(-10));
      assert.deepEqual((await h.store.loadTail('s1', 1)).events, all.slice(-1));
      assert.deepEqual((await h.store.loadTail('s1', 0)).events, []);
      assert.deepEqual((await h.store.loadTail('s1', 1000)).events, all);
      const store2 = await h.reopen();
      assert.deepEqual((await store2.loadTail('s1', 7)).events, all.slice(-7));
    });

    void test('an unknown session loads as empty and writable', async () => {
      const r = await h.store.load('nobody');
      assert.deepEqual(r, { events: [], warnings: [], readOnly: false });
      assert.deepEqual((await h.store.loadTail('nobody', 5)).events, []);
    });

    void test('list shows updateIndex rows and sessions known only from their log, across restarts', async () => {
      const a = new EventMaker('a');
      for (const e of sampleTurn(a)) h.store.append('a', e);
      h.store.updateIndex(indexRow('a', { title: 'Alpha', updatedAt: 50 }));
      const b = new EventMaker('b');
      h.store.append('b', b.created('Beta from log'));
      h.store.append('b', b.next({ type: 'session.renamed', title: 'Beta renamed' }));
      await h.store.flush();
      const rows = await h.store.list();
      assert.deepEqual(rows.map((r) => r.id).sort(), ['a', 'b']);
      assert.equal(rows.find((r) => r.id === 'a')?.title, 'Alpha');
      const beta = rows.find((r) => r.id === 'b');
      assert.equal(beta?.title, 'Beta renamed');
      assert.equal(beta?.lastSeq, 2);
      assert.equal(beta?.model, 'gpt-test');
      h.store.updateIndex(indexRow('a', { title: 'Alpha 2', updatedAt: 60 }));
      const store2 = await h.reopen();
      const rows2 = await store2.list();
      assert.equal(rows2.find((r) => r.id === 'a')?.title, 'Alpha 2');
      assert.equal(rows2.find((r) => r.id === 'b')?.title, 'Beta renamed');
    });

    void test('delete removes the log and the index row, and leaves other sessions alone', async () => {
      for (const id of ['keep', 'gone']) {
        const ev = new EventMaker(id);
        for (const e of sampleTurn(ev)) h.store.append(id, e);
        h.store.updateIndex(indexRow(id));
      }
      await h.store.flush();
      await h.store.delete('gone');
      assert.deepEqual((await h.store.load('gone')).events, []);
      assert.deepEqual((await h.store.list()).map((r) => r.id), ['keep']);
      const store2 = await h.reopen();
      assert.deepEqual((await store2.list()).map((r) => r.id), ['keep']);
      assert.deepEqual((await store2.load('gone')).events, []);
      assert.ok((await store2.load('keep')).events.length > 0);
    });

    void test('checkpoints: made lazily when written (flush), the latest wins, kept across a restart, removed by delete', async () => {
      const store = h.store;
      assert.ok(store.saveCheckpoint && store.loadCheckpoint, 'both stores keep checkpoints');
      const ev = new EventMaker('s1');
      for (const e of sampleTurn(ev, 3)) store.append('s1', e);
      h.store.append('s2', new EventMaker('s2').created());
      await store.flush();
      let made = 0;
      let seq = 3;
      store.saveCheckpoint('s1', () => { made++; return checkpoint('s1', seq); });
      seq = ev.seq;
      store.saveCheckpoint('s1', () => { made++; return checkpoint('s1', seq, { marker: 'latest' }); });
      assert.equal(made, 0, 'nothing is made when scheduled');
      await store.flush('s1');
      assert.equal(made, 1, 'one write for both schedules');
      assert.deepEqual(await store.loadCheckpoint('s1'), checkpoint('s1', ev.seq, { marker: 'latest' }));
      assert.equal(await store.loadCheckpoint('s2'), undefined, 'none saved for s2');
      assert.equal(await store.loadCheckpoint('unknown'), undefined);
      const again = await h.reopen();
      assert.deepEqual(await again.loadCheckpoint!('s1'), checkpoint('s1', ev.seq, { marker: 'latest' }));
      await again.delete('s1');
      assert.equal(await again.loadCheckpoint!('s1'), undefined);
      assert.equal(await (await h.reopen()).loadCheckpoint!('s1'), undefined, 'gone after a restart too');
    });

    void test('checkpoints: a scheduled one is visible to loadCheckpoint, and close writes it', async () => {
      const ev = new EventMaker('s1');
      for (const e of sampleTurn(ev, 2)) h.store.append('s1', e);
      await h.store.flush('s1');
      h.store.saveCheckpoint!('s1', () => checkpoint('s1', 2));
      assert.deepEqual(await h.store.loadCheckpoint!('s1'), checkpoint('s1', 2));
      h.store.saveCheckpoint!('s1', () => checkpoint('s1', ev.seq));
      const store2 = await h.reopen(); // close() writes pending checkpoints after the logs
      assert.deepEqual(await store2.loadCheckpoint!('s1'), checkpoint('s1', ev.seq));
    });

    void test('checkpoints: damaged, foreign or future ones read as undefined, never as a wrong state', async () => {
      const ev = new EventMaker('s1');
      for (const e of sampleTurn(ev, 2)) h.store.append('s1', e);
      await h.store.flush('s1');
      const bad = [
        '{"version":1,"sessionId":"s1","lastSeq":5,"data":{"snap',
        'not json at all',
        JSON.stringify(checkpoint('other', 5)),
        JSON.stringify({ ...checkpoint('s1', 5), version: 2 }),
        JSON.stringify(checkpoint('s1', -1)),
        JSON.stringify(checkpoint('s1', 1.5)),
        JSON.stringify({ version: 1, sessionId: 's1', lastSeq: 5 }),
        '[]',
        '',
      ];
      for (const text of bad) {
        await h.writeRawCheckpoint('s1', text);
        assert.equal(await h.store.loadCheckpoint!('s1'), undefined, text);
      }
      await h.writeRawCheckpoint('s1', JSON.stringify(checkpoint('s1', 5)));
      assert.deepEqual(await h.store.loadCheckpoint!('s1'), checkpoint('s1', 5), 'a good one reads back');
      assert.equal((await h.store.load('s1')).events.length, ev.seq - 1, 'the log is untouched (deltas coalesced)');
    });

    void test('checkpoints: hostile session ids are rejected with invalid_id', async () => {
      for (const id of HOSTILE_IDS) {
        assert.throws(() => h.store.saveCheckpoint!(id, () => checkpoint(id, 1)), (e: unknown) => isAgentError(e) && e.code === 'invalid_id', JSON.stringify(id));
        await assert.rejects(h.store.loadCheckpoint!(id), (e: unknown) => isAgentError(e) && e.code === 'invalid_id', JSON.stringify(id));
      }
    });

    void test('hostile session ids are rejected with invalid_id by every method', async () => {
      const ev = new EventMaker('x');
      for (const id of HOSTILE_IDS) {
        const isInvalidId = (e: unknown) => isAgentError(e) && e.code === 'invalid_id';
        assert.throws(() => h.store.append(id, { ...ev.created(), sessionId: id }), isInvalidId, JSON.stringify(id));
        assert.throws(() => h.store.updateIndex(indexRow(id)), isInvalidId);
        await assert.rejects(h.store.load(id), isInvalidId);
        await assert.rejects(h.store.loadTail(id, 5), isInvalidId);
        await assert.rejects(h.store.delete(id), isInvalidId);
        await assert.rejects(h.store.flush(id), isInvalidId);
      }
      assert.deepEqual(await h.store.list(), []);
    });
  });
}
