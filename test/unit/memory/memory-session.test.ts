import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { MemoryStore } from '../../../src/core/memory/store';
import { isAgentError } from '../../../src/core/base/errors';
import type { SessionEvent } from '../../../src/shared/events';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'as-memory-session-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

const systemOf = (req: RecordedRequest): string => String((req.body?.messages as { role: string; content: unknown }[])[0].content);
type MemoryEvent = Extract<SessionEvent, { type: 'memory.changed' }>;
const memoryEvents = (h: Harness, id: string): MemoryEvent[] => h.of(id).filter((e): e is MemoryEvent => e.type === 'memory.changed');

async function harness(file: string, trusted = true): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps: { memory: new MemoryStore(file), isWorkspaceTrusted: () => trusted } });
}

/** The model calls `name` with `args` once, then answers. */
function callsOnce(name: string, args: Record<string, unknown>): void {
  fake.setResponder((req) => (lastToolResult(req) ? script.text('noted') : script.toolCall(name, args)));
}

void describe('memory across sessions', () => {
  void test('remember → file, event and card; a NEW session starts with it in its system prompt; undo restores', async () => {
    const file = join(dir, 'one', 'memory.md');
    const h = await harness(file);
    callsOnce('remember', { text: 'Releases are cut with make release-candidate', topic: 'Build' });
    const s1 = await h.manager.create();
    await h.manager.send(s1.id, 'remember how we release');
    await h.manager.whenIdle(s1.id);
    assert.ok(toolNames(fake.requests[0]).includes('remember') && toolNames(fake.requests[0]).includes('recall') && toolNames(fake.requests[0]).includes('forget'));
    assert.match(systemOf(fake.requests[0]), /# Memory[\s\S]*The memory is empty\./);
    const text = await readFile(file, 'utf8');
    assert.match(text, /^# Memory\n\n## Build\n\n- Releases are cut with make release-candidate <!-- mem:[0-9a-f]{8} \d{4}-/);
    const [ev] = memoryEvents(h, s1.id);
    assert.equal(ev.action, 'added');
    assert.equal(ev.memoryPath, file);
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', new RegExp(`Remembered \\(id ${ev.entryId}\\)`));
    const page = await h.manager.transcript(s1.id);
    const card = page.entries.find((e) => e.kind === 'tool');
    assert.ok(card?.kind === 'tool');
    assert.deepEqual(card.memory, [{ entryId: ev.entryId, action: 'added', text: 'Releases are cut with make release-candidate', memoryPath: file }]);

    // A new session: the first request carries the memory (its prompt shares words with it).
    fake.setResponder(() => script.text('ok'));
    const before = fake.requests.length;
    const s2 = await h.manager.create();
    await h.manager.send(s2.id, 'How do I cut a release?');
    await h.manager.whenIdle(s2.id);
    const sys = systemOf(fake.requests[before]);
    assert.match(sys, new RegExp(`- \\[Build\\] Releases are cut with make release-candidate \\(id ${ev.entryId}\\)`));
    const k = h.manager.get(s2.id)?.knowledge;
    assert.deepEqual(k?.memory && { ...k.memory, chars: 0 }, { path: file, entries: 1, included: 1, chars: 0 });

    // Undo in the first session: the entry is gone, `undone` recorded, the card says so.
    await h.manager.undoMemory(s1.id, ev.callId ?? '', ev.entryId);
    assert.doesNotMatch(await readFile(file, 'utf8'), /release-candidate/);
    assert.deepEqual(memoryEvents(h, s1.id).map((e) => e.action), ['added', 'undone']);
    const card2 = (await h.manager.transcript(s1.id)).entries.find((e) => e.kind === 'tool');
    assert.ok(card2?.kind === 'tool' && card2.memory?.[0]?.undone === true);
    await assert.rejects(h.manager.undoMemory(s1.id, ev.callId ?? '', ev.entryId), (e) => isAgentError(e) && e.code === 'invalid_state');
    await h.close();
  });

  void test('undo of an update restores the previous text; of a forget re-adds it; not_found when changed since', async () => {
    const file = join(dir, 'two', 'memory.md');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'two'), { recursive: true });
    await writeFile(file, '# Memory\n\nMy notes.\n\n- The API server listens on port 8080 <!-- mem:p1 -->\n- Keep commits small <!-- mem:c1 -->\n');
    const h = await harness(file);
    callsOnce('remember', { text: 'The API server listens on port 8080 by default' });
    const s = await h.manager.create();
    await h.manager.send(s.id, 'port?');
    await h.manager.whenIdle(s.id);
    const [upd] = memoryEvents(h, s.id);
    assert.equal(upd.action, 'updated');
    assert.equal(upd.entryId, 'p1');
    assert.equal(upd.previousText, 'The API server listens on port 8080');
    await h.manager.undoMemory(s.id, upd.callId ?? '', 'p1');
    assert.equal(await readFile(file, 'utf8'), '# Memory\n\nMy notes.\n\n- The API server listens on port 8080 <!-- mem:p1 -->\n- Keep commits small <!-- mem:c1 -->\n');

    callsOnce('forget', { id: 'c1' });
    await h.manager.send(s.id, 'forget the commits one');
    await h.manager.whenIdle(s.id);
    const rm1 = memoryEvents(h, s.id).find((e) => e.action === 'removed');
    assert.ok(rm1);
    assert.doesNotMatch(await readFile(file, 'utf8'), /commits small/);
    await h.manager.undoMemory(s.id, rm1.callId ?? '', 'c1');
    assert.match(await readFile(file, 'utf8'), /- Keep commits small <!-- mem:c1 -->/);

    // Changed since: the user edited the entry a write added; undo leaves it alone.
    callsOnce('remember', { text: 'Deploys happen on Tuesdays' });
    await h.manager.send(s.id, 'deploys');
    await h.manager.whenIdle(s.id);
    const add = memoryEvents(h, s.id).find((e) => e.action === 'added');
    assert.ok(add);
    const edited = (await readFile(file, 'utf8')).replace('Deploys happen on Tuesdays', 'Deploys happen on Wednesdays');
    await writeFile(file, edited);
    await assert.rejects(h.manager.undoMemory(s.id, add.callId ?? '', add.entryId), (e) => isAgentError(e) && e.code === 'not_found' && /changed since/.test(e.message));
    assert.equal(await readFile(file, 'utf8'), edited);
    await h.close();
  });

  void test('Restricted Mode: no memory tools and no memory section in the request', async () => {
    const file = join(dir, 'three', 'memory.md');
    await (await import('node:fs/promises')).mkdir(join(dir, 'three'), { recursive: true });
    await writeFile(file, '# Memory\n\n- SECRET-PLAN-ENTRY <!-- mem:z1 -->\n');
    const h = await harness(file, false);
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hello SECRET-PLAN-ENTRY');
    await h.manager.whenIdle(s.id);
    const names = toolNames(fake.requests[0]);
    assert.ok(!names.includes('remember') && !names.includes('recall') && !names.includes('forget'), names.join(','));
    assert.doesNotMatch(systemOf(fake.requests[0]), /# Memory|SECRET-PLAN-ENTRY/);
    await h.close();
  });

  void test('a secret-looking text from the model is refused and never reaches the file or the log', async () => {
    const file = join(dir, 'four', 'memory.md');
    const h = await harness(file);
    const key = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    callsOnce('remember', { text: key });
    const s = await h.manager.create();
    await h.manager.send(s.id, 'save my key');
    await h.manager.whenIdle(s.id);
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /mostly a secret/);
    await assert.rejects(readFile(file, 'utf8'), { code: 'ENOENT' });
    assert.equal(memoryEvents(h, s.id).length, 0);
    assert.doesNotMatch(JSON.stringify(h.of(s.id)), /AbCdEfGhIjKlMnOp/);
    await h.close();
  });
  void test('the first prompt picks the relevant entries within the budget (a small context window: the 1 000-character floor)', async () => {
    const file = join(dir, 'five', 'memory.md');
    await (await import('node:fs/promises')).mkdir(join(dir, 'five'), { recursive: true });
    const filler = Array.from({ length: 40 }, (_, i) => `- Filler note ${i} about an unrelated corner of the code base <!-- mem:f${i} 2026-11-0${1 + (i % 9)}T00:00:00Z -->`);
    await writeFile(file, ['# Memory', '', '- Flaky e2e tests: rerun with PLAYWRIGHT_RETRIES=2 <!-- mem:old1 2020-01-01T00:00:00Z -->', ...filler, ''].join('\n'));
    const h = await harness(file);
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create({ config: { contextWindow: 4_000 } });
    await h.manager.send(s.id, 'the e2e tests are flaky again, what do we do?');
    await h.manager.whenIdle(s.id);
    const sys = systemOf(fake.requests[0]);
    const section = sys.slice(sys.indexOf('# Memory'));
    assert.match(section, /Flaky e2e tests: rerun with PLAYWRIGHT_RETRIES=2 \(id old1\)/, 'the oldest entry, chosen for its words');
    const k = h.manager.get(s.id)?.knowledge?.memory;
    assert.ok(k && k.entries === 41 && k.included > 1 && k.included < 41, JSON.stringify(k));
    assert.match(section, new RegExp(`\\(${41 - (k?.included ?? 0)} more entries: use recall\\.\\)`));
    // Same session, next turn: the same bytes (chosen once, for the prompt cache), though the file changed.
    await writeFile(file, `${await readFile(file, 'utf8')}- Another note <!-- mem:n1 -->\n`);
    await h.manager.send(s.id, 'and the unit tests?');
    await h.manager.whenIdle(s.id);
    assert.equal(systemOf(fake.requests[1]), sys);
    await h.close();
  });
});
