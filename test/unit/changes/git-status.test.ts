import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatusV2 } from '../../../src/core/changes/git-status';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

void test('parses every porcelain v2 record kind, paths with spaces and the rename\'s second path', () => {
  const out = Buffer.from([
    `# branch.oid ${A}`, '# branch.head main',
    `1 .M N... 100644 100644 100644 ${A} ${A} dir/with space.txt`,
    `1 A. N... 000000 100644 100644 ${Z} ${B} added.txt`,
    `2 R. N... 100644 100644 100644 ${A} ${A} R100 new name.txt`, 'old name.txt',
    `u UU N... 100644 100644 100644 100644 ${A} ${B} ${A} conflict.txt`,
    `1 .M SC.. 160000 160000 160000 ${A} ${A} submodule`,
    '? untracked ü.txt', '? nested-repo/', '! ignored.txt', '',
  ].join('\0'));
  const s = parseStatusV2(out);
  assert.equal(s.head, A);
  assert.deepEqual(s.entries.map((e) => [e.type, e.xy, e.path, e.origPath]), [
    ['1', '.M', 'dir/with space.txt', undefined],
    ['1', 'A.', 'added.txt', undefined],
    ['2', 'R.', 'new name.txt', 'old name.txt'],
    ['u', 'UU', 'conflict.txt', undefined],
    ['1', '.M', 'submodule', undefined],
    ['?', '..', 'untracked ü.txt', undefined],
    ['?', '..', 'nested-repo/', undefined],
  ]);
  assert.equal(s.entries[1]!.indexOid, B);
  assert.equal(s.entries[4]!.sub, 'SC..');
});

void test('an unborn branch has no HEAD; a path that is not UTF-8 is counted, not guessed', () => {
  const s = parseStatusV2(Buffer.concat([Buffer.from('# branch.oid (initial)\0? ok.txt\0? bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt\0')]));
  assert.equal(s.head, undefined);
  assert.deepEqual(s.entries.map((e) => e.path), ['ok.txt']);
  assert.equal(s.undecodable, 1);
});
