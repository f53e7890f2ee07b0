/**
 * A corpus of scripted sessions for the live-equals-reopened property: each runs through the
 * real SessionManager, the real providers and the fake LLM server (real wire formats), on a JSONL
 * store in `dir`. What every session went through: text and thinking, tools allowed, denied and
 * interrupted, approvals, pause/resume, cancel, failure, retry after a broken stream, manual
 * compaction, a child session, a model switch, queued prompts and tasks, and a turn the window
 * closing interrupted mid-stream.
 */
import { script, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import type { SessionEvent } from '../../../src/shared/events';

export interface CorpusSession {
  what: string;
  id: string;
  /** Every event of the session as fired live (what a webview receives), in order. */
  live: SessionEvent[];
}

async function waitState(h: Harness, id: string, state: string): Promise<void> {
  for (let i = 0; i < 400 && h.manager.get(id)?.state !== state; i++) await new Promise((r) => setTimeout(r, 10));
}

/** Runs every scripted session of the corpus on a JSONL store in `dir`; the harness is closed after. */
export async function buildCorpus(fake: FakeLlm, dir: string): Promise<CorpusSession[]> {
  fake.reset();
  const h = await startHarness({ fake, store: new JsonlSessionStore({ directory: dir }) });
  const out: Array<{ what: string; id: string }> = [];
  const run = async (what: string, body: (id: string) => Promise<void>): Promise<void> => {
    const s = await h.manager.create({ title: what });
    out.push({ what, id: s.id });
    await body(s.id);
    await h.manager.whenIdle(s.id);
  };

  await run('text and thinking, two turns', async (id) => {
    fake.enqueue(script.of(script.thinking('let me think', 'sig-1', 3), script.text('Hello **there**', 4), script.usage(120, 30)));
    fake.enqueue(script.of(script.text('second answer', 2), script.usage(200, 10)));
    await h.manager.send(id, 'hi');
    await h.manager.whenIdle(id);
    await h.manager.send(id, 'again');
  });

  await run('a tool allowed, a command denied, a command approved', async (id) => {
    fake.enqueue(script.of(script.text('reading first'), script.toolCall('echo', { text: 'a' })));
    fake.enqueue(script.toolCall('cmd', { text: 'rm -rf build' }));
    fake.enqueue(script.toolCall('cmd', { text: 'npm test' }));
    fake.enqueue(script.text('all done'));
    await h.manager.send(id, 'work');
    const answered = new Set<string>();
    for (const decision of ['deny', 'approve'] as const) {
      const asked = await h.waitFor('approval.requested', (e) => e.sessionId === id && !answered.has(e.approval.id));
      answered.add(asked.approval.id);
      await h.manager.resolveApproval(id, asked.approval.id, decision === 'deny' ? { decision, reason: 'not that' } : { decision });
    }
  });

  await run('pause at a boundary, resume', async (id) => {
    fake.enqueue(script.toolCall('slow', { ms: 150 }));
    fake.enqueue(script.text('resumed answer'));
    await h.manager.send(id, 'slowly');
    await h.waitFor('tool.started', (e) => e.sessionId === id);
    await h.manager.pause(id);
    await h.waitFor('tool.completed', (e) => e.sessionId === id);
    await waitState(h, id, 'paused');
    await h.manager.resume(id);
  });

  await run('cancel mid-stream and mid-tool', async (id) => {
    fake.enqueue(script.paced(script.text('a long answer that will be cut off', 30), 30));
    await h.manager.send(id, 'talk');
    await h.waitFor('message.delta', (e) => e.sessionId === id);
    await h.manager.cancel(id);
    fake.enqueue(script.toolCall('slow', { ms: 5_000 }));
    await h.manager.send(id, 'run it');
    await h.waitFor('tool.started', (e) => e.sessionId === id);
    await h.manager.cancel(id);
  });

  await run('a failed turn, then one that works', async (id) => {
    fake.enqueue(script.error(400, { message: 'bad request body' }));
    fake.enqueue(script.text('fine now'));
    await h.manager.send(id, 'break');
    await h.waitFor('turn.failed', (e) => e.sessionId === id);
    await h.manager.send(id, 'again');
  });

  await run('a broken stream asks, retry now', async (id) => {
    fake.enqueue(script.of(script.text('half'), script.disconnect()));
    fake.enqueue(script.text('the whole answer'));
    await h.manager.send(id, 'explain');
    await h.waitFor('provider.retry', (e) => e.sessionId === id && e.ask === 'after_output');
    await h.manager.retry(id, 'now');
  });

  await run('manual compaction between turns, then a model switch', async (id) => {
    for (const t of ['one', 'two', 'three', 'four']) {
      fake.enqueue(script.of(script.text(`answer ${t} `.repeat(20)), script.usage(500, 100)));
      await h.manager.send(id, t);
      await h.manager.whenIdle(id);
    }
    fake.enqueue(script.text('SUMMARY of the early turns'));
    await h.manager.compact(id);
    await h.manager.updateConfig(id, { providerId: 'anthropic', providerKind: 'anthropic', model: 'claude-sonnet-4-5' });
    fake.enqueue(script.of(script.text('on claude'), script.usage(300, 20)));
    await h.manager.send(id, 'after the switch');
  });

  await run('a child session', async (id) => {
    fake.setResponder((req) => {
      const body = JSON.stringify(req.body ?? {});
      if (body.includes('count apples') && !body.includes('spawn_session')) return script.text('7 apples');
      return body.includes('7 apples') ? script.text('parent got 7') : script.toolCall('spawn_session', { goal: 'count apples', title: 'Apples' });
    });
    await h.manager.send(id, 'delegate');
    await h.waitFor('turn.completed', (e) => e.sessionId === id);
    fake.setResponder(undefined);
  });

  await run('queued prompts, a removed one, and tasks', async (id) => {
    fake.enqueue(script.of(script.toolCall('update_tasks', { tasks: [{ id: '1', title: 'write', status: 'in_progress' }] })));
    fake.enqueue(script.text('first done'));
    fake.enqueue(script.text('third done'));
    await h.manager.send(id, 'first');
    const second = await h.manager.send(id, 'second');
    await h.manager.send(id, 'third');
    await h.manager.removeQueued(id, second.promptId);
  });

  // Still streaming when the window closes: the close interrupts it (the answer so far is kept, marked).
  const cut = await h.manager.create({ title: 'interrupted by the window closing mid-stream' });
  out.push({ what: 'interrupted by the window closing mid-stream', id: cut.id });
  fake.enqueue(script.paced(script.text('an answer the window closes on', 30), 50));
  await h.manager.send(cut.id, 'talk slowly');
  await h.waitFor('message.delta', (e) => e.sessionId === cut.id);

  await h.close();
  return out.map((s) => ({ ...s, live: h.of(s.id) }));
}
