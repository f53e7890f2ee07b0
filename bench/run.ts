/**
 * `npm run bench`: runs every case in turn, prints one table (with the machine) and writes
 * bench/results/latest.json. Figures, never assertions: exits 0 unless a case crashes.
 * Flags: --quick (smoke run, < 60 s), --only B1,B3 (a subset).
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeContext, type BenchCase } from './lib/case';
import { machine, markdownTable, type BenchRow } from './lib/stats';

const CASES: Array<[string, () => Promise<{ run: BenchCase }>]> = [
  ['B1', () => import('./cases/b1-append')],
  ['B2', () => import('./cases/b2-bytes')],
  ['B3', () => import('./cases/b3-open')],
  ['B4', () => import('./cases/b4-stream-host')],
  ['B5', () => import('./cases/b5-webview')],
  ['B6', () => import('./cases/b6-concurrent')],
  ['B7', () => import('./cases/b7-activation')],
  ['B8', () => import('./cases/b8-prompt-cache')],
  ['B9', () => import('./cases/b9-command-analysis')],
  ['B10', () => import('./cases/b10-sandbox')],
  ['B11', () => import('./cases/b11-lanes')],
  ['B11C', () => import('./cases/b11c-ledger')],
  ['B12', () => import('./cases/b12-restore')],
  ['B13', () => import('./cases/b13-worktree')],
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1] ?? '').toUpperCase().split(',') : undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'agent-sessions-bench-'));
  const ctx = makeContext(scratch, quick);
  const rows: BenchRow[] = [];
  const durations: Record<string, number> = {};
  let crashed = 0;
  try {
    for (const [id, load] of CASES) {
      if (only && !only.includes(id)) continue;
      process.stderr.write(`${id}…\n`);
      const t0 = performance.now();
      try {
        rows.push(...await (await load()).run(ctx));
      } catch (err) {
        crashed++;
        const message = err instanceof Error ? err.stack ?? err.message : String(err);
        process.stderr.write(`${id} crashed: ${message}\n`);
        rows.push({ id, what: 'case crashed', unit: '', ours: Number.NaN, note: `crashed: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}` });
      }
      durations[id] = Math.round(performance.now() - t0);
      process.stderr.write(`${id} done in ${(durations[id]! / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const m = machine();
  const header = `Machine: ${m.cores} cores, ${m.cpu}, ${m.memGiB} GiB, Node ${m.node}, ${m.platform}${quick ? ' — QUICK run (smaller sizes)' : ''}`;
  const table = markdownTable(rows);
  console.log(`\n${header}\n\n${table}\n`);
  const resultsDir = join(import.meta.dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = { date: new Date().toISOString(), quick, machine: m, durationsMs: durations, rows: rows.map((r) => ({ ...r, ratio: r.baseline !== undefined && r.ours ? r.baseline / r.ours : undefined })) };
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (!quick && !only) {
    await writeFile(join(resultsDir, 'README-table.md'), `<!-- Written by \`npm run bench\` (bench/run.ts); copy into the README. -->\n${header}\n\n${table}\n`);
  }
  return crashed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
