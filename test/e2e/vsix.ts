// Packs an extension folder into a VSIX with @vscode/vsce, for the e2e harness.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './harness';

const vsce = join(repoRoot, 'node_modules/@vscode/vsce/vsce');

/** Packages `dir` (no dependencies; tolerant of a missing repository field) into test-results/e2e/vsix/. */
export function packFolder(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  const outDir = join(repoRoot, 'test-results/e2e/vsix');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`vsce package failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** The fixture extension that proves the harness (one command, one webview with Approve). */
export const fixtureExtension = join(repoRoot, 'test/e2e/fixtures/hello-ext');
