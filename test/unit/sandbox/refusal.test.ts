/** Recognising sandbox refusals in command output: shapes, paths, and what is not a refusal. */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { findSandboxRefusal, pathsInMessage, RefusalScanner, sandboxStartFailure } from '../../../src/core/sandbox/refusal';
import type { SandboxPolicy } from '../../../src/core/sandbox/types';
import { tempDir } from '../tools/helpers';

void describe('sandbox refusals', () => {
  const ws = tempDir('ref-');
  const root = ws.dir;
  mkdirSync(path.join(root, '.git/hooks'), { recursive: true });
  mkdirSync(path.join(root, 'src'));
  const policy: SandboxPolicy = {
    writableRoots: [root],
    protectedPaths: [path.join(root, '.git/hooks'), path.join(root, '.vscode'), path.join(root, '.github/workflows'), path.join(root, '.mcp.json')],
    hiddenPaths: [],
    network: false,
  };
  const find = (...lines: string[]) => findSandboxRefusal(lines, { cwd: root, policy });
  after(() => ws.cleanup());

  void test('EROFS in the shapes of dash, bash, coreutils, git, Python and Node names the protected path', () => {
    const shapes = [
      '/bin/sh: 1: cannot create .git/hooks/pre-commit: Read-only file system',
      'bash: line 1: .git/hooks/pre-commit: Read-only file system',
      "cp: cannot create regular file '.git/hooks/pre-commit': Read-only file system",
      "mv: cannot move 'a.txt' to '.git/hooks/pre-commit': Read-only file system",
      "ln: failed to create symbolic link '.git/hooks/pre-commit': Read-only file system",
      'tee: .git/hooks/pre-commit: Read-only file system',
      "touch: cannot touch '.git/hooks/pre-commit': Read-only file system",
      'mkdir: cannot create directory ‘.git/hooks/pre-commit’: Read-only file system',
      `error: could not lock config file ${root}/.git/hooks/pre-commit: Read-only file system`,
      "OSError: [Errno 30] Read-only file system: '.git/hooks/pre-commit'",
      "Error: EROFS: read-only file system, open '.git/hooks/pre-commit'",
    ];
    for (const line of shapes) {
      const r = find(line);
      assert.equal(r?.kind, 'write', line);
      assert.equal(r?.path, '.git/hooks/pre-commit', line);
      assert.equal(r?.message, 'read-only: .git/hooks/pre-commit is inside .git/hooks, which the sandbox protects; the write did not happen. Ask the user if it is needed.');
    }
  });

  void test('outside the workspace, relative to cwd, through a symlink, and without a path', () => {
    assert.match(find('/bin/sh: 1: cannot create /etc/passwd: Read-only file system')!.message, /^read-only: \/etc\/passwd is outside the workspace/);
    const fromSub = findSandboxRefusal(['/bin/sh: 1: cannot create ../.git/hooks/x: Read-only file system'], { cwd: path.join(root, 'src'), policy });
    assert.equal(fromSub?.path, '.git/hooks/x');
    symlinkSync('.git/hooks/pre-push', path.join(root, 'link'));
    assert.equal(find('/bin/sh: 1: cannot create link: Read-only file system')?.path, '.git/hooks/pre-push', 'dangling link followed');
    const bare = find('fatal: unable to create temporary file: Read-only file system');
    assert.equal(bare?.kind, 'write');
    assert.equal(bare?.path, undefined);
  });

  void test('EISDIR / EBUSY count only on protected paths (placeholders and pins)', () => {
    assert.equal(find('/bin/sh: 1: cannot create .mcp.json: Is a directory')?.path, '.mcp.json');
    assert.equal(find("rm: cannot remove '.vscode': Device or resource busy")?.path, '.vscode');
    assert.match(find("mv: cannot move '.github' to 'x': Device or resource busy")!.message, /^read-only: \.github is kept read-only while it does not exist, because \.github\/workflows inside it is protected/);
    mkdirSync(path.join(root, '.github'));
    assert.match(find("mv: cannot move '.github' to 'x': Device or resource busy")!.message, /\.github holds the protected \.github\/workflows/);
    assert.equal(find('/bin/sh: 1: cannot create src: Is a directory'), undefined, 'an ordinary folder');
  });

  void test('network failures, only when the network is off', () => {
    for (const line of ['curl: (6) Could not resolve host: example.com', 'socket.gaierror: [Errno -3] Temporary failure in name resolution', 'OSError: [Errno 101] Network is unreachable', 'npm error getaddrinfo EAI_AGAIN registry.npmjs.org', 'connect ENETUNREACH 1.2.3.4:443', 'ssh: Could not resolve hostname github.com: Temporary failure in name resolution', 'ConnectionRefusedError: [Errno 111] Connection refused']) {
      assert.equal(find(line)?.kind, 'network', line);
    }
    assert.match(find('Error: connect ECONNREFUSED 127.0.0.1:3000')!.message, /servers running outside it \(localhost included\) are not reachable/);
    assert.equal(findSandboxRefusal(['curl: (6) Could not resolve host: example.com'], { cwd: root, policy: { ...policy, network: true } }), undefined);
  });

  void test('a protected write outranks a network failure; quoted grep output is ignored', () => {
    assert.equal(find('curl: (6) Could not resolve host: x', 'tee: .git/hooks/a: Read-only file system')?.kind, 'write');
    assert.equal(find('src/refusal.ts:12:  // dash: cannot create X: Read-only file system', 'docs.md:3: Could not resolve host'), undefined);
  });

  void test('the scanner keeps candidate lines across chunk boundaries', () => {
    const s = new RefusalScanner();
    s.push('ok line\n/bin/sh: 1: cannot create .git/ho');
    s.push('oks/x: Read-only file sys');
    s.push('tem\nnext\n');
    assert.deepEqual(s.lines(), ['/bin/sh: 1: cannot create .git/hooks/x: Read-only file system']);
    s.push('tee: y: Read-only file system'); // no newline yet
    assert.equal(s.lines().length, 2);
  });

  void test('path extraction and bwrap start-up failures', () => {
    assert.deepEqual(pathsInMessage("mv: cannot move 'a' to 'b': Device or resource busy"), ['b', 'a']);
    assert.deepEqual(pathsInMessage('no path here: Read-only file system'), []);
    assert.match(sandboxStartFailure("bwrap: Can't find source path /x: No such file or directory\n", 1)!, /^The sandbox could not set up this command \(bwrap: Can't find source path/);
    assert.equal(sandboxStartFailure('bwrap: x', 0), undefined);
    assert.equal(sandboxStartFailure('make: error', 1), undefined);
  });
});
