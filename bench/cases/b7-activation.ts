/**
 * B7: activation time of the real dist/extension.js (stub 'vscode' in a fresh process: require +
 * activate), bundle sizes (dist/sizes.json), and the heap of 100 idle sessions listed but not
 * opened. Baseline: the same extension with every lazy bundle (SDKs, host) loaded at activation,
 * timed the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { eventsForMessages, seedLog } from '../lib/gen';
import { median, type BenchRow } from '../lib/stats';
import { notMeasured, type CaseContext } from '../lib/case';

const root = join(import.meta.dirname, '../..');

interface Activation { requireMs: number; activateMs: number; firstUseMs: number; loadedSdk: boolean }

function activate(bundle: string, storage: string, runs: number): Activation & { totalMs: number } {
  const results: Activation[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [join(root, 'bench/lib/activate-child.cjs'), bundle, storage], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    results.push(JSON.parse(out.trim().split('\n').pop()!) as Activation);
  }
  return {
    requireMs: median(results.map((r) => r.requireMs)), firstUseMs: median(results.map((r) => r.firstUseMs)), activateMs: median(results.map((r) => r.activateMs)),
    totalMs: median(results.map((r) => r.requireMs + r.activateMs)), loadedSdk: results.some((r) => r.loadedSdk),
  };
}

/**
 * The same extension with everything lazy loaded at activation (what the peers ship): a wrapper
 * that requires dist/extension.js and then every dist/vendor bundle (SDKs, host) up front.
 * (One esbuild bundle of the sources with static imports breaks zod's module order in the MCP
 * SDK, so the real built bundles are loaded eagerly instead: the same code, the same bytes.)
 */
function eagerWrapper(dir: string): { file: string; bytes: number } {
  const vendorDir = join(root, 'dist/vendor');
  const vendors = existsSync(vendorDir) ? readdirSync(vendorDir).filter((f) => f.endsWith('.js')).map((f) => join(vendorDir, f)) : [];
  const file = join(dir, 'extension-eager.cjs');
  writeFileSync(file, [
    `const ext = require(${JSON.stringify(join(root, 'dist/extension.js'))});`,
    ...vendors.map((v) => `require(${JSON.stringify(v)});`),
    'module.exports = ext;',
  ].join('\n'));
  const bytes = [join(root, 'dist/extension.js'), ...vendors].reduce((n, f) => n + statSync(f).size, 0);
  return { file, bytes };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const bundle = join(root, 'dist/extension.js');
  if (!existsSync(bundle)) return [notMeasured('B7', 'activation', 'dist/extension.js missing (npm run build failed)')];
  const runs = ctx.quick ? 3 : 9;
  const dir = await ctx.tempDir('b7');
  const ours = activate(bundle, dir, runs);
  const eagerBundle = eagerWrapper(dir);
  const eager = activate(eagerBundle.file, dir, runs);
  const rows: BenchRow[] = [
    { id: 'B7', what: 'activation: require + activate() of dist/extension.js', unit: 'ms', ours: ours.totalMs, target: '< 20 ms', met: ours.totalMs < 20, baseline: eager.totalMs, baselineWhat: 'SDKs + host imported eagerly', note: `activate() alone ${ours.activateMs.toFixed(2)} ms; lazy bundle loaded at activation: ${ours.loadedSdk ? 'yes' : 'no'}; host bundle loads on first use in ${ours.firstUseMs.toFixed(0)} ms` },
  ];
  const sizesFile = join(root, 'dist/sizes.json');
  if (existsSync(sizesFile)) {
    const sizes = JSON.parse(readFileSync(sizesFile, 'utf8')) as Record<string, number>;
    const ext = sizes['dist/extension.js'] ?? Number.NaN;
    const lazy = Object.entries(sizes).filter(([k]) => k.startsWith('dist/vendor/')).map(([k, v]) => `${k.slice('dist/vendor/'.length)} ${(v / 1024).toFixed(0)}`).join(', ');
    rows.push(
      { id: 'B7', what: 'extension bundle (loaded at activation)', unit: 'KiB', ours: ext / 1024, target: '< 1.5 MB, SDKs lazy', met: ext < 1.5e6, baseline: eagerBundle.bytes / 1024, baselineWhat: 'everything loaded at activation', note: `lazy KiB: ${lazy}` },
      { id: 'B7', what: 'webview bundle', unit: 'KiB', ours: (sizes['dist/webview.js'] ?? Number.NaN) / 1024 },
    );
  } else rows.push(notMeasured('B7', 'bundle sizes', 'dist/sizes.json missing'));

  const idleDir = await ctx.tempDir('b7-idle');
  for (let i = 0; i < 100; i++) await seedLog(idleDir, `idle${i}`, eventsForMessages(`idle${i}`, 40));
  const indexer = new JsonlSessionStore({ directory: idleDir });
  await indexer.list(); // builds index.json once, as the extension's earlier runs would have
  await indexer.close();
  const idle = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'bench/lib/idle-child.ts'), idleDir], { encoding: 'utf8' }).trim().split('\n').pop()!) as { sessions: number; heapMB: number; rssMB: number };
  rows.push({ id: 'B7', what: `heap of ${idle.sessions} idle sessions listed, not opened`, unit: 'MB', ours: idle.heapMB, target: '< 30 MB', met: idle.heapMB < 30, note: `manager + store + list(); RSS +${idle.rssMB.toFixed(1)} MB` });
  return rows;
}
