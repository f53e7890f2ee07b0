/**
 * PreToolUse and PostToolUse hooks through the engine, with real hook scripts: deny (exit 2 and
 * JSON), allow (no card, a deny rule still wins), ask (a card), added context, time limits,
 * approval, trust.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { hookWorld } from './harness';
import type { EventOf } from '../../../src/core/session/events';
import type { ToolRecord } from '../../../src/shared/transcript';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

/** The model calls `name` with `args` once, then says what it saw. */
function callOnce(name: string, args: Record<string, unknown>): void {
  fake.setResponder((req) => {
    const r = lastToolResult(req);
    return r ? script.text(`saw: ${r.content}`) : script.toolCall(name, args);
  });
}

const hookRuns = (events: { type: string }[]) => events.filter((e): e is EventOf<'hook.ran'> => e.type === 'hook.ran');
async function toolCard(w: { h: { manager: { transcript(id: string): Promise<{ entries: unknown[] }> } } }, id: string): Promise<ToolRecord | undefined> {
  return (await w.h.manager.transcript(id)).entries.find((e): e is ToolRecord => (e as ToolRecord).kind === 'tool');
}

void describe('PreToolUse hooks', () => {
  void test('deny (JSON) blocks run_command; the model is told the reason; the card shows the hook', async () => {
    const w = await hookWorld(fake, [{
      event: 'PreToolUse', matcher: 'Bash', name: 'guard',
      body: `if (input.tool_input.command.includes('marker')) console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no marker files here' } }));`,
    }]);
    try {
      callOnce('run_command', { command: 'touch marker.txt' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.equal(existsSync(path.join(w.ws, 'marker.txt')), false, 'the command never ran');
      const seen = lastToolResult(fake.requests[1]!);
      assert.match(seen?.content ?? '', /no marker files here/);
      assert.match(seen?.content ?? '', /hook PreToolUse \.claude\/settings\.json/);
      const [input] = w.inputs('guard');
      const i = input!.input as Record<string, unknown>;
      assert.equal(i.hook_event_name, 'PreToolUse');
      assert.equal(i.tool_name, 'Bash');
      assert.deepEqual(i.tool_input, { command: 'touch marker.txt' });
      assert.equal(i.session_id, s.id);
      assert.equal(i.cwd, w.ws);
      assert.equal(i.permission_mode, 'bypassPermissions');
      assert.equal(input!.env, w.ws, 'CLAUDE_PROJECT_DIR');
      const card = await toolCard(w, s.id);
      assert.equal(card?.status, 'denied');
      assert.deepEqual(card?.hooks?.map((x) => [x.hookEvent, x.outcome, x.message]), [['PreToolUse', 'deny', 'no marker files here']]);
      assert.match(card?.hooks?.[0]?.command ?? '', /guard\.mjs/);
    } finally { await w.close(); }
  });

  void test('exit code 2 denies with stderr as the reason', async () => {
    const w = await hookWorld(fake, [{ event: 'PreToolUse', matcher: 'Edit|Write|Bash', name: 'exit2', body: `process.stderr.write('blocked by policy'); process.exit(2);` }]);
    try {
      callOnce('run_command', { command: 'touch marker.txt' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.equal(existsSync(path.join(w.ws, 'marker.txt')), false);
      assert.match(lastToolResult(fake.requests[1]!)?.content ?? '', /blocked by policy/);
    } finally { await w.close(); }
  });

  void test('allow skips the approval card in ask mode, but a deny rule still wins', async () => {
    const allow = `console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'safe' } }));`;
    const w = await hookWorld(fake, [{ event: 'PreToolUse', matcher: 'Bash', name: 'allow', body: allow }]);
    try {
      callOnce('run_command', { command: 'touch made.txt' });
      const s = await w.h.manager.create({ config: { mode: 'ask' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.equal(w.h.of(s.id).some((e) => e.type === 'approval.requested'), false, 'no card');
      assert.equal(existsSync(path.join(w.ws, 'made.txt')), true, 'it ran');
      const started = w.h.of(s.id).find((e): e is EventOf<'tool.started'> => e.type === 'tool.started');
      assert.match(started?.permission.source ?? '', /^hook PreToolUse \.claude\/settings\.json: safe/);

      callOnce('run_command', { command: 'touch denied.txt' });
      const d = await w.h.manager.create({ config: { mode: 'ask', rules: [{ action: 'deny', pattern: 'run_command(touch denied.txt)', scope: 'session' }] } });
      await w.h.manager.send(d.id, 'go');
      await w.h.manager.whenIdle(d.id);
      assert.equal(existsSync(path.join(w.ws, 'denied.txt')), false, 'the deny rule won');
      assert.match(lastToolResult(fake.requests.at(-1)!)?.content ?? '', /Permission denied/);
    } finally { await w.close(); }
  });

  void test('ask forces an approval card for a call the mode allows (matched by our own tool name)', async () => {
    const w = await hookWorld(fake, [{
      event: 'PreToolUse', matcher: 'echo', name: 'ask',
      body: `console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'check this one' } }));`,
    }]);
    try {
      callOnce('echo', { text: 'hi' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      const ask = await w.h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      assert.equal(ask.approval.reason, 'check this one');
      await w.h.manager.resolveApproval(s.id, ask.approval.id, { decision: 'approve' });
      await w.h.manager.whenIdle(s.id);
      assert.equal(lastToolResult(fake.requests[1]!)?.content, 'echo:hi');
    } finally { await w.close(); }
  });

  void test('a hook over its time limit is killed (outcome timeout) and the tool goes on', async () => {
    const w = await hookWorld(fake, [{ event: 'PreToolUse', name: 'slow', timeout: 1, body: `await new Promise((r) => setTimeout(r, 30_000));` }]);
    try {
      callOnce('echo', { text: 'still' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      const t0 = Date.now();
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.ok(Date.now() - t0 < 8_000, 'not the 30 s the hook wanted');
      assert.equal(lastToolResult(fake.requests[1]!)?.content, 'echo:still');
      const [run] = hookRuns(w.h.of(s.id));
      assert.equal(run?.outcome, 'timeout');
      assert.match(run?.message ?? '', /timed out after 1 s/);
    } finally { await w.close(); }
  });
});

void describe('PostToolUse hooks', () => {
  void test('additionalContext and a block reason reach the model with the result', async () => {
    const w = await hookWorld(fake, [
      { event: 'PostToolUse', matcher: 'echo', name: 'lint', body: `console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'lint: 2 warnings in ' + input.tool_response.content } }));` },
      { event: 'PostToolUse', matcher: '*', name: 'block', body: `console.log(JSON.stringify({ decision: 'block', reason: 'fix the formatting first' }));` },
      { event: 'PostToolUse', matcher: 'Bash', name: 'never', body: `` },
    ]);
    try {
      callOnce('echo', { text: 'x' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      const seen = lastToolResult(fake.requests[1]!)?.content ?? '';
      assert.match(seen, /^echo:x\n\n/);
      assert.match(seen, /lint: 2 warnings in echo:x/);
      assert.match(seen, /fix the formatting first/);
      assert.deepEqual(w.inputs('never'), [], 'the Bash matcher did not run for echo');
      const card = await toolCard(w, s.id);
      assert.deepEqual(card?.hooks?.map((x) => x.outcome), ['context', 'blocked']);
    } finally { await w.close(); }
  });
});

void describe('approval and trust', () => {
  void test('an unapproved hook is not run (outcome unapproved) and never executes', async () => {
    const w = await hookWorld(fake, [{ event: 'PreToolUse', name: 'marker', body: `` }], { approve: false });
    try {
      callOnce('echo', { text: 'x' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      assert.equal(existsSync(path.join(w.ws, '.claude/hooks/marker.log')), false, 'the script never ran');
      assert.equal(w.approvals.asked.length, 1, 'asked once');
      assert.deepEqual(hookRuns(w.h.of(s.id)).map((r) => r.outcome), ['unapproved']);
      assert.equal(lastToolResult(fake.requests[1]!)?.content, 'echo:x', 'the tool went on');
      const snap = w.h.manager.get(s.id);
      assert.deepEqual(snap?.knowledge?.hooks?.map((x) => [x.hookEvent, x.approved]), [['PreToolUse', false]]);
    } finally { await w.close(); }
  });

  void test('an untrusted workspace runs no hook, asks nothing, and says so once', async () => {
    const w = await hookWorld(fake, [{ event: 'PreToolUse', name: 'marker', body: `` }, { event: 'UserPromptSubmit', name: 'prompt', body: `` }], { trusted: false });
    try {
      callOnce('echo', { text: 'x' });
      const s = await w.h.manager.create({ config: { mode: 'full' } });
      await w.h.manager.send(s.id, 'go');
      await w.h.manager.whenIdle(s.id);
      callOnce('echo', { text: 'y' });
      await w.h.manager.send(s.id, 'again');
      await w.h.manager.whenIdle(s.id);
      assert.equal(existsSync(path.join(w.ws, '.claude/hooks/marker.log')), false);
      assert.equal(existsSync(path.join(w.ws, '.claude/hooks/prompt.log')), false);
      assert.deepEqual(w.approvals.asked, []);
      const runs = hookRuns(w.h.of(s.id));
      assert.equal(runs.length, 1, 'said once');
      assert.match(runs[0]!.message ?? '', /untrusted workspace/);
      const markers = (await w.h.manager.transcript(s.id)).entries.filter((e) => (e as { kind: string }).kind === 'marker');
      assert.ok(markers.some((m) => (m as { variant: string }).variant === 'hook'));
    } finally { await w.close(); }
  });
});
