// Child process for the crash test: appends bursts forever and prints the last seq that a
// flush() made durable. The parent SIGKILLs it at an arbitrary moment.
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import type { SessionEvent } from '../../../src/core/session/events';

export const BURST = 20;
export const PROMPTS_PER_BURST = 15;

/** Burst k: seqs 20k+1..20k+15 are prompt.queued, 20k+16..20k+20 deltas of message m<k>. */
export function eventFor(seq: number): SessionEvent {
  const k = Math.floor((seq - 1) / BURST);
  const slot = (seq - 1) % BURST;
  const base = { seq, ts: seq, sessionId: 'crash' };
  return slot < PROMPTS_PER_BURST
    ? { ...base, type: 'prompt.queued', promptId: `p${seq}`, text: `prompt ${seq} ${'x'.repeat(seq % 300)}` }
    : { ...base, type: 'message.delta', messageId: `m${k}`, kind: 'text', text: `d${seq};` };
}

async function main(dir: string): Promise<void> {
  const store = new JsonlSessionStore({ directory: dir, flushIntervalMs: 2 });
  let seq = 0;
  for (;;) {
    for (let i = 0; i < BURST; i++) store.append('crash', eventFor(++seq));
    await store.flush('crash');
    process.stdout.write(`${seq}\n`);
    // Let the timer flush fire too, so kills land in both paths.
    for (let i = 0; i < BURST; i++) store.append('crash', eventFor(++seq));
    await new Promise((r) => setImmediate(r));
  }
}

/** Takes the lock of session 'held' and waits (for the cross-process lock test). */
async function hold(dir: string): Promise<void> {
  const store = new JsonlSessionStore({ directory: dir });
  store.append('held', { seq: 1, ts: 1, sessionId: 'held', type: 'session.paused' });
  await store.flush('held');
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1000);
}

if (process.env.STORE_CRASH_CHILD === '1' && process.argv[2]) void (process.argv[3] === 'hold' ? hold(process.argv[2]) : main(process.argv[2]));
