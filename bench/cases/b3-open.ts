/**
 * B3: open a 10k-message (~22 MB) session. Figures: the store's tail read; the host's path (the
 * webview router's own `loadOpened`: manager.open + transcript(DEFAULT_TAIL_ENTRIES), in a fresh
 * manager and store, as after a window reload) for a session with a current checkpoint (any
 * session the engine wrote); the two full restores issue 12 names — the background full load
 * that follows that open (until the whole state is ready) and the open of a log without a
 * checkpoint (written before checkpoints existed: a full load) — and the full restore itself
 * (store.load + reducer fold, split into its two parts).
 * Baselines, measured in the same runs, interleaved with ours (a busy machine slows both alike):
 * readFile + JSON.parse of the transcript's messages as one JSON file (the peers' way to open a
 * session), and of the same events as one JSON array (the log's content without its line format).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { foldEvents } from '../../src/core/session/reducer';
import { WholeFileHistory } from '../baselines/whole-file-history';
import { eventsForMessages, messagesOf, seedLog } from '../lib/gen';
import { makeManager } from '../lib/engine';
import { loadOpened } from '../../src/vscode/webview/handlers/types';
import { DEFAULT_TAIL_ENTRIES } from '../../src/shared/protocol';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SESSION = 'b3';
/** ≈ 100 transcript messages (DEFAULT_TAIL_ENTRIES) at 14 events per 4 messages. */
const TAIL_EVENTS = 360;
/** The target for a full restore: no slower than parsing the messages as one JSON file. */
const FULL_TARGET = '≤ 1.0× baseline';

/**
 * A collection before each timed step (the bench runs with --expose-gc), ours and the baselines
 * alike: each starts from the same heap instead of paying for the garbage of the step before.
 */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Writes the log, the messages-only JSON and the same events as one JSON; returns only sizes and counts. */
async function seed(ours: string, baseDir: string, sameFile: string, messages: number) {
  const base = new WholeFileHistory(baseDir, SESSION); // holds what it wrote: dropped with this scope
  const events = eventsForMessages(SESSION, messages);
  const logSize = await seedLog(ours, SESSION, events);
  await base.seed(messagesOf(events));
  const sameJson = JSON.stringify(events);
  await writeFile(sameFile, sameJson);
  const expected = events.filter((e) => e.type === 'turn.started' || e.type === 'message.completed' || e.type === 'tool.completed').length;
  return { logSize, baseSize: await base.size(), sameSize: Buffer.byteLength(sameJson), events: events.length, expected };
}

export interface B3Options { messages: number; runs: number }

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  return measure(ctx, { messages: 10_000, runs: ctx.quick ? 3 : 7 });
}

/** {@link run} with its sizes given (tests run it small). */
export async function measure(ctx: CaseContext, o: B3Options): Promise<BenchRow[]> {
  const dir = await ctx.tempDir('b3');
  const ours = join(dir, 'ours');
  const sameFile = join(dir, 'events.json');
  const f = await seed(ours, join(dir, 'base'), sameFile, o.messages); // the fixtures leave the heap before anything is timed
  const { expected } = f;

  const timed = async (fn: () => Promise<unknown>): Promise<number> => {
    settle();
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const hostOpen = async (): Promise<{ ms: number; full: number }> => {
    const manager = await makeManager({ store: new JsonlSessionStore({ directory: ours }) });
    settle();
    const t0 = performance.now();
    const opened = await loadOpened(manager, SESSION, DEFAULT_TAIL_ENTRIES);
    const ms = performance.now() - t0;
    await manager.whenIdle(SESSION); // awaits the (background) full load
    const full = performance.now() - t0;
    if (opened.entries.length !== Math.min(DEFAULT_TAIL_ENTRIES, expected)) throw new Error(`host path returned ${opened.entries.length} entries`);
    await manager.dispose();
    return { ms, full };
  };

  const s = { parse: [] as number[], same: [] as number[], tail: [] as number[], load: [] as number[], fold: [] as number[], full: [] as number[], noCheckpoint: [] as number[], host: [] as number[], background: [] as number[] };
  let tailMessages = 0;
  for (let i = 0; i < o.runs; i++) {
    s.parse.push(await timed(() => new WholeFileHistory(join(dir, 'base'), SESSION).load()));
    s.same.push(await timed(async () => JSON.parse(await readFile(sameFile, 'utf8')) as unknown));
    {
      const store = new JsonlSessionStore({ directory: ours });
      settle();
      const t0 = performance.now();
      const r = await store.loadTail(SESSION, TAIL_EVENTS);
      s.tail.push(performance.now() - t0);
      tailMessages = foldEvents(SESSION, r.events).history.length;
      await store.close();
    }
    {
      const store = new JsonlSessionStore({ directory: ours });
      settle();
      const t0 = performance.now();
      const r = await store.load(SESSION);
      const t1 = performance.now();
      const d = foldEvents(SESSION, r.events);
      const t2 = performance.now();
      s.load.push(t1 - t0);
      s.fold.push(t2 - t1);
      s.full.push(t2 - t0);
      if (d.history.length !== expected) throw new Error(`restore lost messages: ${d.history.length} of ${expected}`);
      await store.close();
    }
    // A log written before checkpoints existed: the full load (it then writes the checkpoint).
    await rm(join(ours, 'sessions', `${SESSION}.checkpoint.json`), { force: true });
    s.noCheckpoint.push((await hostOpen()).ms);
    const h = await hostOpen(); // the checkpoint the last open wrote
    s.host.push(h.ms);
    s.background.push(h.full);
  }
  await rm(dir, { recursive: true, force: true });
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)])) as Record<keyof typeof s, number>;
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const baselineWhat = `readFile + JSON.parse, ${mb(f.baseSize)} messages-only JSON`;
  const sameWhat = `readFile + JSON.parse, the same ${f.events} events as one ${mb(f.sameSize)} JSON array`;
  const split = `store.load ${m.load.toFixed(0)} ms + fold ${m.fold.toFixed(0)} ms`;
  const n = `${expected}-message log`;
  return [
    { id: 'B3', what: `visible tail: store.loadTail (${tailMessages} messages) of ${n}`, unit: 'ms', ours: m.tail, target: '< 50 ms', met: m.tail < 50, baseline: m.parse, baselineWhat, note: `log ${mb(f.logSize)}` },
    { id: 'B3', what: `visible tail via host path (router's loadOpened: manager.open + transcript(${DEFAULT_TAIL_ENTRIES})), fresh manager`, unit: 'ms', ours: m.host, target: '< 50 ms', met: m.host < 50, baseline: m.parse, baselineWhat, note: 'checkpoint + log tail' },
    { id: 'B3', what: 'background full load after that open: whole state ready', unit: 'ms', ours: m.background, target: FULL_TARGET, met: m.background <= m.parse, baseline: m.parse, baselineWhat, note: 'from the open; store.load + fold + checkpoint check' },
    { id: 'B3', what: 'open of a log without a checkpoint (written before checkpoints existed)', unit: 'ms', ours: m.noCheckpoint, target: FULL_TARGET, met: m.noCheckpoint <= m.parse, baseline: m.parse, baselineWhat, note: 'full load; it writes the checkpoint for the next open' },
    { id: 'B3', what: `full restore (store.load + reducer fold), ${expected} messages`, unit: 'ms', ours: m.full, target: FULL_TARGET, met: m.full <= m.parse, baseline: m.parse, baselineWhat, note: split },
    { id: 'B3', what: 'same full restore against the same events as one JSON file', unit: 'ms', ours: m.full, target: FULL_TARGET, met: m.full <= m.same, baseline: m.same, baselineWhat: sameWhat, note: split },
    { id: 'B3', what: 'of which store.load (read, lines, CRC-32 per line, JSON.parse per line)', unit: 'ms', ours: m.load, baseline: m.same, baselineWhat: sameWhat, note: `log ${mb(f.logSize)} with checksums` },
  ];
}
