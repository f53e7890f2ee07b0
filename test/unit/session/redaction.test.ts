/**
 * A server that echoes the request's credentials in its error body (and a model that repeats the
 * key in its text, tool arguments and tool results) must not put the key anywhere: not in the
 * session log, the checkpoint, the index, a message posted to a webview, or the output channel.
 * Real engine, real JSONL store on a temp dir, real webview router, the fake LLM server.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialOf, echoAuthErrorResponder, script, startFakeLlm, type FakeLlm, type Responder } from '../../fake-llm';
import { makeManager } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { SecretRedactor } from '../../../src/core/base/redact';
import { createRedactingLogger, type LogSink } from '../../../src/vscode/logger';
import { WebviewRouter } from '../../../src/vscode/webview/router';
import type { HostMessage } from '../../../src/shared/protocol';
import type { SessionManager } from '../../../src/core/session/manager';
import { FakeServices, FakeWebview } from '../vscode/fakes';

/** Not a real key, and on purpose not key-shaped (no `sk-`): only knowing it can redact its bare echo. */
const KEY = 'fake-key-7Hq2ZpX9mL4wR8vT3nB6wY5s';
const DISTINCT = '7Hq2ZpX9mL4wR8vT3nB6';

let fake: FakeLlm;
let root: string;
before(async () => { fake = await startFakeLlm(); root = await mkdtemp(join(tmpdir(), 'agent-sessions-redact-')); });
after(async () => { await fake.close(); await rm(root, { recursive: true, force: true }); });

/** Every file under `dir`, as text (log, checkpoints, index, temp files). */
async function allFiles(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await allFiles(p));
    else out.push({ path: p, text: await readFile(p, 'latin1') });
  }
  return out;
}

function sink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const w = (m: string): void => { lines.push(m); };
  return { lines, trace: w, debug: w, info: w, warn: w, error: w };
}

function assertClean(where: string, text: string): void {
  assert.ok(!text.includes(KEY), `${where} contains the key`);
  assert.ok(!text.includes(DISTINCT), `${where} contains a piece of the key`);
}

/**
 * Round 1: the model repeats the key it was sent (text, a command with an auth header that asks
 * for approval, a read tool with the bare key). Round 2: a 500 echoing the credentials (retried at
 * once). Round 3: a 401 echoing them: the turn fails.
 */
function scriptedModel(): Responder {
  let n = 0;
  const echo500 = echoAuthErrorResponder(500, { 'retry-after-ms': '0' });
  const echo401 = echoAuthErrorResponder(401);
  return (req) => {
    n++;
    const key = credentialOf(req);
    if (n === 1) {
      return script.of(
        script.text(`I will use the key ${key} now.`, 3),
        script.toolCall('cmd', { text: `curl -H "Authorization: Bearer ${key}" https://example.invalid` }, { id: 'call_cmd' }),
        script.toolCall('echo', { text: key }, { id: 'call_echo' }),
      );
    }
    return n === 2 ? echo500(req) : echo401(req);
  };
}

async function runFailingTurn(providerId: 'openai' | 'anthropic'): Promise<void> {
  const dir = join(root, providerId);
  const redactor = new SecretRedactor();
  redactor.add(KEY); // what the host does when it reads the key from SecretStorage
  const out = sink();
  const logger = createRedactingLogger(out, redactor);
  const store = new JsonlSessionStore({ directory: dir, logger, checkpointDebounceMs: 10 });
  fake.reset();
  fake.setResponder(scriptedModel());
  const manager: SessionManager = await makeManager(fake, store, {
    redactor, logger, secrets: { getApiKey: async () => KEY },
    defaults: { providerId, providerKind: providerId, model: 'test-model', mode: 'ask', streamIdleTimeoutMs: 5_000 },
  });
  const router = new WebviewRouter(async () => manager, new FakeServices());
  const web = new FakeWebview();
  router.attach(web);
  try {
    const s = await manager.create({ title: 'echo' });
    web.send({ kind: 'ready', protocolVersion: 1, visibleSessionId: s.id });
    await web.waitFor((m) => m.kind === 'snapshot');
    const approval = manager.onEvent((e) => {
      if (e.type === 'approval.requested') void manager.resolveApproval(s.id, e.approval.id, { decision: 'approve' });
    });
    const failed = new Promise<void>((resolve) => {
      const sub = manager.onEvent((e) => { if (e.sessionId === s.id && e.type === 'turn.failed') { sub.dispose(); resolve(); } });
    });
    await manager.send(s.id, 'go');
    await failed;
    await manager.whenIdle(s.id);
    approval.dispose();
    assert.ok(fake.requests.every((r) => credentialOf(r) === KEY), 'the key was really sent (and echoed)');
    assert.equal(fake.requests.length, 3);

    // What a webview shows after the failure: a fresh open, the transcript, the replay, a side question.
    const opened = await web.request('sessions.open', { sessionId: s.id });
    assert.equal(opened.ok, true);
    await web.request('sessions.transcript', { sessionId: s.id });
    await web.request('events.since', { sessionId: s.id, afterSeq: 0 });
    const ask = await web.request('sessions.ask', { sessionId: s.id, question: 'what failed?' });
    assert.equal(ask.ok, false, 'the side question fails with the echoing server too');

    const events = web.posted.flatMap((m: HostMessage) => (m.kind === 'event' ? [m.event] : []));
    const types = new Set(events.map((e) => e.type));
    for (const t of ['message.completed', 'approval.requested', 'tool.completed', 'provider.retry', 'turn.failed']) assert.ok(types.has(t as never), `posted ${t}`);
    assertClean('a posted webview message', JSON.stringify(web.posted));
    const failure = events.find((e) => e.type === 'turn.failed');
    assert.ok(failure?.type === 'turn.failed' && failure.error.code === 'auth' && /\[redacted\]/.test(failure.error.message), 'the error still says what happened');
  } finally {
    router.dispose();
    await manager.dispose();
  }
  const files = await allFiles(dir);
  assert.ok(files.some((f) => f.path.endsWith('.jsonl')), 'the log was written');
  assert.ok(files.some((f) => f.path.endsWith('.checkpoint.json')), 'a checkpoint was written');
  assert.ok(files.some((f) => f.path.endsWith('index.json')), 'the index was written');
  for (const f of files) assertClean(f.path, f.text);
  assertClean('the output channel', out.lines.join('\n'));
}

void describe('secrets never reach storage, the webview or the log', () => {
  void test('OpenAI: a server echoing Authorization: Bearer <key>', async () => { await runFailingTurn('openai'); });
  void test('Anthropic: a server echoing x-api-key: <key>', async () => { await runFailingTurn('anthropic'); });
});
