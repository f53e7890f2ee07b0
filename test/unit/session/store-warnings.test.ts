import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { FaultyFs } from '../store/helpers';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'agent-sessions-warn-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

async function findLog(d: string, id: string): Promise<string | undefined> {
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) { const hit = await findLog(p, id); if (hit) return hit; } else if (e.name.includes(id) && e.name.endsWith('.jsonl')) return p;
  }
  return undefined;
}

void describe('store warnings surface in the session', () => {
  void test('a torn last line is reported as a warning event when the session is opened', async () => {
    const storeDir = join(dir, 'jsonl');
    const h1 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const s = await h1.manager.create({ title: 'damaged' });
    await h1.manager.send(s.id, 'hello');
    await h1.manager.whenIdle(s.id);
    await h1.close();
    const log = await findLog(storeDir, s.id);
    assert.ok(log, 'log file found');
    await appendFile(log, '{"type":"message.delta","seq":99,"te');
    const h2 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const snap = await h2.manager.open(s.id);
    assert.equal(snap.messageCount, 3, 'history intact: the prompt, the answer and the marker of the warning');
    const warnings = h2.of(s.id).filter((e) => e.type === 'warning');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].type === 'warning' && warnings[0].code === 'store_torn_tail' && /incomplete last line/.test(warnings[0].message));
    await h2.close();
  });

  void test('a live write failure (disk full) reaches the session, retries, says when it recovered, and loses nothing', async () => {
    const storeDir = join(dir, 'enospc');
    const faults = new FaultyFs();
    const store = new JsonlSessionStore({ directory: storeDir, fs: faults.fs });
    const h = await startHarness({ fake, store });
    const s = await h.manager.create({ title: 'disk full' });
    await h.manager.send(s.id, 'first');
    await h.manager.whenIdle(s.id);
    await store.flush();
    const log = await findLog(storeDir, s.id);
    assert.ok(log);
    const before = await readFile(log);

    faults.failWrites = 'ENOSPC';
    await h.manager.send(s.id, 'second');
    await h.manager.whenIdle(s.id);
    const notSaved = await h.waitFor('warning', (w) => w.sessionId === s.id && w.code === 'history_not_saved');
    assert.match(notSaved.message, /History is not being saved/);
    assert.match(notSaved.message, /ENOSPC/);
    assert.match(notSaved.message, /retrying in \d/);
    assert.equal(h.of(s.id).filter((e) => e.type === 'warning' && e.code === 'history_not_saved').length, 1, 'said once, not per retry');
    assert.deepEqual(await readFile(log), before, 'nothing on disk truncated or half-written');

    faults.failWrites = undefined;
    await store.flush();
    await h.waitFor('warning', (w) => w.sessionId === s.id && w.code === 'history_saved_again');
    await store.flush();
    const after = await readFile(log);
    assert.deepEqual(after.subarray(0, before.length), before, 'only appended to');
    await h.close();

    const reopened = new JsonlSessionStore({ directory: storeDir });
    const r = await reopened.load(s.id);
    await reopened.close();
    const codes = r.events.flatMap((e) => (e.type === 'warning' ? [e.code] : []));
    assert.deepEqual(codes, ['history_not_saved', 'history_saved_again'], 'the warnings themselves were written once the disk worked');
    assert.ok(r.events.some((e) => e.type === 'turn.started' && e.text === 'second'), 'the turn that ran while the disk was full is on disk');
    assert.equal(r.events.filter((e) => e.type === 'turn.completed').length, 2);
  });

  void test('a damaged log opens with what can be read and a warning, and the listing keeps saying damaged', async () => {
    const storeDir = join(dir, 'damaged');
    const h1 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const empty = await h1.manager.create({ title: 'power cut' });
    const flipped = await h1.manager.create({ title: 'flipped' });
    await h1.manager.send(flipped.id, 'hello there');
    await h1.manager.whenIdle(flipped.id);
    await h1.close();
    await truncate((await findLog(storeDir, empty.id))!, 0);
    const flippedLog = (await findLog(storeDir, flipped.id))!;
    const bytes = await readFile(flippedLog);
    const at = bytes.indexOf('hello there');
    bytes[at] = 0x6a; // 'jello there': still valid JSON, only the checksum tells
    await writeFile(flippedLog, bytes);

    const h2 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const rows = h2.manager.list();
    assert.match(rows.find((r) => r.id === empty.id)?.damaged?.reason ?? '', /empty/);
    const snap = await h2.manager.open(empty.id);
    assert.equal(snap.id, empty.id, 'opens (nothing to read) instead of "No session"');
    assert.ok(h2.of(empty.id).some((e) => e.type === 'warning' && e.code === 'store_damaged'));
    const flippedSnap = await h2.manager.open(flipped.id);
    assert.equal(flippedSnap.title, 'flipped');
    await h2.manager.whenIdle(flipped.id); // the full load (a preview may have answered first)
    const warn = h2.of(flipped.id).find((e) => e.type === 'warning' && e.code === 'store_damaged');
    assert.ok(warn && warn.type === 'warning' && /1 record/.test(warn.message), JSON.stringify(warn));
    const listed = h2.manager.list();
    assert.ok(listed.find((r) => r.id === empty.id)?.damaged, 'still damaged once opened');
    assert.equal(listed.find((r) => r.id === flipped.id)?.damaged?.unreadableRecords, 1);
    await h2.close();
  });
});
