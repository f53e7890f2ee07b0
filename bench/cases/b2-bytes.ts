/**
 * B2: bytes written over a 3,500-message session ÷ final log size. Every byte the store writes
 * (log and index.json) is counted through its filesystem seam; the index is written after every
 * turn (debounce 0: the worst case, as if each turn were > 250 ms apart). Deltas are appended
 * as streamed (many small chunks per message) and a flush is awaited after each message, so the
 * log holds what a live session leaves behind. Every line carries its CRC-32 (record.ts): those
 * bytes are in both the written and the final size, and the note says how much of the log they are.
 * Baseline: whole-file JSON rewrite per message.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { nodeStoreFs, type StoreFs } from '../../src/core/store/fs-seam';
import { applyEvent, initialData, toIndexEntry } from '../../src/core/session/reducer';
import type { SessionEvent } from '../../src/core/session/events';
import { WholeFileHistory } from '../baselines/whole-file-history';
import { eventsForMessages, messagesOf } from '../lib/gen';
import type { BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const SESSION = 'b2';

/** Splits each coalesced delta back into streamed chunks of ~`chunk` characters. */
function streamed(events: readonly SessionEvent[], chunk: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  let seq = 0;
  for (const e of events) {
    if (e.type === 'message.delta') {
      for (let i = 0; i < e.text.length; i += chunk) out.push({ ...e, text: e.text.slice(i, i + chunk), seq: ++seq });
    } else out.push({ ...e, seq: ++seq });
  }
  return out;
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const messages = 3_500;
  const dir = await ctx.tempDir('b2');
  const events = streamed(eventsForMessages(SESSION, messages), 16);
  let logBytes = 0;
  let otherBytes = 0;
  const fds = new Map<number, string>();
  const counting: StoreFs = {
    ...nodeStoreFs,
    open: async (p, flags, mode) => { const fd = await nodeStoreFs.open(p, flags, mode); fds.set(fd, p); return fd; },
    write: async (fd, data, offset, length, position) => {
      const n = await nodeStoreFs.write(fd, data, offset, length, position);
      if (fds.get(fd)?.endsWith('.jsonl')) logBytes += n; else otherBytes += n;
      return n;
    },
  };
  const store = new JsonlSessionStore({ directory: join(dir, 'ours'), fs: counting, indexDebounceMs: 0 });
  const data = initialData(SESSION);
  for (const e of events) {
    store.append(SESSION, e);
    applyEvent(data, e);
    if (e.type === 'message.completed' || e.type === 'tool.completed' || e.type === 'turn.started') await store.flush(SESSION);
    if (e.type === 'turn.completed') store.updateIndex(toIndexEntry(data));
  }
  await store.close();
  const logPath = join(dir, 'ours', 'sessions', `${SESSION}.jsonl`);
  const finalLog = (await stat(logPath)).size;
  const lines = (await readFile(logPath)).reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0);
  const checksumBytes = lines * ',"_crc":"00000000"'.length;
  const oursRatio = (logBytes + otherBytes) / finalLog;

  const base = new WholeFileHistory(join(dir, 'base'), SESSION);
  await base.seed([]);
  const msgs = messagesOf(events);
  const n = ctx.quick ? 700 : msgs.length;
  for (const m of msgs.slice(0, n)) await base.append(m);
  const baseRatio = base.bytesWritten / await base.size();
  await rm(dir, { recursive: true, force: true });
  return [{
    id: 'B2', what: `bytes written ÷ final size, ${data.history.length}-message session`, unit: '×', ours: oursRatio, target: '≤ 1.2×', met: oursRatio <= 1.2,
    baseline: baseRatio, baselineWhat: `whole-file rewrite${n < msgs.length ? `, first ${n} messages` : ''}`,
    note: `log ${(finalLog / 1e6).toFixed(1)} MB in ${events.length} events (${lines} lines; checksums ${(checksumBytes / 1e3).toFixed(0)} kB = ${((100 * checksumBytes) / finalLog).toFixed(1)} % of the log); other files ${(otherBytes / 1e3).toFixed(0)} kB`,
  }];
}
