/** The router's part: worktree events refresh the session list; worktrees.action and sessions.terminal reach the host's services. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../src/shared/protocol';
import type { WorktreeApplyMode } from '../../../src/shared/worktree';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { FakeManager, FakeServices, FakeWebview } from './fakes';

class WorktreeServices extends FakeServices {
  readonly worktreeCalls: string[] = [];
  readonly terminals: string[] = [];
  async worktreeAction(sessionId: string, action: 'apply' | 'commit' | 'openScm' | 'discard', mode?: WorktreeApplyMode) {
    this.worktreeCalls.push(`${sessionId}:${action}:${mode ?? ''}`);
    return action === 'commit' ? { done: true, commit: 'abc' } : { done: false };
  }
  async openTerminal(sessionId: string, follow: boolean): Promise<void> { this.terminals.push(`${sessionId}:${follow}`); }
}

async function connect() {
  const manager = new FakeManager();
  manager.add('a', 'Alpha');
  const services = new WorktreeServices();
  const router = new WebviewRouter(async () => manager, services);
  const web = new FakeWebview();
  router.attach(web);
  web.send({ kind: 'ready', protocolVersion: 1 });
  await web.waitFor((m) => m.kind === 'snapshot');
  return { manager, services, web };
}

void describe('webview router: worktrees', () => {
  for (const body of [
    { type: 'worktree.discarded', branchDeleted: true },
    { type: 'worktree.checked', state: 'missing', path: '/wt/x', problem: 'gone' },
    { type: 'file.changed', path: '/w/a.ts', label: 'a.ts', kind: 'modified', source: { tool: 'edit_file', callId: 'c1' } },
  ] as const) {
    void test(`${body.type} re-sends the session list`, async () => {
      const { manager, web } = await connect();
      const from = web.posted.length;
      manager.emit('a', body as never);
      const list = await web.waitFor((m) => m.kind === 'sessions', from) as Extract<HostMessage, { kind: 'sessions' }>;
      assert.deepEqual(list.sessions.map((s) => s.id), ['a']);
    });
  }

  void test('worktrees.action and sessions.terminal go to the host with their arguments and reply its result', async () => {
    const { services, web } = await connect();
    const r = await web.request('worktrees.action', { sessionId: 'a', action: 'commit' });
    assert.deepEqual(r.ok ? r.result : r.error, { done: true, commit: 'abc' });
    await web.request('worktrees.action', { sessionId: 'a', action: 'apply', mode: 'patch' });
    assert.deepEqual(services.worktreeCalls, ['a:commit:', 'a:apply:patch']);
    const t = await web.request('sessions.terminal', { sessionId: 'a', follow: true });
    assert.equal(t.ok, true);
    await web.request('sessions.terminal', { sessionId: 'a' });
    assert.deepEqual(services.terminals, ['a:true', 'a:false']);
    const bad = await web.request('worktrees.action', { sessionId: 'a', action: 'push' });
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'bad_request');
  });
});
