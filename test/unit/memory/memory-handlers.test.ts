import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';
import { MemoryStore } from '../../../src/core/memory/store';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import { FakeServices, FakeWebview } from '../vscode/fakes';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'as-memory-handlers-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

void describe('memory protocol handlers (real manager behind the router)', () => {
  void test('memory.undo undoes the write the card shows; again → invalid_state; memory.open reaches the host', async () => {
    const file = join(dir, 'memory.md');
    const h = await startHarness({ fake, deps: { memory: new MemoryStore(file) } });
    fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('remember', { text: 'Docs live in docs/site' })));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'remember where docs are');
    await h.manager.whenIdle(s.id);
    const ev = h.of(s.id).find((e) => e.type === 'memory.changed');
    assert.ok(ev?.type === 'memory.changed' && ev.callId);
    assert.match(await readFile(file, 'utf8'), /Docs live in docs\/site/);

    let opened = 0;
    const services = Object.assign(new FakeServices(), { openMemory: async (): Promise<void> => { opened++; } });
    const router = new WebviewRouter(async () => h.manager, services);
    const web = new FakeWebview();
    router.attach(web);
    web.send({ kind: 'ready', protocolVersion: 1 });
    await web.waitFor((m) => m.kind === 'snapshot');

    const undo = await web.request('memory.undo', { sessionId: s.id, callId: ev.callId, entryId: ev.entryId });
    assert.equal(undo.ok, true, undo.ok ? '' : undo.error.message);
    assert.doesNotMatch(await readFile(file, 'utf8'), /Docs live/);
    const again = await web.request('memory.undo', { sessionId: s.id, callId: ev.callId, entryId: ev.entryId });
    assert.ok(!again.ok && again.error.code === 'invalid_state');
    const bad = await web.request('memory.undo', { sessionId: s.id, callId: ev.callId });
    assert.ok(!bad.ok && bad.error.code === 'bad_request', 'params are validated');
    const open = await web.request('memory.open', {});
    assert.equal(open.ok, true);
    assert.equal(opened, 1);
    router.dispose();
    await h.close();
  });
});
