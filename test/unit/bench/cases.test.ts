/**
 * The benchmark cases issue 12 measures, run small: they report what the issue asks for (figures
 * against baselines measured in the same run), never a speed assertion.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeContext } from '../../../bench/lib/case';
import { measure as measureB3 } from '../../../bench/cases/b3-open';
import { measure as measureB11 } from '../../../bench/cases/b11-lanes';

async function withContext<T>(fn: (ctx: ReturnType<typeof makeContext>) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-case-'));
  try {
    return await fn({ ...makeContext(scratch, true), log: () => undefined });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

void describe('issue 12 benchmark cases', () => {
  void test('B3 reports both full restores (background full load, log without a checkpoint) against a baseline of the same run', async () => {
    const rows = await withContext((ctx) => measureB3(ctx, { messages: 200, runs: 1 }));
    for (const what of [/^background full load/, /^open of a log without a checkpoint/, /^full restore/, /same events as one JSON/]) {
      const row = rows.find((r) => what.test(r.what));
      assert.ok(row, `no B3 row ${what}`);
      assert.ok(Number.isFinite(row.ours) && row.ours > 0 && Number.isFinite(row.baseline) && row.baseline! > 0, JSON.stringify(row));
      assert.equal(row.target, '≤ 1.0× baseline');
      assert.equal(row.met, row.ours <= row.baseline!);
    }
    assert.match(rows.find((r) => /^full restore/.test(r.what))!.note ?? '', /store\.load \d+ ms \+ fold \d+ ms/);
  });

  void test('B11 runs one model message with N read-only calls to a real MCP server against the same message with 1 call', async () => {
    const rows = await withContext((ctx) => measureB11(ctx, { calls: 3, runs: 1 }));
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.equal(row!.id, 'B11');
    // Each call sleeps 50 ms in the server: a figure below that was not measured through it.
    assert.ok(row!.baseline! >= 50 && row!.ours >= 50, JSON.stringify(row));
    assert.equal(row!.met, row!.ours / row!.baseline! <= 1.3);
    assert.match(row!.note ?? '', /× one call/);
  });
});
