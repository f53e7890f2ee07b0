// Packs an extension folder into a VSIX with @vscode/vsce, for the e2e harness.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix } from '../../scripts/package.mjs';
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

let repoVsixPath: string | undefined;
/** Builds and packages the real extension once per test process (scripts/package.mjs). */
export function repoVsix(): string {
  repoVsixPath ??= packageVsix({ root: repoRoot, build: true, quiet: true }).vsix;
  return repoVsixPath;
}

/** Why the real extension cannot be tested in this checkout yet, or false. */
export function extensionMissing(): string | false {
  return existsSync(join(repoRoot, 'src/vscode/extension.ts')) ? false : 'src/vscode/extension.ts is not in this checkout yet';
}
