import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { createWorkspaceWatcher, type WorkspaceWatcherOptions } from '../../../src/core/changes/workspace-watch';
import type { FileImage } from '../../../src/shared/changes';
import type { ScannedChange } from '../../../src/core/changes/types';
import { MemoryBlobStore, sh, sha, tempFolder, writeFiles } from './scan-helpers';

async function around(roots: string[], cwd: string, command: string, options: WorkspaceWatcherOptions = {}, known: (abs: string) => FileImage | undefined = () => undefined) {
  const blobs = new MemoryBlobStore(options.maxFileBytes);
  const watch = await createWorkspaceWatcher(options).begin({ roots, blobs, known });
  sh(cwd, command);
  return { ...(await watch.finish()), blobs };
}

function summary(changes: readonly ScannedChange[], root: string): string[] {
  return changes.map((c) => `${c.kind} ${path.relative(root, c.path)}`);
}

const NOT_READ = 'it was not read before the command (outside git only sizes and times are kept); its earlier content is unknown';

void describe('workspace watcher outside git (a walk of sizes and times)', () => {
  const ws = tempFolder('watch-tree-');
  after(() => ws.cleanup());
  let n = 0;
  const fresh = (files: Record<string, string | Buffer>): string => {
    const dir = path.join(ws.dir, `dir${++n}`);
    mkdirSync(dir);
    writeFiles(dir, files);
    return dir;
  };

  void test('finds created, modified and deleted files; honours .gitignore, skips node_modules and .git', async () => {
    const root = fresh({
      'a.txt': 'a\n', 'sub/deep/b.txt': 'b\n', 'keep.txt': 'k\n', '.gitignore': 'build/\n*.tmp\n!keep.tmp\n', 'build/out.js': '1\n',
      'node_modules/x/index.js': 'x\n', 'sub/.gitignore': 'local.txt\n', 'sub/local.txt': 'l\n', 'sp ace/ünï.txt': 'u\n',
    });
    const r = await around([root], root, [
      'echo a-longer >> a.txt', 'rm sub/deep/b.txt', 'echo c > c.txt', 'echo 22 > build/out.js', 'echo t > x.tmp', 'echo kt > keep.tmp',
      'echo y >> node_modules/x/index.js', 'echo l2 >> sub/local.txt', 'mkdir -p .git && echo g > .git/HEAD', "printf 'u22\\n' > 'sp ace/ünï.txt'",
    ].join(' && '));
    assert.deepEqual(summary(r.changes, root), ['modified a.txt', 'created c.txt', 'created keep.tmp', 'modified sp ace/ünï.txt', 'deleted sub/deep/b.txt']);
    const [a, c] = r.changes;
    assert.deepEqual(a!.before, { state: 'unknown', note: NOT_READ });
    assert.equal(r.blobs.text(a!.after), 'a\na-longer\n');
    assert.deepEqual(c!.before, { state: 'absent' });
    assert.equal(r.blobs.text(c!.after), 'c\n');
    assert.deepEqual(r.changes[4]!.after, { state: 'absent' });
    assert.deepEqual(r.notes, ['3 files changed by the command had not been read before it; their earlier content is unknown']);
  });

  void test('the session\'s own image is the pre-image; a file rewritten with what the session knew is no change', async () => {
    const root = fresh({ 'read.txt': 'seen by the session\n', 'same.txt': 'same\n', 'del.txt': 'gone soon\n', 'stale.txt': 'old\n' });
    const images = new Map<string, FileImage>([
      [path.join(root, 'read.txt'), { state: 'file', hash: sha('seen by the session\n'), size: 20, stored: true }],
      [path.join(root, 'same.txt'), { state: 'file', hash: sha('same\n'), size: 5, stored: true }],
      [path.join(root, 'del.txt'), { state: 'file', hash: sha('gone soon\n'), size: 10, stored: true }],
      // The session read it when it was shorter: the user changed it since, so this image is not the pre-image.
      [path.join(root, 'stale.txt'), { state: 'file', hash: sha('o\n'), size: 2, stored: true }],
    ]);
    const r = await around([root], root, "echo more >> read.txt && printf 'same\\n' > same.txt.new && mv same.txt.new same.txt && rm del.txt && echo more >> stale.txt", {}, (abs) => images.get(abs));
    assert.deepEqual(summary(r.changes, root), ['deleted del.txt', 'modified read.txt', 'modified stale.txt']);
    assert.deepEqual(r.changes[0]!.before, images.get(path.join(root, 'del.txt')));
    assert.deepEqual(r.changes[1]!.before, images.get(path.join(root, 'read.txt')));
    assert.deepEqual(r.changes[2]!.before, { state: 'unknown', note: NOT_READ });
  });

  void test('a walk stopped by the file cap says so; changes it did see are still found', async () => {
    const files: Record<string, string> = {};
    for (let i = 10; i < 22; i++) files[`f${i}.txt`] = `${i}\n`;
    const root = fresh(files);
    const r = await around([root], root, 'echo more >> f10.txt && echo more >> f20.txt', { maxFiles: 5 });
    assert.deepEqual(summary(r.changes, root), ['modified f10.txt']);
    assert.deepEqual(r.notes.filter((x) => x.startsWith('scanned')), [`scanned 5 files of ${root} (the 5-file cap); changes beyond were not captured`]);
  });

  void test('more changes than the cap: the rest are counted in a note, not recorded', async () => {
    const root = fresh({ 'f1.txt': '1\n', 'f2.txt': '2\n', 'f3.txt': '3\n' });
    const r = await around([root], root, 'rm f1.txt f2.txt f3.txt && for i in 1 2 3; do echo $i > n$i.txt; done', { maxFiles: 3 });
    assert.equal(r.changes.length, 3);
    assert.deepEqual(r.notes.filter((x) => x.includes('not recorded')), [`3 more files changed in ${root} but were not recorded (the 3-file cap)`]);
  });

  void test('symbolic links are not followed out of the root', async () => {
    const outside = path.join(ws.dir, 'outside');
    mkdirSync(outside);
    writeFiles(outside, { 'secret.txt': 'secret\n' });
    writeFiles(outside, { 'sub/x.txt': 'secret x\n' });
    const root = fresh({ 'a.txt': 'a\n', 'sub/x.txt': 'x\n' });
    symlinkSync(outside, path.join(root, 'dirlink'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'filelink'));
    const r = await around([root], root, `echo pwned >> filelink && echo planted > dirlink/planted.txt && rm a.txt && mv sub sub.bak && ln -s ${outside}/sub sub`);
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret\npwned\n');
    assert.deepEqual(summary(r.changes, root), ['deleted a.txt', 'created sub.bak/x.txt', 'deleted sub/x.txt']);
    for (const blob of r.blobs.blobs.values()) assert.doesNotMatch(blob.toString('utf8'), /secret|pwned|planted/);
  });

  void test('several plain roots, binary and oversize files', async () => {
    const one = fresh({ 'bin.dat': Buffer.from([1, 0, 2]) });
    const two = fresh({ 'big.txt': 'b'.repeat(3000) });
    const r = await around([one, two], ws.dir, `printf '\\000\\000' >> ${one}/bin.dat && echo z >> ${two}/big.txt && echo new > ${two}/new.txt`, { maxFileBytes: 1024 });
    assert.deepEqual(r.changes.map((c) => `${c.kind} ${c.path}`), [`modified ${one}/bin.dat`, `modified ${two}/big.txt`, `created ${two}/new.txt`]);
    assert.deepEqual(r.changes[0]!.after, { state: 'file', hash: sha(Buffer.from([1, 0, 2, 0, 0])), size: 5, stored: false, binary: true, note: 'binary; not kept' });
    assert.deepEqual(r.changes[1]!.after, { state: 'file', hash: sha(`${'b'.repeat(3000)}z\n`), size: 3002, stored: false, note: 'over the 1 KiB size cap; not kept' });
  });

  void test('an unreadable folder is a note, never a failure', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, async () => {
    const root = fresh({ 'a.txt': 'a\n', 'locked/b.txt': 'b\n' });
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const r = await around([root], root, 'echo a2 >> a.txt');
      assert.deepEqual(summary(r.changes, root), ['modified a.txt']);
      assert.ok(r.notes.some((x) => x.startsWith(`${path.join(root, 'locked')} (EACCES): could not be listed`)), r.notes.join('\n'));
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});
