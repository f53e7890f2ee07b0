// Forking a session from a transcript record: the fork's log is its own creation, copies of the
// source's events up to the end of that record's turn (no ledger events, no children, no queue)
// and `session.forked`; what the model gets next in the fork is what the source's model got then.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, lastUserText, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { AgentError } from '../../../src/core/base/errors';
import { forkBodies } from '../../../src/core/session/fork';
import type { SessionEvent, SessionEventBody } from '../../../src/core/session/events';
import type { TranscriptRecord } from '../../../src/shared/transcript';

let fake: FakeLlm;
let root: string;
let n = 0;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-fork-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

const isSummaryRequest = (req: RecordedRequest): boolean => JSON.stringify(req.body ?? {}).includes('You compress the middle part');

/**
 * "tool X" calls echo with X (call id `call-X`), then answers with the result; "slow" calls the
 * slow tool for 10 s; anything else gets "reply to <prompt>". Summary requests get SUMMARY-TEXT.
 */
function respond(): void {
  fake.reset();
  fake.setResponder((req) => {
    if (isSummaryRequest(req)) return script.text('SUMMARY-TEXT');
    const result = lastToolResult(req);
    if (result) return script.of(script.text(`saw ${result.content}`), script.usage(300, 10));
    const prompt = lastUserText(req);
    if (prompt.startsWith('tool ')) {
      const what = prompt.slice(5);
      return script.of(script.text(`calling echo for ${what}`), script.toolCall('echo', { text: what }, { id: `call-${what}` }), script.usage(200, 10));
    }
    if (prompt === 'slow') return script.toolCall('slow', { ms: 10_000 }, { id: 'call-slow' });
    return script.of(script.text(`reply to ${prompt}`), script.usage(100, 10));
  });
}

async function harness(dir?: string): Promise<Harness> {
  return startHarness({ fake, store: new JsonlSessionStore({ directory: dir ?? join(root, `case-${++n}`) }) });
}

async function turns(h: Harness, id: string, prompts: string[]): Promise<void> {
  for (const p of prompts) {
    await h.manager.send(id, p);
    await h.manager.whenIdle(id);
  }
}

/** The messages a model request carried. */
const messagesOf = (req: RecordedRequest | undefined): unknown[] => (req?.body?.messages ?? []) as unknown[];

/** The last request `send` made in session `id` (the prompt `text`, answered by the fake). */
async function requestAfter(h: Harness, id: string, text: string): Promise<unknown[]> {
  const before = fake.requests.length;
  await turns(h, id, [text]);
  const req = fake.requests.slice(before).find((r) => !isSummaryRequest(r));
  assert.ok(req, `a request for "${text}"`);
  return messagesOf(req);
}

/** Records without what numbering gives them (seq, a marker's key): a fork's copies are re-numbered. */
const unnumbered = (records: TranscriptRecord[]): unknown[] =>
  records.map(({ seq: _seq, ...r }) => (r.kind === 'marker' ? { ...r, key: 'marker' } : r));

async function records(h: Harness, id: string): Promise<TranscriptRecord[]> {
  return (await h.manager.transcript(id, { limit: 1_000 })).entries;
}

/** The source's records up to (and including) seq `upTo`. */
async function recordsUpTo(h: Harness, id: string, upTo: number): Promise<TranscriptRecord[]> {
  return (await records(h, id)).filter((r) => r.seq <= upTo);
}

function expectCode(code: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof AgentError && e.code === code;
}

void describe('fork', () => {
  void test('from a user message, an assistant message or a tool record mid-turn: the copy ends with that turn, and the fork\'s model gets what the source\'s got', async () => {
    respond();
    const h = await harness();
    const s = await h.manager.create({ title: 'Source' });
    await turns(h, s.id, ['first', 'tool ping', 'third']);
    const events = h.of(s.id);
    const t2 = events.find((e) => e.type === 'turn.started' && e.text === 'tool ping');
    assert.ok(t2?.type === 'turn.started');
    const t2End = events.find((e) => e.type === 'turn.completed' && e.turnId === t2.turnId)!;
    const firstAnswer = events.find((e) => e.type === 'message.completed' && e.turnId === t2.turnId)!;
    assert.ok(firstAnswer.type === 'message.completed');
    // What the source's model got next after turn 2: turn 3's request, without turn 3's prompt.
    const t3Request = messagesOf(fake.requests.find((r) => lastUserText(r) === 'third'));
    const sourceRecords = await recordsUpTo(h, s.id, t2End.seq);

    for (const key of [t2.messageId, firstAnswer.messageId, 'tool:call-ping']) {
      const fork = await h.manager.fork(s.id, key);
      assert.equal(fork.title, 'Fork of Source');
      assert.equal(fork.parentId, undefined);
      assert.deepEqual(fork.config, h.manager.get(s.id)!.config);
      assert.deepEqual(fork.forkedFrom, { sessionId: s.id, seq: t2End.seq, title: 'Source' }, key);
      const forkRecords = await records(h, fork.id);
      assert.equal(forkRecords.at(-1)?.kind, 'marker', 'the fork says where it came from');
      assert.deepEqual(unnumbered(forkRecords.slice(0, -1)), unnumbered(sourceRecords), key);
      const sent = await requestAfter(h, fork.id, 'fourth in the fork');
      assert.deepEqual(sent.slice(0, -1), t3Request.slice(0, -1), `history of the fork from ${key}`);
      assert.deepEqual(sent.at(-1), { role: 'user', content: 'fourth in the fork' });
    }
    // The fork's log: its creation, copies (no ledger events) and session.forked.
    const forkId = h.manager.list().find((r) => r.title === 'Fork of Source')!.id;
    const log = (await h.store.load(forkId)).events.map((e) => e.type);
    assert.equal(log[0], 'session.created');
    assert.equal(log.filter((t) => t === 'session.forked').length, 1);
    assert.equal(log.filter((t) => t === 'session.created').length, 1);
    await h.close();
  });

  void test('while the record\'s turn runs: invalid_state; an earlier turn can be forked meanwhile', async () => {
    respond();
    const h = await harness();
    const s = await h.manager.create({ title: 'Busy' });
    await turns(h, s.id, ['first']);
    await h.manager.send(s.id, 'slow');
    const started = await h.waitFor('tool.started', (e) => e.sessionId === s.id && e.callId === 'call-slow');
    assert.ok(started);
    const running = h.of(s.id).filter((e) => e.type === 'turn.started').at(-1)!;
    assert.ok(running.type === 'turn.started');
    for (const key of [running.messageId, 'tool:call-slow']) {
      await assert.rejects(h.manager.fork(s.id, key), (e: unknown) => expectCode('invalid_state')(e) && /Wait for the turn to end, then fork/.test((e as Error).message));
    }
    const first = h.of(s.id).find((e) => e.type === 'turn.started')!;
    assert.ok(first.type === 'turn.started');
    const fork = await h.manager.fork(s.id, first.messageId);
    const forkRecords = await records(h, fork.id);
    assert.deepEqual(forkRecords.filter((r) => r.kind === 'user').map((r) => r.kind === 'user' && r.text), ['first'], 'the running turn is not copied');
    assert.equal(h.manager.get(fork.id)!.state, 'idle');
    await assert.rejects(h.manager.fork(s.id, 'no-such-record'), expectCode('not_found'));
    await assert.rejects(h.manager.fork('s-nope', first.messageId), expectCode('not_found'));
    await h.manager.cancel(s.id);
    await h.close();
  });

  void test('the fork reopens the same (transcript, forkedFrom, history); the source\'s log is byte-identical before and after', async () => {
    respond();
    const dir = join(root, `case-${++n}`);
    const h = await harness(dir);
    const s = await h.manager.create({ title: 'Kept' });
    await turns(h, s.id, ['one', 'tool two', 'three']);
    await h.store.flush();
    const logPath = (h.store as JsonlSessionStore).logPathOf(s.id);
    const before = await readFile(logPath);
    const t2 = h.of(s.id).find((e) => e.type === 'turn.started' && e.text === 'tool two')!;
    assert.ok(t2.type === 'turn.started');
    const fork = await h.manager.fork(s.id, t2.messageId);
    const live = await records(h, fork.id);
    await h.store.flush();
    assert.deepEqual(await readFile(logPath), before, 'the source is only read');
    await h.close();

    const again = await harness(dir);
    const reopened = await again.manager.open(fork.id);
    assert.deepEqual(reopened.forkedFrom, fork.forkedFrom);
    assert.equal(reopened.title, 'Fork of Kept');
    assert.deepEqual(await records(again, fork.id), live);
    assert.deepEqual(await readFile(logPath), before);
    // The reopened fork's model gets the source's history at the cut, as the live one would.
    const t3Request = messagesOf(fake.requests.find((r) => lastUserText(r) === 'three'));
    const sent = await requestAfter(again, fork.id, 'after reopening');
    assert.deepEqual(sent.slice(0, -1), t3Request.slice(0, -1));
    await again.close();
  });

  void test('a fork of a fork: copies the fork\'s own turns too, and says it came from the first fork', async () => {
    respond();
    const h = await harness();
    const s = await h.manager.create({ title: 'Root' });
    await turns(h, s.id, ['a', 'b']);
    const a = h.of(s.id).find((e) => e.type === 'turn.started')!;
    assert.ok(a.type === 'turn.started');
    const f1 = await h.manager.fork(s.id, a.messageId);
    await turns(h, f1.id, ['tool in-f1', 'after']);
    const inF1 = h.of(f1.id).find((e) => e.type === 'turn.started' && e.text === 'tool in-f1')!;
    assert.ok(inF1.type === 'turn.started');
    const f1Next = messagesOf(fake.requests.find((r) => lastUserText(r) === 'after'));
    const f2 = await h.manager.fork(f1.id, 'tool:call-in-f1');
    assert.equal(f2.title, 'Fork of Fork of Root');
    assert.equal(f2.forkedFrom?.sessionId, f1.id);
    const users = (await records(h, f2.id)).filter((r) => r.kind === 'user').map((r) => r.kind === 'user' && r.text);
    assert.deepEqual(users, ['a', 'tool in-f1']);
    const notes = (await records(h, f2.id)).filter((r) => r.kind === 'marker' && /^Forked from/.test(r.text));
    assert.equal(notes.length, 1, 'the first fork\'s own session.forked is not copied');
    const sent = await requestAfter(h, f2.id, 'in f2');
    assert.deepEqual(sent.slice(0, -1), f1Next.slice(0, -1));
    await h.close();
  });

  void test('compaction before the cut: the fork\'s history has the summary, like the source\'s', async () => {
    respond();
    const h = await harness();
    const s = await h.manager.create({ title: 'Long', config: { autoCompact: false } });
    await turns(h, s.id, ['ORIGINAL', 'second', 'third', 'fourth']);
    await h.manager.compact(s.id);
    const compacted = h.of(s.id).find((e) => e.type === 'context.compacted');
    assert.ok(compacted?.type === 'context.compacted');
    await turns(h, s.id, ['fifth', 'sixth']);
    const fifth = h.of(s.id).find((e) => e.type === 'turn.started' && e.text === 'fifth')!;
    assert.ok(fifth.type === 'turn.started');
    const sixthRequest = messagesOf(fake.requests.find((r) => lastUserText(r) === 'sixth'));
    assert.ok(JSON.stringify(sixthRequest).includes('SUMMARY-TEXT'), 'the source sends the summary');

    const fork = await h.manager.fork(s.id, fifth.messageId);
    const sent = await requestAfter(h, fork.id, 'sixth in the fork');
    assert.deepEqual(sent.slice(0, -1), sixthRequest.slice(0, -1));
    const forkRecords = await records(h, fork.id);
    assert.ok(forkRecords.some((r) => r.kind === 'user' && r.text === 'second' && r.compacted), 'compacted records stay marked');
    // From the compaction marker itself (outside any turn): the copy ends right after it.
    const atMarker = await h.manager.fork(s.id, `m:${compacted.seq}`);
    assert.equal(atMarker.forkedFrom?.seq, compacted.seq);
    const markerUsers = (await records(h, atMarker.id)).filter((r) => r.kind === 'user').map((r) => r.kind === 'user' && r.text);
    assert.deepEqual(markerUsers, ['ORIGINAL', 'second', 'third', 'fourth']);
    await h.close();
  });
});

// ---- forkBodies on hand-made logs: what is left out ----

let seq = 0;
function ev(body: SessionEventBody): SessionEvent {
  return { ...body, seq: ++seq, ts: 1_000 + seq, sessionId: 's-src' } as SessionEvent;
}
const image = { state: 'absent' as const };

/** A finished turn: prompt, answer, end. */
function turn(id: string, text: string): SessionEvent[] {
  return [
    ev({ type: 'turn.started', turnId: id, promptId: `p-${id}`, messageId: `u-${id}`, text }),
    ev({ type: 'message.completed', turnId: id, messageId: `a-${id}`, content: [{ type: 'text', text: `re ${text}` }], stopReason: 'end_turn' }),
    ev({ type: 'turn.completed', turnId: id, stopReason: 'end_turn', rounds: 1 }),
  ];
}

void describe('forkBodies', () => {
  void test('leaves out the creation, renames, config changes, the queue, children and every ledger event', () => {
    seq = 0;
    const log = [
      ev({ type: 'session.created', title: 't', config: {} as never }),
      ev({ type: 'session.renamed', title: 'renamed' }),
      ev({ type: 'session.config_changed', patch: { model: 'm2' } }),
      ev({ type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'go' }),
      ev({ type: 'prompt.queued', promptId: 'p2', text: 'later' }),
      ev({ type: 'message.completed', turnId: 't1', messageId: 'a1', content: [{ type: 'tool_call', id: 'c1', name: 'spawn_session', args: {} }], stopReason: 'tool_use' }),
      ev({ type: 'child.started', childId: 's-child', callId: 'c1', title: 'kid', goal: 'g' }),
      ev({ type: 'file.changed', changeId: 'fc1', path: '/w/a', label: 'a', kind: 'created', before: image, after: image, source: 'tool', turnId: 't1', callId: 'c1' }),
      ev({ type: 'changes.incomplete', message: 'capped' }),
      ev({ type: 'child.completed', childId: 's-child', callId: 'c1', status: 'completed' }),
      ev({ type: 'tool.completed', turnId: 't1', callId: 'c1', messageId: 'r1', name: 'spawn_session', content: 'kid said hi', isError: false, durationMs: 5 }),
      ev({ type: 'turn.completed', turnId: 't1', stopReason: 'end_turn', rounds: 2 }),
      ev({ type: 'changes.kept', path: '/w/a', baseline: image }),
      ...turn('t2', 'after'),
    ];
    const { bodies, fromSeq } = forkBodies(log, 'a1');
    assert.deepEqual(bodies.map((b) => b.type), ['turn.started', 'message.completed', 'tool.completed', 'turn.completed']);
    assert.equal(fromSeq, log[11].seq);
    assert.ok(bodies.every((b) => !('seq' in b) && !('ts' in b) && !('sessionId' in b)));
    assert.throws(() => forkBodies(log, 'tool:nope'), expectCode('not_found'));
  });

  void test('what a restore rewound by the cut is not copied (its conversation was gone then); a redo brings it back', () => {
    seq = 0;
    const created = ev({ type: 'session.created', title: 't', config: {} as never });
    const t1 = turn('t1', 'kept');
    const t2 = turn('t2', 'rewound');
    const rewind = [
      ev({ type: 'restore.started', restoreId: 'r1', key: 'u-t2', checkpointSeq: t2[0].seq, scope: 'both', files: [] }),
      ev({ type: 'conversation.rewound', restoreId: 'r1', fromSeq: t2[0].seq, meter: { base: 0, added: 0 } }),
      ev({ type: 'restore.completed', restoreId: 'r1', restored: 0, skipped: 0 }),
    ];
    const t3 = turn('t3', 'after the restore');
    const log = [created, ...t1, ...t2, ...rewind, ...t3];
    const texts = (bodies: SessionEventBody[]): string[] => bodies.flatMap((b) => (b.type === 'turn.started' ? [b.text] : []));
    assert.deepEqual(texts(forkBodies(log, 'u-t3').bodies), ['kept', 'after the restore']);
    // Forked from the rewound turn itself: the cut comes before the restore, so it is all there.
    assert.deepEqual(texts(forkBodies(log, 'u-t2').bodies), ['kept', 'rewound']);
    // Forked from the restore's marker (outside any turn): rewound by then.
    const atMarker = forkBodies(log, `m:${rewind[2].seq}`);
    assert.deepEqual(texts(atMarker.bodies), ['kept']);
    assert.equal(atMarker.fromSeq, t1[2].seq, 'fromSeq is the last copied event');
    const redo = [
      ev({ type: 'restore.started', restoreId: 'r2', key: 'u-t2', checkpointSeq: t2[0].seq, scope: 'both', files: [], redoOf: 'r1' }),
      ev({ type: 'conversation.unrewound', restoreId: 'r1', meter: { base: 0, added: 0 } }),
      ev({ type: 'restore.completed', restoreId: 'r2', restored: 0, skipped: 0 }),
    ];
    const t4 = turn('t4', 'after the redo');
    assert.deepEqual(texts(forkBodies([...log, ...redo, ...t4], 'u-t4').bodies), ['kept', 'rewound', 'after the restore', 'after the redo']);
  });

  void test('an open turn (no end yet) is refused', () => {
    seq = 0;
    const log = [
      ev({ type: 'session.created', title: 't', config: {} as never }),
      ...turn('t1', 'done'),
      ev({ type: 'turn.started', turnId: 't2', promptId: 'p2', messageId: 'u2', text: 'running' }),
      ev({ type: 'message.started', turnId: 't2', messageId: 'a2', round: 1 }),
    ];
    assert.throws(() => forkBodies(log, 'a2'), (e: unknown) => expectCode('invalid_state')(e) && (e as Error).message === 'Wait for the turn to end, then fork.');
    assert.equal(forkBodies(log, 'a-t1').bodies.length, 3);
  });
});
