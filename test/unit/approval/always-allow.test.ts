/**
 * "Always allow" on commands (issue 10): never a bare tool rule, never for what cannot be
 * remembered, and a rule broader than the approved call only after a second confirmation.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmationManager } from '../../../src/core/approval/confirmations';
import { broaderThanApproved } from '../../../src/core/approval/rule-breadth';
import { bashGrammar } from '../../../src/core/approval/shell/grammar';
import { AgentError } from '../../../src/core/base/errors';
import type { PendingApprovalInfo, PermissionRule } from '../../../src/core/session/types';

const approval = (command: string, suggestedRule?: string, extra: Partial<PendingApprovalInfo> = {}): PendingApprovalInfo => ({
  id: 'ap1', sessionId: 's1', callId: 'c1', toolName: 'run_command', summary: `run ${command}`, args: { command }, reason: 'mode ask', requestedAt: 0,
  ...(suggestedRule ? { suggestedRule } : {}), ...extra,
});

void describe('always allow for commands', () => {
  before(async () => { await bashGrammar(); });

  void test('the suggested rule and anything narrower need no second confirmation', () => {
    const a = approval('git status -s', 'run_command(git status:*)');
    assert.equal(broaderThanApproved(a, 'run_command(git status:*)'), undefined);
    assert.equal(broaderThanApproved(a, 'run_command(git status -s)'), undefined);
    assert.equal(broaderThanApproved(a, 'run_command(git status -s:*)'), undefined);
  });

  void test('broader rules name what they allow', () => {
    const a = approval('git status -s', 'run_command(git status:*)');
    assert.equal(broaderThanApproved(a, 'run_command'), 'every command');
    assert.equal(broaderThanApproved(a, 'run_command(*)'), 'every command');
    assert.match(broaderThanApproved(a, 'run_command(git:*)') ?? '', /every command starting with "git"/);
    assert.match(broaderThanApproved(a, 'run_command(git *)') ?? '', /matching "git \*"/);
    assert.match(broaderThanApproved(a, '*') ?? '', /every tool matching/);
    // With no suggestion, only the exact command is not broader.
    const chain = approval('npm test && git push');
    assert.equal(broaderThanApproved(chain, 'run_command(npm test && git push)'), undefined);
    assert.match(broaderThanApproved(chain, 'run_command(npm test:*)') ?? '', /starting with "npm test"/);
  });

  void test('the manager refuses a broad rule without confirmation, saves it with one', async () => {
    const saved: PermissionRule[] = [];
    const cm = new ConfirmationManager(async (_s, rule) => { saved.push(rule); });
    const p = cm.request(approval('git status -s', 'run_command(git status:*)'));
    await assert.rejects(cm.resolve('s1', 'ap1', { decision: 'approve', alwaysAllow: { pattern: 'run_command', scope: 'workspace' } }),
      (e: unknown) => e instanceof AgentError && e.code === 'needs_confirmation' && /every command/.test(e.message));
    assert.deepEqual(saved, [], 'nothing saved');
    assert.ok(cm.has('ap1'), 'still pending');
    await cm.resolve('s1', 'ap1', { decision: 'approve', alwaysAllow: { pattern: 'run_command(git:*)', scope: 'session', confirmBroad: true } });
    assert.deepEqual(saved, [{ action: 'allow', pattern: 'run_command(git:*)', scope: 'session' }]);
    assert.equal((await p).decision, 'approve');
  });

  void test('an approval that cannot be remembered refuses any rule', async () => {
    const saved: PermissionRule[] = [];
    const cm = new ConfirmationManager(async (_s, rule) => { saved.push(rule); });
    void cm.request(approval('echo {} > .vscode/tasks.json', undefined, { rememberable: false, reason: 'sensitive target .vscode/tasks.json' }));
    await assert.rejects(cm.resolve('s1', 'ap1', { decision: 'approve', alwaysAllow: { pattern: 'run_command(echo:*)', scope: 'workspace', confirmBroad: true } }),
      (e: unknown) => e instanceof AgentError && e.code === 'bad_request' && /cannot be remembered/.test(e.message));
    assert.deepEqual(saved, []);
    await cm.resolve('s1', 'ap1', { decision: 'approve' });
  });
});
