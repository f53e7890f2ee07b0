/**
 * The worktree half of the one fold (src/shared/fold-worktree.ts): the state transitions of
 * snapshot.worktree, the markers the events leave, the index row, and that the state survives
 * every way back — the live fold equals the fold of the reopened log, the store checkpoint
 * round-trips it, and a manager opening the log (fast path and full load) shows the same.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent, SessionEventBody } from '../../../src/shared/events';
import type { MarkerRecord } from '../../../src/shared/transcript';
import { BUILTIN_DEFAULTS } from '../../../src/core/session/config';
import { foldEvents, toIndexEntry, toSnapshot } from '../../../src/core/session/reducer';
import { checkpointOf, readCheckpointData } from '../../../src/core/session/checkpoint';
import { foldEvent, projectionOf, toSnapshot as projectionSnapshot } from '../../../src/shared/fold';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { startFakeLlm } from '../../fake-llm';
import { makeManager } from '../session/harness';

const SID = 's-fold-wt';
const BASE = { ref: 'HEAD', commit: 'a'.repeat(40), branch: 'main' };

function events(bodies: SessionEventBody[], sessionId = SID): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: 1_000 + i, sessionId }) as SessionEvent);
}

const created: SessionEventBody = { type: 'session.created', title: 'Fix login', config: { ...BUILTIN_DEFAULTS, providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini' } };
const inWorktree: SessionEventBody = { type: 'worktree.created', path: '/wt/fix-login-abc123', branch: 'agent/fix-login-abc123', repoRoot: '/repo', base: BASE, carried: { files: 2 } };

/** A session's whole worktree life: made, lost, found again, moved, committed, applied with conflicts, discarded. */
const LIFE: SessionEventBody[] = [
  created,
  inWorktree,
  { type: 'worktree.checked', state: 'missing', path: '/wt/fix-login-abc123', problem: 'The folder is gone; bring it back' },
  { type: 'worktree.checked', state: 'ok', path: '/wt/fix-login-abc123', repaired: 're-added the folder from branch agent/fix-login-abc123' },
  { type: 'worktree.checked', state: 'moved', path: '/elsewhere/fix-login' },
  { type: 'worktree.committed', commit: 'b'.repeat(40), message: 'Fix the login form\n\nThe button was disabled.', files: 3 },
  { type: 'worktree.applied', mode: 'patch', outcome: 'conflicts', files: 3, conflicts: ['src/a.ts'] },
  { type: 'worktree.discarded', branchDeleted: true },
];

const markers = (bodies: SessionEventBody[]): MarkerRecord[] => foldEvents(SID, events(bodies)).records.filter((r): r is MarkerRecord => r.kind === 'marker');
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

void describe('worktree fold: state transitions', () => {
  void test('worktree.created: the session works there (ok), with what was carried over; a note says where', () => {
    const d = foldEvents(SID, events([created, inWorktree]));
    assert.deepEqual(d.worktree, { path: '/wt/fix-login-abc123', branch: 'agent/fix-login-abc123', repoRoot: '/repo', base: BASE, carried: { files: 2 }, state: 'ok', checkedAt: 1_001 });
    const [m] = markers([created, inWorktree]);
    assert.equal(m.variant, 'note');
    assert.match(m.text, /own worktree on branch agent\/fix-login-abc123 \(from main at aaaaaaaa, with 2 uncommitted file\(s\) of the main tree copied in\)/);
    assert.deepEqual(toIndexEntry(d).worktree, { branch: 'agent/fix-login-abc123', path: '/wt/fix-login-abc123', state: 'ok' });
  });

  void test('an inherited worktree names its owner and says so', () => {
    const child: SessionEventBody = { ...inWorktree, carried: undefined, inheritedFrom: 's-parent' } as SessionEventBody;
    const d = foldEvents(SID, events([created, child]));
    assert.equal(d.worktree?.inheritedFrom, 's-parent');
    assert.match(markers([created, child])[0].text, /parent's worktree on branch agent\/fix-login-abc123/);
  });

  void test('checks: a problem is kept until a later check clears it; warnings for bad states, notes for repairs and comebacks', () => {
    const steps = LIFE.slice(0, 5);
    const states: string[] = [];
    for (let n = 2; n <= steps.length; n++) states.push(String(foldEvents(SID, events(steps.slice(0, n))).worktree?.state));
    assert.deepEqual(states, ['ok', 'missing', 'ok', 'moved']);
    const missing = foldEvents(SID, events(steps.slice(0, 3))).worktree;
    assert.equal(missing?.problem, 'The folder is gone; bring it back');
    assert.equal(missing?.checkedAt, 1_002);
    const moved = foldEvents(SID, events(steps)).worktree;
    assert.equal(moved?.problem, undefined);
    assert.equal(moved?.path, '/elsewhere/fix-login', 'a move updates the path the session works in');
    const ms = markers(steps).slice(1);
    assert.deepEqual(ms.map((m) => [m.variant, m.code]), [['warning', 'worktree_missing'], ['note', undefined], ['warning', 'worktree_moved']]);
    assert.match(ms[0].text, /Its worktree is missing: The folder is gone/);
    assert.match(ms[1].text, /Worktree repaired: re-added the folder/);
  });

  void test('a check that finds it ok again after a problem (no repair) says it was found again', () => {
    const ms = markers([created, inWorktree, LIFE[2], { type: 'worktree.checked', state: 'ok', path: '/wt/fix-login-abc123' }]);
    assert.match(ms.at(-1)?.text ?? '', /Worktree found again at \/wt\/fix-login-abc123/);
  });

  void test('commit and apply are remembered; discard ends it (the branch, and that the session can no longer run, said)', () => {
    const d = foldEvents(SID, events(LIFE));
    assert.equal(d.worktree?.state, 'discarded');
    assert.deepEqual(d.worktree?.lastCommit, { commit: 'b'.repeat(40), message: 'Fix the login form\n\nThe button was disabled.', at: 1_005 });
    assert.deepEqual(d.worktree?.lastApply, { mode: 'patch', outcome: 'conflicts', conflicts: 1, at: 1_006 });
    const ms = markers(LIFE).slice(-3).map((m) => m.text);
    assert.match(ms[0], /Committed 3 file\(s\) on agent\/fix-login-abc123 \(bbbbbbbb\): Fix the login form$/);
    assert.match(ms[1], /as uncommitted changes: 3 file\(s\), 1 with conflicts \(src\/a\.ts\)/);
    assert.match(ms[2], /Worktree discarded with its branch: this session can no longer run/);
    assert.equal(toIndexEntry(d).worktree?.state, 'discarded');
  });

  void test('a session in the shared tree has no worktree; worktree events without a worktree.created change no state', () => {
    const d = foldEvents(SID, events([created, { type: 'worktree.checked', state: 'missing', path: '/x' }]));
    assert.equal(d.worktree, undefined);
    assert.equal(toIndexEntry(d).worktree, undefined);
  });
});

void describe('worktree fold: every way back gives the same state', () => {
  void test('live fold (a snapshot at any point, then the rest event by event, over the wire) equals the fold of the whole log', () => {
    const all = events(LIFE);
    const whole = foldEvents(SID, all);
    for (let cut = 1; cut < all.length; cut++) {
      const head = foldEvents(SID, all.slice(0, cut));
      const view = projectionOf(wire(toSnapshot(head)), wire(head.records));
      for (const e of all.slice(cut)) foldEvent(view, wire(e));
      assert.deepEqual(projectionSnapshot(view), toSnapshot(whole), `cut at ${cut}`);
      assert.deepEqual(view.records, whole.records, `records, cut at ${cut}`);
    }
  });

  void test('the store checkpoint keeps the worktree (validated, and equal to the log\'s state) at every step', () => {
    const all = events(LIFE);
    for (let n = 2; n <= all.length; n++) {
      const d = foldEvents(SID, all.slice(0, n));
      const cp = wire(checkpointOf(d));
      const back = readCheckpointData(cp, SID);
      assert.ok(back, `checkpoint ${n} is taken back`);
      assert.deepEqual(back.snapshot.worktree, d.worktree);
    }
  });

  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  void test('a manager opening the log shows the worktree the log says from the checkpoint; the full load checks it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-sessions-fold-wt-'));
    dirs.push(dir);
    const fake = await startFakeLlm();
    try {
      // Up to the moved check. The folder does not exist: the full load's check (no git here) finds it missing.
      const upTo = events(LIFE.slice(0, 7));
      const store = new JsonlSessionStore({ directory: dir });
      for (const e of upTo) store.append(SID, e);
      store.updateIndex(toIndexEntry(foldEvents(SID, upTo)));
      store.saveCheckpoint?.(SID, () => checkpointOf(foldEvents(SID, upTo)));
      await store.flush();
      await store.close();
      const m = await makeManager(fake, new JsonlSessionStore({ directory: dir }));
      try {
        const fast = await m.open(SID);
        assert.deepEqual(fast.worktree, foldEvents(SID, upTo).worktree);
        assert.deepEqual(m.list().find((r) => r.id === SID)?.worktree, { branch: 'agent/fix-login-abc123', path: '/elsewhere/fix-login', state: 'moved' });
        await m.transcript(SID, { beforeSeq: 2 }); // the full load
        const full = m.get(SID);
        assert.equal(full?.worktree?.path, '/elsewhere/fix-login');
        assert.equal(full?.worktree?.lastApply?.outcome, 'conflicts');
        assert.equal(full?.worktree?.state, 'missing', 'checked on open: the folder is not there');
        assert.match(full?.worktree?.problem ?? '', /is gone, and there is no git here/);
      } finally {
        await m.dispose();
      }
    } finally {
      await fake.close();
    }
  });
});
