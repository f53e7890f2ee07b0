/**
 * B9: the cost of judging a command. A 200-character chained command (cd, env prefix, wrappers,
 * a pipeline, a substitution, redirections) is analysed by the tree-sitter analysis the engine
 * uses (`analyseCommand`), and by the hand-written parser it replaced (the baseline, kept in
 * bench/baselines/), both measured after a warm-up of 2,000 calls. Also: the one-time load of the parser (a fresh process, so nothing is
 * cached) and the size of what ships for it (the bundle and its two .wasm files).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { analyseCommand } from '../../src/core/approval/command-analysis';
import { parseShell } from '../baselines/hand-written-shell-parse';
import type { CaseContext } from '../lib/case';
import { median, percentile, type BenchRow } from '../lib/stats';

const COMMAND = 'cd packages/foo && NODE_ENV=test timeout 300 npm test -- --grep "parser" 2>&1 | tee -a ../../build/test.log | grep -v DEBUG > /dev/null; echo "done at $(date +%s)" >> build/log.txt || true && git status -s';

function timeIt(fn: () => void, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

/** Loads the grammar in a fresh Node process and reports how long the first analysis took. */
function coldLoad(root: string): number {
  const code = `const t0 = performance.now(); require(${JSON.stringify(path.join(root, 'dist/vendor/tree-sitter.js'))}).loadBashGrammar().then((g) => { g.parse('ls'); console.log(performance.now() - t0); });`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const root = path.join(import.meta.dirname, '../..');
  const ws = await ctx.tempDir('b9-ws');
  const opts = { cwd: ws, workspaceRoots: [ws], home: '/home/bench' };
  await analyseCommand('true', opts); // the grammar is loaded once per process
  const n = ctx.quick ? 300 : 3000;
  // Steady state, for both: the JIT warms up over the first thousand or so calls.
  for (let i = 0; i < (ctx.quick ? 200 : 2000); i++) { await analyseCommand(COMMAND, opts); parseShell(COMMAND); }
  // analyseCommand is async only for the first load; time each call to completion.
  const ours: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await analyseCommand(COMMAND, opts);
    ours.push(performance.now() - t0);
  }
  ours.sort((a, b) => a - b);
  const base = timeIt(() => parseShell(COMMAND), n);
  const cold = [0, 1, 2].map(() => coldLoad(root)).filter((x) => Number.isFinite(x));
  const size = (f: string) => { try { return statSync(path.join(root, 'dist/vendor', f)).size; } catch { return Number.NaN; } };
  const kib = (size('tree-sitter.js') + size('tree-sitter.wasm') + size('tree-sitter-bash.wasm')) / 1024;
  ctx.log(`B9: ${COMMAND.length}-char command, ${n} runs; cold loads ${cold.map((c) => c.toFixed(1)).join(', ')} ms`);
  const p50 = median(ours);
  const p99 = percentile(ours, 99);
  return [
    { id: 'B9', what: `command analysis p50, ${COMMAND.length}-char chained command (tree-sitter, parser loaded)`, unit: 'ms', ours: p50, target: '< 0.3 ms', baseline: median(base), baselineWhat: 'hand-written parser (before)', met: p50 < 0.3 },
    { id: 'B9', what: `command analysis p99, same command`, unit: 'ms', ours: p99, target: '< 2 ms', baseline: percentile(base, 99), baselineWhat: 'hand-written parser (before)', met: p99 < 2 },
    { id: 'B9', what: 'parser one-time load (fresh process: runtime + bash grammar + first parse)', unit: 'ms', ours: cold.length ? median(cold) : Number.NaN, note: 'paid once, on the first command the extension judges' },
    { id: 'B9', what: 'what ships for the parser (tree-sitter.js + tree-sitter.wasm + tree-sitter-bash.wasm)', unit: 'KiB', ours: kib, note: 'loaded only when a command is judged; not on activation' },
  ];
}
