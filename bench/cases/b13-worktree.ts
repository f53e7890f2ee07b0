/**
 * B13 (issue 14): worktree creation for a 10,000-file repository. A repository of 10,000 small
 * committed files in 100 folders; ours: `GitWorktrees.create` (clean, from HEAD) into a fresh
 * folder, median of a few runs (each worktree removed again between runs, not timed). Baseline,
 * measured in the same run, interleaved: a plain copy of the working files (fs.cp, .git left
 * out). Target < 1.5 s; the note gives ours ÷ the copy.
 */
import { worktreeStreamingRows } from '../lib/worktree-streaming';
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitWorktrees } from '../../src/core/worktree/git-worktrees';
import { plainCopy } from '../baselines/plain-copy';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

/** A committed repository of `files` small files in 100 folders, with a private git config. */
async function repository(ctx: CaseContext, files: number): Promise<{ repo: string; env: NodeJS.ProcessEnv }> {
  const repo = await ctx.tempDir('b13-repo');
  const config = join(ctx.scratch, 'b13-gitconfig');
  await writeFile(config, '[user]\n\tname = bench\n\temail = bench@localhost\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
  const env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' };
  for (let d = 0; d < 100; d++) await mkdir(join(repo, `pkg${d}`));
  for (let i = 0; i < files; i++) await writeFile(join(repo, `pkg${i % 100}`, `file${i}.ts`), `export const v${i} = ${i}; // a small file of the benchmark repository\n`);
  const git = (...args: string[]): void => { execFileSync('git', args, { cwd: repo, env: { ...process.env, ...env }, stdio: 'ignore' }); };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'B13 repository');
  return { repo, env };
}

/** The figures of B13 for `files` files over `runs` runs (exported for a smoke test). */
export async function measure(ctx: CaseContext, o: { files: number; runs: number }): Promise<BenchRow[]> {
  ctx.log(`B13: writing and committing a ${o.files.toLocaleString('en-US')}-file repository…`);
  const { repo, env } = await repository(ctx, o.files);
  const wt = new GitWorktrees({ env });
  const out = await ctx.tempDir('b13-out');
  const ours: number[] = [];
  const copy: number[] = [];
  for (let run = -1; run < o.runs; run++) { // run -1 warms the caches (git's objects, the file system)
    const dir = join(out, `wt-${run + 1}`);
    const t0 = performance.now();
    const w = await wt.create({ repoRoot: repo, dir, branch: `agent/bench-${run + 1}`, carry: 'clean' });
    const t = performance.now() - t0;
    const c = await plainCopy(repo, join(out, `copy-${run + 1}`));
    await wt.remove({ path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base }, { deleteBranch: true });
    await rm(join(out, `copy-${run + 1}`), { recursive: true, force: true });
    if (run < 0) continue;
    ours.push(t);
    copy.push(c);
  }
  const oursMs = median(ours);
  const copyMs = median(copy);
  return [{
    id: 'B13', what: `worktree creation for a ${o.files.toLocaleString('en-US')}-file repository (GitWorktrees.create, clean)`, unit: 'ms',
    ours: oursMs, target: '< 1500', baseline: copyMs, baselineWhat: 'plain copy of the tree (fs.cp of the working files, .git excluded)',
    met: oursMs < 1500, note: `median of ${ours.length}; ${(oursMs / copyMs).toFixed(2)}× the plain copy; includes the checks before git runs (git, base, branch, folder) and the checkout of every file`,
  }];
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const rows = await measure(ctx, ctx.quick ? { files: 2_000, runs: 2 } : { files: 10_000, runs: 5 });
  return [...rows, ...await worktreeStreamingRows(ctx)];
}
