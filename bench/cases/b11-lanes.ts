/**
 * B11: one model message with 8 read-only tool calls of 50 ms each, against the same message
 * with 1 call. The model is the fake LLM server (its own process, the real OpenAI wire format);
 * the tool is a real local MCP server over stdio (bench/lib/mcp-sleep-server.mjs) whose `sleep`
 * tool waits 50 ms and is annotated `readOnlyHint: true`, connected through the real McpManager
 * and allowed by a rule (so no approval waits). Figure: the message's tool phase, from the
 * assistant message that asks for the calls (`message.completed`) to the last `tool.completed`;
 * the whole turn (send → `turn.completed`) in the note. Target (issue 12): ≤ 1.3 × one call,
 * which read-only calls running concurrently reach and calls run one by one (≈ 8×) do not.
 */
import { join } from 'node:path';
import { script, type Script } from '../../test/fake-llm';
import { startFakeLlmProcess } from '../lib/fake-llm-process';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { McpManager } from '../../src/core/mcp/manager';
import { MemoryApprovalStore } from '../../src/core/mcp/types';
import { staticTrust } from '../../src/core/skills/workspace-ports';
import { nullLogger } from '../../src/core/ports';
import type { SessionEvent } from '../../src/core/session/events';
import type { SessionManager } from '../../src/core/session/manager';
import { makeManager, nextEvent } from '../lib/engine';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SERVER = join(import.meta.dirname, '../lib/mcp-sleep-server.mjs');
/** The namespaced name the model calls (server "lanes", tool "sleep"). */
export const SLEEP_TOOL = 'mcp__lanes__sleep';
const CALL_MS = 50;

export interface B11Options { calls: number; runs: number }

/** The tool phase and the whole turn of one message with `calls` calls, in ms. */
interface Timing { tools: number; turn: number }

let runNo = 0;

async function oneMessage(manager: SessionManager, sessionId: string, enqueue: (s: Script[]) => Promise<void>, calls: number): Promise<Timing> {
  const run = ++runNo;
  const message = script.of(...Array.from({ length: calls }, (_, i) => script.toolCall(SLEEP_TOOL, { ms: CALL_MS }, { id: `b11_${run}_${i}` })));
  await enqueue([message, script.text('done')]);
  let asked = 0;
  let lastResult = 0;
  let results = 0;
  let failed: string | undefined;
  const sub = manager.onEvent((e: SessionEvent) => {
    if (e.sessionId !== sessionId) return;
    if (e.type === 'message.completed' && e.content.some((p) => p.type === 'tool_call')) asked = performance.now();
    if (e.type === 'tool.completed') {
      if (e.isError) failed ??= `${e.name} failed: ${e.content}`;
      results++;
      lastResult = performance.now();
    }
  });
  const done = nextEvent(manager, 'turn.completed', (e) => e.sessionId === sessionId, 60_000);
  const t0 = performance.now();
  try {
    await manager.send(sessionId, `run ${calls} read-only calls`);
    await done;
  } finally {
    sub.dispose();
  }
  if (failed) throw new Error(`B11: ${failed}`);
  if (results !== calls || asked === 0) throw new Error(`B11: ${results} of ${calls} results`);
  return { tools: lastResult - asked, turn: performance.now() - t0 };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  return measure(ctx, { calls: 8, runs: ctx.quick ? 3 : 10 });
}

/** {@link run} with its sizes given (tests run it small). */
export async function measure(ctx: CaseContext, o: B11Options): Promise<BenchRow[]> {
  const fake = await startFakeLlmProcess();
  const mcp = new McpManager({
    workspaceRoot: ctx.scratch, trust: staticTrust(true), approvalStore: new MemoryApprovalStore(), logger: nullLogger,
    approval: { confirmStart: async () => true },
  });
  const dir = await ctx.tempDir('b11');
  let manager: SessionManager | undefined;
  try {
    await mcp.add({ name: 'lanes', type: 'stdio', command: process.execPath, args: [SERVER], env: {}, source: { kind: 'settings', scope: 'user' } });
    if (!mcp.tools().some((t) => t.name === SLEEP_TOOL)) throw new Error(`B11: the MCP server did not list ${SLEEP_TOOL}: ${JSON.stringify(mcp.status('lanes'))}`);
    manager = await makeManager({
      store: new JsonlSessionStore({ directory: dir }), openaiBaseUrl: fake.openaiBaseUrl,
      deps: { mcp, hostRules: () => [{ action: 'allow', pattern: 'mcp__lanes__*', scope: 'user' }] },
    });
    const id = (await manager.create({ title: 'B11' })).id;
    await oneMessage(manager, id, fake.enqueue, o.calls); // warm-up: connections, JIT
    const one: Timing[] = [];
    const many: Timing[] = [];
    for (let i = 0; i < o.runs; i++) { // interleaved: a busy machine slows both alike
      one.push(await oneMessage(manager, id, fake.enqueue, 1));
      many.push(await oneMessage(manager, id, fake.enqueue, o.calls));
    }
    const m1 = median(one.map((t) => t.tools));
    const mN = median(many.map((t) => t.tools));
    const ratio = mN / m1;
    return [{
      id: 'B11', what: `one message, ${o.calls} read-only MCP calls of ${CALL_MS} ms (readOnlyHint), tool phase`, unit: 'ms', ours: mN,
      target: '≤ 1.3× baseline', met: ratio <= 1.3, baseline: m1, baselineWhat: 'the same message with 1 call',
      note: `${ratio.toFixed(2)}× one call; whole turn ${median(many.map((t) => t.turn)).toFixed(0)} vs ${median(one.map((t) => t.turn)).toFixed(0)} ms; fake LLM (OpenAI wire) + stdio MCP server`,
    }];
  } finally {
    await manager?.dispose();
    await mcp.shutdown();
    await fake.close();
  }
}
