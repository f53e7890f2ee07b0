/**
 * B13's second half: 10 sessions, each in its own git worktree, streaming at once through the real
 * SessionManager, JSONL store and OpenAI SDK (fake LLM server in its own process), held to B6's
 * targets: no event lost, per-session throughput within 10 % of one session alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlmProcess } from './fake-llm-process';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { GitWorktrees } from '../../src/core/worktree/git-worktrees';
import { makeManager } from './engine';
import { expectedText, rate, streamAll, streamScript } from './stream-all';
import { median, type BenchRow } from './stats';
import type { CaseContext } from './case';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' };

/** A small committed repository (200 files) for the sessions' worktrees. */
function makeRepo(dir: string): void {
  for (let i = 0; i < 200; i++) {
    mkdirSync(join(dir, `src/m${i % 10}`), { recursive: true });
    writeFileSync(join(dir, `src/m${i % 10}/f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
}

export async function worktreeStreamingRows(ctx: CaseContext): Promise<BenchRow[]> {
  const sessions = 10;
  const chunks = ctx.quick ? 200 : 1_000;
  const pace = 5;
  const repo = await ctx.tempDir('b13-repo');
  makeRepo(repo);
  const worktrees = await ctx.tempDir('b13-worktrees');
  const fake = await startFakeLlmProcess();
  const manager = await makeManager({
    store: new JsonlSessionStore({ directory: await ctx.tempDir('b13-store') }), openaiBaseUrl: fake.openaiBaseUrl,
    deps: { workspaceRoots: [repo], worktrees: { git: new GitWorktrees({ env: GIT_ENV }), worktreesDir: () => worktrees } },
  });
  try {
    const alone = (await manager.create({ title: 'B13 alone' })).id;
    const ids: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < sessions; i++) ids.push((await manager.create({ title: `B13 ${i}`, workspace: { kind: 'worktree' } })).id);
    const createMs = (performance.now() - t0) / sessions;
    await fake.enqueue([streamScript(chunks, pace)]);
    const single = rate((await streamAll(manager, [alone], chunks)).get(alone)!);
    await fake.enqueue(ids.map(() => streamScript(chunks, pace)));
    const all = await streamAll(manager, ids, chunks);
    const expected = expectedText(chunks).join('');
    let lost = 0;
    let wrong = 0;
    for (const id of ids) {
      const r = all.get(id)!;
      lost += Math.max(0, chunks - r.deltas);
      if (r.text !== expected) wrong++;
    }
    const perSession = median(ids.map((id) => rate(all.get(id)!)));
    const share = perSession / single;
    return [
      { id: 'B13', what: `events lost, ${sessions} sessions each in its own worktree × ${chunks} chunks at once, 1 chunk / ${pace} ms`, unit: 'events', ours: lost, target: '0 (B6)', met: lost === 0 && wrong === 0, note: `${wrong} session(s) whose text differs; worktree sessions created in ${createMs.toFixed(0)} ms each (200-file repo)` },
      {
        id: 'B13', what: `per-session throughput, ${sessions} worktree sessions at once (median), 1 chunk / ${pace} ms`, unit: 'chunks/s', ours: perSession,
        target: 'within 10 % of alone (B6)', met: share >= 0.9, baseline: single, baselineWhat: 'one session alone (shared tree)',
        note: `${(share * 100).toFixed(0)} % of alone; slowest ${Math.min(...ids.map((id) => rate(all.get(id)!))).toFixed(0)}/s`,
      },
    ];
  } finally {
    await manager.dispose();
    await fake.close();
  }
}
