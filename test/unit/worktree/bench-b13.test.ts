/** B13 run small: it reports a figure against the plain-copy baseline of the same run, never a speed assertion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeContext } from '../../../bench/lib/case';
import { measure } from '../../../bench/cases/b13-worktree';

void test('B13 measures GitWorktrees.create against a plain copy of the same tree, in the same run', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-b13-'));
  try {
    const rows = await measure({ ...makeContext(scratch, true), log: () => undefined }, { files: 50, runs: 1 });
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.equal(row!.id, 'B13');
    assert.ok(Number.isFinite(row!.ours) && row!.ours > 0 && Number.isFinite(row!.baseline) && row!.baseline! > 0, JSON.stringify(row));
    assert.equal(row!.target, '< 1500');
    assert.equal(row!.met, row!.ours < 1500);
    assert.match(row!.note ?? '', /× the plain copy/);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
