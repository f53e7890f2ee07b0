/**
 * Two windows on one workspace: window A is a SessionManager in a child process, window B one in
 * this process, both over JsonlSessionStores on the same folder (so pids differ, as with two VS
 * Code windows). B shows A's sessions read-only and runs nothing; "take over" hands the lock over.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interactiveResponder, script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { isAgentError } from '../../../src/core/base/errors';
import type { SessionEvent } from '../../../src/core/session/events';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { startHarness, type Harness } from './harness';

const HANDOVER = { pollMs: 20, heartbeatMs: 200, answerTimeoutMs: 3_000, handoverTimeoutMs: 10_000, staleHeartbeatMs: 3_000 };

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

interface WindowA {
  proc: ChildProcessByStdio<Writable, Readable, null>;
  lines: string[];
  call(op: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  waitLine(pred: (l: string) => boolean, from?: number): Promise<string>;
  kill(): Promise<void>;
}

async function startWindowA(dir: string): Promise<WindowA> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'two-windows-child.ts'), dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env, TWO_WINDOWS_CHILD: '1', FAKE_OPENAI_URL: fake.openaiBaseUrl, FAKE_ANTHROPIC_URL: fake.anthropicBaseUrl,
      HANDOVER: JSON.stringify({ ...HANDOVER, windowId: 'window-A', label: 'window A' }),
    },
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const waitLine = (pred: (l: string) => boolean, from = 0): Promise<string> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`window A never printed it; got ${JSON.stringify(lines.slice(-10))}`)), 20_000);
    const check = (): void => {
      const hit = lines.slice(from).find(pred);
      if (hit !== undefined) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
    };
    check();
  });
  let n = 0;
  const a: WindowA = {
    proc, lines, waitLine,
    call: async (op, args = {}) => {
      const id = ++n;
      proc.stdin.write(`${JSON.stringify({ n: id, op, ...args })}\n`);
      return JSON.parse(await waitLine((l) => l.startsWith(`{"n":${id},`))) as Record<string, unknown>;
    },
    kill: async () => { proc.kill('SIGKILL'); await exited; },
  };
  await waitLine((l) => l === 'ready');
  return a;
}

async function windowB(dir: string): Promise<Harness> {
  return startHarness({ fake, store: new JsonlSessionStore({ directory: dir, handover: { ...HANDOVER, windowId: 'window-B', label: 'window B' } }) });
}

async function logOf(dir: string, id: string): Promise<SessionEvent[]> {
  const text = await readFile(join(dir, 'sessions', `${id}.jsonl`), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as SessionEvent);
}

/** Every seq once, in order; a gap only where streamed deltas were merged on disk. */
function assertWholeLog(events: readonly SessionEvent[]): void {
  assert.equal(events[0]?.seq, 1);
  for (let i = 1; i < events.length; i++) {
    const e = events[i]!;
    assert.ok(e.seq > events[i - 1]!.seq, `seq ${e.seq} after ${events[i - 1]!.seq}: never twice, never out of order`);
    if (e.seq !== events[i - 1]!.seq + 1) assert.ok(e.type === 'message.delta' || e.type === 'tool.output', `only merged deltas leave a gap (seq ${e.seq} ${e.type})`);
  }
}

const readOnly = (e: unknown): boolean => isAgentError(e) && e.code === 'read_only';

void describe('two windows on one workspace', () => {
  void test('the second window runs nothing while read-only; after take-over the first refuses and the second writes; nothing lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-two-windows-'));
    const a = await startWindowA(dir);
    let b: Harness | undefined;
    try {
      const { id } = await a.call('create') as { id: string };
      assert.equal((await a.call('send', { id, text: 'first prompt from A' })).ok, true);

      b = await windowB(dir);
      const snap = await b.manager.open(id);
      assert.equal(snap.messageCount, 2, 'B shows the history');
      assert.equal(b.manager.readOnlyBy(id)?.pid, a.proc.pid, 'B says which window writes it');
      assert.equal(b.manager.readOnlyBy(id)?.label, 'window A');

      const requests = fake.requests.length;
      const log = await readFile(join(dir, 'sessions', `${id}.jsonl`), 'utf8');
      await assert.rejects(b.manager.send(id, 'a prompt in B'), readOnly);
      await assert.rejects(b.manager.compact(id), readOnly);
      await assert.rejects(b.manager.updateConfig(id, { mode: 'full' }), readOnly);
      await assert.rejects(b.manager.rename(id, 'renamed in B'), readOnly);
      await assert.rejects(b.manager.resume(id), readOnly);
      await assert.rejects(b.manager.pause(id), readOnly);
      await assert.rejects(b.manager.removeQueued(id, 'p-x'), readOnly);
      await assert.rejects(b.manager.resolveApproval(id, 'a-x', { decision: 'approve' }), readOnly);
      await assert.rejects(b.manager.delete(id), readOnly);
      assert.equal(fake.requests.length, requests, 'B sent nothing to the model');
      assert.equal(await readFile(join(dir, 'sessions', `${id}.jsonl`), 'utf8'), log, 'and wrote nothing');
      assert.deepEqual(b.of(id), [], 'and recorded nothing');

      const mark = a.lines.length;
      const taken = await b.manager.takeOver(id);
      assert.equal(b.manager.readOnlyBy(id), undefined, 'B writes it now');
      assert.equal(taken.messageCount, 2);
      const said = JSON.parse(await a.waitLine((l) => l.startsWith('{"writer"'), mark)) as { writer: { pid: number } };
      assert.equal(said.writer.pid, process.pid, 'A was told who took it');
      assert.equal(((await a.call('readOnly', { id })).by as { pid: number }).pid, process.pid);
      const refused = await a.call('send', { id, text: 'A tries again' });
      assert.equal(refused.code, 'read_only', 'A refuses now');

      await b.manager.send(id, 'second prompt from B');
      await b.manager.whenIdle(id);
      const all = await logOf(dir, id);
      assertWholeLog(all);
      const prompts = all.filter((e) => e.type === 'turn.started').map((e) => e.type === 'turn.started' && e.text);
      assert.deepEqual(prompts, ['first prompt from A', 'second prompt from B']);
      assert.equal(all.filter((e) => e.type === 'turn.completed').length, 2);
    } finally {
      await b?.close();
      await a.kill();
    }
    // A third window reads the whole history back.
    const c = await windowB(dir);
    const ids = c.manager.list().map((s) => s.id);
    assert.equal(ids.length, 1);
    assert.equal((await c.manager.open(ids[0]!)).messageCount, 4);
    await c.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('take-over while a turn streams in the first window: it is interrupted and recorded there, and the second window goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-two-windows-'));
    const a = await startWindowA(dir);
    let b: Harness | undefined;
    try {
      const { id } = await a.call('create') as { id: string };
      const seen = fake.requests.length;
      fake.enqueue(script.paced(script.text('a long answer that takes a while to stream out', 40), 100));
      await a.call('start', { id, text: 'stream slowly' });
      await fake.waitForRequests(seen + 1);
      b = await windowB(dir);
      await b.manager.open(id);
      assert.ok(b.manager.readOnlyBy(id));
      const taken = await b.manager.takeOver(id);
      assert.equal(taken.state, 'idle', 'the turn A was running is closed');
      const all = await logOf(dir, id);
      assertWholeLog(all);
      assert.equal(all.at(-1)?.type, 'turn.interrupted');
      await b.manager.send(id, 'go on in B');
      await b.manager.whenIdle(id);
      const after = await logOf(dir, id);
      assertWholeLog(after);
      assert.equal(after.at(-1)?.type === 'turn.completed' || after.some((e) => e.type === 'turn.completed'), true);
    } finally {
      await b?.close();
      await a.kill();
    }
    await rm(dir, { recursive: true, force: true });
  });

  void test('take-over while an approval waits in the first window: the tool does not run there; it is asked again in the second and runs there once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-two-windows-'));
    fake.setResponder(interactiveResponder);
    const a = await startWindowA(dir);
    let b: Harness | undefined;
    try {
      const { id } = await a.call('create') as { id: string };
      const mark = a.lines.length;
      await a.call('start', { id, text: 'tool cmd {"text":"make"}' });
      const { approval } = JSON.parse(await a.waitLine((l) => l.startsWith('{"approval"'), mark)) as { approval: string };
      b = await windowB(dir);
      await b.manager.open(id);
      await assert.rejects(b.manager.resolveApproval(id, approval, { decision: 'approve' }), readOnly, 'B cannot answer it while read-only');
      const taken = await b.manager.takeOver(id);
      assert.deepEqual(taken.pendingApprovals.map((p) => p.id), [approval], 'the approval is waiting in B now');
      const late = await a.call('approve', { id, approvalId: approval });
      assert.equal(late.code, 'read_only', 'A can no longer answer it');
      await b.manager.resolveApproval(id, approval, { decision: 'approve' });
      await b.manager.whenIdle(id);
      const all = await logOf(dir, id);
      assertWholeLog(all);
      const results = all.filter((e) => e.type === 'tool.completed');
      assert.deepEqual(results.map((e) => e.type === 'tool.completed' && e.content), ['ran make'], 'the tool ran once, in B');
      assert.equal(all.filter((e) => e.type === 'approval.requested').length, 1);
    } finally {
      fake.setResponder(undefined);
      await b?.close();
      await a.kill();
    }
    await rm(dir, { recursive: true, force: true });
  });

  void test('a dead first window: its sessions are writable here at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-two-windows-'));
    const a = await startWindowA(dir);
    const { id } = await a.call('create') as { id: string };
    await a.call('send', { id, text: 'before the crash' });
    await a.kill();
    const b = await windowB(dir);
    try {
      await b.manager.open(id);
      assert.equal(b.manager.readOnlyBy(id), undefined);
      await b.manager.send(id, 'after the crash');
      await b.manager.whenIdle(id);
      assertWholeLog(await logOf(dir, id));
      assert.equal((await b.manager.open(id)).messageCount, 4);
    } finally {
      await b.close();
    }
    await rm(dir, { recursive: true, force: true });
  });
});
