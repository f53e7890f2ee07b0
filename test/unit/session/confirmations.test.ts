import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmationManager } from '../../../src/core/approval/confirmations';
import type { PendingApprovalInfo, PermissionRule } from '../../../src/core/session/types';
import { AgentError } from '../../../src/core/base/errors';

const info = (id: string, sessionId: string): PendingApprovalInfo => ({
  id, sessionId, callId: `call-${id}`, toolName: 'cmd', summary: 'cmd', args: {}, reason: 'test', requestedAt: 0,
});

void describe('ConfirmationManager', () => {
  void test('approve and deny resolve the pending promise', async () => {
    const cm = new ConfirmationManager(async () => undefined);
    const a = cm.request(info('a1', 's1'));
    const b = cm.request(info('b1', 's1'));
    await cm.resolve('s1', 'a1', { decision: 'approve' });
    await cm.resolve('s1', 'b1', { decision: 'deny', reason: 'not now' });
    assert.deepEqual(await a, { decision: 'approve', by: 'user' });
    assert.deepEqual(await b, { decision: 'deny', reason: 'not now', by: 'user' });
    assert.equal(cm.list('s1').length, 0);
  });

  void test('an approval never crosses sessions; unknown ids are not_found', async () => {
    const cm = new ConfirmationManager(async () => undefined);
    const p = cm.request(info('a1', 's1'));
    await assert.rejects(cm.resolve('s2', 'a1', { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    await assert.rejects(cm.resolve('s1', 'nope', { decision: 'approve' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found');
    assert.ok(cm.has('a1'));
    cm.cancelAll('s1');
    assert.equal((await p).by, 'cancel');
  });

  void test('timeout denies with reason "timed out"', async () => {
    const cm = new ConfirmationManager(async () => undefined);
    const r = await cm.request(info('a1', 's1'), 20);
    assert.deepEqual(r, { decision: 'deny', reason: 'timed out', by: 'timeout' });
    await assert.rejects(cm.resolve('s1', 'a1', { decision: 'approve' }));
  });

  void test('cancelAll touches only its session', async () => {
    const cm = new ConfirmationManager(async () => undefined);
    const a = cm.request(info('a1', 's1'));
    cm.request(info('b1', 's2')).catch(() => undefined);
    assert.deepEqual(cm.cancelAll('s1'), ['a1']);
    assert.equal((await a).decision, 'deny');
    assert.deepEqual(cm.list('s2').map((x) => x.id), ['b1']);
  });

  void test('always allow saves the rule first and approves', async () => {
    const saved: Array<[string, PermissionRule]> = [];
    const cm = new ConfirmationManager(async (s, rule) => { saved.push([s, rule]); });
    const p = cm.request(info('a1', 's1'));
    await cm.resolve('s1', 'a1', { decision: 'deny', alwaysAllow: { pattern: 'cmd(npm test)', scope: 'workspace' } });
    assert.deepEqual(saved, [['s1', { action: 'allow', pattern: 'cmd(npm test)', scope: 'workspace' }]]);
    assert.equal((await p).decision, 'approve');
  });

  void test('a failing rule save leaves the approval pending', async () => {
    const cm = new ConfirmationManager(async () => { throw new AgentError('storage', 'disk full'); });
    const p = cm.request(info('a1', 's1'));
    await assert.rejects(cm.resolve('s1', 'a1', { decision: 'approve', alwaysAllow: { pattern: 'cmd', scope: 'user' } }));
    assert.ok(cm.has('a1'));
    await cm.resolve('s1', 'a1', { decision: 'approve' });
    assert.equal((await p).decision, 'approve');
  });
});
