import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore, MemoryBlobStore, looksBinary, sha256 } from '../../../src/core/changes/blob-store';
import { PathLockTable } from '../../../src/core/changes/path-locks';
import { labelOf } from '../../../src/core/changes/labels';

function blobFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

void describe('FsBlobStore', () => {
  void test('stores a body once under its hash, compressed when that pays, and reads it back checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const store = new FsBlobStore(dir);
    const text = Buffer.from('export const x = 1;\n'.repeat(500));
    const a = await store.put(text);
    const b = await store.put(text);
    assert.deepEqual(a, { state: 'file', hash: sha256(text), size: text.length, stored: true });
    assert.deepEqual(b, a);
    const files = blobFiles(dir);
    assert.equal(files.length, 1);
    assert.ok(files[0].endsWith('.gz'), 'repetitive text is gzipped');
    assert.ok(readFileSync(files[0]).length < text.length / 10);
    assert.deepEqual(await store.get(a.hash), text);
    // A new process (another store object) finds it too.
    assert.equal(await new FsBlobStore(dir).has(a.hash), true);
  });

  void test('a damaged or missing blob is refused with a clear error, never returned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const store = new FsBlobStore(dir);
    const small = Buffer.from('tiny');
    const image = await store.put(small);
    assert.equal(image.state, 'file');
    const [file] = blobFiles(dir);
    writeFileSync(file, 'tinY');
    await assert.rejects(new FsBlobStore(dir).get(sha256(small)), (e: Error & { code?: string }) => e.code === 'damaged' && /does not match its hash/.test(e.message));
    await assert.rejects(store.get('0'.repeat(64)), (e: Error & { code?: string }) => e.code === 'damaged' && /missing/.test(e.message));
    await assert.rejects(store.get('../../etc/passwd'), (e: Error & { code?: string }) => e.code === 'damaged');
  });

  void test('binary and oversize content is recorded by hash and size, not kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const store = new FsBlobStore(dir, { maxBytes: 1000 });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]);
    const bin = await store.put(png);
    assert.equal(bin.state === 'file' && bin.stored, false);
    assert.equal(bin.state === 'file' && bin.binary, true);
    const big = await store.put(Buffer.alloc(2000, 'a'));
    assert.equal(big.state === 'file' && big.stored, false);
    assert.match(big.state === 'file' ? big.note ?? '' : '', /1,000-byte limit/);
    assert.deepEqual(blobFiles(dir), []);
  });

  void test('a disk that refuses the write still gives the hash, with why it cannot be restored', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'blobs-')), 'file-not-folder');
    writeFileSync(dir, 'x'); // mkdir under a file fails like a full or read-only disk would
    const image = await new FsBlobStore(dir).put(Buffer.from('hello'));
    assert.equal(image.state, 'file');
    assert.equal(image.state === 'file' && image.stored, false);
    assert.match(image.state === 'file' ? image.note ?? '' : '', /could not be kept/);
  });

  void test('the memory store keeps the same policy', async () => {
    const store = new MemoryBlobStore({ maxBytes: 4 });
    assert.equal((await store.put(Buffer.from('abc'))).stored, true);
    assert.equal((await store.put(Buffer.from('abcde'))).stored, false);
  });
});

void test('looksBinary: NUL or invalid UTF-8 is binary; UTF-8 text cut mid-character at the sniff boundary is not', () => {
  assert.equal(looksBinary(Buffer.from('plain text ✓')), false);
  assert.equal(looksBinary(Buffer.from([0x61, 0x00, 0x62])), true);
  assert.equal(looksBinary(Buffer.from([0xff, 0xfe, 0x41])), true);
  const text = Buffer.from('a'.repeat(8191) + '✓✓✓');
  assert.equal(looksBinary(text), false);
});

void test('PathLockTable runs changes of one path one at a time, in order, and other paths alongside', async () => {
  const locks = new PathLockTable();
  const log: string[] = [];
  const slow = (name: string, ms: number) => async () => {
    log.push(`${name}+`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`${name}-`);
  };
  await Promise.all([locks.run('/a', slow('a1', 20)), locks.run('/a', slow('a2', 1)), locks.run(['/b', '/a'], slow('ab', 1)), locks.run('/c', slow('c', 1))]);
  assert.ok(log.indexOf('a1-') < log.indexOf('a2+'));
  assert.ok(log.indexOf('a2-') < log.indexOf('ab+'));
  assert.ok(log.indexOf('c-') < log.indexOf('a1-'), 'another path does not wait');
});

void test('labelOf: relative to its folder; the folder name first in a multi-root workspace', () => {
  assert.equal(labelOf('/w/src/a.ts', ['/w']), 'src/a.ts');
  assert.equal(labelOf('/w2/b.ts', ['/w1', '/w2']), 'w2/b.ts');
  assert.equal(labelOf('/elsewhere/c.ts', ['/w']), '/elsewhere/c.ts');
  assert.equal(labelOf('/w-other/c.ts', ['/w']), '/w-other/c.ts');
});
