import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { alive, ctx, manager, stdioConfig, waitGone, waitStatus, waitTools } from './helpers';

void describe('MCP manager over stdio (real SDK server)', () => {
  void test('lists namespaced tools, validates arguments, calls, converts images', async () => {
    const { mgr } = manager();
    await mgr.add(stdioConfig('test srv'));
    const st = mgr.status('test srv');
    assert.equal(st?.state, 'connected');
    const names = mgr.tools().map((t) => t.name);
    assert.ok(names.includes('mcp__test_srv__echo'));
    assert.ok(names.includes('mcp__test_srv__weird_name_'));
    const add = mgr.tools().find((t) => t.name === 'mcp__test_srv__add')!;
    assert.equal(add.kind, 'mcp');
    const bad = add.validate({ a: 1, b: 'two' });
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /Invalid arguments for mcp__test_srv__add: \/b: must be number/);
    assert.equal(add.validate({ a: 1 }).ok, false);
    const good = add.validate({ a: 2, b: 3 });
    assert.ok(good.ok);
    assert.equal((await add.execute(good.value, ctx())).content, '5');
    const img = mgr.tools().find((t) => t.name === 'mcp__test_srv__image')!;
    assert.equal((await img.execute({}, ctx())).content, '[image: image/png, 2.9 KB — not shown]\ncaption');
    await mgr.shutdown();
  });

  void test('per-call timeout and cancellation', async () => {
    const { mgr } = manager({ callTimeoutMs: 300 });
    await mgr.add(stdioConfig('t'));
    const slow = mgr.tools().find((t) => t.name === 'mcp__t__slow')!;
    const t0 = Date.now();
    const r = await slow.execute({ ms: 5000 }, ctx());
    assert.equal(r.isError, true);
    assert.match(r.content, /timed out after 300 ms/);
    assert.ok(Date.now() - t0 < 1500);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(slow.execute({ ms: 250 }, ctx(ac.signal)), (e: { code?: string }) => e.code === 'cancelled');
    // The server survives both.
    const echo = mgr.tools().find((t) => t.name === 'mcp__t__echo')!;
    assert.equal((await echo.execute({ text: 'hi' }, ctx())).content, 'echo: hi');
    await mgr.shutdown();
  });

  void test('a server that crashes mid-call fails the call within a second and restarts with backoff', async () => {
    const { mgr } = manager({ backoff: { initialMs: 200, maxMs: 1000 } });
    await mgr.add(stdioConfig('c', ['--stderr=boot']));
    const pid1 = mgr.pid('c')!;
    const crash = mgr.tools().find((t) => t.name === 'mcp__c__crash')!;
    const failed = waitStatus(mgr, 'c', (s) => s.state === 'failed');
    const t0 = Date.now();
    const r = await crash.execute({}, ctx());
    const elapsed = Date.now() - t0;
    assert.equal(r.isError, true);
    assert.match(r.content, /stopped while crash was running/);
    assert.ok(elapsed < 1000, `failed after ${elapsed} ms`);
    const st = await failed;
    assert.ok(st.state === 'failed' && st.restartInMs === 200 && /exited with code 3/.test(st.error.message));
    assert.ok(st.state === 'failed' && st.stderrTail.length <= 40 && st.stderrTail.includes('about to crash'));
    await waitStatus(mgr, 'c', (s) => s.state === 'connected');
    assert.notEqual(mgr.pid('c'), pid1);
    assert.equal(alive(pid1), false);
    // Second crash in a row: the delay doubles.
    const failed2 = waitStatus(mgr, 'c', (s) => s.state === 'failed');
    await mgr.tools().find((t) => t.name === 'mcp__c__crash')!.execute({}, ctx());
    const st2 = await failed2;
    assert.ok(st2.state === 'failed' && st2.restartInMs === 400 && st2.attempts === 2);
    await mgr.shutdown();
  });

  void test('a server that hangs on initialize times out and reports failed', async () => {
    const { mgr } = manager({ connectTimeoutMs: 400, backoff: { maxAttempts: 0 } });
    const t0 = Date.now();
    await mgr.add(stdioConfig('h', ['--hang-init']));
    const st = mgr.status('h')!;
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(st.state, 'failed');
    assert.ok(st.state === 'failed' && /did not finish initialize within 400 ms/.test(st.error.message) && st.restartInMs === undefined);
    await mgr.shutdown();
  });

  void test('a 50 MB result never reaches the model; a 2 MB one is capped with a note', async () => {
    const { mgr } = manager({ maxResultChars: 10_000, maxMessageBytes: 8 * 1024 * 1024 });
    await mgr.add(stdioConfig('b'));
    const big = mgr.tools().find((t) => t.name === 'mcp__b__big')!;
    const r2 = await big.execute({ mb: 2 }, ctx());
    assert.ok(r2.content.length < 10_100);
    assert.match(r2.content, /\[truncated: 10000 of 2097152 characters shown\]$/);
    const r50 = await big.execute({ mb: 50 }, ctx());
    assert.equal(r50.isError, true);
    assert.match(r50.content, /too large: \d+ bytes \(limit 8388608\)/);
    assert.ok(r50.content.length < 1000);
    assert.equal(mgr.status('b')!.state, 'connected', 'the connection survives');
    await mgr.shutdown();
  });

  void test('restart and shutdown leave no processes behind (process group, grandchildren included)', async () => {
    const { mgr } = manager();
    await mgr.add(stdioConfig('p'));
    const pid1 = mgr.pid('p')!;
    const grand = Number((await mgr.tools().find((t) => t.name === 'mcp__p__grandchild')!.execute({}, ctx())).content);
    assert.ok(alive(grand));
    await mgr.restart('p');
    assert.equal(mgr.status('p')!.state, 'connected');
    assert.ok(await waitGone(pid1), 'old server gone');
    assert.ok(await waitGone(grand), 'grandchild gone');
    const pid2 = mgr.pid('p')!;
    await mgr.disable('p');
    assert.equal(mgr.status('p')!.state, 'disabled');
    assert.equal(mgr.tools().length, 0);
    assert.ok(await waitGone(pid2));
    await mgr.enable('p');
    const pid3 = mgr.pid('p')!;
    mgr.dispose(); // synchronous, window close
    assert.ok(await waitGone(pid3), 'dispose kills the server');
  });

  void test('notifications/tools/list_changed: tools are re-listed, new ones usable, bursts coalesced', async () => {
    const { mgr } = manager();
    await mgr.add(stdioConfig('dyn'));
    const before = mgr.status('dyn')!;
    assert.ok(before.state === 'connected' && before.transport === 'stdio');
    let events = 0;
    const d = mgr.onDidChangeTools(() => { events++; });
    // The server sends three announcements back to back, before its tools/call answer.
    const r = await mgr.tools().find((t) => t.name === 'mcp__dyn__add_tool')!.execute({ names: ['alpha', 'beta', 'gamma'] }, ctx());
    assert.equal(r.content, 'added 3');
    await waitTools(mgr, (n) => ['alpha', 'beta', 'gamma'].every((x) => n.includes(`mcp__dyn__${x}`)));
    const gamma = mgr.tools().find((t) => t.name === 'mcp__dyn__gamma')!;
    assert.equal(gamma.validate({ n: 'x' }).ok, false, 'the new tool is validated against its schema');
    assert.equal((await gamma.execute({ n: 2 }, ctx())).content, 'gamma(2)');
    const after = mgr.status('dyn')!;
    assert.ok(after.state === 'connected' && before.state === 'connected' && after.toolCount === before.toolCount + 3);
    const lists = Number((await mgr.tools().find((t) => t.name === 'mcp__dyn__list_calls')!.execute({}, ctx())).content);
    assert.ok(lists >= 2 && lists <= 3, `1 initial + at most 2 re-lists for 3 announcements, got ${lists}`);
    assert.ok(events >= 1 && events <= 2, `events: ${events}`);
    d.dispose();
    await mgr.shutdown();
  });

  void test('per-session disabled servers are left out of tools()', async () => {
    const { mgr } = manager();
    await mgr.add(stdioConfig('one'));
    await mgr.add(stdioConfig('two'));
    const forSession = mgr.tools(new Set(['one'])).map((t) => t.name);
    assert.ok(forSession.every((n) => n.startsWith('mcp__two__')));
    assert.ok(mgr.tools().some((t) => t.name.startsWith('mcp__one__')));
    await mgr.shutdown();
  });
});
