/**
 * Where the full restore of B3's 10,000-message log spends its time, stage by stage, each stage
 * timed on its own over the same bytes (median of runs): read, split into lines, CRC-32 check,
 * UTF-8 decode + JSON.parse, fold; then the real store.load and store.load + fold, and the
 * baselines. Figures for people reading a profile, not part of the results table.
 *
 *   node --import tsx bench/tools/restore-split.ts [--runs 7]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/tools/restore-split.ts --only load+fold
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { crc32 } from '../../src/core/store/record';
import { foldEvents } from '../../src/core/session/reducer';
import type { SessionEvent } from '../../src/core/session/events';
import { eventsForMessages, messagesOf, seedLog } from '../lib/gen';
import { median } from '../lib/stats';

const SESSION = 'b3';
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

async function time(name: string, fn: () => Promise<unknown> | unknown): Promise<void> {
  if (only && only !== name) return;
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(34)} ${median(out).toFixed(1).padStart(7)} ms`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'restore-split-'));
  try {
    const events = eventsForMessages(SESSION, 10_000);
    await seedLog(dir, SESSION, events); // the store's own lines, with checksums
    const logPath = join(dir, 'sessions', `${SESSION}.jsonl`);
    const bytes = await readFile(logPath);
    console.log(`log: ${events.length} events, ${(bytes.length / 1e6).toFixed(1)} MB, runs: ${runs}`);
    const sameJson = join(dir, 'events.json');
    await writeFile(sameJson, JSON.stringify(events));
    const msgJson = join(dir, 'messages.json');
    await writeFile(msgJson, JSON.stringify(messagesOf(events)));

    await time('baseline: same events, one JSON', async () => JSON.parse(await readFile(sameJson, 'utf8')));
    await time('baseline: messages-only JSON', async () => JSON.parse(await readFile(msgJson, 'utf8')));
    await time('read (readFile → Buffer)', () => readFile(logPath));
    const lines: Buffer[] = [];
    await time('split on \\n (subarray)', () => {
      lines.length = 0;
      let start = 0;
      for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) { lines.push(bytes.subarray(start, nl)); start = nl + 1; }
    });
    await time('CRC-32 of every line', () => { let x = 0; for (const l of lines) x ^= crc32(l); return x; });
    await time('decode: whole buffer toString', () => bytes.toString('utf8'));
    await time('decode: per line toString', () => { for (const l of lines) l.toString('utf8'); });
    const texts = lines.map((l) => l.toString('utf8'));
    await time('JSON.parse per line', () => { for (const t of texts) JSON.parse(t); });
    const parsed = texts.map((t) => JSON.parse(t) as SessionEvent);
    await time('fold (foldEvents)', () => foldEvents(SESSION, parsed));
    await time('store.load', async () => {
      const s = new JsonlSessionStore({ directory: dir });
      await s.load(SESSION);
      await s.close();
    });
    await time('load+fold', async () => {
      const s = new JsonlSessionStore({ directory: dir });
      foldEvents(SESSION, (await s.load(SESSION)).events);
      await s.close();
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
