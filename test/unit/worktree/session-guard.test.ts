/**
 * A session never silently falls back to the main tree (issue 14): when its worktree folder is
 * gone and cannot be brought back (no git here), sending is refused with the problem and the way
 * out, the state is recorded, queued prompts wait, and nothing reads or writes the main tree — also
 * when the folder goes in the middle of a turn, and after a restart. A locked worktree works.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, filesUnder, openLedger, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { approveAll, rootedSession } from './session-harness';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); });

const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const plan = (steps: PlanStep[]): string => `plan:${JSON.stringify(steps)}`;
const snapshotOfMain = (ws: string): string => JSON.stringify([...filesUnder(ws)].map(([k, v]) => [k, v.toString('base64')]).sort());

void describe('a worktree that cannot be used refuses work instead of using the main tree', () => {
  void test('its folder deleted: send is refused (invalid_state, the problem and the way out), recorded once, and nothing touches the main tree', async () => {
    const p = place('wt-gone-');
    writeFileSync(join(p.ws, 'a.txt'), 'main a\n');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      const main = snapshotOfMain(p.ws);
      rmSync(folder, { recursive: true, force: true });
      const requests = fake.requests.length;
      for (let i = 0; i < 2; i++) {
        await assert.rejects(h.manager.send(id, plan([write('a.txt', 'overwritten?\n'), { name: 'read_file', args: { path: 'a.txt' } }])), (e: Error & { code?: string }) => {
          assert.equal(e.code, 'invalid_state');
          assert.match(e.message, /works only in its worktree/);
          assert.match(e.message, /is gone, and there is no git here to bring it back/);
          assert.match(e.message, /Nothing runs in the main tree instead\. Bring the folder back .* or delete the session\./);
          return true;
        });
      }
      assert.equal(fake.requests.length, requests, 'no model request: no turn started');
      const snap = h.manager.get(id);
      assert.equal(snap?.worktree?.state, 'missing');
      assert.equal(snap?.state, 'idle');
      assert.equal(h.of(id).filter((e) => e.type === 'worktree.checked').length, 1, 'recorded when the state changed, not at every refusal');
      assert.equal(h.of(id).some((e) => e.type === 'turn.started'), false);
      assert.equal(snapshotOfMain(p.ws), main, 'the main tree is as it was');
      assert.equal(existsSync(folder), false, 'nothing made the folder again');
      assert.deepEqual(h.manager.list().find((r) => r.id === id)?.worktree?.state, 'missing');
    } finally {
      await h.close();
    }
  });

  void test('the folder comes back: the next send finds it again and works there', async () => {
    const p = place('wt-back-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      rmSync(folder, { recursive: true, force: true });
      await assert.rejects(h.manager.send(id, plan([write('x.txt', '1\n')])), /works only in its worktree/);
      mkdirSync(folder);
      const [r] = await runPlan(h, id, [write('x.txt', '1\n')]);
      assert.equal(r.isError, false, r.content);
      assert.equal(readFileSync(join(folder, 'x.txt'), 'utf8'), '1\n');
      assert.equal(existsSync(join(p.ws, 'x.txt')), false);
      assert.equal(h.manager.get(id)?.worktree?.state, 'ok');
      const marker = (await h.manager.transcript(id)).entries.find((e) => e.kind === 'marker' && /Worktree found again/.test(e.text));
      assert.ok(marker, 'the transcript says it was found again');
    } finally {
      await h.close();
    }
  });

  void test('the folder goes in the middle of a turn: the next tool call is refused and writes nowhere', async () => {
    const p = place('wt-midturn-');
    const { h, id, folder } = await rootedSession(fake, p);
    approveAll(h); // rm -rf asks even in full mode
    try {
      const main = snapshotOfMain(p.ws);
      const results = await runPlan(h, id, [
        { name: 'run_command', args: { command: `rm -rf ${JSON.stringify(folder)}` } },
        write('after.txt', 'where does this go?\n'),
        { name: 'read_file', args: { path: 'after.txt' } },
      ]);
      assert.equal(results[0].isError, false, results[0].content);
      assert.equal(results[1].isError, true);
      assert.match(results[1].content, /worktree folder .* is gone, so nothing was done \(nothing runs in the main tree instead\)/);
      assert.equal(results[2].isError, true);
      assert.equal(existsSync(folder), false, 'the write did not make the folder again');
      assert.equal(snapshotOfMain(p.ws), main);
      // The next message checks it: missing, refused.
      await assert.rejects(h.manager.send(id, 'go on'), /works only in its worktree/);
    } finally {
      await h.close();
    }
  });

  void test('queued prompts wait while the worktree cannot be used (not each started and failed)', async () => {
    const p = place('wt-queue-');
    const { h, id, folder } = await rootedSession(fake, p);
    approveAll(h); // rm -rf asks even in full mode
    try {
      // The first turn removes the folder; a prompt queued behind it must not start a turn in the main tree.
      const first = h.manager.send(id, plan([{ name: 'run_command', args: { command: `sleep 0.3; rm -rf ${JSON.stringify(folder)}` } }]));
      await first;
      const queued = await h.manager.send(id, plan([write('q.txt', 'queued\n')]));
      assert.equal(queued.queued, true);
      await h.manager.whenIdle(id);
      const turns = h.of(id).filter((e) => e.type === 'turn.started').length;
      assert.equal(turns, 1, 'the queued prompt did not start');
      assert.equal(h.manager.get(id)?.queue.length, 1);
      assert.equal(existsSync(join(p.ws, 'q.txt')), false);
    } finally {
      await h.close();
    }
  });

  void test('after a restart: the open finds the folder missing and records it; send is refused', async () => {
    const p = place('wt-restart-');
    const { h, id, folder } = await rootedSession(fake, p);
    await h.close();
    rmSync(folder, { recursive: true, force: true });
    const again = await openLedger(fake, p);
    try {
      const snap = await again.manager.open(id);
      assert.ok(snap);
      await again.manager.whenIdle(id); // the full load (and its check) is done
      assert.equal(again.manager.get(id)?.worktree?.state, 'missing');
      await assert.rejects(again.manager.send(id, plan([write('a.txt', 'x\n')])), /works only in its worktree/);
      assert.equal(existsSync(join(p.ws, 'a.txt')), false);
    } finally {
      await again.close();
    }
  });

  void test('its folder deleted: undoing its changes is refused too, and does not make the folder again', async () => {
    const p = place('wt-undo-gone-');
    const { h, id, folder } = await rootedSession(fake, p);
    try {
      await runPlan(h, id, [write('u.txt', 'to undo\n')]);
      const [row] = await h.manager.changes.list(id);
      assert.ok(row);
      rmSync(folder, { recursive: true, force: true });
      await assert.rejects(h.manager.changes.undoFile(id, row.path), (e: Error & { code?: string }) => e.code === 'invalid_state' && /works only in its worktree/.test(e.message));
      await assert.rejects(h.manager.changes.undoAll(id), /works only in its worktree/);
      assert.equal(existsSync(folder), false);
      assert.equal(existsSync(join(p.ws, 'u.txt')), false);
    } finally {
      await h.close();
    }
  });

  void test('a locked worktree works', async () => {
    const p = place('wt-locked-');
    const folder = join(p.outside, 'locked-wt');
    const { h, id } = await rootedSession(fake, p, { folder, extra: [{ type: 'worktree.checked', state: 'locked', path: folder, problem: 'git has it locked (git worktree unlock to remove it)' }] });
    try {
      const [r] = await runPlan(h, id, [write('l.txt', 'locked but fine\n')]);
      assert.equal(r.isError, false, r.content);
      assert.equal(readFileSync(join(folder, 'l.txt'), 'utf8'), 'locked but fine\n');
      assert.equal(h.manager.get(id)?.worktree?.state, 'locked');
    } finally {
      await h.close();
    }
  });

  void test('a discarded worktree: send is refused, saying the session can no longer run', async () => {
    const p = place('wt-discarded-');
    const { h, id } = await rootedSession(fake, p, { extra: [{ type: 'worktree.discarded', branchDeleted: true }] });
    try {
      await assert.rejects(h.manager.send(id, 'hello'), (e: Error & { code?: string }) => e.code === 'invalid_state' && /was discarded, so it can no longer run; its history stays/.test(e.message));
      await assert.rejects(h.manager.worktrees.apply(id, 'patch'), /was discarded/);
    } finally {
      await h.close();
    }
  });
});
