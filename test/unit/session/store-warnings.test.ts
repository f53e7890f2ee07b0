import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'agent-sessions-warn-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

async function findLog(d: string, id: string): Promise<string | undefined> {
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) { const hit = await findLog(p, id); if (hit) return hit; } else if (e.name.includes(id) && e.name.endsWith('.jsonl')) return p;
  }
  return undefined;
}

void describe('store warnings surface in the session', () => {
  void test('a torn last line is reported as a warning event when the session is opened', async () => {
    const storeDir = join(dir, 'jsonl');
    const h1 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const s = await h1.manager.create({ title: 'damaged' });
    await h1.manager.send(s.id, 'hello');
    await h1.manager.whenIdle(s.id);
    await h1.close();
    const log = await findLog(storeDir, s.id);
    assert.ok(log, 'log file found');
    await appendFile(log, '{"type":"message.delta","seq":99,"te');
    const h2 = await startHarness({ fake, store: new JsonlSessionStore({ directory: storeDir }) });
    const snap = await h2.manager.open(s.id);
    assert.equal(snap.messageCount, 2, 'history intact');
    const warnings = h2.of(s.id).filter((e) => e.type === 'warning');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].type === 'warning' && warnings[0].code === 'store_torn_tail' && /incomplete last line/.test(warnings[0].message));
    await h2.close();
  });
});
