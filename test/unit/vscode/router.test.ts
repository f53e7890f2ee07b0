import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { safeExternalUrl } from '../../../src/vscode/webview/handlers/links';
import type { HostMessage } from '../../../src/shared/protocol';
import { FakeManager, FakeServices, FakeWebview } from './fakes';

function setup() {
  const manager = new FakeManager();
  manager.add('a', 'Alpha');
  manager.add('b', 'Beta');
  const services = new FakeServices();
  const router = new WebviewRouter(async () => manager, services);
  return { manager, services, router };
}

async function connect(router: WebviewRouter, visibleSessionId?: string) {
  const web = new FakeWebview();
  const handle = router.attach(web);
  web.send({ kind: 'ready', protocolVersion: 1, ...(visibleSessionId ? { visibleSessionId } : {}) });
  const snapshot = await web.waitFor((m) => m.kind === 'snapshot') as Extract<HostMessage, { kind: 'snapshot' }>;
  return { web, handle, snapshot };
}

const ok = (r: Extract<HostMessage, { kind: 'reply' }>): unknown => {
  assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.ok ? r.result : undefined;
};

void describe('webview router: handshake', () => {
  void test('ready → snapshot with the session list and the visible session opened; nothing before ready', async () => {
    const { router, manager, services } = setup();
    const web = new FakeWebview();
    router.attach(web);
    manager.emit('a', { type: 'session.renamed', title: 'x' });
    assert.equal(web.posted.length, 0, 'nothing is posted before ready');
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    const snap = await web.waitFor((m) => m.kind === 'snapshot') as Extract<HostMessage, { kind: 'snapshot' }>;
    assert.deepEqual(snap.sessions.map((s) => s.id), ['a', 'b']);
    assert.equal(snap.opened.length, 1);
    assert.equal(snap.opened[0]!.snapshot.id, 'a');
    assert.equal(snap.opened[0]!.lastSeq, 2);
    assert.equal(snap.visibleSessionId, 'a');
    assert.equal(snap.providers?.[0]?.id, 'openai');
    assert.equal(web.posted[0]!.kind, 'snapshot', 'the snapshot is the first message');
    assert.ok([...services.visible.values()].includes('a'));
    router.dispose();
  });

  void test('after the snapshot only events of opened sessions flow, as deltas, once each', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router, 'a');
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'He' });
    manager.emit('b', { type: 'message.delta', messageId: 'n', kind: 'text', text: 'not shown' });
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'llo' });
    const evs = web.events();
    assert.deepEqual(evs.map((e) => [e.sessionId, e.seq]), [['a', 2], ['a', 3]]);
    assert.ok(web.posted.every((m) => m.kind !== 'snapshot' || m === web.posted[0]), 'no second snapshot');
    router.dispose();
  });

  void test('a wrong protocol version gets a notice and no snapshot', async () => {
    const { router } = setup();
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 99 });
    const host = await web.waitFor((m) => m.kind === 'host') as Extract<HostMessage, { kind: 'host' }>;
    assert.ok(host.host.notices.some((n) => n.id === 'protocol-mismatch'));
    assert.ok(!web.posted.some((m) => m.kind === 'snapshot'));
    router.dispose();
  });

  void test('the session list is re-sent to every webview when state changes', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    const from = web.posted.length;
    manager.emit('b', { type: 'session.state', state: 'running' });
    const list = await web.waitFor((m) => m.kind === 'sessions', from) as Extract<HostMessage, { kind: 'sessions' }>;
    assert.equal(list.sessions.find((s) => s.id === 'b')?.state, 'running');
    router.dispose();
  });
});

void describe('webview router: every request kind', () => {
  void test('sessions.* delegate to the manager and reply', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    const list = ok(await web.request('sessions.list', {})) as { sessions: Array<{ id: string }> };
    assert.deepEqual(list.sessions.map((s) => s.id), ['a', 'b']);

    const created = ok(await web.request('sessions.create', { providerId: 'openai', model: 'gpt-x', mode: 'plan', title: 'T' })) as { snapshot: { id: string; config: { model: string; mode: string } } };
    assert.equal(created.snapshot.config.model, 'gpt-x');
    assert.equal(created.snapshot.config.mode, 'plan');

    const opened = ok(await web.request('sessions.open', { sessionId: 'a', limit: 10 })) as { snapshot: { id: string }; entries: unknown[]; lastSeq: number };
    assert.equal(opened.snapshot.id, 'a');
    assert.equal(opened.entries.length, 1);

    const page = ok(await web.request('sessions.transcript', { sessionId: 'a', beforeSeq: 5, limit: 2 })) as { hasMore: boolean };
    assert.equal(page.hasMore, false);
    assert.deepEqual(manager.calls.find((c) => c.method === 'transcript' && (c.args[1] as { beforeSeq?: number }).beforeSeq === 5)?.args, ['a', { beforeSeq: 5, limit: 2 }]);

    ok(await web.request('sessions.rename', { sessionId: 'a', title: 'Renamed' }));
    assert.equal(manager.get('a')?.title, 'Renamed');
    assert.deepEqual(ok(await web.request('sessions.send', { sessionId: 'a', text: 'hi' })), { promptId: 'p1', queued: false });
    assert.deepEqual(ok(await web.request('sessions.removeQueued', { sessionId: 'a', promptId: 'p1' })), { removed: true });
    for (const m of ['pause', 'resume', 'cancel', 'compact'] as const) {
      assert.deepEqual(ok(await web.request(`sessions.${m}`, { sessionId: 'a' })), {});
    }
    const upd = ok(await web.request('sessions.updateConfig', { sessionId: 'a', patch: { model: 'other', mode: 'full' } })) as { snapshot: { config: { model: string } } };
    assert.equal(upd.snapshot.config.model, 'other');
    ok(await web.request('sessions.delete', { sessionId: 'b', children: 'keep' }));
    assert.equal(manager.sessions.has('b'), false);

    assert.deepEqual(manager.calls.map((c) => c.method).filter((m) => !['open', 'transcript'].includes(m)),
      ['create', 'rename', 'send', 'removeQueued', 'pause', 'resume', 'cancel', 'compact', 'updateConfig', 'delete']);
    router.dispose();
  });

  void test('approvals.resolve and approvals.viewDiff', async () => {
    const { router, manager, services } = setup();
    const { web } = await connect(router, 'a');
    manager.emit('a', { type: 'approval.requested', approval: { id: 'ap1', sessionId: 'a', callId: 'c1', toolName: 'edit_file', summary: 'edit x', args: { path: 'x' }, reason: 'mode ask', requestedAt: 1 } });
    ok(await web.request('approvals.viewDiff', { sessionId: 'a', approvalId: 'ap1' }));
    assert.equal(services.diffs[0]?.id, 'ap1');
    const missing = await web.request('approvals.viewDiff', { sessionId: 'a', approvalId: 'nope' });
    assert.equal(missing.ok, false);
    assert.equal(!missing.ok && missing.error.code, 'not_found');
    ok(await web.request('approvals.resolve', { sessionId: 'a', approvalId: 'ap1', decision: 'approve', alwaysAllow: { pattern: 'edit_file(src/**)', scope: 'workspace' } }));
    const call = manager.calls.find((c) => c.method === 'resolveApproval');
    assert.deepEqual(call?.args, ['a', 'ap1', { decision: 'approve', by: 'user', alwaysAllow: { pattern: 'edit_file(src/**)', scope: 'workspace' } }]);
    router.dispose();
  });

  void test('providers.list, host.info, host.runAction, links.open', async () => {
    const { router, services } = setup();
    const { web } = await connect(router);
    const prov = ok(await web.request('providers.list', {})) as { providers: Array<{ id: string; hasKey: boolean }> };
    assert.deepEqual(prov.providers.map((p) => [p.id, p.hasKey]), [['openai', true]]);
    const info = ok(await web.request('host.info', {})) as { workspaceTrusted: boolean };
    assert.equal(info.workspaceTrusted, true);
    ok(await web.request('host.runAction', { action: 'setApiKey', providerId: 'anthropic' }));
    assert.deepEqual(services.actions, ['setApiKey:anthropic']);
    assert.deepEqual(ok(await web.request('links.open', { href: 'https://example.com/a?b=1' })), { opened: true });
    assert.deepEqual(ok(await web.request('links.open', { href: 'javascript:alert(1)' })), { opened: false });
    assert.deepEqual(ok(await web.request('links.open', { href: 'file:///etc/passwd' })), { opened: false });
    assert.deepEqual(ok(await web.request('links.open', { href: 'command:workbench.action.terminal.new' })), { opened: false });
    assert.deepEqual(services.opened, ['https://example.com/a?b=1']);
    router.dispose();
  });

  void test('errors from the manager become typed error replies', async () => {
    const { router } = setup();
    const { web } = await connect(router);
    const r = await web.request('sessions.pause', { sessionId: 'zzz' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'not_found');
    router.dispose();
  });

  void test('a cancelled request gets exactly one cancelled reply', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    let release!: () => void;
    manager.openGate = new Promise((r) => { release = r; });
    web.send({ kind: 'request', id: 'slow', method: 'sessions.open', params: { sessionId: 'a' } });
    await new Promise((r) => setImmediate(r));
    web.send({ kind: 'cancel', id: 'slow' });
    const reply = await web.waitFor((m) => m.kind === 'reply' && m.id === 'slow');
    assert.equal(reply.kind === 'reply' && !reply.ok && reply.error.code, 'cancelled');
    release();
    await web.request('sessions.list', {});
    assert.equal(web.posted.filter((m) => m.kind === 'reply' && m.id === 'slow').length, 1);
    router.dispose();
  });
});

void describe('webview router: malformed messages', () => {
  const bad: Array<[string, unknown]> = [
    ['unknown method', { kind: 'request', id: 'x1', method: 'sessions.nuke', params: {} }],
    ['missing params', { kind: 'request', id: 'x2', method: 'sessions.send' }],
    ['wrong param type', { kind: 'request', id: 'x3', method: 'sessions.send', params: { sessionId: 'a', text: 42 } }],
    ['extra key', { kind: 'request', id: 'x4', method: 'sessions.rename', params: { sessionId: 'a', title: 'ok', evil: true } }],
    ['hostile session id', { kind: 'request', id: 'x5', method: 'sessions.delete', params: { sessionId: '../../etc' } }],
    ['oversized prompt', { kind: 'request', id: 'x6', method: 'sessions.send', params: { sessionId: 'a', text: 'x'.repeat(1024 * 1024 + 1) } }],
    ['alwaysAllow on deny', { kind: 'request', id: 'x7', method: 'approvals.resolve', params: { sessionId: 'a', approvalId: 'p', decision: 'deny', alwaysAllow: { pattern: '*', scope: 'user' } } }],
  ];
  for (const [name, raw] of bad) {
    void test(`${name} → bad_request reply, nothing changes`, async () => {
      const { router, manager } = setup();
      const { web } = await connect(router);
      const before = JSON.stringify([...manager.sessions.values()]);
      const callsBefore = manager.calls.length;
      const id = (raw as { id: string }).id;
      web.send(raw);
      const reply = await web.waitFor((m) => m.kind === 'reply' && m.id === id);
      assert.equal(reply.kind === 'reply' && !reply.ok && reply.error.code, 'bad_request');
      assert.equal(manager.calls.length, callsBefore, 'the manager was not called');
      assert.equal(JSON.stringify([...manager.sessions.values()]), before);
      router.dispose();
    });
  }

  void test('garbage without a readable id is dropped; the connection keeps working', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    const n = web.posted.length;
    for (const g of [null, 42, 'ready', { kind: 'ready' }, { kind: 'request', id: 7 }, [1, 2], { __proto__: { kind: 'ready' } }]) web.send(g);
    const r = await web.request('sessions.list', {});
    assert.equal(r.ok, true);
    assert.equal(web.posted.length, n + 1, 'only the reply to the valid request');
    assert.equal(manager.calls.length, 0);
    router.dispose();
  });

  void test('a duplicate in-flight request id is refused', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    let release!: () => void;
    manager.openGate = new Promise((r) => { release = r; });
    web.send({ kind: 'request', id: 'dup', method: 'sessions.open', params: { sessionId: 'a' } });
    await new Promise((r) => setImmediate(r));
    web.send({ kind: 'request', id: 'dup', method: 'sessions.list', params: {} });
    const first = await web.waitFor((m) => m.kind === 'reply' && m.id === 'dup');
    assert.equal(first.kind === 'reply' && !first.ok && first.error.code, 'bad_request');
    release();
    const replies = async () => web.posted.filter((m) => m.kind === 'reply' && m.id === 'dup');
    await web.waitFor((m) => m.kind === 'reply' && m.id === 'dup' && m.ok);
    assert.equal((await replies()).length, 2);
    router.dispose();
  });
});

void describe('webview router: several webviews and reconnects', () => {
  void test('two webviews on the same sessions both receive the events', async () => {
    const { router, manager } = setup();
    const one = await connect(router, 'a');
    const two = await connect(router, 'a');
    assert.equal(router.connectionCount, 2);
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'x' });
    const ok2 = await two.web.request('sessions.send', { sessionId: 'a', text: 'from two' });
    assert.equal(ok2.ok, true);
    manager.emit('a', { type: 'turn.started', turnId: 't', promptId: 'p1', messageId: 'u', text: 'from two' });
    for (const w of [one.web, two.web]) assert.deepEqual(w.events('a').map((e) => e.seq), [2, 3]);
    // Closing one leaves the other live.
    one.handle.dispose();
    assert.equal(one.web.listenerCount, 0, 'the closed webview has no listener left');
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'y' });
    assert.deepEqual(two.web.events('a').map((e) => e.seq), [2, 3, 4]);
    assert.deepEqual(one.web.events('a').map((e) => e.seq), [2, 3]);
    router.dispose();
  });

  void test('replay after reconnect: events.since returns the missed events, then live ones, no gap and no duplicate', async () => {
    const { router, manager } = setup();
    const first = await connect(router, 'a');
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: '1' });
    const seen = first.web.events('a').at(-1)!.seq; // 2
    first.handle.dispose(); // tab hidden / window reloading
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: '2' });
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: '3' });
    const second = await connect(router);
    const r = ok(await second.web.request('events.since', { sessionId: 'a', afterSeq: seen })) as { events: Array<{ seq: number }> };
    assert.deepEqual(r.events.map((e) => e.seq), [3, 4]);
    manager.emit('a', { type: 'message.delta', messageId: 'm', kind: 'text', text: '4' });
    assert.deepEqual(second.web.events('a').map((e) => e.seq), [5]);
    router.dispose();
  });

  void test('events emitted while a session is being opened arrive after the reply, without gap or duplicate', async () => {
    const { router, manager } = setup();
    const { web } = await connect(router);
    let release!: () => void;
    manager.openGate = new Promise((r) => { release = r; });
    web.send({ kind: 'request', id: 'op', method: 'sessions.open', params: { sessionId: 'b' } });
    await new Promise((r) => setImmediate(r));
    manager.emit('b', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'during' }); // seq 2, before the snapshot is read
    assert.equal(web.events('b').length, 0, 'held while loading');
    release();
    const replyIdx = web.posted.indexOf(await web.waitFor((m) => m.kind === 'reply' && m.id === 'op'));
    const reply = web.posted[replyIdx] as Extract<HostMessage, { kind: 'reply' }>;
    assert.equal(reply.ok && (reply.result as { lastSeq: number }).lastSeq, 2, 'the snapshot already contains seq 2');
    manager.emit('b', { type: 'message.delta', messageId: 'm', kind: 'text', text: 'after' });
    assert.deepEqual(web.events('b').map((e) => e.seq), [3], 'seq 2 is not re-sent, seq 3 arrives');
    assert.ok(web.posted.findIndex((m) => m.kind === 'event' && m.event.sessionId === 'b') > replyIdx);
    router.dispose();
  });

  void test('host changes (e.g. trust granted) reach every ready webview', async () => {
    const { router, services } = setup();
    const one = await connect(router);
    const two = await connect(router);
    services.trusted = false;
    services.fireHostChanged();
    for (const w of [one.web, two.web]) {
      const h = await w.waitFor((m) => m.kind === 'host') as Extract<HostMessage, { kind: 'host' }>;
      assert.equal(h.host.workspaceTrusted, false);
    }
    router.dispose();
  });

  void test('reveal reaches the webviews', async () => {
    const { router } = setup();
    const { web } = await connect(router);
    router.reveal('a', 'ap1');
    assert.deepEqual(await web.waitFor((m) => m.kind === 'reveal'), { kind: 'reveal', sessionId: 'a', approvalId: 'ap1' });
    router.dispose();
  });

  void test('a reveal sent before the webview is ready is delivered right after its snapshot (New Session on first open)', async () => {
    const { router, manager } = setup();
    const web = new FakeWebview();
    router.attach(web, 'view');
    // The command created a session and revealed it while the view was still loading.
    const created = await manager.create({ title: 'Fresh' });
    router.reveal(created.id);
    assert.equal(web.posted.length, 0, 'nothing is posted before ready');
    web.send({ kind: 'ready', protocolVersion: 1 });
    const reveal = await web.waitFor((m) => m.kind === 'reveal');
    assert.deepEqual(reveal, { kind: 'reveal', sessionId: created.id });
    const kinds = web.posted.map((m) => m.kind);
    assert.ok(kinds.indexOf('snapshot') < kinds.indexOf('reveal'), `snapshot first: ${kinds.join(',')}`);
    // A reconnect of the same webview does not jump back to it (the user may have moved on).
    const before = web.posted.length;
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    await web.waitFor((m) => m.kind === 'snapshot', before);
    assert.equal(web.posted.slice(before).filter((m) => m.kind === 'reveal').length, 0);
    router.dispose();
  });

  void test('a webview that is already ready gets the reveal once; a later reveal replaces a waiting one', async () => {
    const { router } = setup();
    const { web: ready } = await connect(router);
    const late = new FakeWebview();
    router.attach(late, 'panel');
    router.reveal('a');
    router.reveal('b');
    late.send({ kind: 'ready', protocolVersion: 1 });
    await late.waitFor((m) => m.kind === 'snapshot');
    assert.deepEqual(late.posted.filter((m) => m.kind === 'reveal'), [{ kind: 'reveal', sessionId: 'b' }]);
    assert.deepEqual(ready.posted.filter((m) => m.kind === 'reveal'), [{ kind: 'reveal', sessionId: 'a' }, { kind: 'reveal', sessionId: 'b' }]);
    router.dispose();
  });
});

void describe('safeExternalUrl', () => {
  void test('allows http(s) and mailto only, never credentials', () => {
    assert.equal(safeExternalUrl('https://a.example/x'), 'https://a.example/x');
    assert.equal(safeExternalUrl('mailto:me@example.com'), 'mailto:me@example.com');
    for (const bad of ['javascript:alert(1)', 'vscode://x', 'file:///etc', 'data:text/html,x', '/relative', 'https://user:pw@a.example', 'command:x']) {
      assert.equal(safeExternalUrl(bad), undefined, bad);
    }
  });
});

void describe('webview router: session rows', () => {
  void test('a row carries its worktree, its changed-files count and the shared-tree overlaps to the webview', async () => {
    const { toSummary } = await import('../../../src/vscode/webview/handlers/sessions');
    const row = toSummary({
      id: 'a', title: 'A', createdAt: 1, updatedAt: 2, lastSeq: 3, eventCount: 4, messageCount: 1, state: 'idle', providerId: 'p', model: 'm',
      outcome: 'done', changedFiles: 2, worktree: { branch: 'agent/a-1', path: '/wt/a', state: 'ok' },
      sharedFiles: [{ sessionId: 'b', title: 'B', files: ['x.ts'] }],
    });
    assert.deepEqual(row.worktree, { branch: 'agent/a-1', path: '/wt/a', state: 'ok' });
    assert.deepEqual(row.sharedFiles, [{ sessionId: 'b', title: 'B', files: ['x.ts'] }]);
    assert.equal(row.changedFiles, 2);
    assert.equal(row.outcome, 'done');
    assert.equal('eventCount' in row, false, 'the event count stays on the host');
  });
});
