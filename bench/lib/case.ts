/** What every benchmark case receives and returns. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchRow } from './stats';

export interface CaseContext {
  /** Smaller sizes and fewer runs: a smoke run that finishes in well under a minute. */
  quick: boolean;
  /** Root of this run's scratch space (removed at the end). */
  scratch: string;
  /** A fresh directory under the scratch space. */
  tempDir(name: string): Promise<string>;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
}

export type BenchCase = (ctx: CaseContext) => Promise<BenchRow[]>;

export function makeContext(scratch: string, quick: boolean): CaseContext {
  let n = 0;
  return {
    quick, scratch,
    tempDir: async (name) => {
      const dir = join(scratch, `${String(++n).padStart(2, '0')}-${name}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    log: (message) => process.stderr.write(`  ${message}\n`),
  };
}

/** A row for a case that could not be measured (a missing piece), never a made-up figure. */
export function notMeasured(id: string, what: string, reason: string): BenchRow {
  return { id, what, unit: '', ours: Number.NaN, note: `not measured: ${reason}` };
}
