/**
 * B8: Anthropic prompt-cache friendliness. A 20-turn session (some turns call a tool) runs
 * through the real engine + Anthropic provider (real SDK) against the fake server. For every
 * request after the first: the share of the previous request's cacheable prefix — its raw body
 * up to its last `cache_control` breakpoint — that the new request repeats byte for byte.
 */
import { startFakeLlm, script, type RecordedRequest } from '../../test/fake-llm';
import { MemorySessionStore } from '../../src/core/store/memory-store';
import { makeManager, nextEvent } from '../lib/engine';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Share of `prev`'s prefix (up to its last cache breakpoint) that `cur` starts with. */
export function stableShare(prev: string, cur: string): number {
  const marker = prev.lastIndexOf(',"cache_control"');
  const end = marker >= 0 ? marker : prev.length;
  return Math.min(commonPrefix(prev, cur), end) / end;
}

function lastIsToolResult(req: RecordedRequest): boolean {
  const messages = (req.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = messages.at(-1);
  return Array.isArray(last?.content) && last.content.some((b: { type?: string }) => b.type === 'tool_result');
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const turns = 20;
  const fake = await startFakeLlm();
  let n = 0;
  fake.setResponder((req) => {
    n++;
    if (!lastIsToolResult(req) && /use the tool/.test(JSON.stringify(req.body?.messages ?? []).slice(-300))) {
      return script.of(script.text('Let me check that.', 3), script.toolCall('echo', { text: `probe ${n}` }, { chunks: 3 }), script.usage(2_000 + n * 100, 40));
    }
    return script.of(script.text(`Answer number ${n}: `.padEnd(400, 'lorem ipsum '), 8), script.usage(2_000 + n * 100, 120));
  });
  const manager = await makeManager({ store: new MemorySessionStore(), anthropicBaseUrl: fake.anthropicBaseUrl });
  try {
    const s = await manager.create({ title: 'B8', config: { providerId: 'anthropic', model: 'claude-sonnet-4-6' } });
    for (let t = 1; t <= turns; t++) {
      const done = nextEvent(manager, 'turn.completed', (e) => e.sessionId === s.id);
      await manager.send(s.id, t % 3 === 0 ? `Turn ${t}: please use the tool.` : `Turn ${t}: explain the next step of the refactor.`);
      await done;
    }
  } finally {
    await manager.dispose();
    await fake.close();
  }
  const bodies = fake.requests.filter((r) => r.format === 'anthropic').map((r) => r.rawBody);
  const shares: number[] = [];
  for (let i = 1; i < bodies.length; i++) shares.push(stableShare(bodies[i - 1]!, bodies[i]!));
  const min = Math.min(...shares);
  ctx.log(`B8: ${bodies.length} requests, stable prefix share min ${(min * 100).toFixed(2)} %`);
  return [
    {
      id: 'B8', what: `stable prefix share, worst of ${shares.length} consecutive requests (${turns} turns)`, unit: '%', ours: min * 100,
      target: '≥ 95 %', met: min >= 0.95, note: `median ${(median(shares) * 100).toFixed(2)} %; prefix = raw body up to the previous request's last cache_control`,
    },
  ];
}
