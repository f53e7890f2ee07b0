import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { FAKE_KEY, makeManager, startHarness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { MemorySessionStore, MemoryStoreData } from '../../../src/core/store/memory-store';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'agent-sessions-restore-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

async function filesUnder(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...await filesUnder(p)); else out.push(p);
  }
  return out;
}

function copyData(src: MemoryStoreData): MemoryStoreData {
  const out = new MemoryStoreData();
  for (const [k, v] of src.logs) out.logs.set(k, structuredClone(v));
  for (const [k, v] of src.index) out.index.set(k, structuredClone(v));
  return out;
}

void describe('restore', () => {
  void test('restart with the JSONL store gives the identical state; no API key anywhere on disk', async () => {
    fake.reset();
    fake.enqueue(script.of(script.text('checking'), script.toolCall('echo', { text: 'ping' }), script.usage(300, 20)));
    fake.setResponder((req) => script.of(script.text(`done: ${lastToolResult(req)?.content ?? 'ok'}`), script.usage(400, 30)));
    const storeDir = join(dir, 'jsonl');
    const h = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const s = await h.manager.create({ title: 'persisted' });
    await h.manager.send(s.id, 'first');
    await h.manager.whenIdle(s.id);
    await h.manager.send(s.id, 'second');
    await h.manager.whenIdle(s.id);
    await h.manager.rename(s.id, 'renamed');
    await h.manager.updateConfig(s.id, { mode: 'auto-edit' });
    const other = await h.manager.create({ title: 'other' });
    const snapshot = h.manager.get(s.id);
    const transcript = await h.manager.transcript(s.id, { limit: 1_000 });
    const events = await h.manager.eventsSince(s.id, 0);
    assert.ok(events.length > 10);
    await h.close();

    const store2 = new JsonlSessionStore({ directory: storeDir });
    const m2 = await makeManager(fake, store2);
    const listed = m2.list();
    assert.deepEqual(listed.map((r) => r.id).sort(), [s.id, other.id].sort());
    assert.equal(listed.find((r) => r.id === s.id)?.title, 'renamed');
    assert.equal(m2.get(s.id), undefined, 'listing did not open the log');
    assert.deepEqual(await m2.open(s.id), snapshot);
    assert.deepEqual(await m2.transcript(s.id, { limit: 1_000 }), transcript);
    const replay = await m2.eventsSince(s.id, 0);
    assert.equal(replay.at(-1)?.seq, events.at(-1)?.seq);
    // still usable after restore: seq continues
    await m2.send(s.id, 'third');
    await m2.whenIdle(s.id);
    assert.equal(m2.get(s.id)?.state, 'idle');
    await m2.dispose();

    const files = await filesUnder(storeDir);
    assert.ok(files.some((f) => f.endsWith('.jsonl')));
    for (const f of files) assert.ok(!(await readFile(f, 'utf8')).includes(FAKE_KEY), `${f} contains the key`);
    assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_KEY}`), 'the key was used on the wire');
  });

  void test('a turn running a tool or streaming at the crash comes back interrupted, everything before intact', async () => {
    fake.reset();
    fake.setResponder((req) => (lastToolResult(req) ? script.text(`after: ${lastToolResult(req)?.content}`) : script.toolCall('slow', { ms: 60_000 }, { id: 'call_slow' })));
    const data = new MemoryStoreData();
    const h = await startHarness({ fake, store: new MemorySessionStore(data) });
    const working = await h.manager.create({ title: 'working' });
    await h.manager.send(working.id, 'run the slow thing');
    await h.waitFor('tool.started', (e) => e.sessionId === working.id);
    fake.enqueue(script.of(script.text('streaming when the process died'), script.stall()));
    const streaming = await h.manager.create({ title: 'streaming' });
    await h.manager.send(streaming.id, 'write a poem');
    await h.waitFor('message.delta', (e) => e.sessionId === streaming.id);

    const crashed = copyData(data); // what the disk holds at the crash
    const m2 = await makeManager(fake, new MemorySessionStore(crashed));
    const w = await m2.open(working.id);
    assert.equal(w.state, 'idle');
    assert.equal(w.pendingApprovals.length, 0);
    const wEvents = await m2.eventsSince(working.id, 0);
    const tail = wEvents.slice(-2).map((e) => e.type);
    assert.deepEqual(tail, ['tool.completed', 'turn.interrupted']);
    const interrupted = wEvents.find((e) => e.type === 'tool.completed');
    assert.ok(interrupted?.type === 'tool.completed' && interrupted.interrupted === true && interrupted.callId === 'call_slow');
    const t = await m2.transcript(working.id);
    assert.deepEqual(t.entries.map((e) => e.kind), ['user', 'tool', 'marker'], 'the answer was a tool call; the interruption is marked');
    assert.equal(t.entries[0].kind === 'user' && t.entries[0].text, 'run the slow thing');

    const st = await m2.open(streaming.id);
    assert.equal(st.state, 'idle');
    const st2 = await m2.transcript(streaming.id);
    assert.deepEqual(st2.entries.map((e) => e.kind), ['user', 'assistant', 'marker']);
    assert.deepEqual(st2.entries[1].kind === 'assistant' && [st2.entries[1].text, st2.entries[1].interrupted], ['streaming when the process died', true]);

    // The interrupted session works again, and its history is valid for the provider.
    fake.setResponder(() => script.text('fine'));
    await m2.send(working.id, 'go on');
    await m2.whenIdle(working.id);
    assert.equal(m2.get(working.id)?.state, 'idle');
    const msgs = fake.requests.at(-1)?.body?.messages as { role: string; tool_call_id?: string }[];
    assert.ok(msgs.some((m) => m.role === 'tool' && m.tool_call_id === 'call_slow'));
    await m2.dispose();
    await h.close();
  });
});
