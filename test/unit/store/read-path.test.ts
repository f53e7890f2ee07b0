/**
 * The full-load read path (log-reader.ts readLog + record.ts decodeRecordInPlace) against what a
 * log's damage must give, known by construction: logs written with the store's own line format,
 * damaged at chosen lines in the ways a disk damages them, read with windows from a few bytes
 * (every line crosses windows, lines longer than the window grow it) to the default.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeStoreFs } from '../../../src/core/store/fs-seam';
import { readLog } from '../../../src/core/store/log-reader';
import { decodeRecord, pushLine } from '../../../src/core/store/record';
import type { SessionEvent } from '../../../src/core/session/events';
import { EventMaker } from './fixtures';
import { seededRandom, tempDir } from './helpers';

const TEXTS = ['plain ascii', 'café — naïve “quotes”', 'emoji 🧪🚀 and 中文', 'x'.repeat(300), 'line\nbreak\tand "escapes" \\ / \u0001', ''];

function events(n: number, pick: () => number): SessionEvent[] {
  const ev = new EventMaker('s');
  const out: SessionEvent[] = [ev.created()];
  while (out.length < n) {
    const text = TEXTS[Math.floor(pick() * TEXTS.length)]!;
    out.push(ev.next({ type: 'message.delta', messageId: 'm', kind: 'text', text }));
  }
  return out;
}

type Damage = 'flip-head' | 'flip-crc' | 'nul' | 'cut';

/** Damages one line's bytes (no '\n' in it): what the reader must call it when other lines follow. */
function damage(line: Buffer, how: Damage, pick: () => number): Buffer {
  const b = Buffer.from(line);
  const crcAt = b.length - 10; // the 8 hex digits end 2 bytes before the end: `…"_crc":"xxxxxxxx"}`
  switch (how) {
    case 'flip-head': { const i = Math.floor(pick() * (crcAt - 9)); b[i] = b[i] === 0x61 ? 0x62 : 0x61; return b; } // inside the checked head: often still JSON, the CRC tells
    case 'flip-crc': { const i = crcAt + Math.floor(pick() * 8); b[i] = b[i] === 0x30 ? 0x31 : 0x30; return b; }
    case 'nul': { const i = Math.floor(pick() * b.length); b.fill(0, i, Math.min(b.length, i + 1 + Math.floor(pick() * 40))); return b; }
    case 'cut': return b.subarray(0, Math.max(1, Math.floor(pick() * (b.length - 1)))); // a torn write in the middle
  }
}

void describe('full-load read path', () => {
  for (let seed = 1; seed <= 12; seed++) {
    void test(`damaged logs give exactly the undamaged events and one warning per damaged line (seed ${seed})`, async () => {
      const pick = seededRandom(seed);
      const dir = await tempDir();
      const file = join(dir, 's.jsonl');
      const all = events(40 + Math.floor(pick() * 40), pick);
      const damaged = new Map<number, Damage>(); // 0-based index → how; never the first line, so the log stays a log
      const kinds: Damage[] = ['flip-head', 'flip-crc', 'nul', 'cut'];
      for (let i = 1; i < all.length - 1; i++) if (pick() < 0.15) damaged.set(i, kinds[Math.floor(pick() * kinds.length)]!);
      const tornTail = pick() < 0.5;
      const parts: Buffer[] = [];
      all.forEach((e, i) => {
        const line: Buffer[] = [];
        pushLine(line, e);
        const bytes = Buffer.concat(line).subarray(0, -1); // without its '\n'
        const last = i === all.length - 1;
        if (last && tornTail) parts.push(bytes.subarray(0, Math.floor(bytes.length / 2))); // crash mid-write: no '\n'
        else parts.push(damaged.has(i) ? damage(bytes, damaged.get(i)!, pick) : bytes, Buffer.from('\n'));
      });
      await writeFile(file, Buffer.concat(parts));
      const wantEvents = all.filter((_, i) => !damaged.has(i) && !(tornTail && i === all.length - 1));
      const wantCorrupt = [...damaged.keys()].map((i) => i + 1);
      for (const windowBytes of [7, 64, 1000, undefined]) {
        const r = await readLog(nodeStoreFs, file, 's', windowBytes === undefined ? {} : { windowBytes });
        const at = `window ${windowBytes ?? 'default'}, damaged ${JSON.stringify([...damaged])}, torn ${tornTail}`;
        assert.deepEqual(r.events, wantEvents, at);
        assert.deepEqual(r.warnings.filter((w) => w.code === 'corrupt_line').map((w) => w.line), wantCorrupt, at);
        assert.deepEqual(r.warnings.filter((w) => w.code === 'torn_tail').map((w) => w.line), tornTail ? [all.length] : [], at);
        if (damaged.size > 0) {
          assert.equal(r.damage?.kind, 'records', at);
          assert.equal(r.damage?.unreadable, damaged.size, at);
        } else assert.equal(r.damage, undefined, at);
      }
      await rm(dir, { recursive: true, force: true });
    });
  }

  void test('a line far longer than the window, and a log of only NUL bytes, read as they should', async () => {
    const dir = await tempDir();
    const file = join(dir, 's.jsonl');
    const ev = new EventMaker('s');
    const big = [ev.created(), ev.next({ type: 'message.delta', messageId: 'm', kind: 'text', text: 'é'.repeat(100_000) }), ev.next({ type: 'session.paused' })];
    const parts: Buffer[] = [];
    for (const e of big) pushLine(parts, e);
    await writeFile(file, Buffer.concat(parts));
    assert.deepEqual((await readLog(nodeStoreFs, file, 's', { windowBytes: 16 })).events, big);
    await writeFile(file, Buffer.alloc(200_000));
    const zeroed = await readLog(nodeStoreFs, file, 's', { windowBytes: 4096 });
    assert.deepEqual([zeroed.events.length, zeroed.damage?.kind, zeroed.damage?.size], [0, 'zeroed', 200_000]);
    await rm(dir, { recursive: true, force: true });
  });

  void test('decodeRecord leaves the line it is given as it was (only the reader decodes in place)', () => {
    const parts: Buffer[] = [];
    pushLine(parts, new EventMaker('s').created());
    const line = Buffer.concat(parts).subarray(0, -1);
    const before = Buffer.from(line);
    assert.equal(decodeRecord(line).kind, 'event');
    assert.deepEqual(line, before);
  });
});
