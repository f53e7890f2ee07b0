/**
 * Live equals reopened, as a property over a corpus of scripted sessions (live-corpus.ts): the
 * state a webview builds live — the host's snapshot and records at any point, then every live
 * event folded on top with the one fold — equals, field for field, the state a fresh open of the
 * same log gives: from the checkpoint and the log's tail (the fast path) and from the whole log
 * (the full load). The webview's bundle runs the same check in Chromium (test/webview/live-equals-reopened.test.ts).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { makeManager } from './harness';
import { buildCorpus, type CorpusSession } from './live-corpus';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { foldEvents, toSnapshot } from '../../../src/core/session/reducer';
import { foldEvent, projectionOf, type SessionProjection } from '../../../src/shared/fold';
import type { SessionEvent } from '../../../src/shared/events';

let fake: FakeLlm;
let root: string;
let corpus: CorpusSession[];
let logDir: string;

before(async () => {
  fake = await startFakeLlm();
  root = await mkdtemp(join(tmpdir(), 'agent-sessions-live-reopened-'));
  logDir = join(root, 'logs');
  corpus = await buildCorpus(fake, logDir);
});
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

/** As the wire carries it (JSON): what the webview ends up holding. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The webview's state: the host's snapshot and records after `head`, then `tail` folded live. */
function liveView(head: readonly SessionEvent[], tail: readonly SessionEvent[]): SessionProjection {
  const d = foldEvents(head[0]?.sessionId ?? 's', head);
  const view = projectionOf(wire(toSnapshot(d)), wire(d.records));
  for (const e of tail) foldEvent(view, wire(e));
  return view;
}

/** A fresh window opens the logs in `dir`: the snapshot and every record, plus what the open itself recorded. */
async function reopen(dir: string, id: string, known: number): Promise<{ view: SessionProjection; added: SessionEvent[]; fastPath: boolean }> {
  const store = new JsonlSessionStore({ directory: dir });
  let tails = 0;
  const loadTail = store.loadTail.bind(store);
  store.loadTail = (...args) => { tails++; return loadTail(...args); };
  const m = await makeManager(fake, store);
  try {
    const snapshot = await m.open(id);
    const page = await m.transcript(id, { limit: 1_000 });
    const added = (await m.eventsSince(id, known)).filter((e) => e.seq > known);
    // What the open added (a turn closed as interrupted…) reaches a live view as events too.
    const now = added.length > 0 ? m.get(id) ?? snapshot : snapshot;
    const records = added.length > 0 ? (await m.transcript(id, { limit: 1_000 })).entries : page.entries;
    return { view: wire(projectionOf(now, records)), added, fastPath: tails > 0 };
  } finally {
    await m.dispose();
  }
}

/** A copy of the logs without checkpoints: the open reads the whole log. */
async function withoutCheckpoints(): Promise<string> {
  const dir = join(root, `full-${Math.random().toString(36).slice(2)}`);
  await cp(logDir, dir, { recursive: true });
  for (const name of await readdir(dir, { recursive: true })) {
    if (/checkpoint/i.test(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
  return dir;
}

void describe('live equals reopened (the one fold)', () => {
  void test('the corpus covers what the property is about', () => {
    const types = new Set(corpus.flatMap((s) => s.live.map((e) => e.type)));
    for (const t of ['message.delta', 'tool.completed', 'approval.resolved', 'session.paused', 'session.resumed', 'turn.cancelled', 'turn.failed',
      'provider.retry', 'provider.retrying', 'context.compacted', 'child.started', 'child.completed', 'session.config_changed', 'knowledge.loaded',
      'tasks.updated', 'prompt.removed'] as const) {
      assert.ok(types.has(t), `the corpus has ${t}`);
    }
    assert.ok(corpus.some((s) => s.live.some((e) => e.type === 'tool.completed' && e.interrupted)), 'an interrupted tool call');
    assert.ok(corpus.some((s) => s.live.some((e) => e.type === 'approval.resolved' && e.resolution.decision === 'deny')), 'a denied call');
    assert.ok(corpus.some((s) => s.live.some((e) => e.type === 'turn.interrupted' && e.partialMessageId)), 'an answer cut off by the window closing');
  });

  void test('from any point of a live session, the live view equals a fresh open of its log (checkpoint path and full load)', async () => {
    const full = await withoutCheckpoints();
    let fast = 0;
    for (const s of corpus) {
      for (const [path, dir] of [['checkpoint', logDir], ['full load', full]] as const) {
        const opened = await reopen(dir, s.id, s.live.at(-1)!.seq);
        if (path === 'checkpoint' && opened.fastPath) fast++;
        const all = [...s.live, ...opened.added];
        for (let k = 1; k <= s.live.length; k++) {
          assert.deepStrictEqual(wire(liveView(all.slice(0, k), all.slice(k))), opened.view, `${s.what}: snapshot at event ${k} of ${all.length}, then live; reopened by ${path}`);
        }
      }
    }
    assert.ok(fast > 0, `some opens took the checkpoint path (${fast})`);
  });

  void test('a model switch moves the context meter to the new model\'s window, live and reopened', () => {
    const s = corpus.find((c) => c.what.includes('model switch'))!;
    const view = liveView(s.live.slice(0, 1), s.live.slice(1));
    assert.equal(view.config.model, 'claude-sonnet-4-5');
    assert.equal(view.context.window, 200_000);
    const compaction = view.records.find((r) => r.kind === 'marker' && r.variant === 'compacted');
    assert.ok(compaction?.kind === 'marker' && compaction.summary?.includes('SUMMARY'), 'the summary is on the compaction marker');
    assert.ok(!view.records.some((r) => r.kind === 'user' && r.text.includes('SUMMARY')), 'never shown as a user message');
  });

  void test('what the audit saw drift is in the reopened state: failure and cancel markers, interrupted answers, denied cards, done badges', async () => {
    const by = (what: string): CorpusSession => corpus.find((c) => c.what.includes(what))!;
    const failed = (await reopen(logDir, by('failed').id, Infinity)).view;
    assert.ok(failed.records.some((r) => r.kind === 'marker' && r.variant === 'failed'), 'Turn failed marker');
    const cancelled = (await reopen(logDir, by('cancel').id, Infinity)).view;
    assert.equal(cancelled.records.filter((r) => r.kind === 'marker' && r.variant === 'cancelled').length, 2, 'Turn cancelled markers');
    assert.ok(cancelled.records.some((r) => r.kind === 'assistant' && r.interrupted), 'the cut-off answer says so');
    assert.ok(cancelled.records.some((r) => r.kind === 'tool' && r.status === 'interrupted'), 'the interrupted tool card');
    assert.equal(cancelled.outcome, 'done');
    const tools = (await reopen(logDir, by('denied').id, Infinity)).view;
    const denied = tools.records.find((r) => r.kind === 'tool' && r.status === 'denied');
    assert.ok(denied?.kind === 'tool' && denied.permission?.decision === 'deny' && /denied by user/.test(denied.permission.source), 'Denied by: denied by user');
    assert.ok(tools.records.some((r) => r.kind === 'tool' && r.status === 'done' && r.durationMs !== undefined && r.permission?.decision === 'allow'), 'duration and permission kept');
    assert.equal(tools.outcome, 'done', 'the green done badge');
    const closed = (await reopen(logDir, by('window closing').id, Infinity)).view;
    assert.ok(closed.records.some((r) => r.kind === 'assistant' && r.interrupted && r.text.length > 0), 'the answer the reload cut off says so');
    assert.ok(closed.records.some((r) => r.kind === 'marker' && r.variant === 'interrupted'), 'Turn interrupted marker');
  });
});
