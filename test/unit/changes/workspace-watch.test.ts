import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { createWorkspaceWatcher, type WorkspaceWatcherOptions } from '../../../src/core/changes/workspace-watch';
import type { FileImage } from '../../../src/shared/changes';
import type { ScannedChange } from '../../../src/core/changes/types';
import { MemoryBlobStore, gitRepo, sh, sha, tempFolder, writeFiles } from './scan-helpers';

/** Begins a watch over `roots`, runs `command` (a real `sh -c` in `cwd`), finishes it. */
async function around(roots: string[], cwd: string, command: string, options: WorkspaceWatcherOptions = {}, known: (abs: string) => FileImage | undefined = () => undefined) {
  const blobs = new MemoryBlobStore(options.maxFileBytes);
  const watch = await createWorkspaceWatcher(options).begin({ roots, blobs, known });
  sh(cwd, command);
  const { changes, notes } = await watch.finish();
  const at = (abs: string): ScannedChange => {
    const c = changes.find((x) => x.path === abs);
    assert.ok(c, `no change at ${abs}; changes: ${changes.map((x) => x.path).join(', ')}`);
    return c;
  };
  return { changes, notes, blobs, at };
}

/** `kind rel` of each change, relative to `root`. */
function summary(changes: readonly ScannedChange[], root: string): string[] {
  return changes.map((c) => `${c.kind} ${path.relative(root, c.path)}`);
}

void describe('workspace watcher in a git work tree', () => {
  const ws = tempFolder('watch-git-');
  after(() => ws.cleanup());
  let n = 0;
  const fresh = (files: Record<string, string | Buffer>): string => {
    const dir = path.join(ws.dir, `repo${++n}`);
    mkdirSync(dir);
    gitRepo(dir, files);
    return dir;
  };

  void test('finds what a command modified, created, deleted and renamed; pre-images from HEAD or from the dirty bytes', async () => {
    const root = fresh({
      'a.txt': 'a\n', 'del.txt': 'deleted content\n', 'dirty.txt': 'v1\n', 'nested/deep/c.txt': 'c\n', 'sp ace/ünï code.txt': 'u\n',
      'r.txt': 'rename me\n', 'same.txt': 's\n', 'dirty-kept.txt': 'k1\n', '.gitignore': 'ignored/\n*.log\n',
    });
    // The user's own work before the command: a modified file, untracked files.
    writeFiles(root, { 'dirty.txt': 'v2 (user)\n', 'dirty-kept.txt': 'k2 (user)\n', 'u1.txt': 'untracked1\n', 'u2.txt': 'untracked2\n' });
    const cmd = [
      'echo a2 >> a.txt', 'rm del.txt', 'echo v3 >> dirty.txt', 'echo c2 > nested/deep/c.txt', `printf 'u2\\n' > "sp ace/ünï code.txt"`,
      'git mv r.txt r2.txt', 'mkdir -p ignored brand', 'echo i > ignored/x.txt', 'echo log > app.log', 'echo more >> u2.txt',
      'echo new > brand/new.txt', 'touch same.txt', 'cp dirty-kept.txt /dev/null',
    ].join(' && ');
    const r = await around([root], root, cmd);
    assert.deepEqual(summary(r.changes, root), [
      'modified a.txt', 'created brand/new.txt', 'deleted del.txt', 'modified dirty.txt', 'modified nested/deep/c.txt',
      'deleted r.txt', 'created r2.txt', 'modified sp ace/ünï code.txt', 'modified u2.txt',
    ]);
    assert.deepEqual(r.notes, []);
    const text = (rel: string, side: 'before' | 'after') => r.blobs.text(r.at(path.join(root, rel))[side]);
    assert.equal(text('a.txt', 'before'), 'a\n');
    assert.equal(text('a.txt', 'after'), 'a\na2\n');
    assert.equal(text('del.txt', 'before'), 'deleted content\n', 'a deleted clean file: its pre-image is git\'s blob, kept');
    assert.deepEqual(r.at(path.join(root, 'del.txt')).after, { state: 'absent' });
    assert.equal(text('dirty.txt', 'before'), 'v2 (user)\n', 'modified before and again: the pre-image is what was on disk');
    assert.equal(text('dirty.txt', 'after'), 'v2 (user)\nv3\n');
    assert.equal(text('sp ace/ünï code.txt', 'before'), 'u\n');
    assert.equal(text('r.txt', 'before'), 'rename me\n');
    assert.deepEqual(r.at(path.join(root, 'r2.txt')).before, { state: 'absent' });
    assert.equal(text('u2.txt', 'before'), 'untracked2\n');
    assert.equal(text('brand/new.txt', 'after'), 'new\n');
  });

  void test('a command that stages, commits or switches branches: pre-images are what HEAD had before it', async () => {
    const root = fresh({ 'a.txt': '1\n', 'b.txt': 'b1\n', 'c.txt': 'c1\n', 'keep.txt': 'k\n' });
    const r = await around([root], root, [
      'echo 2 >> a.txt', 'git commit -q -am two', 'echo 3 >> a.txt', 'echo b2 >> b.txt', 'git add b.txt', 'git rm -q c.txt',
      'git checkout -q -b other', 'echo n > n.txt', 'git add n.txt', 'git commit -q -m n',
    ].join(' && '));
    assert.deepEqual(summary(r.changes, root), ['modified a.txt', 'modified b.txt', 'deleted c.txt', 'created n.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), '1\n');
    assert.equal(r.blobs.text(r.changes[1]!.before), 'b1\n');
    assert.equal(r.blobs.text(r.changes[2]!.before), 'c1\n');
    assert.equal(r.blobs.text(r.changes[3]!.after), 'n\n');
  });

  void test('binary and oversize files are recorded by hash and size, not kept', async () => {
    const bin = Buffer.from([0, 1, 2, 3, 0, 255, 10]);
    const big = 'x'.repeat(5000);
    const root = fresh({ 'bin.dat': bin, 'big.txt': big, 'small.txt': 's\n' });
    writeFiles(root, { 'big-untracked.txt': 'y'.repeat(3000) });
    const r = await around([root], root, "printf '\\000more' >> bin.dat && echo z >> big.txt && echo z >> big-untracked.txt && echo t >> small.txt", { maxFileBytes: 1024 });
    assert.deepEqual(summary(r.changes, root), ['modified big-untracked.txt', 'modified big.txt', 'modified bin.dat', 'modified small.txt']);
    const binBefore = r.at(path.join(root, 'bin.dat')).before;
    assert.deepEqual(binBefore, { state: 'file', hash: sha(bin), size: bin.length, stored: false, binary: true, note: 'binary; not kept' });
    assert.deepEqual(r.at(path.join(root, 'big.txt')).before, { state: 'file', hash: sha(big), size: 5000, stored: false, note: 'over the 1 KiB size cap; not kept' });
    assert.deepEqual(r.at(path.join(root, 'big.txt')).after, { state: 'file', hash: sha(`${big}z\n`), size: 5002, stored: false, note: 'over the 1 KiB size cap; not kept' });
    assert.equal(r.at(path.join(root, 'big-untracked.txt')).before.state === 'file' && (r.at(path.join(root, 'big-untracked.txt')).before as { hash: string }).hash, sha('y'.repeat(3000)));
    assert.equal(r.blobs.text(r.at(path.join(root, 'small.txt')).before), 's\n');
  });

  void test('a file checked out through a filter (CRLF): the pre-image is the bytes that were on disk', async () => {
    const root = fresh({ 'one.txt': 'l1\nl2\n', 'two.txt': 'm1\n', 'lf.txt': 'plain\n' });
    sh(root, 'git config core.autocrlf true && rm one.txt two.txt && git checkout -- one.txt two.txt');
    assert.equal(readFileSync(path.join(root, 'one.txt'), 'utf8'), 'l1\r\nl2\r\n');
    const r = await around([root], root, "printf 'new\\r\\n' > one.txt && printf 'n2\\r\\n' > two.txt");
    assert.deepEqual(summary(r.changes, root), ['modified one.txt', 'modified two.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'l1\r\nl2\r\n');
    assert.equal(r.blobs.text(r.changes[1]!.before), 'm1\r\n');
  });

  void test('symbolic links are never followed out of the root', async () => {
    const outside = path.join(ws.dir, 'outside');
    mkdirSync(outside);
    writeFiles(outside, { 'secret.txt': 'secret\n' });
    writeFiles(outside, { 'sub/x.txt': 'secret x\n', 'sub/y.txt': 'secret y\n' });
    const root = fresh({ 'a.txt': 'a\n', 'sub/y.txt': 'y\n' });
    writeFiles(root, { 'sub/x.txt': 'x (untracked)\n' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    symlinkSync(outside, path.join(root, 'dirlink'));
    sh(root, 'git add link.txt && git commit -q -m link');
    const r = await around([root], root, `echo pwned >> link.txt && echo planted > dirlink/planted.txt && ln -s /etc/hostname newlink && mv sub sub.bak && ln -s ${outside}/sub sub`);
    // sub/ became a link out of the root: its files are gone from the root (and moved to sub.bak/), never read through the link.
    assert.deepEqual(summary(r.changes, root), ['created sub.bak/x.txt', 'created sub.bak/y.txt', 'deleted sub/x.txt', 'deleted sub/y.txt']);
    assert.equal(r.blobs.text(r.changes[2]!.before), 'x (untracked)\n');
    assert.equal(r.blobs.text(r.changes[3]!.before), 'y\n');
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret\npwned\n');
    for (const blob of r.blobs.blobs.values()) assert.doesNotMatch(blob.toString('utf8'), /secret|pwned|planted/);
    assert.deepEqual(r.notes.sort(), [`${path.join(root, 'newlink')}: a symbolic link (not followed); its change is not recorded`, `${path.join(root, 'sub')}: a symbolic link (not followed); its change is not recorded`]);
  });

  void test('several roots: each work tree once, only paths under a root, a plain folder walked; paths absolute', async () => {
    const whole = fresh({ 'w.txt': 'w\n' });
    const repo = fresh({ 'sub/in.txt': 'in\n', 'sub2/also.txt': 'x\n', 'out.txt': 'out\n' });
    const plain = path.join(ws.dir, 'plain-root');
    mkdirSync(plain);
    writeFiles(plain, { 'p.txt': 'p\n' });
    const sub = path.join(repo, 'sub');
    const sub2 = path.join(repo, 'sub2');
    const r = await around([whole, sub, sub2, plain], ws.dir, `echo w2 >> ${whole}/w.txt && echo in2 >> ${sub}/in.txt && echo x2 >> ${sub2}/also.txt && echo out2 >> ${repo}/out.txt && echo p22 >> ${plain}/p.txt && echo q > ${plain}/q.txt`);
    assert.deepEqual(r.changes.map((c) => `${c.kind} ${c.path}`).sort(), [
      `modified ${path.join(plain, 'p.txt')}`, `created ${path.join(plain, 'q.txt')}`,
      `modified ${path.join(sub, 'in.txt')}`, `modified ${path.join(sub2, 'also.txt')}`, `modified ${path.join(whole, 'w.txt')}`,
    ].sort());
    assert.equal(r.blobs.text(r.at(path.join(sub, 'in.txt')).before), 'in\n');
    assert.equal(r.at(path.join(plain, 'p.txt')).before.state, 'unknown');
  });

  void test('a repository nested in an untracked folder is watched on its own', async () => {
    const root = fresh({ 'top.txt': 't\n' });
    const lib = path.join(root, 'vendor', 'lib');
    mkdirSync(lib, { recursive: true });
    gitRepo(lib, { 'x.txt': 'x1\n' });
    const r = await around([root], root, 'echo x2 >> vendor/lib/x.txt && echo y > vendor/lib/y.txt');
    assert.deepEqual(summary(r.changes, root), ['modified vendor/lib/x.txt', 'created vendor/lib/y.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'x1\n');
  });

  void test('a submodule is watched on its own', async () => {
    const lib = fresh({ 'lib.txt': 'lib1\n' });
    const root = fresh({ 'top.txt': 't\n' });
    sh(root, `git -c protocol.file.allow=always submodule add -q ${lib} mod && git commit -q -m sub`);
    const r = await around([root], root, 'echo lib2 >> mod/lib.txt && echo t2 >> top.txt');
    assert.deepEqual(summary(r.changes, root), ['modified mod/lib.txt', 'modified top.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'lib1\n');
    assert.deepEqual(r.notes, []);
  });

  void test('without git the folder is walked, and a note says so', async () => {
    const root = fresh({ 'a.txt': 'a\n', 'ign/i.txt': 'i\n', '.gitignore': 'ign/\n' });
    const r = await around([root], root, 'echo a2 >> a.txt && echo i2 >> ign/i.txt', { git: path.join(ws.dir, 'no-such-git') });
    assert.deepEqual(summary(r.changes, root), ['modified a.txt']);
    assert.equal(r.changes[0]!.before.state, 'unknown');
    assert.match(r.notes[0]!, /^git could not be started \(ENOENT\): changes were found by a file scan instead/);
  });

  void test('a .git that is no repository inside another work tree: git fails there, the folder is walked, a note says so', async () => {
    const outer = fresh({ 'outer.txt': 'o\n' });
    const root = path.join(outer, 'inner');
    mkdirSync(path.join(root, '.git'), { recursive: true });
    writeFiles(root, { 'a.txt': 'a\n' });
    const r = await around([root], root, 'echo a2 >> a.txt && echo o2 >> ../outer.txt');
    assert.deepEqual(summary(r.changes, root), ['modified a.txt']);
    assert.equal(r.changes[0]!.before.state, 'unknown');
    assert.match(r.notes[0]!, new RegExp(`^${root}: git status failed: not a git repository.*; changes were found by a file scan instead$`));
  });

  void test('dirty files past the count cap: their pre-image is the session\'s own, else unknown, and a note says so', async () => {
    const root = fresh({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'd.txt': 'd\n', 'e.txt': 'e\n' });
    writeFiles(root, { 'a.txt': 'a-user\n', 'b.txt': 'b-user\n', 'c.txt': 'c-user\n', 'd.txt': 'd-user\n', 'e.txt': 'e-user\n' });
    const knownD: FileImage = { state: 'file', hash: sha('d-user\n'), size: 7, stored: true };
    const r = await around([root], root, 'echo more >> b.txt && echo more >> d.txt && echo more >> e.txt', { maxFiles: 3 }, (abs) => (abs === path.join(root, 'd.txt') ? knownD : undefined));
    assert.deepEqual(summary(r.changes, root), ['modified b.txt', 'modified d.txt', 'modified e.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'b-user\n', 'within the cap: read before the command');
    assert.deepEqual(r.changes[1]!.before, knownD, 'not read (the cap): what the session knew');
    assert.deepEqual(r.changes[2]!.before, { state: 'unknown', note: 'it was not read before the command (the 3-file cap); its earlier content is unknown' });
    assert.ok(r.notes.includes('1 file changed by the command had not been read before it; its earlier content is unknown'), r.notes.join('\n'));
  });

  void test('a merge the command leaves in conflict: conflicted and cleanly merged files have HEAD\'s pre-images', async () => {
    const root = fresh({ 'conflict.txt': 'base\n', 'theirs.txt': 't1\n' });
    sh(root, 'git checkout -q -b other && echo other > conflict.txt && echo t2 > theirs.txt && git commit -q -am other && git checkout -q main && echo mine > conflict.txt && git commit -q -am mine');
    const r = await around([root], root, 'git merge -q other >/dev/null 2>&1 || true');
    assert.deepEqual(summary(r.changes, root), ['modified conflict.txt', 'modified theirs.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'mine\n');
    assert.match(r.blobs.text(r.changes[0]!.after), /^<<<<<<< HEAD\nmine\n=======\nother\n>>>>>>> other\n$/);
    assert.equal(r.blobs.text(r.changes[1]!.before), 't1\n');
  });

  void test('a repository without a commit yet: everything is untracked, then created or changed', async () => {
    const root = path.join(ws.dir, 'unborn');
    mkdirSync(root);
    sh(root, 'git init -q');
    writeFiles(root, { 'a.txt': 'a\n' });
    const r = await around([root], root, 'echo a2 >> a.txt && echo b > b.txt && git add b.txt');
    assert.deepEqual(summary(r.changes, root), ['modified a.txt', 'created b.txt']);
    assert.equal(r.blobs.text(r.changes[0]!.before), 'a\n');
  });

  void test('consecutive scans of one session: a user edit between commands and a blob the store lost are read again', async () => {
    const root = fresh({ 'd.txt': 'd0\n' });
    writeFiles(root, { 'd.txt': 'd1\n' });
    const watcher = createWorkspaceWatcher();
    const blobs = new MemoryBlobStore();
    const run = async (command: string) => {
      const watch = await watcher.begin({ roots: [root], blobs, known: () => undefined });
      sh(root, command);
      return (await watch.finish()).changes;
    };
    assert.deepEqual(await run('true'), []);
    writeFiles(root, { 'd.txt': 'd2 (user)\n' });
    const second = await run('echo x >> d.txt');
    assert.equal(blobs.text(second[0]!.before), 'd2 (user)\n');
    writeFiles(root, { 'd.txt': 'd3\n' });
    assert.deepEqual(await run('true'), []);
    blobs.blobs.delete(sha('d3\n'));
    const fourth = await run('echo y >> d.txt');
    assert.equal(blobs.text(fourth[0]!.before), 'd3\n');
  });
});
