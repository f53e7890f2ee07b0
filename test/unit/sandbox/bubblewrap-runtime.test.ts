/**
 * The Linux sandbox's runtime behaviour for real: network off and on, killing the sandboxed
 * process tree, a sandbox that cannot start, concurrent commands sharing placeholders, CDPATH.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { BubblewrapSandbox } from '../../../src/core/sandbox/bubblewrap';
import { defaultSandboxPolicy } from '../../../src/core/sandbox/policy';
import { isAgentError } from '../../../src/core/base/errors';
import type { CommandSandbox, SandboxPolicy } from '../../../src/core/sandbox/types';
import { tempDir } from '../tools/helpers';
import { eventually, gitInit, pidsWith, realBubblewrap, runSandboxed } from './helpers';

void describe('bubblewrap sandbox: network, kill, failures', () => {
  let sandbox: CommandSandbox;
  let skip: string | undefined;
  const ws = tempDir('sbx-rt-');
  const root = ws.dir;
  let policy: SandboxPolicy;
  let server: Server;
  let port = 0;
  before(async () => {
    ({ sandbox, skip } = await realBubblewrap());
    gitInit(root);
    policy = defaultSandboxPolicy({ roots: [root], home: '/nonexistent-home' });
    server = createServer((socket) => socket.end('HELLO-FROM-HOST\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    ws.cleanup();
  });

  const connect = () => `python3 -c "import socket; s=socket.create_connection(('127.0.0.1', ${port}), timeout=3); print(s.recv(100).decode())"`;

  void test('network is off by default: the host loopback server and DNS are unreachable', async (t) => {
    if (skip) { t.skip(skip); return; }
    const r = await runSandboxed(sandbox, policy, connect());
    assert.equal(r.isError, true);
    assert.doesNotMatch(r.content, /HELLO-FROM-HOST/);
    assert.equal(r.sandboxRefusal?.kind, 'network', r.content);
    assert.match(r.content, /network is off in the sandbox/);
    const dns = await runSandboxed(sandbox, policy, 'getent hosts example.com');
    assert.equal(dns.isError, true, dns.content);
  });

  void test('network: true reaches the host loopback server', async (t) => {
    if (skip) { t.skip(skip); return; }
    const r = await runSandboxed(sandbox, { ...policy, network: true }, connect());
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /HELLO-FROM-HOST/);
    assert.equal(r.sandboxRefusal, undefined);
  });

  void test('timeout kills the whole sandboxed tree, grandchildren and a setsid escapee included', async (t) => {
    if (skip) { t.skip(skip); return; }
    const marker = `987.${process.pid}1`;
    const pending = runSandboxed(sandbox, policy, `sleep ${marker} & (sleep ${marker} &) ; setsid sleep ${marker} & wait`, { timeoutSeconds: 1.5 });
    await eventually(() => pidsWith(`sleep ${marker}`).length >= 3, 5000, 'three sleepers running');
    const r = await pending;
    assert.match(r.content, /timed out after 1.5s/);
    await eventually(() => pidsWith(marker).length === 0, 5000, 'every process of the tree gone');
  });

  void test('cancel kills the sandboxed tree and still cleans up placeholders', async (t) => {
    if (skip) { t.skip(skip); return; }
    const marker = `988.${process.pid}2`;
    const ac = new AbortController();
    const pending = runSandboxed(sandbox, policy, `sh -c 'sleep ${marker}' & wait`, { signal: ac.signal });
    await eventually(() => pidsWith(`sleep ${marker}`).length >= 1, 5000, 'grandchild running');
    assert.ok(existsSync(path.join(root, '.vscode')), 'placeholder present while the command runs');
    ac.abort();
    await assert.rejects(pending, (e: unknown) => isAgentError(e) && e.code === 'cancelled');
    await eventually(() => pidsWith(marker).length === 0, 5000, 'grandchild gone');
    assert.equal(existsSync(path.join(root, '.vscode')), false, 'placeholder removed after cancel');
  });

  void test('concurrent commands share placeholders: the first to finish does not unprotect the other', async (t) => {
    if (skip) { t.skip(skip); return; }
    const long = runSandboxed(sandbox, policy, 'sleep 0.8; mkdir -p .vscode; echo x > .vscode/settings.json');
    await eventually(() => existsSync(path.join(root, '.vscode')), 5000, 'placeholder made');
    const short = await runSandboxed(sandbox, policy, 'true');
    assert.equal(short.isError, false);
    assert.ok(existsSync(path.join(root, '.vscode')), 'still held by the running command');
    const r = await long;
    assert.equal(r.sandboxRefusal?.path, '.vscode/settings.json', r.content);
    assert.equal(existsSync(path.join(root, '.vscode')), false);
  });

  void test('CDPATH is removed from the command environment', async (t) => {
    if (skip) { t.skip(skip); return; }
    const saved = process.env.CDPATH;
    process.env.CDPATH = '/usr';
    try {
      const r = await runSandboxed(sandbox, policy, 'echo "cdpath=[${CDPATH-unset}]"');
      assert.match(r.content, /cdpath=\[unset\]/);
    } finally {
      if (saved === undefined) delete process.env.CDPATH;
      else process.env.CDPATH = saved;
    }
  });

  void test('a missing bwrap is unavailable with the reason, and run_command refuses to run the command', async () => {
    const missing = new BubblewrapSandbox({ bwrapPath: '/nonexistent/bwrap' });
    assert.deepEqual(await missing.availability(), { available: false, reason: 'bubblewrap was not found at /nonexistent/bwrap' });
    const r = await runSandboxed(missing, policy, 'touch ran-unsandboxed');
    assert.equal(r.isError, true);
    assert.match(r.content, /The command did not run: the sandbox could not start \(bubblewrap was not found at \/nonexistent\/bwrap\)/);
    assert.equal(existsSync(path.join(root, 'ran-unsandboxed')), false);
  });

  void test('a bwrap that cannot create a namespace is unavailable with words for the user', async () => {
    const fake = path.join(root, 'fake-bwrap');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.8.0"; exit 0; }\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const broken = new BubblewrapSandbox({ bwrapPath: fake });
    const a = await broken.availability();
    assert.equal(a.available, false);
    assert.match(!a.available ? a.reason : '', /^bubblewrap cannot create a user namespace here: bwrap: setting up uid map: Permission denied\. .*AppArmor/);
    const r = await runSandboxed(broken, policy, 'touch ran-unsandboxed');
    assert.equal(r.isError, true);
    assert.match(r.content, /did not run/);
    assert.equal(existsSync(path.join(root, 'ran-unsandboxed')), false);
  });

  void test('the probe runs once and is cached', async (t) => {
    if (skip) { t.skip(skip); return; }
    const fresh = new BubblewrapSandbox();
    const [a, b] = await Promise.all([fresh.availability(), fresh.availability()]);
    assert.equal(a, b);
    assert.equal(a.available, true);
    assert.match(a.available ? a.detail : '', /^bubblewrap \d/);
  });
});
