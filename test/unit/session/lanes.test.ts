// The lane scheduler of one message's tool calls: read-only calls at once, others alone and in
// order, results recorded in call order. Concurrency is judged by the order of start and end
// marks (which started before another ended), never by wall-clock time.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { laneGroups, OneAtATime, runByLane, type Lane, type LaneTask } from '../../../src/core/session/lanes';

/** A task that logs `start:<name>` / `end:<name>` and finishes when `release(name)` is called. */
function harness() {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const started = new Map<string, () => void>();
  const whenStarted = (name: string): Promise<void> => new Promise((r) => { if (log.includes(`start:${name}`)) r(); else started.set(name, r); });
  const task = (name: string, lane: Lane, opts: { fail?: boolean; signal?: AbortSignal } = {}): LaneTask<string> => ({
    lane,
    run: () => new Promise<string>((resolve, reject) => {
      log.push(`start:${name}`);
      started.get(name)?.();
      opts.signal?.addEventListener('abort', () => { log.push(`abort:${name}`); reject(new Error('cancelled')); }, { once: true });
      gates.set(name, () => {
        log.push(`end:${name}`);
        if (opts.fail) reject(new Error(`${name} broke`)); else resolve(name);
      });
    }),
  });
  const release = (name: string): void => { const g = gates.get(name); assert.ok(g, `${name} is running`); g(); };
  return { log, task, release, whenStarted };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

void describe('lanes', () => {
  void test('groups: consecutive read-only calls together, consecutive children together, every other call alone', () => {
    const lanes: Lane[] = ['read', 'read', 'serial', 'serial', 'read', 'children', 'children', 'read'];
    const groups = laneGroups(lanes.map((lane, i) => ({ lane, i })));
    assert.deepEqual(groups.map((g) => g.map((t) => t.i)), [[0, 1], [2], [3], [4], [5, 6], [7]]);
  });

  void test('read-only calls overlap; results are recorded in call order even when they finish in reverse', async () => {
    const h = harness();
    const recorded: string[] = [];
    const done = runByLane([h.task('a', 'read'), h.task('b', 'read'), h.task('c', 'read')], (r) => { recorded.push(r); h.log.push(`record:${r}`); });
    await h.whenStarted('c');
    assert.deepEqual(h.log, ['start:a', 'start:b', 'start:c'], 'all three started before any ended');
    h.release('c'); h.release('b');
    await tick();
    assert.deepEqual(recorded, [], 'c and b wait for a to be recorded first');
    h.release('a');
    await done;
    assert.deepEqual(recorded, ['a', 'b', 'c']);
    assert.deepEqual(h.log.slice(3), ['end:c', 'end:b', 'end:a', 'record:a', 'record:b', 'record:c']);
  });

  void test('serial calls run one at a time in call order; a read after them waits for them', async () => {
    const h = harness();
    const recorded: string[] = [];
    const done = runByLane([h.task('r1', 'read'), h.task('edit', 'serial'), h.task('cmd', 'serial'), h.task('r2', 'read')], (r) => { recorded.push(r); });
    await h.whenStarted('r1');
    await tick();
    assert.ok(!h.log.includes('start:edit'), 'the edit waits for the read before it');
    h.release('r1');
    await h.whenStarted('edit');
    await tick();
    assert.ok(!h.log.includes('start:cmd'), 'the command waits for the edit');
    h.release('edit');
    await h.whenStarted('cmd');
    await tick();
    assert.ok(!h.log.includes('start:r2'), 'a read after a command waits for it (it may read what it wrote)');
    h.release('cmd');
    await h.whenStarted('r2');
    h.release('r2');
    await done;
    assert.deepEqual(recorded, ['r1', 'edit', 'cmd', 'r2']);
    assert.deepEqual(h.log, ['start:r1', 'end:r1', 'start:edit', 'end:edit', 'start:cmd', 'end:cmd', 'start:r2', 'end:r2']);
  });

  void test('a failure in one read-only call does not lose the others; the next group does not start', async () => {
    const h = harness();
    const recorded: string[] = [];
    const done = runByLane([h.task('a', 'read'), h.task('bad', 'read', { fail: true }), h.task('c', 'read'), h.task('after', 'serial')], (r) => { recorded.push(r); });
    await h.whenStarted('c');
    h.release('bad'); h.release('a'); h.release('c');
    await assert.rejects(done, /bad broke/);
    assert.deepEqual(recorded, ['a', 'c'], 'the others of the group are recorded, in order');
    assert.ok(!h.log.includes('start:after'));
  });

  void test('cancel mid-lane: the running read-only calls stop, nothing later starts, the cancel is thrown', async () => {
    const h = harness();
    const abort = new AbortController();
    const recorded: string[] = [];
    const { signal } = abort;
    const done = runByLane([h.task('a', 'read', { signal }), h.task('b', 'read', { signal }), h.task('edit', 'serial', { signal })], (r) => { recorded.push(r); });
    await h.whenStarted('b');
    h.release('a'); // a finished before the cancel: recorded
    await tick();
    abort.abort();
    await assert.rejects(done, /cancelled/);
    assert.deepEqual(recorded, ['a']);
    assert.ok(h.log.includes('abort:b'));
    assert.ok(!h.log.includes('start:edit'));
  });

  void test('a recorder that refuses (the turn is gone) stops recording but the group is still waited for', async () => {
    const h = harness();
    const recorded: string[] = [];
    const done = runByLane([h.task('a', 'read'), h.task('b', 'read'), h.task('c', 'serial')], (r) => {
      if (r === 'a') throw new Error('turn gone');
      recorded.push(r);
    });
    await h.whenStarted('b');
    h.release('a');
    await tick();
    let settled = false;
    void done.catch(() => { settled = true; });
    await tick();
    assert.equal(settled, false, 'b still runs: runByLane waits for it');
    h.release('b');
    await assert.rejects(done, /turn gone/);
    assert.deepEqual(recorded, []);
    assert.ok(!h.log.includes('start:c'));
  });

  void test('OneAtATime: sections never overlap, run in the order asked, and a failed one does not block the next', async () => {
    const one = new OneAtATime();
    const log: string[] = [];
    let open = 0;
    const section = (name: string, fail = false) => one.run(async () => {
      open++;
      assert.equal(open, 1, 'one section at a time');
      log.push(`in:${name}`);
      await tick(); await tick();
      log.push(`out:${name}`);
      open--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
    const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
    assert.deepEqual(log, ['in:a', 'out:a', 'in:b', 'out:b', 'in:c', 'out:c']);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });
});
