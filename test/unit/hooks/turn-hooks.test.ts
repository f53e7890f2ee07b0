/**
 * UserPromptSubmit, Stop and SessionStart hooks through the engine, with real hook scripts:
 * block and context, Stop's continue with its loop guard, SessionStart on the first turn only.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lastUserText, script, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { hookWorld } from './harness';
import { MAX_STOP_CONTINUES } from '../../../src/core/hooks/workspace-hooks';
import type { EventOf } from '../../../src/core/session/events';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const allText = (req: RecordedRequest): string => JSON.stringify(req.body?.messages ?? []);

void describe('UserPromptSubmit hooks', () => {
  void test('block: the prompt never reaches the model, the turn ends cleanly with the reason shown, and later turns do not carry it', async () => {
    const w = await hookWorld(fake, [{
      event: 'UserPromptSubmit', name: 'validate',
      body: `if (input.prompt.includes('password')) { console.log(JSON.stringify({ decision: 'block', reason: 'prompts must not hold passwords' })); }`,
    }]);
    try {
      fake.setResponder((req) => script.text(`answer to ${lastUserText(req)}`));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'my password is hunter2');
      await w.h.manager.whenIdle(s.id);
      assert.equal(fake.requests.length, 0, 'no request was sent');
      const done = w.h.of(s.id).find((e): e is EventOf<'turn.completed'> => e.type === 'turn.completed');
      assert.equal(done?.rounds, 0);
      assert.equal(w.h.manager.get(s.id)?.state, 'idle');
      const marker = (await w.h.manager.transcript(s.id)).entries.find((e) => (e as { kind: string }).kind === 'marker') as { text: string; hook?: { outcome: string } } | undefined;
      assert.equal(marker?.hook?.outcome, 'blocked');
      assert.match(marker?.text ?? '', /prompts must not hold passwords/);
      await w.h.manager.send(s.id, 'hello');
      await w.h.manager.whenIdle(s.id);
      assert.equal(fake.requests.length, 1);
      assert.doesNotMatch(allText(fake.requests[0]!), /hunter2/, 'the blocked prompt is not in the history');
    } finally { await w.close(); }
  });

  void test('context (plain stdout and additionalContext) joins the user message the model gets; the transcript keeps what was typed', async () => {
    const w = await hookWorld(fake, [
      { event: 'UserPromptSubmit', name: 'plain', body: `console.log('Current branch: feature/x');` },
      { event: 'UserPromptSubmit', name: 'json', body: `console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'Ticket ABC-12 is open' } }));` },
    ]);
    try {
      fake.setResponder(() => script.text('ok'));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'what now?');
      await w.h.manager.whenIdle(s.id);
      const sent = lastUserText(fake.requests[0]!);
      assert.match(sent, /^what now\?\n\n/);
      assert.match(sent, /Current branch: feature\/x/);
      assert.match(sent, /Ticket ABC-12 is open/);
      const user = (await w.h.manager.transcript(s.id)).entries.find((e) => (e as { kind: string }).kind === 'user') as { text: string } | undefined;
      assert.equal(user?.text, 'what now?');
      assert.equal(w.inputs('plain')[0]?.input && (w.inputs('plain')[0]!.input as { prompt: string }).prompt, 'what now?');
    } finally { await w.close(); }
  });
});

void describe('Stop hooks', () => {
  void test('block makes the turn go on once with the reason; stop_hook_active lets it stop', async () => {
    const w = await hookWorld(fake, [{
      event: 'Stop', name: 'tests',
      body: `if (!input.stop_hook_active) console.log(JSON.stringify({ decision: 'block', reason: 'run the tests before you stop' }));`,
    }]);
    try {
      fake.setResponder(() => script.text('done'));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'fix it');
      await w.h.manager.whenIdle(s.id);
      assert.equal(fake.requests.length, 2);
      assert.match(lastUserText(fake.requests[1]!), /run the tests before you stop/);
      assert.deepEqual(w.inputs('tests').map((l) => (l.input as { stop_hook_active: boolean }).stop_hook_active), [false, true]);
      const done = w.h.of(s.id).find((e): e is EventOf<'turn.completed'> => e.type === 'turn.completed');
      assert.equal(done?.rounds, 2);
      // The next turn starts afresh (stop_hook_active false again).
      await w.h.manager.send(s.id, 'again');
      await w.h.manager.whenIdle(s.id);
      assert.equal(fake.requests.length, 4);
    } finally { await w.close(); }
  });

  void test('a hook that always blocks is stopped by the cap', async () => {
    const w = await hookWorld(fake, [{ event: 'Stop', name: 'always', body: `process.stderr.write('not yet'); process.exit(2);` }]);
    try {
      fake.setResponder(() => script.text('done'));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.equal(fake.requests.length, 1 + MAX_STOP_CONTINUES);
      const runs = w.h.of(s.id).filter((e): e is EventOf<'hook.ran'> => e.type === 'hook.ran');
      assert.match(runs.at(-1)?.message ?? '', /not continued/);
      assert.equal(w.h.manager.get(s.id)?.state, 'idle');
    } finally { await w.close(); }
  });
});

void describe('SessionStart hooks', () => {
  void test('context joins the first turn only (matcher startup)', async () => {
    const w = await hookWorld(fake, [
      { event: 'SessionStart', matcher: 'startup', name: 'ctx', body: `console.log('Project uses pnpm');` },
      { event: 'SessionStart', matcher: 'resume', name: 'resume', body: `console.log('never');` },
    ]);
    try {
      fake.setResponder(() => script.text('ok'));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'one');
      await w.h.manager.whenIdle(s.id);
      await w.h.manager.send(s.id, 'two');
      await w.h.manager.whenIdle(s.id);
      assert.match(lastUserText(fake.requests[0]!), /Project uses pnpm/);
      assert.equal(lastUserText(fake.requests[1]!), 'two');
      assert.equal(w.inputs('ctx').length, 1);
      assert.equal((w.inputs('ctx')[0]!.input as { source: string }).source, 'startup');
      assert.deepEqual(w.inputs('resume'), []);
    } finally { await w.close(); }
  });
});

void describe('hooks and a reopened session', () => {
  void test('the context a hook added and a blocked prompt fold the same after a restart', async () => {
    const w = await hookWorld(fake, [{
      event: 'UserPromptSubmit', name: 'ctx',
      body: `if (input.prompt.includes('password')) { process.stderr.write('no passwords'); process.exit(2); } else console.log('Ticket ABC-12');`,
    }]);
    try {
      fake.setResponder(() => script.text('ok'));
      const s = await w.h.manager.create();
      await w.h.manager.send(s.id, 'first');
      await w.h.manager.whenIdle(s.id);
      await w.h.manager.send(s.id, 'my password is hunter2');
      await w.h.manager.whenIdle(s.id);
      const live = fake.requests.length;
      const { makeManager } = await import('../session/harness');
      const reopened = await makeManager(fake, w.h.store, { workspaceRoots: [w.ws] });
      try {
        await reopened.open(s.id);
        await reopened.send(s.id, 'next');
        await reopened.whenIdle(s.id);
        const msgs = allText(fake.requests[live]!);
        assert.match(msgs, /first\\n\\nContext from the UserPromptSubmit hook[^"]*Ticket ABC-12/);
        assert.doesNotMatch(msgs, /hunter2/);
      } finally { await reopened.dispose(); }
    } finally { await w.close(); }
  });
});
