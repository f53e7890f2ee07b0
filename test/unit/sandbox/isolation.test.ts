import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommandIsolation, networkAllowed } from '../../../src/core/sandbox/isolation';
import type { CommandSandbox } from '../../../src/core/sandbox/types';
import type { PermissionRule } from '../../../src/core/session/types';

const fakeSandbox: CommandSandbox = { availability: async () => ({ available: true, kind: 'bubblewrap', detail: 'test' }), prepare: () => Promise.reject(new Error('not used')) };
const rule = (action: PermissionRule['action'], pattern: string): PermissionRule => ({ action, pattern, scope: 'session' });

void describe('command isolation', () => {
  void test('network is off unless an allow rule names network, and a deny rule wins', () => {
    assert.equal(networkAllowed([]), false);
    assert.equal(networkAllowed([rule('allow', '*')]), false, 'a tool wildcard does not open the network');
    assert.equal(networkAllowed([rule('allow', 'network')]), true);
    assert.equal(networkAllowed([rule('allow', 'network(*)')]), true);
    assert.equal(networkAllowed([rule('allow', 'network'), rule('deny', 'network')]), false);
  });

  void test('extra writable folders (package caches) join the writable roots when they exist', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'iso-home-'));
    mkdirSync(path.join(home, '.npm'));
    const iso = new CommandIsolation(fakeSandbox, () => ({ mode: 'auto', extraProtected: [], extraHidden: [], extraWritable: ['~/.npm', '~/.cache-missing'] }), {}, home);
    const r = await iso.forCall(['/ws'], []);
    assert.ok(r.sandboxed);
    if (r.sandboxed) assert.deepEqual(r.policy.writableRoots, ['/ws', path.join(home, '.npm')]);
    rmSync(home, { recursive: true, force: true });
  });

  void test('the card note says what the sandbox does, or why there is none', async () => {
    const on = await new CommandIsolation(fakeSandbox, () => ({ mode: 'auto', extraProtected: [], extraHidden: [] }), {}, '/nonexistent-home').forCall(['/ws'], [rule('allow', 'network')]);
    assert.ok(on.sandboxed);
    assert.match(on.note, /^sandboxed \(bubblewrap\):.*network on/);
    if (on.sandboxed) {
      assert.equal(on.policy.network, true);
      assert.ok(on.policy.protectedPaths.includes('/ws/.vscode'));
    }
    const off = await new CommandIsolation(fakeSandbox, () => ({ mode: 'off', extraProtected: [], extraHidden: [] })).forCall(['/ws'], []);
    assert.equal(off.sandboxed, false);
    assert.match(off.note, /agentSessions\.sandbox/);
  });
});
