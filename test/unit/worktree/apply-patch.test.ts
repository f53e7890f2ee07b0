import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { WorktreeRef } from '../../../src/core/worktree/types';
import { commitAll, makeFixture, statusOf, type Fixture } from './git-fixture';

const LINES = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

async function made(f: Fixture, name: string): Promise<WorktreeRef> {
  const w = await f.wt.create({ repoRoot: f.repo, dir: path.join(f.wtDir, name), branch: `agent/${name}`, carry: 'clean' });
  return { path: w.path, branch: w.branch, repoRoot: w.repoRoot, base: w.base };
}

const indexBytes = (cwd: string): Buffer => readFileSync(path.join(cwd, '.git', 'index'));

void describe("GitWorktrees.apply('patch')", () => {
  void test('committed, uncommitted, untracked, deleted and exec-bit changes land as uncommitted changes; both indexes untouched', async () => {
    const f = makeFixture({ files: { 'a.txt': 'alpha\n', 'b.txt': 'bravo\n', 'old.txt': 'old\n', 'run.sh': '#!/bin/sh\n' } });
    try {
      const w = await made(f, 'clean');
      f.write('a.txt', 'alpha committed on the branch\n', w.path);
      commitAll(f, w.path, 'session commit');
      f.write('b.txt', 'bravo uncommitted\n', w.path);
      f.git(w.path, 'add', 'b.txt'); // staged in the worktree: its index must stay as it is
      f.write('deep/new/untracked.txt', 'untracked\n', w.path);
      rmSync(path.join(w.path, 'old.txt'));
      chmodSync(path.join(w.path, 'run.sh'), 0o755);
      const mainIndex = indexBytes(f.repo);
      const wtStage = f.git(w.path, 'ls-files', '--stage');
      const wtStatus = statusOf(f, w.path);
      const mainHead = f.git(f.repo, 'rev-parse', 'HEAD').trim();

      const r = await f.wt.apply(w, 'patch');
      assert.equal(r.outcome, 'clean', r.message);
      assert.deepEqual([...r.files].sort(), ['a.txt', 'b.txt', 'deep/new/untracked.txt', 'old.txt', 'run.sh']);
      assert.deepEqual(r.conflicts, []);
      assert.equal(f.read('a.txt'), 'alpha committed on the branch\n');
      assert.equal(f.read('b.txt'), 'bravo uncommitted\n');
      assert.equal(f.read('deep/new/untracked.txt'), 'untracked\n');
      assert.equal(existsSync(path.join(f.repo, 'old.txt')), false);
      assert.ok((statSync(path.join(f.repo, 'run.sh')).mode & 0o100) !== 0);
      assert.deepEqual(indexBytes(f.repo), mainIndex, "the main tree's index is byte-for-byte the same");
      assert.equal(f.git(f.repo, 'rev-parse', 'HEAD').trim(), mainHead);
      assert.equal(f.git(w.path, 'ls-files', '--stage'), wtStage, "the worktree's index holds what it held");
      assert.equal(statusOf(f, w.path), wtStatus);
      assert.match(statusOf(f, f.repo), / D old\.txt/);
      // Applying again: the main tree already has it all.
      const again = await f.wt.apply(w, 'patch');
      assert.equal(again.outcome, 'nothing');
      assert.deepEqual(again.files, []);
    } finally { f.cleanup(); }
  });

  void test("the main tree's own edits stay: other files untouched, other lines of the same file merged", async () => {
    const f = makeFixture({ files: { 'lines.txt': LINES, 'mine.txt': 'mine\n' } });
    try {
      const w = await made(f, 'mixed');
      f.write('lines.txt', LINES.replace('line 10', 'line 10 by the session'), w.path);
      f.write('lines.txt', LINES.replace('line 2', 'line 2 by the user'));
      f.write('mine.txt', 'the user edited this\n');
      const r = await f.wt.apply(w, 'patch');
      assert.equal(r.outcome, 'clean');
      assert.deepEqual(r.files, ['lines.txt']);
      assert.equal(f.read('lines.txt'), LINES.replace('line 2', 'line 2 by the user').replace('line 10', 'line 10 by the session'));
      assert.equal(f.read('mine.txt'), 'the user edited this\n');
    } finally { f.cleanup(); }
  });

  void test('a conflict keeps markers and is listed; conflictSides gives base, the main tree before, the branch', async () => {
    const f = makeFixture({ files: { 'lines.txt': LINES } });
    try {
      const w = await made(f, 'clash');
      const theirs = LINES.replace('line 5', 'line 5 by the session');
      const ours = LINES.replace('line 5', 'line 5 by the user');
      f.write('lines.txt', theirs, w.path);
      commitAll(f, w.path, 'session');
      f.write('lines.txt', ours);
      const r = await f.wt.apply(w, 'patch');
      assert.equal(r.outcome, 'conflicts');
      assert.deepEqual(r.conflicts, [{ path: path.join(f.repo, 'lines.txt'), label: 'lines.txt' }]);
      assert.deepEqual(r.files, ['lines.txt']);
      const text = f.read('lines.txt');
      assert.match(text, /<<<<<<< main tree\nline 5 by the user\n=======\nline 5 by the session\n>>>>>>> session branch\n/);
      const sides = await f.wt.conflictSides(w, 'lines.txt');
      assert.deepEqual(sides, { path: path.join(f.repo, 'lines.txt'), label: 'lines.txt', base: LINES, ours, theirs });
      assert.deepEqual(await f.wt.conflictSides(w, path.join(f.repo, 'lines.txt')), sides);
      await assert.rejects(f.wt.conflictSides(w, 'other.txt'), (e: Error & { code?: string }) => e.code === 'not_found');
      await assert.rejects(f.wt.conflictSides(w, '../outside.txt'), (e: Error & { code?: string }) => e.code === 'bad_request');
    } finally { f.cleanup(); }
  });

  void test('delete/modify and binary conflicts keep the main tree\'s file and are listed', async () => {
    const f = makeFixture({ files: { 'doomed.txt': 'doomed\n', 'img.bin': Buffer.from([0, 1, 2, 3]), 'gone-in-main.txt': 'g\n' } });
    try {
      const w = await made(f, 'kinds');
      rmSync(path.join(w.path, 'doomed.txt'));
      f.write('img.bin', Buffer.from([0, 9, 9, 9]), w.path);
      f.write('gone-in-main.txt', 'changed by the session\n', w.path);
      f.write('doomed.txt', 'the user still needs this\n');
      f.write('img.bin', Buffer.from([0, 7, 7, 7]));
      rmSync(path.join(f.repo, 'gone-in-main.txt'));
      const r = await f.wt.apply(w, 'patch');
      assert.equal(r.outcome, 'conflicts');
      assert.deepEqual(r.conflicts.map((c) => c.label).sort(), ['doomed.txt', 'gone-in-main.txt', 'img.bin']);
      assert.deepEqual(r.files, []);
      assert.equal(f.read('doomed.txt'), 'the user still needs this\n');
      assert.deepEqual(readFileSync(path.join(f.repo, 'img.bin')), Buffer.from([0, 7, 7, 7]));
      assert.equal(existsSync(path.join(f.repo, 'gone-in-main.txt')), false);
      const doomed = await f.wt.conflictSides(w, 'doomed.txt');
      assert.deepEqual({ base: doomed.base, ours: doomed.ours, theirs: doomed.theirs }, { base: 'doomed\n', ours: 'the user still needs this\n', theirs: '' });
      assert.match((await f.wt.conflictSides(w, 'img.bin')).ours, /binary file/);
    } finally { f.cleanup(); }
  });

  void test('a new file on both sides with different text is a conflict with markers', async () => {
    const f = makeFixture();
    try {
      const w = await made(f, 'both');
      f.write('twin.txt', 'session twin\n', w.path);
      f.write('twin.txt', 'user twin\n');
      const r = await f.wt.apply(w, 'patch');
      assert.equal(r.outcome, 'conflicts');
      assert.match(f.read('twin.txt'), /<<<<<<< main tree\nuser twin\n=======\nsession twin\n>>>>>>> session branch/);
      const s = await f.wt.conflictSides(w, 'twin.txt');
      assert.deepEqual({ base: s.base, ours: s.ours, theirs: s.theirs }, { base: '', ours: 'user twin\n', theirs: 'session twin\n' });
    } finally { f.cleanup(); }
  });
});
