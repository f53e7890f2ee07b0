// Child process of the crash fuzz (jsonl-crash-fuzz.test.ts): a session-like append load on the
// real JsonlSessionStore with its default 100 ms flush promise — turns that stream deltas, call a
// tool with streamed output, update the index and the checkpoint, and await a flush at the end of
// each turn. The parent SIGKILLs it at a random moment, then checks the log.
//
// stdout (one line per write(2), which Linux pipes take whole and keep after the kill):
//   r <seq>        ready: the log was loaded, continuing after <seq>
//   s <ts>         about to append the first event of this life, at <ts>
//   a <seq> <ts>   appended everything up to <seq>; <ts> is the Date.now() stamped on it
//   d <seq>        flush() resolved: everything up to <seq> is durable
//   x <code>       the store said it cannot write ('locked': a lock file its predecessor was killed
//                  while creating looks like a live writer's for a few seconds); from then on the
//                  child appends nothing and reports nothing durable
import type { SessionEvent } from '../../../src/core/session/events';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';

/**
 * Slots of one turn: what the event with a given seq is. A turn streams for a few hundred ms, so
 * most events reach the disk through the flush timer rather than the flush at the turn's end.
 */
export const TURN = 318;
const DELTAS = { from: 2, to: 209 }; // message.delta slots (one message per turn)
const OUTPUT = { from: 211, to: 314 }; // tool.output slots (one call per turn)

/** The body of event `seq` of session `sessionId`: a pure function of seq, so the parent knows what each seq must hold. */
export function fuzzBody(seq: number): Record<string, unknown> & { type: SessionEvent['type'] } {
  const k = Math.floor((seq - 1) / TURN);
  const slot = (seq - 1) % TURN;
  const turnId = `t${k}`;
  if (slot === 0) return { type: 'turn.started', turnId, promptId: `p${k}`, messageId: `u${k}`, text: `prompt ${k} ${'p'.repeat(k % 50)}` };
  if (slot === 1) return { type: 'message.started', turnId, messageId: `m${k}`, round: 1 };
  if (slot >= DELTAS.from && slot <= DELTAS.to) return { type: 'message.delta', messageId: `m${k}`, kind: 'text', text: deltaText(seq) };
  if (slot === DELTAS.to + 1) return { type: 'tool.requested', turnId, callId: `c${k}`, name: 'run_command', args: { command: `npm test -- ${k}` } };
  if (slot >= OUTPUT.from && slot <= OUTPUT.to) return { type: 'tool.output', callId: `c${k}`, chunk: deltaText(seq) };
  if (slot === OUTPUT.to + 1) return { type: 'tool.completed', turnId, callId: `c${k}`, messageId: `r${k}`, name: 'run_command', content: `ok ${k}`, isError: false, durationMs: 3 };
  if (slot === OUTPUT.to + 2) return { type: 'message.completed', turnId, messageId: `m${k}`, content: [{ type: 'text', text: `answer ${k}` }], stopReason: 'end_turn' };
  return { type: 'turn.completed', turnId, stopReason: 'end_turn', rounds: 1 };
}

/** Text of a delta/output slot: varied lengths, multi-byte characters, JSON-escaped characters. */
export function deltaText(seq: number): string {
  return `${seq}:${'é€"\\\n'.slice(0, seq % 6)}${'x'.repeat(seq % 37)};`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(dir: string, sessionId: string): Promise<void> {
  const store = new JsonlSessionStore({ directory: dir, indexDebounceMs: 7, checkpointDebounceMs: 11 });
  let blocked = false;
  store.onWarning((w) => {
    if (blocked || (w.code !== 'locked' && w.code !== 'write_failed')) return;
    blocked = true;
    process.stdout.write(`x ${w.code}\n`);
  });
  const loaded = await store.load(sessionId);
  let seq = loaded.events.at(-1)?.seq ?? 0;
  process.stdout.write(`r ${seq}\n`);
  process.stdout.write(`s ${Date.now()}\n`);
  const createdAt = loaded.events[0]?.ts ?? Date.now();
  for (;;) {
    if (blocked) { await sleep(50); continue; }
    // A burst: what one chunk of a stream or a tool step appends in one tick.
    const n = 1 + (seq % 5);
    let ts = 0;
    let turnEnded = false;
    for (let i = 0; i < n; i++) {
      ts = Date.now();
      const body = fuzzBody(++seq);
      store.append(sessionId, { ...body, seq, ts, sessionId } as SessionEvent);
      if (body.type === 'turn.completed') {
        const last = seq;
        store.updateIndex({ id: sessionId, title: `fuzz ${sessionId}`, createdAt, updatedAt: ts, lastSeq: last, eventCount: last, messageCount: 0, state: 'idle', providerId: 'openai', model: 'gpt-test' });
        store.saveCheckpoint(sessionId, () => ({ version: 1, sessionId, lastSeq: last, data: { at: last } }));
        turnEnded = true;
      }
    }
    process.stdout.write(`a ${seq} ${ts}\n`);
    if (turnEnded) {
      const upTo = seq;
      await store.flush(sessionId); // what a session does at the end of a turn
      if (!blocked) process.stdout.write(`d ${upTo}\n`);
    } else {
      await sleep(seq % 3); // the next chunk of the stream arrives
    }
  }
}

if (process.env.STORE_FUZZ_CHILD === '1' && process.argv[2] && process.argv[3]) void main(process.argv[2], process.argv[3]);
