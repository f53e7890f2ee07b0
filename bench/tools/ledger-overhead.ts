/**
 * What the change ledger adds to one edit: edit_file on 10 files of 10 KB, round after round,
 * once writing directly (no ctx.files) and once through SessionFiles (per-path lock, stale check,
 * pre/post images kept in an on-disk blob store, one file.changed body serialised as the log
 * would). Figures, not assertions.
 *
 *   node --import tsx bench/tools/ledger-overhead.ts [--rounds 30]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILES, rig } from '../lib/ledger-rig';
import { machine, percentile } from '../lib/stats';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 30;
const WARMUP = 3;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-'));
  try {
    const direct = await rig(dir, false);
    const ledgered = await rig(dir, true);
    const plain: number[] = [];
    const through: number[] = [];
    const added: number[] = [];
    // Interleaved, order alternating, so load from elsewhere on the machine hits both alike.
    for (let round = 0; round < rounds + WARMUP; round++) {
      for (let i = 0; i < FILES; i++) {
        const first = (round + i) % 2 === 0;
        const a = first ? await direct.edit(round, i) : 0;
        const b = await ledgered.edit(round, i);
        const c = first ? a : await direct.edit(round, i);
        if (round < WARMUP) continue;
        plain.push(c);
        through.push(b);
        added.push(b - c);
      }
    }
    if (ledgered.logged() === 0) throw new Error('nothing recorded');
    for (const xs of [plain, through, added]) xs.sort((x, y) => x - y);
    const m = machine();
    const fmt = (n: number): string => n.toFixed(3);
    console.log(`Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}, ${m.platform}`);
    console.log(`edit_file, ${FILES} files of 10 KB, ${rounds} rounds (${plain.length} edits each way, interleaved)`);
    console.log(`  direct:         p50 ${fmt(percentile(plain, 50))} ms   p90 ${fmt(percentile(plain, 90))} ms`);
    console.log(`  through ledger: p50 ${fmt(percentile(through, 50))} ms   p90 ${fmt(percentile(through, 90))} ms`);
    console.log(`  added per edit (paired): p50 ${fmt(percentile(added, 50))} ms   p90 ${fmt(percentile(added, 90))} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
