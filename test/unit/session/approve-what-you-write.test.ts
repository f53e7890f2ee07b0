// "Approve what you write": an edit's approval card shows a diff; if the file changes while the
// card is open (the user edits it, a formatter runs), approving must not write over that change.
// Real SessionManager, real edit_file / write_file, the fake LLM server, real temp folders.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, testTools, type Harness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { createEditFileTool } from '../../../src/core/tools/edit-file';
import { createWriteFileTool } from '../../../src/core/tools/write-file';
import type { AnyTool } from '../../../src/core/tools/types';

let fake: FakeLlm;
let root: string;
let n = 0;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-approve-write-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

interface Place { storeDir: string; ws: string }

async function place(): Promise<Place> {
  const dir = join(root, `case-${++n}`);
  const p = { storeDir: join(dir, 'store'), ws: join(dir, 'ws') };
  await mkdir(p.ws, { recursive: true });
  return p;
}

/** A manager (mode ask: edits ask) on a JSONL store, with the real edit_file and write_file. */
async function open(p: Place): Promise<Harness> {
  const tools = testTools();
  tools.register(createEditFileTool() as AnyTool);
  tools.register(createWriteFileTool() as AnyTool);
  return startHarness({ fake, store: new JsonlSessionStore({ directory: p.storeDir }), deps: { tools, workspaceRoots: [p.ws] } });
}

/** One scripted call, then "saw: <result>" for the request that carries its result. */
function scriptCall(name: string, args: Record<string, unknown>): void {
  fake.reset();
  fake.enqueue(script.toolCall(name, args, { id: 'call_1' }));
  fake.setResponder((req) => script.text(`saw: ${lastToolResult(req)?.content ?? 'nothing'}`));
}

/** Sends a prompt and waits until the edit's approval card is open; returns its ids. */
async function pending(h: Harness): Promise<{ id: string; approvalId: string; diff: string }> {
  const s = await h.manager.create({ title: 'edit', config: { mode: 'ask' } });
  await h.manager.send(s.id, 'change the file');
  const req = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
  return { id: s.id, approvalId: req.approval.id, diff: req.approval.diff ?? '' };
}

function completed(h: Harness, id: string): { content: string; isError: boolean } {
  const e = h.of(id).filter((x) => x.type === 'tool.completed').at(-1);
  assert.ok(e?.type === 'tool.completed', 'the call has a result');
  return { content: e.content, isError: e.isError };
}

const edit = { path: 'a.txt', edits: [{ oldText: 'two', newText: 'TWO' }] };

void describe('approve what you write', () => {
  void test('edit_file: the file changes while the card is open → approving writes nothing, the model is told', async () => {
    scriptCall('edit_file', edit);
    const p = await place();
    const file = join(p.ws, 'a.txt');
    await writeFile(file, 'one\ntwo\nthree\n');
    const h = await open(p);
    const { id, approvalId, diff } = await pending(h);
    assert.match(diff, /\+TWO/);
    // The user edits the file meanwhile; the edit would still apply (oldText matches once).
    await writeFile(file, 'one\ntwo\nthree\nfour (added by the user)\n');
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve' });
    await h.manager.whenIdle(id);
    const result = completed(h, id);
    assert.equal(result.isError, true);
    assert.match(result.content, /a\.txt changed since the change was shown for approval.*[Rr]ead it again and redo the edit/s);
    assert.equal(await readFile(file, 'utf8'), 'one\ntwo\nthree\nfour (added by the user)\n', 'the user\'s change is kept, nothing else written');
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /changed since the change was shown for approval/);
    await h.close();
  });

  void test('edit_file: the file is unchanged → written as approved', async () => {
    scriptCall('edit_file', edit);
    const p = await place();
    const file = join(p.ws, 'a.txt');
    await writeFile(file, 'one\ntwo\nthree\n');
    const h = await open(p);
    const { id, approvalId } = await pending(h);
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve' });
    await h.manager.whenIdle(id);
    assert.equal(completed(h, id).isError, false);
    assert.equal(await readFile(file, 'utf8'), 'one\nTWO\nthree\n');
    await h.close();
  });

  void test('write_file overwrite: the file changes while the card is open → nothing written', async () => {
    scriptCall('write_file', { path: 'b.txt', content: 'from the model\n' });
    const p = await place();
    const file = join(p.ws, 'b.txt');
    await writeFile(file, 'old\n');
    const h = await open(p);
    const { id, approvalId } = await pending(h);
    await writeFile(file, 'the user saved this\n');
    await h.manager.resolveApproval(id, approvalId, { decision: 'approve' });
    await h.manager.whenIdle(id);
    assert.equal(completed(h, id).isError, true);
    assert.equal(await readFile(file, 'utf8'), 'the user saved this\n');
    await h.close();
  });

  void test('write_file create: the file appears while the card is open → nothing written; absent and unchanged → created', async () => {
    scriptCall('write_file', { path: 'new.txt', content: 'created by the model\n' });
    const p = await place();
    const file = join(p.ws, 'new.txt');
    const h = await open(p);
    const first = await pending(h);
    await writeFile(file, 'the user created it first\n');
    await h.manager.resolveApproval(first.id, first.approvalId, { decision: 'approve' });
    await h.manager.whenIdle(first.id);
    assert.equal(completed(h, first.id).isError, true);
    assert.match(completed(h, first.id).content, /new\.txt changed since the change was shown for approval/);
    assert.equal(await readFile(file, 'utf8'), 'the user created it first\n');

    scriptCall('write_file', { path: 'other.txt', content: 'created by the model\n' });
    const second = await pending(h);
    await h.manager.resolveApproval(second.id, second.approvalId, { decision: 'approve' });
    await h.manager.whenIdle(second.id);
    assert.equal(completed(h, second.id).isError, false);
    assert.equal(await readFile(join(p.ws, 'other.txt'), 'utf8'), 'created by the model\n');
    await h.close();
  });

  void test('after a window reload: the restored card is checked against the file (changed → refused, unchanged → written)', async () => {
    for (const change of [true, false]) {
      scriptCall('edit_file', edit);
      const p = await place();
      const file = join(p.ws, 'a.txt');
      await writeFile(file, 'one\ntwo\nthree\n');
      const h1 = await open(p);
      const { id, approvalId } = await pending(h1);
      await h1.close();
      if (change) await writeFile(file, 'one\ntwo\nthree\nuser line\n');
      const h2 = await open(p);
      await h2.manager.resolveApproval(id, approvalId, { decision: 'approve' });
      await h2.manager.whenIdle(id);
      const result = completed(h2, id);
      assert.equal(result.isError, change, result.content);
      assert.equal(await readFile(file, 'utf8'), change ? 'one\ntwo\nthree\nuser line\n' : 'one\nTWO\nthree\n');
      await h2.close();
    }
  });
});
