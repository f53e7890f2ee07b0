// A second "window" for the lock handover tests: a JsonlSessionStore in its own process (so pids
// differ) that owns session 's', driven by commands on stdin, one per line:
//   append N    appends N session.renamed events, not flushed (they wait in memory)
//   flush       flushes
//   freeze MS   appends one event, then blocks the event loop for MS (a frozen window)
//   status      prints {"readOnly": bool, "lastSeq": n}
// It prints "ready" once it owns the log, and {"writer": {...}} when the writer changes.
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import type { SessionEvent } from '../../../src/core/session/events';
import { EventMaker, sampleTurn } from './fixtures';
import { createInterface } from 'node:readline';

async function main(dir: string): Promise<void> {
  const options = JSON.parse(process.env.LOCK_CHILD_OPTIONS ?? '{}') as Record<string, unknown>;
  const store = new JsonlSessionStore({ directory: dir, flushIntervalMs: 60_000, ...options });
  store.onWriterChanged((c) => process.stdout.write(`${JSON.stringify({ writer: { sessionId: c.sessionId, pid: c.owner?.pid ?? null } })}\n`));
  store.onWarning((w) => process.stdout.write(`${JSON.stringify({ warning: w.code })}\n`));
  const ev = new EventMaker('s');
  for (const e of sampleTurn(ev, 1)) store.append('s', e);
  await store.flush('s');
  process.stdout.write('ready\n');
  const append = (n: number): void => {
    for (let i = 0; i < n; i++) store.append('s', ev.next({ type: 'session.renamed', title: `from the child ${ev.seq + 1}` }) as SessionEvent);
  };
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, arg] = line.trim().split(' ');
    if (cmd === 'append') { append(Number(arg)); process.stdout.write('appended\n'); }
    if (cmd === 'flush') { await store.flush('s'); process.stdout.write('flushed\n'); }
    if (cmd === 'freeze') {
      append(1);
      process.stdout.write('frozen\n');
      const until = Date.now() + Number(arg);
      while (Date.now() < until) { /* a frozen window: nothing else runs */ }
      process.stdout.write('awake\n');
    }
    if (cmd === 'status') {
      const r = await store.load('s');
      process.stdout.write(`${JSON.stringify({ readOnly: r.readOnly, lastSeq: r.events.at(-1)?.seq ?? 0 })}\n`);
    }
  }
}

if (process.env.LOCK_CHILD === '1' && process.argv[2]) void main(process.argv[2]);
