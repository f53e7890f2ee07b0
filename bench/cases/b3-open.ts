/**
 * B3: open a 10k-message (~20 MB) session. Figures: the store's tail read, the host's path (the
 * webview router's own `loadOpened`: manager.open + transcript(DEFAULT_TAIL_ENTRIES), in a fresh
 * manager and store, as after a window reload) for a session with a current checkpoint (any
 * session the engine wrote) and for a log without one (written before checkpoints existed: the
 * full load), the time until the background full load has the whole state, and the full restore
 * (store.load + reducer fold).
 * Baseline: readFile + JSON.parse of the whole history file (the peers' way to open a session).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { foldEvents } from '../../src/core/session/reducer';
import { WholeFileHistory } from '../baselines/whole-file-history';
import { eventsForMessages, messagesOf, seedLog } from '../lib/gen';
import { makeManager } from '../lib/engine';
import { loadOpened } from '../../src/vscode/webview/handlers/types';
import { DEFAULT_TAIL_ENTRIES } from '../../src/shared/protocol';
import { median, medianOf, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SESSION = 'b3';
/** ≈ 100 transcript messages (DEFAULT_TAIL_ENTRIES) at 14 events per 4 messages. */
const TAIL_EVENTS = 360;

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const messages = 10_000;
  const runs = ctx.quick ? 3 : 7;
  const dir = await ctx.tempDir('b3');
  const ours = join(dir, 'ours');
  const events = eventsForMessages(SESSION, messages);
  const logSize = await seedLog(ours, SESSION, events);
  const base = new WholeFileHistory(join(dir, 'base'), SESSION);
  await base.seed(messagesOf(events));
  const baseSize = await base.size();

  let tailMessages = 0;
  const tail = await medianOf(runs, async () => {
    const store = new JsonlSessionStore({ directory: ours });
    const t0 = performance.now();
    const r = await store.loadTail(SESSION, TAIL_EVENTS);
    const ms = performance.now() - t0;
    tailMessages = foldEvents(SESSION, r.events).history.length;
    await store.close();
    return ms;
  });
  let restored = 0;
  const full = await medianOf(runs, async () => {
    const store = new JsonlSessionStore({ directory: ours });
    const t0 = performance.now();
    const r = await store.load(SESSION);
    const d = foldEvents(SESSION, r.events);
    const ms = performance.now() - t0;
    restored = d.history.length;
    await store.close();
    return ms;
  });
  const hostOpen = async (): Promise<{ ms: number; full: number }> => {
    const manager = await makeManager({ store: new JsonlSessionStore({ directory: ours }) });
    const t0 = performance.now();
    const opened = await loadOpened(manager, SESSION, DEFAULT_TAIL_ENTRIES);
    const ms = performance.now() - t0;
    await manager.whenIdle(SESSION); // awaits the (background) full load
    const full = performance.now() - t0;
    if (opened.entries.length !== Math.min(DEFAULT_TAIL_ENTRIES, restored)) throw new Error(`host path returned ${opened.entries.length} entries`);
    await manager.dispose();
    return { ms, full };
  };
  // A log written before checkpoints existed: the full load (it then writes the checkpoint).
  const noCheckpoint = await medianOf(runs, async () => {
    await rm(join(ours, 'sessions', `${SESSION}.checkpoint.json`), { force: true });
    return (await hostOpen()).ms;
  });
  const fullReady: number[] = [];
  const hostPath = await medianOf(runs, async () => {
    const r = await hostOpen();
    fullReady.push(r.full);
    return r.ms;
  });
  const fullReadyMs = median(fullReady);
  const parse = await medianOf(runs, async () => {
    const t0 = performance.now();
    await new WholeFileHistory(join(dir, 'base'), SESSION).load();
    return performance.now() - t0;
  });
  await rm(dir, { recursive: true, force: true });
  if (restored !== events.filter((e) => e.type === 'turn.started' || e.type === 'message.completed' || e.type === 'tool.completed').length) {
    throw new Error(`restore lost messages: ${restored}`);
  }
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const baselineWhat = `readFile + JSON.parse, ${mb(baseSize)} messages-only JSON`;
  return [
    { id: 'B3', what: `visible tail: store.loadTail (${tailMessages} messages) of ${restored}-message log`, unit: 'ms', ours: tail, target: '< 50 ms', met: tail < 50, baseline: parse, baselineWhat, note: `log ${mb(logSize)}` },
    { id: 'B3', what: `visible tail via host path (router's loadOpened: manager.open + transcript(${DEFAULT_TAIL_ENTRIES})), fresh manager`, unit: 'ms', ours: hostPath, target: '< 50 ms', met: hostPath < 50, baseline: parse, baselineWhat, note: `checkpoint + log tail; whole state ready in the background after ${fullReadyMs.toFixed(0)} ms` },
    { id: 'B3', what: 'same, log without a checkpoint (written before checkpoints existed)', unit: 'ms', ours: noCheckpoint, target: '< 150 ms', met: noCheckpoint < 150, baseline: parse, baselineWhat, note: 'full load; it writes the checkpoint for the next open' },
    { id: 'B3', what: `full restore (store.load + reducer fold), ${restored} messages`, unit: 'ms', ours: full, target: '< 150 ms', met: full < 150, baseline: parse, baselineWhat },
  ];
}
