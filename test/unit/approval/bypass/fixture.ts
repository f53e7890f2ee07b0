/**
 * The workspace every bypass case is judged in and every probe runs in:
 *
 *   <tmp>/ws/             the workspace root (a real git repository)
 *     .git/hooks/         (git init)   .vscode/settings.json ('{}')   src/a.ts   x/file
 *     packages/foo/package.json       README.md
 *     dangling-hook → .git/hooks/pre-commit, dangling-out → ../out/evil.sh (links to nothing yet)
 *   <tmp>/home/           HOME for probes (so `~` stays inside the temp folder)
 *   <tmp>/out/            a folder outside the workspace (`../out/…`)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface Fixture {
  base: string;
  ws: string;
  home: string;
  out: string;
  dispose(): void;
}

let template: string | undefined;

/** The fixture's contents, built once per process (git init and files); each fixture is a copy. */
function templateDir(): string {
  if (template) return template;
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'bypass-template-')));
  const ws = path.join(dir, 'ws');
  for (const d of [ws, path.join(ws, 'src'), path.join(ws, 'x'), path.join(ws, '.vscode'), path.join(ws, 'packages/foo')]) mkdirSync(d, { recursive: true });
  const git = spawnSync('git', ['init', '-q', ws], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git init failed: ${git.stderr}`);
  writeFileSync(path.join(ws, '.vscode/settings.json'), '{}\n');
  writeFileSync(path.join(ws, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(ws, 'x/file'), 'x\n');
  writeFileSync(path.join(ws, 'packages/foo/package.json'), '{"name":"foo","scripts":{"test":"true"}}\n');
  writeFileSync(path.join(ws, 'README.md'), '# fixture\n');
  // Dangling links already in the workspace (writing through one creates its target).
  symlinkSync('.git/hooks/pre-commit', path.join(ws, 'dangling-hook'));
  symlinkSync('../out/evil.sh', path.join(ws, 'dangling-out'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  template = dir;
  return dir;
}

export function makeFixture(prefix = 'bypass-'): Fixture {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  const ws = path.join(base, 'ws');
  const home = path.join(base, 'home');
  const out = path.join(base, 'out');
  cpSync(path.join(templateDir(), 'ws'), ws, { recursive: true, verbatimSymlinks: true });
  for (const d of [home, out]) mkdirSync(d, { recursive: true });
  return { base, ws, home, out, dispose: () => rmSync(base, { recursive: true, force: true }) };
}
