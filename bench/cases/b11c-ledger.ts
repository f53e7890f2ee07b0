/**
 * B11C (issue 13's "B11"; B11 is issue 12's tool lanes): what the change ledger and its
 * checkpoints cost a turn that edits 10 files of 10 KB. Ours: the time the ledger adds to the
 * turn's 10 edit_file calls (each edit through SessionFiles minus the same edit written directly,
 * paired and interleaved), and the bytes its blob store grows per turn against the bytes the
 * turn changed. A checkpoint itself is a position in the log: it costs nothing more.
 * Baseline: Cline's checkpoint — `git add -A && git commit` in a shadow repository of a
 * 10,000-file, 100 MB workspace after the same 10 edits. Targets: < 2 ms added; ≤ 1.1 × bytes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FILES, rig } from '../lib/ledger-rig';
import { ShadowGitCheckpoints, dirBytes } from '../baselines/shadow-git';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

/** A workspace of `files` files of 10 KB of code-like text, in 100 folders. */
async function bigWorkspace(dir: string, files: number): Promise<string[]> {
  const paths: string[] = [];
  const line = (i: number, j: number): string => `export const v${j} = compute(${i}, ${j}, 'text of file ${i}');\n`;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `pkg${i % 100}`);
    if (i < 100) await mkdir(folder, { recursive: true });
    let body = '';
    for (let j = 0; body.length < 10 * 1024; j++) body += line(i, j);
    const p = join(folder, `file${i}.ts`);
    await writeFile(p, body);
    paths.push(p);
  }
  return paths;
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const rounds = ctx.quick ? 5 : 20;
  const files = ctx.quick ? 1_000 : 10_000;
  // Ours: the ledger's added time per turn (10 edits), paired against direct edits.
  const dir = await ctx.tempDir('b11c-ledger');
  const direct = await rig(dir, false);
  const ledgered = await rig(dir, true);
  const perTurn: number[] = [];
  let grown = 0;
  let changed = 0;
  for (let round = 0; round < rounds + 2; round++) {
    const before = await dirBytes(ledgered.changesDir);
    let added = 0;
    for (let i = 0; i < FILES; i++) {
      const first = (round + i) % 2 === 0;
      const a = first ? await direct.edit(round, i) : 0;
      const b = await ledgered.edit(round, i);
      const c = first ? a : await direct.edit(round, i);
      added += b - c;
    }
    if (round < 2) continue; // warm-up; the first round also stores the pre-images once
    perTurn.push(added);
    grown += (await dirBytes(ledgered.changesDir)) - before;
    for (let i = 0; i < FILES; i++) changed += (await readFile(join(ledgered.ws, `f${i}.ts`))).length;
  }
  // Baseline: a shadow-git checkpoint of a big workspace after the same 10 edits.
  const wsDir = await ctx.tempDir('b11c-shadow-ws');
  ctx.log(`B11C: writing a ${files.toLocaleString('en-US')}-file workspace for the shadow-git baseline…`);
  const paths = await bigWorkspace(wsDir, files);
  const shadow = new ShadowGitCheckpoints(join(await ctx.tempDir('b11c-shadow-git'), 'shadow.git'), wsDir);
  await shadow.init();
  const gitTimes: number[] = [];
  let gitGrown = 0;
  const gitRounds = ctx.quick ? 2 : 5;
  for (let round = 0; round < gitRounds; round++) {
    for (let i = 0; i < FILES; i++) {
      const p = paths[(i * 997) % paths.length]!;
      await writeFile(p, `${await readFile(p, 'utf8')}// edit ${round}\n`);
    }
    const before = await shadow.bytes();
    const t0 = performance.now();
    await shadow.checkpoint(`round ${round}`);
    gitTimes.push(performance.now() - t0);
    gitGrown += (await shadow.bytes()) - before;
  }
  const ratio = grown / changed;
  return [
    {
      id: 'B11C', what: 'ledger + checkpoint time added to a turn editing 10 files of 10 KB', unit: 'ms', ours: median(perTurn), target: '< 2',
      baseline: median(gitTimes), baselineWhat: `shadow-git checkpoint (git add -A && commit) of ${files.toLocaleString('en-US')} files, ${Math.round(files * 10 / 1024)} MB`,
      met: median(perTurn) < 2, note: `median of ${perTurn.length} turns, 10 edits each, paired with direct edits`,
    },
    {
      id: 'B11C', what: 'bytes stored per turn ÷ bytes the turn changed', unit: '×', ours: ratio, target: '≤ 1.1',
      baseline: gitGrown / gitRounds / (FILES * 10 * 1024), baselineWhat: 'shadow-git objects added per checkpoint ÷ bytes changed',
      met: ratio <= 1.1, note: `${Math.round(grown / perTurn.length)} B of blobs per turn for ${Math.round(changed / perTurn.length)} B changed (gzip where it pays, deduplicated)`,
    },
  ];
}
