/**
 * B10: what the command sandbox costs per command. `true` and `npm --version` run through the
 * real run_command tool, alternately with and without the bubblewrap sandbox, in a real git
 * workspace; the sandboxed runs include building the default policy and preparing/cleaning up
 * its placeholders, as the session would do for each command. Figures: median and p90 of N
 * runs each, and the added milliseconds per command (median sandboxed − median unsandboxed).
 */
import { spawnSync } from 'node:child_process';
import { BubblewrapSandbox } from '../../src/core/sandbox/bubblewrap';
import { defaultSandboxPolicy } from '../../src/core/sandbox/policy';
import { planMounts } from '../../src/core/sandbox/mount-plan';
import { createRunCommandTool } from '../../src/core/tools/run-command';
import { nullLogger } from '../../src/core/ports';
import type { ToolContext } from '../../src/core/tools/types';
import type { TaskItem } from '../../src/core/session/types';
import { notMeasured, type CaseContext } from '../lib/case';
import { percentile, type BenchRow } from '../lib/stats';

function ctxFor(root: string): ToolContext {
  let tasks: TaskItem[] = [];
  return {
    sessionId: 'b10', callId: 'b10', workspaceRoots: [root], signal: new AbortController().signal, logger: nullLogger,
    onOutput: () => undefined, tasks: { get: () => tasks, set: (t) => { tasks = t; } },
  };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  if (process.platform !== 'linux') return [notMeasured('B10', 'sandbox cost per command', `bubblewrap is Linux-only (platform ${process.platform})`)];
  const sandbox = new BubblewrapSandbox();
  const availability = await sandbox.availability();
  if (!availability.available) return [notMeasured('B10', 'sandbox cost per command', availability.reason)];
  const root = await ctx.tempDir('b10-ws');
  spawnSync('git', ['init', '-q', root]);
  const tool = createRunCommandTool();

  const once = async (command: string, sandboxed: boolean): Promise<number> => {
    const t0 = performance.now();
    const c = ctxFor(root);
    if (sandboxed) c.sandbox = { sandbox, policy: defaultSandboxPolicy({ roots: [root], env: process.env }) };
    const r = await tool.execute({ command }, c);
    if (r.isError) throw new Error(`${command}${sandboxed ? ' (sandboxed)' : ''} failed: ${r.content.slice(0, 300)}`);
    return performance.now() - t0;
  };

  const rows: BenchRow[] = [];
  const cases: Array<[string, number]> = [['true', ctx.quick ? 10 : 60], ['npm --version', ctx.quick ? 4 : 20]];
  for (const [command, n] of cases) {
    await once(command, true); // warm-up: probe, page cache
    await once(command, false);
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < n; i++) {
      ours.push(await once(command, true));
      base.push(await once(command, false));
    }
    ours.sort((a, b) => a - b);
    base.sort((a, b) => a - b);
    const [o50, o90, b50, b90] = [percentile(ours, 50), percentile(ours, 90), percentile(base, 50), percentile(base, 90)];
    const added = o50 - b50;
    ctx.log(`B10 ${command}: sandboxed p50 ${o50.toFixed(1)} / p90 ${o90.toFixed(1)} ms, plain p50 ${b50.toFixed(1)} / p90 ${b90.toFixed(1)} ms, added ${added.toFixed(1)} ms`);
    rows.push({
      id: 'B10', what: `run_command \`${command}\`, sandboxed (median of ${n})`, unit: 'ms', ours: o50,
      target: '< 30 ms added', met: added < 30, baseline: b50, baselineWhat: 'same spawn path, no sandbox',
      note: `added ${added.toFixed(1)} ms per command (p90 ${o90.toFixed(1)} vs ${b90.toFixed(1)} ms); includes policy + placeholders; ${availability.detail}`,
    });
  }
  // Where the added time goes: policy + mount plan + placeholders + cleanup, without spawning.
  const prep: number[] = [];
  let placeholders = 0;
  for (let i = 0; i < (ctx.quick ? 10 : 60); i++) {
    const t0 = performance.now();
    const policy = defaultSandboxPolicy({ roots: [root], env: process.env });
    const spawned = await sandbox.prepare({ shell: '/bin/sh', command: 'true', cwd: root }, policy);
    await spawned.cleanup();
    prep.push(performance.now() - t0);
    placeholders = planMounts(policy).placeholders.length;
  }
  prep.sort((a, b) => a - b);
  rows.push({
    id: 'B10', what: `of which: policy + prepare + cleanup, no spawn (median of ${prep.length})`, unit: 'ms', ours: percentile(prep, 50),
    note: `p90 ${percentile(prep, 90).toFixed(1)} ms; ${placeholders} placeholders made and removed per command in a fresh \`git init\` workspace (each absent protected name)`,
  });
  return rows;
}
