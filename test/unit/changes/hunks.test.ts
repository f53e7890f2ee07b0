import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { diffHunks, keepHunk, lineCounts, revertHunk, splitKeepingEnds } from '../../../src/core/changes/hunks';
import type { ChangeHunk } from '../../../src/core/changes/types';
import { AgentError } from '../../../src/core/base/errors';
import { seededRandom } from '../store/helpers';

const h = (baseStart: number, baseEnd: number, start: number, end: number, index = 0): ChangeHunk =>
  ({ index, baseStart, baseEnd, start, end, added: end - start, removed: baseEnd - baseStart });

/** Lines from a small alphabet (so texts share lines and repeat them), mixed endings, sometimes no final newline. */
function randomText(rand: () => number, maxLines: number): string {
  const n = Math.floor(rand() * (maxLines + 1));
  const words = ['a', 'b', 'c', 'd', '', 'x y'];
  let out = '';
  for (let i = 0; i < n; i++) {
    out += words[Math.floor(rand() * words.length)];
    const last = i === n - 1;
    if (last && rand() < 0.3) break;
    out += rand() < 0.2 ? '\r\n' : '\n';
  }
  return out;
}

/** `text` with a few random line edits (insert, delete, replace), so the pair has unchanged runs. */
function edited(rand: () => number, text: string): string {
  const lines = splitKeepingEnds(text);
  const edits = Math.floor(rand() * 5);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (lines.length + 1));
    const what = rand();
    const line = `${['a', 'b', 'q', 'z'][Math.floor(rand() * 4)]}${rand() < 0.2 ? '\r\n' : '\n'}`;
    if (what < 0.4) lines.splice(at, 0, line);
    else if (what < 0.7) lines.splice(at, 1);
    else lines.splice(at, 1, line);
  }
  return lines.join('');
}

function pairs(seed: number, count: number): Array<[string, string]> {
  const rand = seededRandom(seed);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const base = randomText(rand, 14);
    out.push([base, rand() < 0.75 ? edited(rand, base) : randomText(rand, 14)]);
  }
  return out;
}

/** The hunk list is well formed: in order, disjoint, separated by at least one unchanged line, counts match. */
function assertWellFormed(hunks: ChangeHunk[], base: string, now: string): void {
  const baseLines = splitKeepingEnds(base);
  const nowLines = splitKeepingEnds(now);
  let prev: ChangeHunk | undefined;
  hunks.forEach((x, i) => {
    assert.equal(x.index, i);
    assert.ok(x.added + x.removed > 0, 'a hunk changes something');
    assert.equal(x.added, x.end - x.start);
    assert.equal(x.removed, x.baseEnd - x.baseStart);
    const gapBase = x.baseStart - (prev?.baseEnd ?? 0);
    const gapNow = x.start - (prev?.end ?? 0);
    assert.equal(gapBase, gapNow, 'the unchanged run between hunks is the same on both sides');
    assert.ok(prev === undefined ? gapBase >= 0 : gapBase >= 1, 'adjacent changes are one hunk');
    for (let k = 0; k < gapBase; k++) assert.equal(baseLines[(prev?.baseEnd ?? 0) + k], nowLines[(prev?.end ?? 0) + k]);
    prev = x;
  });
  const tailBase = baseLines.length - (prev?.baseEnd ?? 0);
  assert.equal(tailBase, nowLines.length - (prev?.end ?? 0));
}

void describe('diffHunks', () => {
  void test('hand cases: one changed line, an insertion, a deletion, two hunks apart', () => {
    assert.deepEqual(diffHunks('a\nb\nc\n', 'a\nB\nc\n'), [h(1, 2, 1, 2)]);
    assert.deepEqual(diffHunks('a\nc\n', 'a\nb\nc\n'), [h(1, 1, 1, 2)]);
    assert.deepEqual(diffHunks('a\nb\nc\n', 'a\nc\n'), [h(1, 2, 1, 1)]);
    assert.deepEqual(diffHunks('1\n2\n3\n4\n5\n', 'one\n2\n3\n4\nfive\n'), [h(0, 1, 0, 1, 0), h(4, 5, 4, 5, 1)]);
    assert.deepEqual(diffHunks('same\n', 'same\n'), []);
  });

  void test('changes with no unchanged line between them are one hunk', () => {
    // A deletion of b right next to a replacement of c.
    assert.deepEqual(diffHunks('a\nb\nc\nd\n', 'a\nC\nd\n'), [h(1, 3, 1, 2)]);
    // Two changed lines in a row: one hunk, not two.
    assert.deepEqual(diffHunks('a\nb\nc\nd\n', 'a\nB\nC\nd\n'), [h(1, 3, 1, 3)]);
  });

  void test('a created file is one hunk of added lines, an emptied file one of removed lines', () => {
    assert.deepEqual(diffHunks('', 'a\nb\n'), [h(0, 0, 0, 2)]);
    assert.deepEqual(diffHunks('a\nb\nc', ''), [h(0, 3, 0, 0)]);
    assert.deepEqual(diffHunks('', ''), []);
    assert.deepEqual(lineCounts('', 'a\nb\n'), { added: 2, removed: 0 });
    assert.deepEqual(lineCounts('a\nb\nc', ''), { added: 0, removed: 3 });
  });

  void test('a missing final newline: the last line differs from the same line with one', () => {
    assert.deepEqual(diffHunks('a\nb', 'a\nb\n'), [h(1, 2, 1, 2)]);
    assert.deepEqual(diffHunks('a\nb', 'a\nb\nc'), [h(1, 2, 1, 3)]);
    assert.equal(revertHunk('a\nb', 'a\nb\nc', 0), 'a\nb');
    assert.equal(keepHunk('a\nb', 'a\nb\nc', 0), 'a\nb\nc');
  });

  void test('CRLF files: hunks are by line, and undo / keep keep every line its ending', () => {
    const base = 'one\r\ntwo\r\nthree\r\nfour\r\n';
    const now = 'one\r\nTWO\r\nthree\r\nfour\r\nfive\r\n';
    assert.deepEqual(diffHunks(base, now), [h(1, 2, 1, 2, 0), h(4, 4, 4, 5, 1)]);
    assert.equal(revertHunk(base, now, 0), 'one\r\ntwo\r\nthree\r\nfour\r\nfive\r\n');
    assert.equal(revertHunk(base, now, 1), 'one\r\nTWO\r\nthree\r\nfour\r\n');
    assert.equal(keepHunk(base, now, 1), 'one\r\ntwo\r\nthree\r\nfour\r\nfive\r\n');
    assert.deepEqual(lineCounts(base, now), { added: 2, removed: 1 });
    // A line whose only change is its ending is a change (the bytes differ).
    assert.deepEqual(diffHunks('a\r\nb\r\n', 'a\r\nb\n'), [h(1, 2, 1, 2)]);
  });

  void test('a hunk that is not there (the file changed since the view) is refused with not_found', () => {
    assert.throws(() => revertHunk('a\n', 'b\n', 1), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.throws(() => keepHunk('a\n', 'a\n', 0), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.throws(() => keepHunk('a\n', 'b\n', 0.5), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
  });

  void test('two edits far apart in a long file are two small hunks (no give-up into one block)', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`);
    const base = lines.join('');
    const now = [...lines.slice(0, 10), 'new top\n', ...lines.slice(10, 19_990), ...lines.slice(19_991)].join('');
    assert.deepEqual(diffHunks(base, now), [h(10, 10, 10, 11, 0), h(19_990, 19_991, 19_991, 19_991, 1)]);
  });

  void test('two unrelated big texts still give a correct diff (the work budget falls back to replacing)', () => {
    const a = Array.from({ length: 6_000 }, (_, i) => `a${i}\n`).join('');
    const b = Array.from({ length: 6_000 }, (_, i) => `b${i}\n`).join('');
    assert.deepEqual(diffHunks(a, b), [h(0, 6_000, 0, 6_000)]);
    assert.equal(revertHunk(a, b, 0), a);
  });
});

void describe('hunks: properties over random texts', () => {
  const cases = pairs(13, 3_000);

  void test('the hunks are well formed', () => {
    for (const [base, now] of cases) assertWellFormed(diffHunks(base, now), base, now);
  });

  void test('reverting every hunk, last to first, gives the baseline', () => {
    for (const [base, now] of cases) {
      let text = now;
      for (let i = diffHunks(base, now).length - 1; i >= 0; i--) text = revertHunk(base, text, i);
      assert.equal(text, base, JSON.stringify({ base, now }));
    }
  });

  void test('keeping every hunk, last to first, makes the baseline the current text', () => {
    for (const [base, now] of cases) {
      let kept = base;
      for (let i = diffHunks(base, now).length - 1; i >= 0; i--) kept = keepHunk(kept, now, i);
      assert.equal(kept, now, JSON.stringify({ base, now }));
    }
  });

  void test('reverting hunk i leaves the other hunks as they were (later ones shifted by its size)', () => {
    for (const [base, now] of cases) {
      const hunks = diffHunks(base, now);
      for (const target of hunks) {
        const after = diffHunks(base, revertHunk(base, now, target.index));
        const shift = target.removed - target.added;
        const expected = hunks.filter((x) => x !== target).map((x, index) => (x.index < target.index
          ? { ...x, index }
          : { ...x, index, start: x.start + shift, end: x.end + shift }));
        assert.deepEqual(after, expected, JSON.stringify({ base, now, target: target.index }));
      }
    }
  });

  void test('keeping hunk i leaves the other hunks as they were (later ones shifted in the baseline)', () => {
    for (const [base, now] of cases) {
      const hunks = diffHunks(base, now);
      for (const target of hunks) {
        const after = diffHunks(keepHunk(base, now, target.index), now);
        const shift = target.added - target.removed;
        const expected = hunks.filter((x) => x !== target).map((x, index) => (x.index < target.index
          ? { ...x, index }
          : { ...x, index, baseStart: x.baseStart + shift, baseEnd: x.baseEnd + shift }));
        assert.deepEqual(after, expected, JSON.stringify({ base, now, target: target.index }));
      }
    }
  });

  void test('line counts are the hunks summed', () => {
    for (const [base, now] of cases) {
      const hunks = diffHunks(base, now);
      assert.deepEqual(lineCounts(base, now), {
        added: hunks.reduce((s, x) => s + x.added, 0), removed: hunks.reduce((s, x) => s + x.removed, 0),
      });
    }
  });
});
