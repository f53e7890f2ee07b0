/**
 * B1: append one event to a session of 1k / 10k / 100k events with the real JsonlSessionStore on
 * real disk (log pre-seeded on disk in the store's own format: every line checksummed), against
 * rewriting the whole history as one JSON file. The durable cost includes each line's CRC-32
 * (computed when the batch is written); two more rows price the checksum alone, per event, when
 * written and when checked on load, against plain JSON.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/session/events';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { decodeRecord, encodeRecord, pushLine } from '../../src/core/store/record';
import { WholeFileHistory } from '../baselines/whole-file-history';
import { takeEvents } from '../lib/gen';
import { median, summarize, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SESSION = 'b1';
/** One fdatasync per this many events: what the 100 ms timer groups at ~1k events/s of streaming. */
const FLUSH_EVERY = 100;
const nowMs = (): number => performance.now();

interface Ours { p50: number; p99: number; durable: number }

/** A log as the store writes it (checksummed lines), so the first write sees a real log. */
async function seedLog(directory: string, sessionId: string, events: readonly SessionEvent[]): Promise<void> {
  await mkdir(join(directory, 'sessions'), { recursive: true });
  await writeFile(join(directory, 'sessions', `${sessionId}.jsonl`), events.map((e) => `${encodeRecord(e)}\n`).join(''));
}

/** µs per event: `fn` over every event, best of `runs` passes (warm). */
function perEvent<T>(items: readonly T[], runs: number, fn: (item: T) => unknown): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = nowMs();
    for (const item of items) if (fn(item)) sink++;
    best = Math.min(best, nowMs() - t0);
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the work observable
  return (best * 1000) / items.length;
}

/** The checksum's own cost: the line's bytes as the writer makes them vs JSON + UTF-8 alone; check + parse vs JSON.parse. */
function checksumCost(events: readonly SessionEvent[], runs: number): { encode: number; json: number; decode: number; parse: number } {
  const plain = events.map((e) => Buffer.from(JSON.stringify(e)));
  const checked = events.map((e) => Buffer.from(encodeRecord(e)));
  return {
    json: perEvent(events, runs, (e) => Buffer.from(`${JSON.stringify(e)}\n`).length),
    encode: perEvent(events, runs, (e) => pushLine([], e)),
    parse: perEvent(plain, runs, (b) => JSON.parse(b.toString('utf8')) !== null),
    decode: perEvent(checked, runs, (b) => decodeRecord(b).kind === 'event'),
  };
}

async function measureOurs(dir: string, size: number, appends: number, runs: number): Promise<Ours> {
  const all = takeEvents(SESSION, size + appends * runs);
  await seedLog(dir, SESSION, all.slice(0, size));
  const p50s: number[] = [];
  const p99s: number[] = [];
  const durables: number[] = [];
  for (let r = 0; r < runs; r++) {
    const store = new JsonlSessionStore({ directory: dir });
    const batch = all.slice(size + r * appends, size + (r + 1) * appends);
    const costs: number[] = [];
    const t0 = nowMs();
    for (let i = 0; i < batch.length; i++) {
      const s = nowMs();
      store.append(SESSION, batch[i]!);
      costs.push(nowMs() - s);
      if ((i + 1) % FLUSH_EVERY === 0) await store.flush(SESSION);
    }
    await store.flush(SESSION);
    durables.push((nowMs() - t0) / batch.length);
    await store.close();
    const s = summarize(costs);
    p50s.push(s.p50);
    p99s.push(s.p99);
  }
  return { p50: median(p50s), p99: median(p99s), durable: median(durables) };
}

async function measureBaseline(dir: string, size: number, samples: number): Promise<{ p50: number; p99: number; mean: number }> {
  const all = takeEvents(SESSION, size + samples);
  const h = new WholeFileHistory(dir, SESSION);
  await h.seed(all.slice(0, size));
  const costs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const s = nowMs();
    await h.append(all[size + i]);
    costs.push(nowMs() - s);
  }
  return summarize(costs);
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const sizes = ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const rows: BenchRow[] = [];
  const flat: number[] = [];
  for (const size of sizes) {
    const dir = await ctx.tempDir(`b1-${size}`);
    const ours = await measureOurs(join(dir, 'ours'), size, ctx.quick ? 1_000 : 2_000, ctx.quick ? 3 : 5);
    const samples = size >= 100_000 ? 5 : size >= 10_000 ? (ctx.quick ? 5 : 20) : (ctx.quick ? 20 : 50);
    const base = await measureBaseline(join(dir, 'base'), size, samples);
    await rm(dir, { recursive: true, force: true });
    flat.push(ours.p50);
    const k = `${size / 1000}k`;
    rows.push(
      { id: 'B1', what: `append p50, session of ${k} events`, unit: 'ms', ours: ours.p50, target: '< 0.05 ms', met: ours.p50 < 0.05, baseline: base.p50, baselineWhat: 'whole-file JSON rewrite' },
      { id: 'B1', what: `append p99, session of ${k} events`, unit: 'ms', ours: ours.p99, target: '< 1 ms', met: ours.p99 < 1, baseline: base.p99, baselineWhat: `whole-file, ${samples} samples` },
      {
        id: 'B1', what: `durable cost per event incl. fdatasync, ${k} events`, unit: 'ms', ours: ours.durable, baseline: base.mean,
        baselineWhat: 'whole-file write, no fsync', note: `1 write+fdatasync per ${FLUSH_EVERY} events`,
      },
    );
  }
  const cost = checksumCost(takeEvents(SESSION, 20_000), ctx.quick ? 3 : 7);
  rows.push(
    { id: 'B1', what: 'line written: JSON + UTF-8 + CRC-32 checksum, per event', unit: 'µs', ours: cost.encode, baseline: cost.json, baselineWhat: 'JSON + UTF-8 bytes, no checksum', note: `checksum adds ${(cost.encode - cost.json).toFixed(2)} µs per event` },
    { id: 'B1', what: 'record loaded: checksum check + parse, per event', unit: 'µs', ours: cost.decode, baseline: cost.parse, baselineWhat: 'JSON.parse alone', note: `checksum adds ${(cost.decode - cost.parse).toFixed(2)} µs per event` },
  );
  const growth = flat[flat.length - 1]! / flat[0]!;
  rows.push({ id: 'B1', what: `append p50 growth ${sizes[0]! / 1000}k → ${sizes[sizes.length - 1]! / 1000}k events`, unit: '×', ours: growth, target: 'flat (≈ 1×)', met: growth < 2 });
  return rows;
}
