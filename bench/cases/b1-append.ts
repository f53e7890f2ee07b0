/**
 * B1: append one event to a session of 1k / 10k / 100k events with the real JsonlSessionStore on
 * real disk (log pre-seeded on disk), against rewriting the whole history as one JSON file.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { WholeFileHistory } from '../baselines/whole-file-history';
import { seedLog, takeEvents } from '../lib/gen';
import { median, summarize, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SESSION = 'b1';
/** One fdatasync per this many events: what the 100 ms timer groups at ~1k events/s of streaming. */
const FLUSH_EVERY = 100;
const nowMs = (): number => performance.now();

interface Ours { p50: number; p99: number; durable: number }

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
  const growth = flat[flat.length - 1]! / flat[0]!;
  rows.push({ id: 'B1', what: `append p50 growth ${sizes[0]! / 1000}k → ${sizes[sizes.length - 1]! / 1000}k events`, unit: '×', ours: growth, target: 'flat (≈ 1×)', met: growth < 2 });
  return rows;
}
