/**
 * B12 (issue 13): restoring a checkpoint and finding what a command changed.
 * - Restore of 200 changed files, preview included: a session's turn edits 200 files of 4 KB
 *   with the real edit_file tool (fake LLM, real SessionManager, JSONL store, on-disk blobs);
 *   then `changes.preview` + `changes.restore` of the checkpoint before that turn, files only,
 *   timed together (a redo puts the edits back between runs). Target < 300 ms.
 * - The workspace watcher around one command in a 10,000-file tree (nothing changed; begin +
 *   finish): in git (target < 150 ms; its floor, two `git status` runs, as the baseline) and
 *   outside git (reported).
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { script } from '../../test/fake-llm';
import { startFakeLlmProcess } from '../lib/fake-llm-process';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { ToolRegistry } from '../../src/core/tools/registry';
import { createBuiltinTools } from '../../src/core/tools/builtins';
import { createWorkspaceWatcher } from '../../src/core/changes/workspace-watch';
import { gitStatus } from '../../src/core/changes/git-status';
import { MemoryBlobStore } from '../../src/core/changes/blob-store';
import { nullLogger } from '../../src/core/ports';
import type { SessionManager } from '../../src/core/session/manager';
import { makeManager, nextEvent } from '../lib/engine';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const RESTORE_FILES = 200;

function body(i: number): string {
  let text = `// file ${i}\nconst marker = 'before';\n`;
  for (let j = 0; text.length < 4096; j++) text += `export const v${j} = compute(${i}, ${j});\n`;
  return text;
}

async function restoreFigures(ctx: CaseContext, runs: number): Promise<{ ms: number[]; restored: number }> {
  const ws = await ctx.tempDir('b12-ws');
  for (let i = 0; i < RESTORE_FILES; i++) await writeFile(join(ws, `f${i}.ts`), body(i));
  const fake = await startFakeLlmProcess();
  const storeDir = await ctx.tempDir('b12-store');
  let manager: SessionManager | undefined;
  try {
    manager = await makeManager({
      store: new JsonlSessionStore({ directory: storeDir, logger: nullLogger }), openaiBaseUrl: fake.openaiBaseUrl,
      deps: {
        tools: new ToolRegistry(createBuiltinTools()), workspaceRoots: [ws], changesDir: join(storeDir, 'changes'),
        defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'full', streamIdleTimeoutMs: 30_000 },
      },
    });
    const session = await manager.create({ title: 'B12' });
    const calls = Array.from({ length: RESTORE_FILES }, (_, i) => script.toolCall('edit_file', { path: `f${i}.ts`, edits: [{ oldText: "'before'", newText: "'after'" }] }, { id: `b12_${i}` }));
    await fake.enqueue([script.of(...calls), script.text('edited')]);
    const done = nextEvent(manager, 'turn.completed', (e) => e.sessionId === session.id, 120_000);
    const started = nextEvent(manager, 'turn.started', (e) => e.sessionId === session.id);
    await manager.send(session.id, 'edit them all');
    const key = (await started).messageId;
    await done;
    // turn.completed is recorded just before the session lets go of the turn: wait until it has.
    await settled(manager, session.id, key);
    const ms: number[] = [];
    let restored = 0;
    for (let run = 0; run < runs + 1; run++) {
      const t0 = performance.now();
      const preview = await manager.changes.preview(session.id, key, 'files');
      const result = await manager.changes.restore(session.id, key, 'files');
      const t = performance.now() - t0;
      if (preview.files.length !== RESTORE_FILES || result.restored.length !== RESTORE_FILES) {
        throw new Error(`B12: preview ${preview.files.length}, restored ${result.restored.length} of ${RESTORE_FILES}`);
      }
      restored = result.restored.length;
      if (run > 0) ms.push(t); // the first run warms the caches
      await manager.changes.redo(session.id, result.restoreId);
    }
    return { ms, restored };
  } finally {
    await manager?.dispose();
    await fake.close();
  }
}

/** Resolves once a restore may run (the turn that just completed has let go of the session). */
async function settled(manager: SessionManager, sessionId: string, key: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await manager.changes.preview(sessionId, key, 'files');
      return;
    } catch (e) {
      if (i > 200 || (e as { code?: string }).code !== 'invalid_state') throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function tree(root: string, files: number): void {
  execFileSync('sh', ['-c', `for d in $(seq 0 ${Math.ceil(files / 100) - 1}); do mkdir -p d$d; for f in $(seq 0 99); do echo "export const v$d$f = $f;" > d$d/f$f.ts; done; done`], { cwd: root });
}

async function scanFigures(ctx: CaseContext, files: number, runs: number): Promise<{ git: number; plain: number; floor: number }> {
  const gitRoot = await ctx.tempDir('b12-git');
  const plainRoot = await ctx.tempDir('b12-plain');
  tree(gitRoot, files);
  tree(plainRoot, files);
  execFileSync('sh', ['-c', 'git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -q -m init'], { cwd: gitRoot });
  const watcher = createWorkspaceWatcher();
  const once = async (root: string): Promise<number> => {
    const t0 = performance.now();
    const watch = await watcher.begin({ roots: [root], blobs: new MemoryBlobStore(), known: () => undefined });
    await watch.finish();
    return performance.now() - t0;
  };
  const git: number[] = [];
  const plain: number[] = [];
  const floor: number[] = [];
  for (let run = -1; run < runs; run++) {
    const g = await once(gitRoot);
    const p = await once(plainRoot);
    const t0 = performance.now();
    await gitStatus('git', gitRoot, []);
    await gitStatus('git', gitRoot, []);
    const f = performance.now() - t0;
    if (run < 0) continue;
    git.push(g);
    plain.push(p);
    floor.push(f);
  }
  return { git: median(git), plain: median(plain), floor: median(floor) };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const runs = ctx.quick ? 3 : 9;
  const files = ctx.quick ? 2_000 : 10_000;
  const restore = await restoreFigures(ctx, runs);
  const scan = await scanFigures(ctx, files, runs);
  const restoreMs = median(restore.ms);
  return [
    {
      id: 'B12', what: `restore of ${RESTORE_FILES} changed files of 4 KB, preview included`, unit: 'ms', ours: restoreMs, target: '< 300',
      met: restoreMs < 300, note: `median of ${restore.ms.length}; files only, on-disk blobs, each file checked under its lock`,
    },
    {
      id: 'B12', what: `run_command side-effect scan, git work tree of ${files.toLocaleString('en-US')} files`, unit: 'ms', ours: scan.git, target: '< 150',
      baseline: scan.floor, baselineWhat: 'git status --porcelain=v2, twice (the floor)', met: scan.git < 150, note: 'begin + finish, nothing changed',
    },
    {
      id: 'B12', what: `run_command side-effect scan, ${files.toLocaleString('en-US')} files outside git`, unit: 'ms', ours: scan.plain,
      note: 'begin + finish: a size/mtime walk honouring .gitignore (capped at 20,000 files / 1.5 s)',
    },
  ];
}
