// Child process for B7 (run with --expose-gc): heap growth of a SessionManager that lists
// every session of a workspace without opening any. Prints one JSON line. Argument: store dir.
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { makeManager } from './engine';

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  gc?.(); gc?.();
  const before = process.memoryUsage();
  const manager = await makeManager({ store: new JsonlSessionStore({ directory: dir }) });
  const rows = manager.list();
  gc?.(); gc?.();
  const after = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ sessions: rows.length, heapMB: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMB: (after.rss - before.rss) / 2 ** 20, gc: gc !== undefined })}\n`);
  await manager.dispose();
}

void main();
