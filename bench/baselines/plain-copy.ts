/**
 * Baseline for B13: the least a worktree can cost — a plain copy of the repository's working files
 * (`fs.cp`, recursive, `.git` left out): what making a folder of the same files takes without git.
 */
import { cp } from 'node:fs/promises';
import { basename } from 'node:path';

/** Copies the working files of `from` (no `.git`) to `to`; returns the milliseconds it took. */
export async function plainCopy(from: string, to: string): Promise<number> {
  const t0 = performance.now();
  await cp(from, to, { recursive: true, filter: (src) => basename(src) !== '.git' });
  return performance.now() - t0;
}
