/**
 * The change ledger's edit rig for benchmarks: a workspace of 10 files of 10 KB edited with the
 * real edit_file tool, either directly (no ctx.files) or through SessionFiles (per-path lock,
 * stale check, pre/post images in an on-disk blob store, one file.changed body serialised as the
 * log would). Used by B11C (bench/cases/b11c-ledger.ts) and bench/tools/ledger-overhead.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEditFileTool } from '../../src/core/tools/edit-file';
import { createLedgerEnv } from '../../src/core/changes/ledger-env';
import { createSessionFiles } from '../../src/core/changes/session-files';
import { ChangeRecorder } from '../../src/core/session/change-recorder';
import { nullLogger } from '../../src/core/ports';
import type { ToolContext } from '../../src/core/tools/types';

export const FILES = 10;

/** 10 KB of code-like lines with a counter line the edits bump. */
function body(): string {
  const lines = ['counter: 0'];
  while (lines.join('\n').length < 10 * 1024 - 40) lines.push(`export const value${lines.length} = compute(${lines.length}, 'some text here');`);
  return `${lines.join('\n')}\n`;
}

export interface LedgerRig {
  /** Edits file `i` in round `round`; the ms the tool took. */
  edit(round: number, i: number): Promise<number>;
  /** Characters of file.changed bodies recorded. */
  logged(): number;
  /** The workspace and the changes folder. */
  ws: string;
  changesDir: string;
}

/** One workspace of 10 files and a way to edit file i in round r (timed), directly or through the ledger. */
export async function rig(dir: string, withLedger: boolean): Promise<LedgerRig> {
  const ws = join(dir, withLedger ? 'ledger' : 'direct');
  await mkdir(ws, { recursive: true });
  for (let i = 0; i < FILES; i++) await writeFile(join(ws, `f${i}.ts`), body());
  const tool = createEditFileTool();
  const ledger = createLedgerEnv({ changesDir: join(dir, 'changes'), workspaceRoots: [ws], logger: nullLogger });
  let logged = 0;
  const changes = new ChangeRecorder((b) => { logged += JSON.stringify(b).length; });
  return {
    logged: () => logged, ws, changesDir: join(dir, 'changes'),
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

