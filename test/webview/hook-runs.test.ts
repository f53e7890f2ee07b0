// Hooks in the transcript, in headless Chromium with the real webview bundle: the hooks that ran
// for a tool call on its card, and a turn-edge hook as a marker. Sessions are folded with the
// shared fold from the events core records (hook.ran).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import { foldAll, toSnapshot } from '../../src/shared/fold';
import type { SessionConfig } from '../../src/shared/session';
import { config, launch, openWebview, snapshotMessage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

function log(bodies: SessionEventBody[]): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: i + 1, sessionId: 'a' }) as SessionEvent);
}

const events = log([
  { type: 'session.created', title: 'Alpha', config: { ...config } satisfies SessionConfig },
  { type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'clean up' },
  { type: 'hook.ran', turnId: 't1', hookEvent: 'UserPromptSubmit', command: './ctx.sh', source: '.claude/settings.json', outcome: 'context', durationMs: 40, context: 'branch main' },
  { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1 },
  {
    type: 'message.completed', turnId: 't1', messageId: 'm1', stopReason: 'tool_use',
    content: [{ type: 'tool_call', id: 'c1', name: 'run_command', args: { command: 'rm -rf build' } }],
  },
  { type: 'hook.ran', turnId: 't1', callId: 'c1', hookEvent: 'PreToolUse', command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard.sh', source: '.claude/settings.json', outcome: 'deny', durationMs: 1200, message: 'no rm -rf here' },
  { type: 'tool.completed', turnId: 't1', messageId: 'r1', callId: 'c1', name: 'run_command', content: 'Permission denied (hook PreToolUse .claude/settings.json). no rm -rf here', isError: true, durationMs: 2, permission: { decision: 'deny', source: 'hook PreToolUse .claude/settings.json' } },
]);

void describe('hook runs', () => {
  void test('the tool card lists the hooks that ran for it; a turn-edge hook is a marker', async () => {
    const p = foldAll('a', events);
    const w = await openWebview(browser);
    await w.push(snapshotMessage([toSnapshot(p)], [{ snapshot: toSnapshot(p), entries: p.records, hasMore: false, lastSeq: p.lastSeq }], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    const card = w.page.locator('as-tool-card');
    await card.locator('summary').waitFor();
    const hooks = card.locator('as-hook-runs li');
    await hooks.first().waitFor();
    assert.equal(await hooks.count(), 1);
    const text = await hooks.first().innerText();
    assert.match(text, /Hook PreToolUse/);
    assert.match(text, /denied/);
    assert.match(text, /guard\.sh/);
    assert.match(text, /no rm -rf here/);
    assert.match(text, /1\.2 s/);
    assert.equal(await hooks.first().getAttribute('data-hook-outcome'), 'deny');
    const marker = w.page.locator('.marker.hook as-hook-runs li');
    await marker.waitFor();
    assert.match(await marker.innerText(), /Hook UserPromptSubmit\s+added context\s+\.\/ctx\.sh/);
    await w.page.close();
  });
});
