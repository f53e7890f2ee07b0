import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent } from '../../../src/core/session/events';
import { EventMaker, indexRow, sampleTurn } from './fixtures';
import { openStore, tempDir } from './helpers';

/** A store directory with session `id` written by the real store (three turns) and its index row. */
async function writtenSession(id: string): Promise<{ dir: string; file: string; events: SessionEvent[] }> {
  const dir = await tempDir();
  const { store } = openStore(dir);
  const ev = new EventMaker(id);
  const events = [...sampleTurn(ev, 2, 't1'), ...sampleTurn(ev, 2, 't2'), ...sampleTurn(ev, 2, 't3')];
  for (const e of events) store.append(id, e);
  store.updateIndex(indexRow(id, { title: `Title ${id}`, lastSeq: ev.seq }));
  await store.close();
  const { events: stored } = await (async () => { const s = openStore(dir).store; try { return await s.load(id); } finally { await s.close(); } })();
  return { dir, file: join(dir, 'sessions', `${id}.jsonl`), events: stored };
}

async function copiesOf(dir: string, id: string): Promise<string[]> {
  return (await readdir(join(dir, 'sessions'))).filter((n) => n.startsWith(`${id}.jsonl.corrupt-`)).sort();
}

/** The log's bytes with line `lineIndex` (0-based) changed by `change` (which must keep its length). */
function damageLine(bytes: Buffer, lineIndex: number, change: (line: Buffer) => void): Buffer {
  const out = Buffer.from(bytes);
  let start = 0;
  for (let i = 0; i < lineIndex; i++) start = out.indexOf(0x0a, start) + 1;
  const end = out.indexOf(0x0a, start);
  change(out.subarray(start, end));
  return out;
}

void describe('JsonlSessionStore damage', () => {
  void test('a zero-length log (power loss) with an index row lists as damaged, is kept, and opens with a warning', async () => {
    const { dir, file } = await writtenSession('z');
    await truncate(file, 0);
    const { store, warnings } = openStore(dir);
    const rows = await store.list();
    const row = rows.find((r) => r.id === 'z');
    assert.ok(row, 'still listed');
    assert.match(row.damaged?.reason ?? '', /empty/);
    assert.equal(row.title, 'Title z', 'its index row is kept');
    assert.ok(row.damaged?.copy && (await stat(row.damaged.copy)).isFile(), 'a copy was kept');
    assert.ok(warnings.some((w) => w.code === 'damaged' && w.sessionId === 'z'));
    const r = await store.load('z');
    assert.deepEqual(r.events, []);
    assert.match(r.damaged?.reason ?? '', /empty/);
    assert.ok(r.warnings.some((w) => w.code === 'damaged'), JSON.stringify(r.warnings));
    await store.close();
    assert.equal((await stat(file)).size, 0, 'never deleted or rewritten');
    const again = openStore(dir).store;
    assert.ok((await again.list()).find((r2) => r2.id === 'z')?.damaged, 'still damaged after a restart');
    await again.close();
    assert.equal((await copiesOf(dir, 'z')).length, 1, 'one copy per damage, not one per open');
    await rm(dir, { recursive: true, force: true });
  });

  void test('an empty log appended to without a load is copied and noted before the first write touches it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const file = join(dir, 'sessions', 'e.jsonl');
    await writeFile(file, '');
    const { store, warnings } = openStore(dir);
    const ev = new EventMaker('e');
    store.append('e', ev.created());
    await store.flush('e');
    assert.deepEqual(warnings.map((w) => w.code), ['damaged']);
    const copies = await copiesOf(dir, 'e');
    assert.equal(copies.length, 1);
    assert.equal((await stat(join(dir, 'sessions', copies[0]!))).size, 0, 'the copy is the log as the disk left it');
    assert.ok((await stat(file)).size > 0, 'then the append went ahead');
    const r = await store.load('e');
    assert.match(r.damaged?.reason ?? '', /empty/, 'still reported: the damage was noted');
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('an all-NUL log without an index row is listed as damaged instead of hidden', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sessions'), { recursive: true });
    const file = join(dir, 'sessions', 'n.jsonl');
    await writeFile(file, Buffer.alloc(8192));
    const { store } = openStore(dir);
    const row = (await store.list()).find((r) => r.id === 'n');
    assert.ok(row, 'listed without an index row');
    assert.match(row.damaged?.reason ?? '', /zero bytes/);
    const r = await store.load('n');
    assert.deepEqual(r.events, []);
    assert.ok(r.damaged);
    await store.close();
    assert.deepEqual(await readFile(file), Buffer.alloc(8192), 'the log is left as it was');
    const copies = await copiesOf(dir, 'n');
    assert.equal(copies.length, 1);
    assert.deepEqual(await readFile(join(dir, 'sessions', copies[0]!)), Buffer.alloc(8192));
    await rm(dir, { recursive: true, force: true });
  });

  void test('a foreign file in place of a log (another session\'s log, or not a log at all) is damaged', async () => {
    const { dir, file } = await writtenSession('other');
    await writeFile(join(dir, 'sessions', 'f.jsonl'), await readFile(file));
    await writeFile(join(dir, 'sessions', 'g.jsonl'), 'just some text\nthat is not a log\n');
    const { store } = openStore(dir);
    const rows = await store.list();
    for (const id of ['f', 'g']) {
      const row = rows.find((r) => r.id === id);
      assert.ok(row?.damaged, `${id} listed as damaged`);
      assert.equal((await store.load(id)).events.length, 0, `${id}: nothing of another session is loaded into it`);
    }
    assert.equal(rows.find((r) => r.id === 'other')?.damaged, undefined, 'the real log is fine');
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  // [what, how, unreadable lines]: a byte turned into a newline leaves two halves, neither readable.
  for (const [name, change, unreadable] of [
    ['a changed letter inside a string', (l: Buffer) => { const i = l.indexOf('"hello"'); l[i + 5] = 0x70; }, 1], // hello → hellp: still valid JSON
    ['a changed digit of a number', (l: Buffer) => { const i = l.indexOf('"seq":') + 6; l[i] = l[i] === 0x39 ? 0x38 : l[i]! + 1; }, 1],
    ['a byte turned into a newline', (l: Buffer) => { l[Math.floor(l.length / 2)] = 0x0a; }, 2],
    ['zeroed bytes inside the record', (l: Buffer) => { l.fill(0, 3, 20); }, 1],
  ] as const) {
    void test(`damage inside a middle record (${name}) is detected, skipped, counted and copied first`, async () => {
      const { dir, file, events } = await writtenSession('s');
      const original = await readFile(file);
      const lines = original.toString('utf8').split('\n');
      const target = lines.findIndex((l, i) => i > 2 && l.includes('"turn.started"')); // t2's prompt
      assert.ok(target > 0);
      const damaged = damageLine(original, target, change);
      await writeFile(file, damaged);
      const { store } = openStore(dir);
      const r = await store.load('s');
      const lost = events[target]!;
      assert.deepEqual(r.events, events.filter((e) => e !== lost), 'every other record restored, the damaged one not trusted');
      assert.equal(r.damaged?.unreadableRecords, unreadable);
      const summary = r.warnings.find((w) => w.code === 'damaged');
      assert.match(summary?.message ?? '', new RegExp(`${unreadable} records?`));
      assert.ok(r.damaged?.copy);
      assert.deepEqual(await readFile(r.damaged.copy), damaged, 'the copy holds the damaged bytes');
      const next = new EventMaker('s');
      next.seq = events.at(-1)!.seq;
      store.append('s', next.next({ type: 'session.renamed', title: 'after' }));
      await store.flush('s');
      assert.deepEqual((await readFile(file)).subarray(0, damaged.length), damaged, 'only appended to');
      assert.deepEqual(await readFile(r.damaged.copy), damaged, 'the copy was taken before the append');
      assert.equal((await store.list()).find((row) => row.id === 's')?.damaged?.unreadableRecords, unreadable, 'listing says so too');
      await store.close();
      const again = openStore(dir).store;
      assert.equal((await again.load('s')).damaged?.unreadableRecords, unreadable);
      assert.equal((await again.list()).find((row) => row.id === 's')?.damaged?.unreadableRecords, unreadable);
      await again.close();
      assert.equal((await copiesOf(dir, 's')).length, 1, 'the same damage is not copied twice');
      await rm(dir, { recursive: true, force: true });
    });
  }

  void test('every stored line is valid JSON with a checksum; logs without checksums still load', async () => {
    const { dir, file, events } = await writtenSession('c');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.equal(lines.length, events.length);
    for (const l of lines) assert.match(String((JSON.parse(l) as Record<string, unknown>)._crc), /^[0-9a-f]{8}$/);
    assert.ok(events.every((e) => !('_crc' in e)), 'the checksum is not part of the event');
    await writeFile(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const { store } = openStore(dir);
    const r = await store.load('c');
    assert.deepEqual(r.events, events);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.damaged, undefined);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
