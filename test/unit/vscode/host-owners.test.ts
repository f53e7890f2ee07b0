/** The small owners the composition root (src/vscode/host.ts) is built from, each on its own. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableStore } from '../../../src/core/base/disposable';
import { Emitter } from '../../../src/core/base/emitter';
import { nullLogger } from '../../../src/core/ports';
import type { HostNotice } from '../../../src/shared/protocol';
import { FocusTracker } from '../../../src/vscode/focus';
import { APPROVAL_CONTEXT_KEY, ApprovalContextKey } from '../../../src/vscode/host/approval-context-key';
import { HostRules, WORKSPACE_RULES_NOTICE } from '../../../src/vscode/host/host-rules';
import { KeyNotices } from '../../../src/vscode/host/key-notices';
import { KNOWLEDGE_REFRESH_MS, KnowledgeRefresh } from '../../../src/vscode/host/knowledge-refresh';
import { lazy } from '../../../src/vscode/host/lazy';
import { WorkspaceRuleStore } from '../../../src/vscode/knowledge/workspace-rules';
import { readSettings, type SettingKey, type SettingInspection } from '../../../src/vscode/settings';
import { FakeManager } from './fakes';

const approval = (id: string, sessionId: string) => ({ id, sessionId, callId: 'c1', toolName: 'edit_file', summary: 'edit x', args: { path: 'x' }, reason: 'mode ask', requestedAt: 1 });

function memento(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key, value) => { values.set(key, value); } };
}

class NoticeBoard {
  readonly notices = new Map<string, HostNotice>();
  setNotice(n: HostNotice): void { this.notices.set(n.id, n); }
  clearNotice(id: string): void { this.notices.delete(id); }
}

void describe('host owners', () => {
  void test('lazy: created once on first use, peek does not create, a disposable value is released with its owner', () => {
    const owner = new DisposableStore();
    let made = 0;
    let disposed = 0;
    const value = lazy(() => { made++; return { n: made, dispose: () => { disposed++; } }; }, owner);
    const peeked = () => value.peek; // a call, so the check below does not narrow the type
    assert.equal(peeked(), undefined);
    assert.equal(made, 0);
    assert.equal(value().n, 1);
    assert.equal(value(), value());
    assert.equal(peeked()?.n, 1);
    assert.equal(made, 1);
    owner.dispose();
    assert.equal(disposed, 1);
  });

  void test('approval context key: set while any session waits for an approval, follows focus, stops on dispose', () => {
    const manager = new FakeManager();
    manager.add('a');
    manager.add('b');
    const focus = new FocusTracker();
    const seen: boolean[] = [];
    const key = new ApprovalContextKey(manager, focus, (k, v) => { assert.equal(k, APPROVAL_CONTEXT_KEY); seen.push(v); });
    focus.setVisible('view-1', 'a');
    manager.emit('b', { type: 'approval.requested', approval: approval('ap1', 'b') });
    manager.emit('b', { type: 'session.state', state: 'awaiting_approval' });
    manager.emit('b', { type: 'session.state', state: 'idle' });
    assert.deepEqual(seen, [false, false, true, false], 'the pending approval of an unfocused session counts through its state');
    manager.emit('a', { type: 'approval.requested', approval: approval('ap2', 'a') });
    assert.equal(seen.at(-1), true, 'the focused session has a pending approval');
    key.dispose();
    manager.emit('a', { type: 'session.state', state: 'idle' });
    focus.setVisible('view-1', 'b');
    assert.equal(seen.length, 5);
  });

  void test('knowledge refresh: a burst of changes refreshes the focused session once; nothing after dispose', async (t) => {
    const manager = new FakeManager();
    manager.add('a');
    await manager.open('a');
    const focus = new FocusTracker();
    focus.setVisible('view-1', 'a');
    const changed = new Emitter<void>();
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const refresh = new KnowledgeRefresh(changed.event, manager, focus, nullLogger);
    const asked = (): number => manager.calls.filter((c) => c.method === 'knowledge').length;
    for (let i = 0; i < 5; i++) changed.fire();
    t.mock.timers.tick(KNOWLEDGE_REFRESH_MS - 1);
    assert.equal(asked(), 0, 'coalesced until the burst is over');
    t.mock.timers.tick(1);
    assert.equal(asked(), 1);
    t.mock.timers.tick(KNOWLEDGE_REFRESH_MS * 10);
    assert.equal(asked(), 1, 'one refresh for the burst');
    changed.fire();
    refresh.dispose();
    t.mock.timers.tick(KNOWLEDGE_REFRESH_MS * 10);
    assert.equal(asked(), 1, 'the pending refresh was cancelled');
  });

  void test('key notices: without a visible chat view a notification with "Set key", never a banner; with one, nothing (the view says it)', async () => {
    const manager = new FakeManager();
    const board = new NoticeBoard();
    const keys = new Set<string>();
    const shown: string[] = [];
    const ran: string[] = [];
    let visible = false;
    const notices = new KeyNotices({
      services: () => ({ setNotice: (n) => board.setNotice(n), clearNotice: (id) => board.clearNotice(id), profile: (id) => (id === 'openai' ? { id, label: 'OpenAI', kind: 'openai', models: [], requiresKey: true } : { id, label: 'Ollama', kind: 'openai', models: [], requiresKey: false }) }),
      secrets: { hasApiKey: async (id) => keys.has(id) },
      logger: nullLogger,
      showError: async (message) => { shown.push(message); return 'Set key'; },
      runAction: async (action, providerId) => { ran.push(`${action}:${providerId}`); },
      viewVisible: () => visible,
    });
    notices.watch(manager);
    manager.add('a');
    while (ran.length === 0) await new Promise((r) => setImmediate(r));
    assert.deepEqual(shown, ['No API key for OpenAI.']);
    assert.deepEqual(ran, ['setApiKey:openai']);
    assert.equal(board.notices.size, 0, 'no banner: one place only');
    // A chat view on screen: it shows the failed turn's card with "Set API key"; no notification, no banner.
    visible = true;
    manager.emit('a', { type: 'turn.failed', error: { code: 'auth', message: 'No API key', retryable: false } } as never);
    await notices.checkKey('openai');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(shown.length, 1);
    assert.equal(board.notices.size, 0);
    keys.add('openai');
    await notices.checkKey('openai');
    assert.equal(board.notices.has('no-key:openai'), false);
    // A keyless profile never gets a "no key" notice.
    visible = false;
    await notices.checkKey('ollama');
    assert.equal(shown.length, 1);
    // An auth failure with a key set while no view is visible: the server refused it, said as such.
    manager.emit('a', { type: 'turn.failed', error: { code: 'auth', message: '401 bad key', retryable: false } } as never);
    while (shown.length < 2) await new Promise((r) => setImmediate(r));
    assert.equal(shown[1], 'OpenAI refused the credentials: 401 bad key');
    notices.dispose();
  });

  void test('key notices: a key withheld from another host is no "refused the credentials"', async () => {
    const manager = new FakeManager();
    const shown: string[] = [];
    let withheld = true;
    const notices = new KeyNotices({
      services: () => ({ setNotice: () => undefined, clearNotice: () => undefined, profile: (id) => ({ id, label: 'OpenAI', kind: 'openai', models: [], requiresKey: true }) }),
      secrets: { hasApiKey: async () => true, withheld: () => withheld },
      logger: nullLogger,
      showError: async (message) => { shown.push(message); return undefined; },
      runAction: async () => undefined,
    });
    notices.watch(manager);
    manager.add('a');
    manager.emit('a', { type: 'turn.failed', error: { code: 'auth', message: 'Your OpenAI key was not sent to x', retryable: false } } as never);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(shown, []);
    withheld = false;
    manager.emit('a', { type: 'turn.failed', error: { code: 'auth', message: '401 bad key', retryable: false } } as never);
    while (shown.length < 1) await new Promise((r) => setImmediate(r));
    assert.deepEqual(shown, ['OpenAI refused the credentials: 401 bad key']);
    notices.dispose();
  });

  void test('host rules: user rules are appended once; the workspace allow-rules banner shows until answered', async () => {
    let user: Record<string, string[]> = { deny: ['run_command(rm:*)'] };
    const inspect = (values: Partial<Record<SettingKey, SettingInspection>>) => (key: SettingKey) => values[key];
    const read = readSettings(inspect({ permissionRules: { workspaceValue: { allow: ['run_command(npm test:*)'], deny: [], ask: [] } } }), { trusted: true });
    const store = new WorkspaceRuleStore(memento());
    const rules = new HostRules({
      settings: () => read, trusted: () => true, workspaceRules: store, logger: nullLogger,
      userRules: { read: () => user, write: async (v) => { user = v; } },
    });
    await rules.saveUserRule({ action: 'allow', pattern: 'read_file(**)', scope: 'user' });
    await rules.saveUserRule({ action: 'allow', pattern: 'read_file(**)', scope: 'user' });
    assert.deepEqual(user, { allow: ['read_file(**)'], deny: ['run_command(rm:*)'], ask: [] });
    const board = new NoticeBoard();
    rules.updateNotice(board);
    assert.match(board.notices.get(WORKSPACE_RULES_NOTICE)?.message ?? '', /suggest allow rule run_command\(npm test:\*\)/);
    assert.ok(!rules.rules().some((r) => r.action === 'allow' && r.scope === 'workspace'), 'unanswered workspace allow rules allow nothing');
    await store.decide(['run_command(npm test:*)'], store.state(['run_command(npm test:*)']).hash, 'allow');
    rules.updateNotice(board);
    assert.equal(board.notices.has(WORKSPACE_RULES_NOTICE), false);
    assert.ok(rules.rules().some((r) => r.action === 'allow' && r.pattern === 'run_command(npm test:*)'));
  });
});
