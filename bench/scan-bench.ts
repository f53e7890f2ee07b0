/**
 * `node --import tsx bench/scan-bench.ts [files=10000] [runs=15]`: what the workspace watcher
 * (src/core/changes/workspace-watch.ts) costs around one command, in a temp tree of `files` files,
 * in git and outside it: begin + finish with nothing changed, with 50 files changed by the
 * "command", and with 50 files dirty before it that it changes again. Figures, never assertions.
 * The blob store is in memory, so the figures are the scan's own (a disk store adds its writes).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceWatcher } from '../src/core/changes/workspace-watch';
import { gitStatus } from '../src/core/changes/git-status';
import type { BlobStore } from '../src/core/changes/types';
import type { FileImage } from '../src/shared/changes';
import { machine, percentile } from './lib/stats';

class MemoryBlobs implements BlobStore {
  private readonly map = new Map<string, Buffer>();
  async put(bytes: Uint8Array): Promise<Extract<FileImage, { state: 'file' }>> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    this.map.set(hash, Buffer.from(bytes));
    return { state: 'file', hash, size: bytes.length, stored: true };
  }
  async get(hash: string): Promise<Buffer> { return this.map.get(hash)!; }
  async has(hash: string): Promise<boolean> { return this.map.has(hash); }
}

const FILES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 15);
const PER_DIR = 100;

function sh(cwd: string, cmd: string): void {
  execFileSync('sh', ['-c', cmd], { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
}

function fileAt(i: number): string {
  return join(`d${Math.floor(i / PER_DIR)}`, `f${i % PER_DIR}.ts`);
}

/** A tree of FILES small source-like files (plus a .gitignore'd build folder the scans must skip). */
function makeTree(root: string): void {
  for (let d = 0; d * PER_DIR < FILES; d++) mkdirSync(join(root, `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) writeFileSync(join(root, fileAt(i)), `export const v${i} = ${i};\n// ${'x'.repeat(i % 200)}\n`);
  mkdirSync(join(root, 'build'));
  for (let i = 0; i < 500; i++) writeFileSync(join(root, 'build', `o${i}.js`), 'built\n');
  writeFileSync(join(root, '.gitignore'), 'build/\n');
}

/** Touches `count` files spread over the tree (each run writes new content). */
function change(root: string, count: number, run: number, offset = 0): void {
  for (let k = 0; k < count; k++) writeFileSync(join(root, fileAt(((k * 197) + offset) % FILES)), `// run ${run} file ${k}\n`);
}

interface Figures { begin: number[]; finish: number[]; total: number[]; changes: number }

async function measure(root: string, setup: (run: number) => void, command: (run: number) => void): Promise<Figures> {
  const watcher = createWorkspaceWatcher();
  const out: Figures = { begin: [], finish: [], total: [], changes: 0 };
  for (let run = -2; run < RUNS; run++) { // two warm-up runs
    setup(run);
    const blobs = new MemoryBlobs();
    const t0 = performance.now();
    const watch = await watcher.begin({ roots: [root], blobs, known: () => undefined });
    const t1 = performance.now();
    command(run);
    const t2 = performance.now();
    const { changes } = await watch.finish();
    const t3 = performance.now();
    if (run < 0) continue;
    out.begin.push(t1 - t0);
    out.finish.push(t3 - t2);
    out.total.push(t1 - t0 + (t3 - t2));
    out.changes = changes.length;
  }
  return out;
}

function row(name: string, f: Figures): string {
  const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q).toFixed(1);
  return `| ${name} | ${f.changes} | ${p(f.begin, 50)} | ${p(f.finish, 50)} | ${p(f.total, 50)} | ${p(f.total, 90)} |`;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'scan-bench-'));
  try {
    const gitRoot = join(scratch, 'git');
    const plainRoot = join(scratch, 'plain');
    mkdirSync(gitRoot);
    mkdirSync(plainRoot);
    makeTree(gitRoot);
    makeTree(plainRoot);
    sh(gitRoot, 'git init -q && git add -A && git commit -q -m init && git status >/dev/null');
    const reset = () => sh(gitRoot, 'git checkout -q -- . && git clean -qfd');
    const rows: string[] = [];
    // The floor: the two git status runs a scan makes, nothing else.
    const floor: Figures = { begin: [], finish: [], total: [], changes: 0 };
    for (let run = -2; run < RUNS; run++) {
      const t0 = performance.now();
      await gitStatus('git', gitRoot, []);
      const t1 = performance.now();
      await gitStatus('git', gitRoot, []);
      const t2 = performance.now();
      if (run < 0) continue;
      floor.begin.push(t1 - t0);
      floor.finish.push(t2 - t1);
      floor.total.push(t2 - t0);
    }
    rows.push(row('(git status alone, twice: the floor)', floor));
    rows.push(row('git, nothing changed', await measure(gitRoot, reset, () => undefined)));
    rows.push(row('git, 50 files changed', await measure(gitRoot, reset, (run) => change(gitRoot, 50, run))));
    rows.push(row('git, 50 dirty before, changed again', await measure(gitRoot, (run) => { reset(); change(gitRoot, 50, run + 1000); }, (run) => change(gitRoot, 50, run))));
    rows.push(row('no git, nothing changed', await measure(plainRoot, () => undefined, () => undefined)));
    rows.push(row('no git, 50 files changed', await measure(plainRoot, () => undefined, (run) => change(plainRoot, 50, run))));
    const m = machine();
    console.log(`workspace scan, ${FILES.toLocaleString('en-US')} files (+500 ignored), ${RUNS} runs; ${m.cpu}, ${m.cores} cores, node ${m.node}, git ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace(/^git version /, '')}`);
    console.log('| case | changes found | begin p50 ms | finish p50 ms | begin+finish p50 ms | begin+finish p90 ms |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
