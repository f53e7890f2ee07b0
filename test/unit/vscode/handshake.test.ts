import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import type { HostMessage, ProviderProfileInfo } from '../../../src/shared/protocol';
import { FakeManager, FakeServices, FakeWebview } from './fakes';

/** A gate the test opens by hand: the handshake's awaits are held at a known point. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

/** Host services whose provider list is held until the test opens the gate. */
class GatedServices extends FakeServices {
  providersGate: Promise<void> | undefined;
  asked = gate();
  override async providers(): Promise<ProviderProfileInfo[]> {
    this.asked.open();
    if (this.providersGate) await this.providersGate;
    return super.providers();
  }
}

const kinds = (web: FakeWebview): string => web.posted.map((m) => m.kind).join(',');

void describe('connection handshake ordering', () => {
  void test('a reveal that arrives while the snapshot is being built is posted after the snapshot', async () => {
    const manager = new FakeManager();
    manager.add('a', 'Alpha');
    const services = new GatedServices();
    const held = gate();
    services.providersGate = held.promise;
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web, 'view');
    web.send({ kind: 'ready', protocolVersion: 1 });
    await services.asked.promise; // the connection is inside its handshake now
    // "New Session": the command creates a session and reveals it during the handshake.
    const created = await manager.create({ title: 'Fresh' });
    router.reveal(created.id);
    router.sessionsChanged();
    assert.equal(web.posted.length, 0, `nothing before the snapshot: ${kinds(web)}`);
    held.open();
    const reveal = await web.waitFor((m) => m.kind === 'reveal');
    assert.deepEqual(reveal, { kind: 'reveal', sessionId: created.id });
    assert.equal(web.posted[0]!.kind, 'snapshot', `the snapshot is the first message: ${kinds(web)}`);
    const snap = web.posted[0] as Extract<HostMessage, { kind: 'snapshot' }>;
    assert.ok(snap.sessions.some((s) => s.id === created.id), 'the snapshot knows the revealed session');
    router.dispose();
  });

  void test('the visible session\'s events during a slow open are delivered after the snapshot, once each', async () => {
    const manager = new FakeManager();
    manager.add('a', 'Alpha');
    const services = new FakeServices();
    const held = gate();
    manager.openGate = held.promise;
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    while (!manager.calls.some((c) => c.method === 'open')) await new Promise((r) => setImmediate(r));
    manager.emit('a', { type: 'session.renamed', title: 'during' });
    router.reveal('a');
    assert.equal(web.posted.length, 0, `nothing before the snapshot: ${kinds(web)}`);
    held.open();
    await web.waitFor((m) => m.kind === 'reveal');
    assert.equal(web.posted[0]!.kind, 'snapshot', kinds(web));
    const snap = web.posted[0] as Extract<HostMessage, { kind: 'snapshot' }>;
    // The open read the session after the rename: the snapshot has it, and the event is not sent twice.
    assert.equal(snap.opened[0]!.lastSeq, 2);
    manager.emit('a', { type: 'session.renamed', title: 'after' });
    await web.waitFor((m) => m.kind === 'event' && m.event.seq === 3);
    assert.deepEqual(web.events('a').map((e) => e.seq), [3]);
    router.dispose();
  });

  void test('a second ready (webview reloaded) is a new handshake: nothing is posted to it until its snapshot', async () => {
    const manager = new FakeManager();
    manager.add('a', 'Alpha');
    const services = new GatedServices();
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1 });
    await web.waitFor((m) => m.kind === 'snapshot');
    const held = gate();
    services.providersGate = held.promise;
    services.asked = gate();
    const from = web.posted.length;
    web.send({ kind: 'ready', protocolVersion: 1 });
    await services.asked.promise;
    router.reveal('a');
    assert.equal(web.posted.length, from, `nothing before the new snapshot: ${web.posted.slice(from).map((m) => m.kind).join(',')}`);
    held.open();
    await web.waitFor((m) => m.kind === 'reveal', from);
    assert.deepEqual(web.posted.slice(from).map((m) => m.kind), ['snapshot', 'reveal']);
    router.dispose();
  });
});
