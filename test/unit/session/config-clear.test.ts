/**
 * A provider switch clears the previous profile's base URL with `null` (host-services
 * expandConfigPatch), and the log keeps the null: a session switched from a local server back to a
 * profile without one does not get the old base URL again when it is reopened, so its key is never
 * offered to the old host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, makeManager } from './harness';

void test('{baseUrl: null} clears the base URL for good: also after a reopen from the log', async () => {
  const h = await startHarness();
  try {
    const s = await h.manager.create({ config: { baseUrl: 'http://127.0.0.1:9/v1' } });
    assert.equal(s.config.baseUrl, 'http://127.0.0.1:9/v1');
    const cleared = await h.manager.updateConfig(s.id, { baseUrl: null });
    assert.equal(cleared.config.baseUrl, undefined);
    assert.equal('baseUrl' in cleared.config, false);

    const again = await makeManager(h.fake, h.store);
    try {
      const reopened = await again.open(s.id);
      assert.equal(reopened.config.baseUrl, undefined);
    } finally { await again.dispose(); }
  } finally { await h.close(); }
});

void test('an undefined (dropped by JSON on the way) changes nothing: only null clears', async () => {
  const h = await startHarness();
  try {
    const s = await h.manager.create({ config: { baseUrl: 'http://127.0.0.1:9/v1' } });
    await h.manager.updateConfig(s.id, JSON.parse(JSON.stringify({ baseUrl: undefined })) as object);
    const again = await makeManager(h.fake, h.store);
    try {
      assert.equal((await again.open(s.id)).config.baseUrl, 'http://127.0.0.1:9/v1');
    } finally { await again.dispose(); }
  } finally { await h.close(); }
});
