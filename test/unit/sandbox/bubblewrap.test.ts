/**
 * The Linux sandbox for real: bubblewrap, a real `git init` workspace, real files. Every attack
 * here is run through run_command, the way a model's command would run.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultSandboxPolicy } from '../../../src/core/sandbox/policy';
import type { CommandSandbox, SandboxPolicy } from '../../../src/core/sandbox/types';
import { tempDir } from '../tools/helpers';
import { gitInit, outsideTmp, realBubblewrap, runSandboxed } from './helpers';

void describe('bubblewrap sandbox: protected paths', () => {
  let sandbox: CommandSandbox;
  let skip: string | undefined;
  const ws = tempDir('sbx-ws-');
  const root = ws.dir;
  const hook = path.join(root, '.git/hooks/pre-commit');
  let policy: SandboxPolicy;
  before(async () => {
    ({ sandbox, skip } = await realBubblewrap());
    gitInit(root);
    writeFileSync(hook, '#!/bin/sh\necho original\n');
    policy = defaultSandboxPolicy({ roots: [root], home: '/nonexistent-home' });
  });
  after(() => ws.cleanup());

  const attacks: Array<[string, string]> = [
    ['python open()', `python3 -c "open('.git/hooks/pre-commit','w').write('evil')"`],
    ['cp', 'echo evil > evil.txt && cp evil.txt .git/hooks/pre-commit'],
    ['tee', 'echo evil | tee .git/hooks/pre-commit'],
    ['redirection', 'echo evil > .git/hooks/pre-commit'],
    ['a symlink made in the same command', 'ln -sf .git/hooks/pre-commit h && echo evil > h'],
    ['a symlink, then removing it', 'ln -sf .git/hooks/pre-commit h2 && echo evil > h2; rm -f h2'],
  ];
  for (const [how, command] of attacks) {
    void test(`writing .git/hooks/pre-commit via ${how} fails, the hook is unchanged, the result names it`, async (t) => {
      if (skip) { t.skip(skip); return; }
      const r = await runSandboxed(sandbox, policy, command);
      assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\necho original\n');
      assert.match(r.content, /Read-only file system/);
      if (how === 'a symlink, then removing it') {
        // The link is gone when we look, so the path cannot be traced to the hook; still a refusal.
        assert.equal(r.sandboxRefusal?.kind, 'write');
        assert.equal(r.sandboxRefusal?.path, 'h2');
        return;
      }
      assert.equal(r.isError, true, r.content);
      assert.equal(r.sandboxRefusal?.kind, 'write');
      assert.equal(r.sandboxRefusal?.path, '.git/hooks/pre-commit');
      assert.match(r.content, /read-only: \.git\/hooks\/pre-commit is inside \.git\/hooks, which the sandbox protects; the write did not happen\. Ask the user/);
    });
  }

  void test('.vscode/settings.json cannot be created when .vscode does not exist, and no .vscode is left behind', async (t) => {
    if (skip) { t.skip(skip); return; }
    assert.equal(existsSync(path.join(root, '.vscode')), false);
    const r = await runSandboxed(sandbox, policy, 'mkdir -p .vscode && echo "{}" > .vscode/settings.json');
    assert.equal(r.isError, true);
    assert.equal(r.sandboxRefusal?.path, '.vscode/settings.json');
    assert.match(r.sandboxRefusal!.message, /inside \.vscode, which the sandbox protects/);
    assert.equal(existsSync(path.join(root, '.vscode')), false, 'no stray placeholder');
    // Other absent protected names are placeholders too; none may stay.
    for (const name of ['.mcp.json', 'AGENTS.md', '.claude', '.github', '.git/commondir', '.git/worktrees']) {
      assert.equal(existsSync(path.join(root, name)), false, `${name} left behind`);
    }
  });

  void test('an absent protected file (.mcp.json, AGENTS.md) cannot be created; the refusal names it', async (t) => {
    if (skip) { t.skip(skip); return; }
    for (const command of ['echo {} > .mcp.json', `python3 -c "open('AGENTS.md','w')"`, 'touch .claude/x', 'mkdir -p .github/workflows && echo x > .github/workflows/ci.yml']) {
      const r = await runSandboxed(sandbox, policy, command);
      assert.equal(r.isError, true, command);
      assert.equal(r.sandboxRefusal?.kind, 'write', `${command}: ${r.content}`);
      assert.match(r.sandboxRefusal!.message, /protect/, command);
    }
    for (const name of ['.mcp.json', 'AGENTS.md', '.claude', '.github']) assert.equal(existsSync(path.join(root, name)), false, name);
  });

  void test('an existing protected file cannot be written, removed or renamed', async (t) => {
    if (skip) { t.skip(skip); return; }
    writeFileSync(path.join(root, '.envrc'), 'export A=1\n');
    const p = defaultSandboxPolicy({ roots: [root], home: '/nonexistent-home' });
    assert.ok(p.protectedPaths.includes(path.join(root, '.envrc')), '.env* files at the root are protected');
    for (const command of ['echo evil >> .envrc', 'rm -f .envrc', 'mv .envrc x']) {
      const r = await runSandboxed(sandbox, p, command);
      assert.equal(r.isError, true, command);
      assert.equal(r.sandboxRefusal?.path, '.envrc', `${command}: ${r.content}`);
    }
    assert.equal(readFileSync(path.join(root, '.envrc'), 'utf8'), 'export A=1\n');
  });

  void test('the folders holding protected paths cannot be renamed away (mv .git), nor git redirected (commondir)', async (t) => {
    if (skip) { t.skip(skip); return; }
    const mv = await runSandboxed(sandbox, policy, 'mv .git .gitx');
    assert.equal(mv.isError, true);
    assert.match(mv.content, /Device or resource busy/);
    assert.equal(mv.sandboxRefusal?.path, '.git');
    assert.ok(existsSync(path.join(root, '.git/HEAD')) && !existsSync(path.join(root, '.gitx')));
    const cd = await runSandboxed(sandbox, policy, 'echo /elsewhere > .git/commondir');
    assert.equal(cd.isError, true);
    assert.equal(cd.sandboxRefusal?.path, '.git/commondir');
    const cfg = await runSandboxed(sandbox, policy, 'git config core.hooksPath /tmp/h');
    assert.equal(cfg.isError, true);
    assert.match(cfg.content, /could not (write|lock) config file .*(Device or resource busy|Read-only file system)/);
    assert.equal(cfg.sandboxRefusal?.path, '.git/config');
    assert.doesNotMatch(readFileSync(path.join(root, '.git/config'), 'utf8'), /hooksPath/);
  });

  void test('git still works inside: add and commit write .git (objects, index, refs)', async (t) => {
    if (skip) { t.skip(skip); return; }
    const r = await runSandboxed(sandbox, policy, 'echo a > tracked.txt && git add tracked.txt && git commit -qm "from the sandbox" && git log --oneline | wc -l && git status --short');
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /\n1\n/);
    assert.doesNotMatch(r.content, /\?\? (\.vscode|\.mcp\.json|\.env\b|AGENTS|CLAUDE|\.claude|\.agents|\.github|\.gitmodules)/, 'placeholders are empty folders, which git does not list');
  });

  void test('the workspace stays writable (a new file, a nested new folder) and cwd is honoured', async (t) => {
    if (skip) { t.skip(skip); return; }
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    const r = await runSandboxed(sandbox, policy, 'pwd && echo hello > new.txt && mkdir -p deep/er/est && echo x > deep/er/est/f && echo done', { cwd: 'sub' });
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, new RegExp(`^Exit code 0 .*\\n${path.join(root, 'sub')}\\ndone$`, 's'));
    assert.equal(readFileSync(path.join(root, 'sub/new.txt'), 'utf8'), 'hello\n');
    assert.equal(readFileSync(path.join(root, 'sub/deep/er/est/f'), 'utf8'), 'x\n');
    assert.equal(r.sandboxRefusal, undefined);
  });

  void test('outside the workspace is read-only (and /tmp is private and writable)', async (t) => {
    if (skip) { t.skip(skip); return; }
    const outside = outsideTmp('sbx-out-');
    try {
      const target = path.join(outside.dir, 'x.txt');
      const r = await runSandboxed(sandbox, policy, `cat ${root}/.git/HEAD >/dev/null && echo evil > ${target}`);
      assert.equal(r.isError, true);
      assert.equal(existsSync(target), false);
      assert.equal(r.sandboxRefusal?.path, target);
      assert.match(r.sandboxRefusal!.message, /is outside the workspace/);
      const tmp = await runSandboxed(sandbox, policy, 'echo t > /tmp/scratch && cat /tmp/scratch');
      assert.equal(tmp.isError, false, tmp.content);
    } finally {
      outside.cleanup();
    }
  });
});

void describe('bubblewrap sandbox: hidden paths', () => {
  let sandbox: CommandSandbox;
  let skip: string | undefined;
  const ws = tempDir('sbx-hid-');
  const home = outsideTmp('sbx-home-');
  before(async () => {
    ({ sandbox, skip } = await realBubblewrap());
    mkdirSync(path.join(home.dir, '.ssh'));
    writeFileSync(path.join(home.dir, '.ssh/id_rsa'), 'SECRET-KEY-MATERIAL\n');
    writeFileSync(path.join(home.dir, '.netrc'), 'machine x password SECRET-NETRC\n');
    writeFileSync(path.join(home.dir, 'visible.txt'), 'fine\n');
  });
  after(() => { ws.cleanup(); home.cleanup(); });

  void test('a hidden folder (~/.ssh) and file (~/.netrc) cannot be read; the rest of home can', async (t) => {
    if (skip) { t.skip(skip); return; }
    const policy = defaultSandboxPolicy({ roots: [ws.dir], home: home.dir });
    assert.deepEqual(policy.hiddenPaths.filter((p) => p.startsWith(home.dir)).sort(), [path.join(home.dir, '.netrc'), path.join(home.dir, '.ssh')]);
    const h = home.dir;
    const r = await runSandboxed(sandbox, policy, `cat ${h}/visible.txt; ls -A ${h}/.ssh; cat ${h}/.ssh/id_rsa; cat ${h}/.netrc; cp -r ${h}/.ssh ./stolen; cat stolen/id_rsa`);
    assert.match(r.content, /fine/);
    assert.doesNotMatch(r.content, /SECRET/);
    assert.equal(existsSync(path.join(ws.dir, 'stolen/id_rsa')), false);
  });
});
