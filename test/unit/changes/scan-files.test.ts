import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ImageCache, readCapped, RootGuard, statPath } from '../../../src/core/changes/scan-files';
import { MemoryBlobStore, sh, sha, tempFolder } from './scan-helpers';

const ws = tempFolder('scan-files-');
after(() => ws.cleanup());

void test('readCapped never reads through a link; over the cap it only hashes', async () => {
  writeFileSync(path.join(ws.dir, 'big.txt'), 'b'.repeat(3000));
  symlinkSync(path.join(ws.dir, 'big.txt'), path.join(ws.dir, 'link'));
  assert.deepEqual(await readCapped(path.join(ws.dir, 'link'), 10_000), { kind: 'link' });
  assert.deepEqual(await readCapped(path.join(ws.dir, 'big.txt'), 1024), { kind: 'oversize', hash: sha('b'.repeat(3000)), size: 3000 });
  assert.deepEqual(await readCapped(path.join(ws.dir, 'nope'), 1024), { kind: 'absent' });
  assert.deepEqual(await readCapped(ws.dir, 1024), { kind: 'other' });
});

void test('readCapped does not wait on a FIFO (no writer will come)', { timeout: 10_000 }, async () => {
  sh(ws.dir, 'mkfifo pipe');
  assert.deepEqual(await readCapped(path.join(ws.dir, 'pipe'), 1024), { kind: 'other' });
});

void test('RootGuard: a path whose folder resolves outside the root is not inside', async () => {
  const root = path.join(ws.dir, 'root');
  mkdirSync(path.join(root, 'real'), { recursive: true });
  symlinkSync(ws.dir, path.join(root, 'out'));
  const guard = new RootGuard(root);
  assert.equal(await guard.inside(path.join(root, 'real', 'a.txt')), true);
  assert.equal(await guard.inside(path.join(root, 'a.txt')), true);
  assert.equal(await guard.inside(path.join(root, 'out', 'a.txt')), false);
});

void test('ImageCache serves an image only for the same stat, read outside the racy window, with its blob still stored', async () => {
  const file = path.join(ws.dir, 'c.txt');
  writeFileSync(file, 'cached\n');
  const blobs = new MemoryBlobStore();
  const image = await blobs.put(Buffer.from('cached\n'));
  const st = await statPath(file);
  assert.ok('fp' in st);
  const cache = new ImageCache(10);
  cache.remember(file, st.fp, image, Date.now()); // read just now: the file may change within the same tick
  assert.equal(await cache.lookup(file, st.fp, blobs), undefined);
  cache.remember(file, st.fp, image, Date.now() + 60_000); // as if read long after its last change
  assert.deepEqual(await cache.lookup(file, st.fp, blobs), image);
  assert.equal(await cache.lookup(file, { ...st.fp, size: st.fp.size + 1 }, blobs), undefined);
  blobs.blobs.delete(image.hash);
  assert.equal(await cache.lookup(file, st.fp, blobs), undefined, 'the store lost the bytes: read again');
});
