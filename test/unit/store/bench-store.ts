// Quick store benchmark (not a test): `node --import tsx test/unit/store/bench-store.ts`.
// Append cost percentiles at session sizes 1k/10k/100k, loadTail(200) and load on a ~20 MB log.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent } from '../../../src/core/session/events';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { tempDir } from './helpers';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;

function event(seq: number): SessionEvent {
  return { seq, ts: Date.now(), sessionId: 'bench', type: 'prompt.queued', promptId: `p${seq}`, text: `prompt number ${seq} `.padEnd(160, 'x') };
}

async function appendBench(): Promise<void> {
  const dir = await tempDir();
  const store = new JsonlSessionStore({ directory: dir });
  const costs: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let seq = 1; seq <= 100_000; seq++) {
    const s = process.hrtime.bigint();
    store.append('bench', event(seq));
    costs.push(Number(process.hrtime.bigint() - s));
    if (seq % 100 === 0) await new Promise((r) => setImmediate(r)); // let the flush timer run, as in a live session
  }
  await store.flush();
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const n of [1_000, 10_000, 100_000]) {
    const w = costs.slice(n - 1000, n);
    console.log(`append at event ${String(n).padStart(6)}: p50 ${us(pct(w, 0.5))}  p99 ${us(pct(w, 0.99))}`);
  }
  console.log(`100k appends incl. flushes: ${total.toFixed(0)} ms; log ${((await stat(join(dir, 'sessions', 'bench.jsonl'))).size / 1e6).toFixed(1)} MB`);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

async function tailBench(): Promise<void> {
  const dir = await tempDir();
  const writer = new JsonlSessionStore({ directory: dir });
  let seq = 0;
  while (seq < 76_000) {
    for (let i = 0; i < 1000; i++) writer.append('big', { ...event(++seq), sessionId: 'big' });
    await writer.flush('big');
  }
  await writer.close();
  const size = (await stat(join(dir, 'sessions', 'big.jsonl'))).size;
  const reader = new JsonlSessionStore({ directory: dir });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const s = process.hrtime.bigint();
    const r = await reader.loadTail('big', 200);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (r.events.length !== 200 || r.events[199].seq !== seq) throw new Error('bad tail');
  }
  const s = process.hrtime.bigint();
  const all = await reader.load('big');
  const loadMs = Number(process.hrtime.bigint() - s) / 1e6;
  console.log(`loadTail(200) on ${(size / 1e6).toFixed(1)} MB (${seq} events): first ${times[0].toFixed(2)} ms, median ${pct(times, 0.5).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`);
  console.log(`full load of the same log: ${loadMs.toFixed(0)} ms (${all.events.length} events)`);
  await reader.close();
  await rm(dir, { recursive: true, force: true });
}

async function flushBench(): Promise<void> {
  const dir = await tempDir();
  const store = new JsonlSessionStore({ directory: dir });
  const times: number[] = [];
  let seq = 0;
  for (let i = 0; i < 200; i++) {
    for (let j = 0; j < 20; j++) store.append('f', { ...event(++seq), sessionId: 'f' });
    const s = process.hrtime.bigint();
    await store.flush('f');
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  console.log(`flush of 20 events (write + fdatasync): p50 ${pct(times, 0.5).toFixed(2)} ms  p99 ${pct(times, 0.99).toFixed(2)} ms`);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

void (async () => {
  await appendBench();
  await flushBench();
  await tailBench();
})();
