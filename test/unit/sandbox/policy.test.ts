/** defaultSandboxPolicy: which paths are protected and hidden, per root and per git layout. */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultSandboxPolicy, DEFAULT_PROTECTED } from '../../../src/core/sandbox/policy';
import { tempDir } from '../tools/helpers';
import { gitInit } from './helpers';

void describe('defaultSandboxPolicy', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  const fresh = (prefix: string) => { const d = tempDir(prefix); dirs.push(d); return d.dir; };
  after(() => dirs.forEach((d) => d.cleanup()));

  void test('protects git, editor and agent files in every root, whether they exist or not; network off', () => {
    const a = fresh('pol-a-');
    const b = fresh('pol-b-');
    gitInit(a);
    const p = defaultSandboxPolicy({ roots: [a, b], home: '/nonexistent-home' });
    assert.deepEqual(p.writableRoots, [a, b]);
    assert.equal(p.network, false);
    for (const root of [a, b]) {
      for (const rel of ['.git/hooks', '.git/config', '.git/commondir', ...DEFAULT_PROTECTED]) {
        assert.ok(p.protectedPaths.includes(path.join(root, rel)), `${root}: ${rel}`);
      }
    }
    for (const rel of ['.vscode', '.mcp.json', '.env', 'AGENTS.md', 'CLAUDE.md', '.agents', '.claude', '.github/copilot-instructions.md', '.github/skills', '.github/workflows', '.cursor/rules', '.clinerules', '.gitmodules', '.gitattributes']) {
      assert.ok(DEFAULT_PROTECTED.includes(rel), rel);
    }
  });

  void test('existing .env* files at the root are protected; extra paths may be absolute or root-relative', () => {
    const root = fresh('pol-env-');
    writeFileSync(path.join(root, '.env.local'), 'A=1');
    writeFileSync(path.join(root, '.envrc'), 'export A=1');
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub/.env.other'), 'B=1');
    const p = defaultSandboxPolicy({ roots: [root], home: '/nonexistent-home', extraProtected: ['Makefile', '/opt/abs/thing'], network: true });
    assert.ok(p.protectedPaths.includes(path.join(root, '.env.local')));
    assert.ok(p.protectedPaths.includes(path.join(root, '.envrc')));
    assert.ok(!p.protectedPaths.includes(path.join(root, 'sub/.env.other')), 'only at the root');
    assert.ok(p.protectedPaths.includes(path.join(root, 'Makefile')));
    assert.ok(p.protectedPaths.includes('/opt/abs/thing'));
    assert.equal(p.network, true);
  });

  void test('manifests whose scripts run (package.json, Makefile, …) are protected when they exist, never stood in for when absent', () => {
    const a = fresh('pol-manifest-');
    writeFileSync(path.join(a, 'package.json'), '{}');
    writeFileSync(path.join(a, 'Makefile'), 'all:\n');
    writeFileSync(path.join(a, 'app.code-workspace'), '{}');
    const p = defaultSandboxPolicy({ roots: [a], home: '/nonexistent-home' });
    for (const rel of ['package.json', 'Makefile', 'app.code-workspace']) assert.ok(p.protectedPaths.includes(path.join(a, rel)), rel);
    for (const rel of ['pyproject.toml', '.npmrc', '.husky']) assert.ok(!p.protectedPaths.includes(path.join(a, rel)), `${rel} is absent: no placeholder`);
  });

  void test('a worktree (.git is a file): the pointer and the git dir it names are protected', () => {
    const main = fresh('pol-main-');
    gitInit(main);
    const wt = fresh('pol-wt-');
    const gitDir = path.join(main, '.git/worktrees/wt');
    mkdirSync(gitDir, { recursive: true });
    writeFileSync(path.join(gitDir, 'commondir'), '../..\n');
    writeFileSync(path.join(wt, '.git'), `gitdir: ${gitDir}\n`);
    const p = defaultSandboxPolicy({ roots: [wt], home: '/nonexistent-home' });
    assert.ok(p.protectedPaths.includes(path.join(wt, '.git')));
    assert.ok(p.protectedPaths.includes(path.join(gitDir, 'commondir')));
    assert.ok(p.protectedPaths.includes(path.join(main, '.git/hooks')));
    assert.ok(p.protectedPaths.includes(path.join(main, '.git/config')));
    assert.ok(!p.protectedPaths.includes(path.join(wt, '.git/hooks')));
  });

  void test('submodule git dirs (.git/modules/*) get their hooks and config protected', () => {
    const root = fresh('pol-sub-');
    gitInit(root);
    mkdirSync(path.join(root, '.git/modules/lib'), { recursive: true });
    const p = defaultSandboxPolicy({ roots: [root], home: '/nonexistent-home' });
    assert.ok(p.protectedPaths.includes(path.join(root, '.git/modules/lib/hooks')));
    assert.ok(p.protectedPaths.includes(path.join(root, '.git/modules/lib/config')));
  });

  void test('hides only the credential stores that exist, plus agent sockets from the environment', () => {
    const home = fresh('pol-home-');
    mkdirSync(path.join(home, '.ssh'));
    mkdirSync(path.join(home, '.config/gh'), { recursive: true });
    writeFileSync(path.join(home, '.git-credentials'), 'x');
    writeFileSync(path.join(home, '.bashrc'), 'x');
    const runtime = fresh('pol-run-');
    const p = defaultSandboxPolicy({ roots: [fresh('pol-r-')], home, extraHidden: ['~/.bashrc'], env: { XDG_RUNTIME_DIR: runtime, SSH_AUTH_SOCK: '/nonexistent/agent.sock' } });
    const mine = p.hiddenPaths.filter((h) => h.startsWith(home) || h === runtime).sort();
    assert.deepEqual(mine, [path.join(home, '.bashrc'), path.join(home, '.config/gh'), path.join(home, '.git-credentials'), path.join(home, '.ssh'), runtime].sort());
    assert.ok(!p.hiddenPaths.includes(path.join(home, '.aws')), 'absent ones are not listed');
  });
});
