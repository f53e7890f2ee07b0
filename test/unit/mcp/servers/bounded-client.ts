// Runs in its own process (started by http-limits.test.ts, usually with a small --max-old-space-size)
// so its memory can be judged alone: connects McpManager to the given HTTP MCP servers, asks each
// for a `big` result and prints one JSON line per server with the result and the peak RSS growth.
// Usage: node --import tsx bounded-client.ts <maxMessageBytes> <mb> <type>=<url> …
import { ctx, manager } from '../helpers';

async function main(): Promise<void> {
  const [maxBytes, mb, ...targets] = process.argv.slice(2);
  const { mgr } = manager({ maxResultChars: 10_000, maxMessageBytes: Number(maxBytes), callTimeoutMs: 60_000 });
  for (const [i, target] of targets.entries()) {
    const [type, url] = target.split('=') as ['http' | 'sse', string];
    await mgr.add({ name: `s${i}`, type, url, headers: {}, source: { kind: 'settings', scope: 'user' } });
  }
  for (const [i] of targets.entries()) {
    const name = `s${i}`;
    const status = mgr.status(name)!;
    const before = process.resourceUsage().maxRSS;
    const t0 = Date.now();
    const r = await mgr.tools().find((t) => t.name === `mcp__${name}__big`)!.execute({ mb: Number(mb) }, ctx());
    const ms = Date.now() - t0;
    const echo = await mgr.tools().find((t) => t.name === `mcp__${name}__echo`)!.execute({ text: 'still here' }, ctx());
    const rssGrowthKb = process.resourceUsage().maxRSS - before;
    process.stdout.write(`${JSON.stringify({ target: targets[i], status, isError: r.isError === true, length: r.content.length, head: r.content.slice(0, 200), tail: r.content.slice(-100), ms, rssGrowthKb, after: echo.content })}\n`);
  }
  await mgr.shutdown();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(2);
});
