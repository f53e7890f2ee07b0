/**
 * What the change ledger adds to one edit: edit_file on 10 files of 10 KB, round after round,
 * once writing directly (no ctx.files) and once through SessionFiles (per-path lock, stale check,
 * pre/post images kept in an on-disk blob store, one file.changed body serialised as the log
 * would). Figures, not assertions.
 *
 *   node --import tsx bench/tools/ledger-overhead.ts [--rounds 30]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEditFileTool } from '../../src/core/tools/edit-file';
import { createLedgerEnv } from '../../src/core/changes/ledger-env';
import { createSessionFiles } from '../../src/core/changes/session-files';
import { ChangeRecorder } from '../../src/core/session/change-recorder';
import { nullLogger } from '../../src/core/ports';
import type { ToolContext } from '../../src/core/tools/types';
import { machine, percentile } from '../lib/stats';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 30;
const FILES = 10;
const WARMUP = 3;

/** 10 KB of code-like lines with a counter line the edits bump. */
function body(): string {
  const lines = ['counter: 0'];
  while (lines.join('\n').length < 10 * 1024 - 40) lines.push(`export const value${lines.length} = compute(${lines.length}, 'some text here');`);
  return `${lines.join('\n')}\n`;
}

/** One workspace of 10 files and a way to edit file i in round r (timed), directly or through the ledger. */
async function rig(dir: string, withLedger: boolean): Promise<{ edit(round: number, i: number): Promise<number>; logged(): number }> {
  const ws = join(dir, withLedger ? 'ledger' : 'direct');
  await mkdir(ws, { recursive: true });
  for (let i = 0; i < FILES; i++) await writeFile(join(ws, `f${i}.ts`), body());
  const tool = createEditFileTool();
  const ledger = createLedgerEnv({ changesDir: join(dir, 'changes'), workspaceRoots: [ws], logger: nullLogger });
  let logged = 0;
  const changes = new ChangeRecorder((b) => { logged += JSON.stringify(b).length; });
  return {
    logged: () => logged,
    async edit(round, i) {
      const callId = `c${round}-${i}`;
      const ctx: ToolContext = {
        sessionId: 's1', callId, workspaceRoots: [ws], signal: new AbortController().signal, logger: nullLogger,
        onOutput: () => undefined, tasks: { get: () => [], set: () => undefined },
        ...(withLedger ? { files: createSessionFiles({ sessionId: 's1', turnId: 't1', callId, changes, ledger, data: { changes: [] }, workspaceRoots: [ws] }) } : {}),
      };
      const t0 = performance.now();
      const r = await tool.execute({ path: `f${i}.ts`, edits: [{ oldText: `counter: ${round}`, newText: `counter: ${round + 1}` }] }, ctx);
      const ms = performance.now() - t0;
      if (r.isError) throw new Error(r.content);
      return ms;
    },
  };
}

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
