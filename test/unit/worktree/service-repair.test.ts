/**
 * A worktree session survives restarts over real git (issue 14): its log records the worktree, and
 * on open (a new SessionManager over the same store) a folder deleted outside VS Code is re-added
 * from its branch and the repair recorded; one that cannot be brought back (its branch gone too)
 * is reported, and the session refuses to run rather than fall back to the main tree. Before a turn
 * the same repair happens in a running window.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { cleanupPlaces, place, runPlan, type PlanStep } from '../changes/ledger-harness';
import { makeFixture, statusOf, type Fixture } from './git-fixture';
import { openGit, worktreeEvents } from './service-harness';

let fake: FakeLlm;
const fixtures: Fixture[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); for (const f of fixtures) f.cleanup(); });
const fixture = (): Fixture => { const f = makeFixture(); fixtures.push(f); return f; };
const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });

void describe('a worktree session across restarts', () => {
  void test('its folder deleted while the window was closed: the next open re-adds it from its branch, records the repair, and the session works there', async () => {
    const f = fixture();
    const p = place('wt-svc-repair-');
    let h = await openGit(fake, f, p);
    const s = await h.manager.create({ title: 'Survivor', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
    const w = s.worktree;
    assert.ok(w);
    await runPlan(h, s.id, [write('kept.txt', 'committed before the restart\n')]);
    await h.manager.worktrees.commit(s.id, 'Keep kept.txt');
    await h.close();
    rmSync(w.path, { recursive: true, force: true });
    const main = statusOf(f, f.repo);

    h = await openGit(fake, f, p);
    try {
      await h.manager.open(s.id);
      await h.manager.whenIdle(s.id); // the full load and its check are done
      const checked = worktreeEvents(h, s.id).filter((e) => e.type === 'worktree.checked');
      assert.equal(checked.length, 1, JSON.stringify(checked));
      const [repair] = checked;
      assert.equal(repair.type === 'worktree.checked' && repair.state, 'ok');
      assert.match(repair.type === 'worktree.checked' ? repair.repaired ?? '' : '', /re-?added|branch/i);
      assert.equal(readFileSync(join(w.path, 'kept.txt'), 'utf8'), 'committed before the restart\n');
      const marker = (await h.manager.transcript(s.id)).entries.find((e) => e.kind === 'marker' && /Worktree repaired/.test(e.text));
      assert.ok(marker, 'the transcript says it was repaired');
      const rs = await runPlan(h, s.id, [write('after.txt', 'after the repair\n')]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      assert.equal(readFileSync(join(w.path, 'after.txt'), 'utf8'), 'after the repair\n');
      assert.equal(existsSync(join(f.repo, 'after.txt')), false);
      assert.equal(statusOf(f, f.repo), main, 'the main tree is untouched');
    } finally {
      await h.close();
    }
  });

  void test('folder and branch both gone: the open reports it (missing, with the way out) and send is refused; nothing runs in the main tree', async () => {
    const f = fixture();
    const p = place('wt-svc-gone-');
    let h = await openGit(fake, f, p);
    const s = await h.manager.create({ title: 'Lost', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
    const w = s.worktree;
    assert.ok(w);
    await h.close();
    f.git(f.repo, 'worktree', 'remove', '--force', w.path);
    f.git(f.repo, 'branch', '-D', w.branch);
    const main = statusOf(f, f.repo);
    h = await openGit(fake, f, p);
    try {
      await h.manager.open(s.id);
      await h.manager.whenIdle(s.id);
      const snap = h.manager.get(s.id);
      assert.equal(snap?.worktree?.state, 'missing');
      assert.match(snap?.worktree?.problem ?? '', /its branch .* are gone/);
      assert.match(snap?.worktree?.problem ?? '', /discard/);
      await assert.rejects(h.manager.send(s.id, `plan:${JSON.stringify([write('x.txt', 'x\n')])}`), (e: Error & { code?: string }) => e.code === 'invalid_state' && /Nothing runs in the main tree instead/.test(e.message));
      assert.equal(existsSync(join(f.repo, 'x.txt')), false);
      assert.equal(existsSync(w.path), false);
      assert.equal(statusOf(f, f.repo), main);
      // The way out: discard (prunes what is left; the history stays).
      await h.manager.worktrees.discard(s.id);
      assert.equal(h.manager.get(s.id)?.worktree?.state, 'discarded');
    } finally {
      await h.close();
    }
  });

  void test('in a running window: the folder deleted between turns is re-added before the next turn', async () => {
    const f = fixture();
    const h = await openGit(fake, f, place('wt-svc-between-'));
    try {
      const s = await h.manager.create({ title: 'Between turns', workspace: { kind: 'worktree' }, config: { mode: 'full' } });
      const w = s.worktree;
      assert.ok(w);
      rmSync(w.path, { recursive: true, force: true });
      const rs = await runPlan(h, s.id, [write('n.txt', 'next turn\n')]);
      assert.ok(rs.every((r) => !r.isError), JSON.stringify(rs));
      assert.equal(readFileSync(join(w.path, 'n.txt'), 'utf8'), 'next turn\n');
      assert.equal(f.git(w.path, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), w.branch);
      assert.ok(worktreeEvents(h, s.id).some((e) => e.type === 'worktree.checked' && e.repaired));
    } finally {
      await h.close();
    }
  });
});
