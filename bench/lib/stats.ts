/** Small statistics helpers for benchmarks: figures, never assertions. */
import os from 'node:os';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: readonly number[]): { p50: number; p99: number; mean: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, n: sorted.length };
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Runs `fn` `runs` times and returns the median of what it returns (each run returns one figure). */
export async function medianOf(runs: number, fn: () => Promise<number> | number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return median(out);
}

export function machine(): { cores: number; cpu: string; node: string; platform: string; memGiB: number } {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** One row of the results table. `ours` and `baseline` in the row's unit; ratio = baseline / ours. */
export interface BenchRow {
  id: string;
  what: string;
  unit: string;
  ours: number;
  target?: string;
  baseline?: number;
  baselineWhat?: string;
  /** True when the target is met (undefined when no numeric target applies). */
  met?: boolean;
  note?: string;
}

export function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1000) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 0.1) return n.toFixed(2);
  return n.toPrecision(2);
}

export function ratio(row: BenchRow): string {
  if (row.baseline === undefined || row.ours === 0) return '—';
  return `${fmt(row.baseline / row.ours)}×`;
}

function metCell(r: BenchRow): string {
  const met = r.met === undefined ? '' : r.met ? 'yes' : 'no';
  if (!r.note) return met || '—';
  return met ? `${met} — ${r.note}` : r.note;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const head = '| # | What | Ours | Target | Baseline (same run) | Ratio | Met |\n|---|---|---|---|---|---|---|';
  const body = rows.map((r) =>
    `| ${r.id} | ${r.what} | ${fmt(r.ours)} ${r.unit} | ${r.target ?? '—'} | ${r.baseline === undefined ? '—' : `${fmt(r.baseline)} ${r.unit}${r.baselineWhat ? ` (${r.baselineWhat})` : ''}`} | ${ratio(r)} | ${metCell(r)} |`,
  );
  return [head, ...body].join('\n');
}
