import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/base/emitter';
import { AgentError } from '../../../src/core/base/errors';
import type { HostMessage, OpenedSession } from '../../../src/shared/protocol';
import type { SessionIndexEntry, SessionSnapshot, SessionWriterInfo } from '../../../src/shared/session';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { FakeManager, FakeServices, FakeWebview } from './fakes';

const other: SessionWriterInfo = { pid: 4242, host: 'devbox', label: 'window A', since: 1 };

/** A manager over a shared store: session 'a' is written by another window until taken over. */
class SharedManager extends FakeManager {
  private readonly writers = new Emitter<{ sessionId: string; readOnlyBy?: SessionWriterInfo }>();
  readonly onDidChangeWriter = this.writers.event;
  readonly writerOf = new Map<string, SessionWriterInfo>([['a', other]]);
  damaged: SessionIndexEntry['damaged'];
  readOnlyBy(sessionId: string): SessionWriterInfo | undefined { return this.writerOf.get(sessionId); }
  async takeOver(sessionId: string): Promise<SessionSnapshot> {
    if (!this.writerOf.has(sessionId)) throw new AgentError('invalid_state', 'not read-only');
    this.writerOf.delete(sessionId);
    this.emit(sessionId, { type: 'session.renamed', title: 'written here now' });
    this.writers.fire({ sessionId });
    return this.open(sessionId);
  }
  lose(sessionId: string, by: SessionWriterInfo): void {
    this.writerOf.set(sessionId, by);
    this.writers.fire({ sessionId, readOnlyBy: by });
  }
  override list(): SessionIndexEntry[] {
    return super.list().map((r) => (r.id === 'b' && this.damaged ? { ...r, damaged: this.damaged } : r));
  }
}

function ok<T>(r: Extract<HostMessage, { kind: 'reply' }>): T {
  assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return (r.ok ? r.result : undefined) as T;
}

void describe('webview router: who writes a session', () => {
  void test('an opened session says who writes it; take-over replies with it afresh; writer changes reach every webview', async () => {
    const manager = new SharedManager();
    manager.add('a', 'Alpha');
    manager.add('b', 'Beta');
    const services = new FakeServices();
    const router = new WebviewRouter(async () => manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    const snap = await web.waitFor((m) => m.kind === 'snapshot') as Extract<HostMessage, { kind: 'snapshot' }>;
    assert.deepEqual(snap.opened[0]?.readOnlyBy, other, 'the snapshot says it is read-only here, and why');
    assert.equal(ok<OpenedSession>(await web.request('sessions.open', { sessionId: 'b' })).readOnlyBy, undefined);

    const taken = ok<OpenedSession>(await web.request('sessions.takeOver', { sessionId: 'a' }));
    assert.equal(taken.readOnlyBy, undefined);
    assert.ok(taken.lastSeq > snap.opened[0]!.lastSeq, 'read afresh after the take-over');
    await web.waitFor((m) => m.kind === 'writer' && m.sessionId === 'a' && m.readOnlyBy === undefined);

    manager.lose('a', { ...other, label: 'window C' });
    const lost = await web.waitFor((m) => m.kind === 'writer' && m.readOnlyBy !== undefined) as Extract<HostMessage, { kind: 'writer' }>;
    assert.equal(lost.readOnlyBy?.label, 'window C');
    const again = await web.request('sessions.takeOver', { sessionId: 'zz' });
    assert.equal(again.ok, false);

    await web.request('host.runAction', { action: 'switchWindow', sessionId: 'a' });
    router.dispose();
  });

  void test('the session list carries the damage of a damaged session', async () => {
    const manager = new SharedManager();
    manager.add('b', 'Beta');
    manager.damaged = { reason: 'The log is all NUL bytes', unreadableRecords: 2, copy: 'b.jsonl.corrupt-1' };
    const router = new WebviewRouter(async () => manager, new FakeServices());
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1 });
    const snap = await web.waitFor((m) => m.kind === 'snapshot') as Extract<HostMessage, { kind: 'snapshot' }>;
    assert.deepEqual(snap.sessions.find((s) => s.id === 'b')?.damaged, manager.damaged);
    router.dispose();
  });
});
