import type { SessionEvent } from '../session/events';
import { isStoredEvent } from './events-util';
import { errnoCode, type StoreFs } from './fs-seam';
import type { StoreWarning } from './types';

export interface ReadResult {
  events: SessionEvent[];
  warnings: StoreWarning[];
}

const FORWARD_CHUNK = 1 << 20;
const BACKWARD_CHUNK = 64 * 1024;
const NL = 0x0a;

function parseLine(buf: Buffer): SessionEvent | undefined {
  try {
    const value: unknown = JSON.parse(buf.toString('utf8'));
    return isStoredEvent(value) ? value : undefined;
  } catch {
    return undefined; // reported by the caller as corrupt or torn
  }
}

async function openForRead(fsx: StoreFs, path: string): Promise<number | undefined> {
  try {
    return await fsx.open(path, 'r');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Reads a whole log in chunks, line by line, never throwing on damage: a damaged last line
 * (an unterminated fragment that does not parse, or an invalid final line) is dropped with
 * 'torn_tail'; any other invalid line is skipped with 'corrupt_line' and its 1-based number.
 * An unterminated final line that parses as a valid event is kept: all its bytes reached the
 * disk, and the writer terminates it before appending, so later loads will see it too.
 */
export async function readLog(fsx: StoreFs, path: string, sessionId: string): Promise<ReadResult> {
  const events: SessionEvent[] = [];
  const warnings: StoreWarning[] = [];
  const fd = await openForRead(fsx, path);
  if (fd === undefined) return { events, warnings };
  let lineNo = 0;
  let pendingBad: number | undefined;
  const corrupt = (line: number) => warnings.push({ sessionId, code: 'corrupt_line', line, message: `Skipped unreadable line ${line} of the session log.` });
  const torn = (line: number) => warnings.push({ sessionId, code: 'torn_tail', line, message: `Dropped an incomplete last line (${line}) of the session log (likely a crash mid-write).` });
  const onLine = (buf: Buffer) => {
    lineNo++;
    if (buf.length === 0) return;
    const ev = parseLine(buf);
    if (pendingBad !== undefined) { corrupt(pendingBad); pendingBad = undefined; }
    if (ev) events.push(ev);
    else pendingBad = lineNo;
  };
  try {
    let carry: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(FORWARD_CHUNK);
      const n = await fsx.read(fd, chunk, 0, FORWARD_CHUNK, position);
      if (n === 0) break;
      position += n;
      let start = 0;
      let nl = chunk.indexOf(NL, 0);
      while (nl !== -1 && nl < n) {
        const piece = chunk.subarray(start, nl);
        onLine(carry.length === 0 ? piece : Buffer.concat([...carry, piece]));
        carry = [];
        start = nl + 1;
        nl = chunk.indexOf(NL, start);
      }
      if (start < n) carry.push(chunk.subarray(start, n));
    }
    if (carry.length > 0) {
      lineNo++;
      const ev = parseLine(Buffer.concat(carry));
      if (pendingBad !== undefined) corrupt(pendingBad);
      pendingBad = undefined;
      if (ev) events.push(ev);
      else torn(lineNo);
    }
    if (pendingBad !== undefined) torn(pendingBad);
  } finally {
    await fsx.close(fd).catch(() => undefined);
  }
  return { events, warnings };
}

/**
 * Reads the last `maxEvents` valid events by scanning backwards from the end in 64 KiB
 * chunks: cost depends on the tail's size, not the log's. Damage is reported like
 * {@link readLog} but without line numbers (they are unknown when reading backwards).
 */
export async function readLogTail(fsx: StoreFs, path: string, sessionId: string, maxEvents: number): Promise<ReadResult> {
  const events: SessionEvent[] = [];
  const warnings: StoreWarning[] = [];
  if (maxEvents <= 0) return { events, warnings };
  const fd = await openForRead(fsx, path);
  if (fd === undefined) return { events, warnings };
  let sawLine = false;
  const onLine = (buf: Buffer) => {
    if (buf.length === 0) return;
    const ev = parseLine(buf);
    if (ev) events.push(ev);
    else if (!sawLine) warnings.push({ sessionId, code: 'torn_tail', message: 'Dropped an incomplete last line of the session log (likely a crash mid-write).' });
    else warnings.push({ sessionId, code: 'corrupt_line', message: 'Skipped an unreadable line near the end of the session log.' });
    sawLine = true;
  };
  try {
    let position = await fsx.fstatSize(fd);
    let carry: Buffer[] = []; // the start of a line whose beginning we have not reached yet, in file order
    while (position > 0 && events.length < maxEvents) {
      const len = Math.min(BACKWARD_CHUNK, position);
      position -= len;
      const chunk = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const n = await fsx.read(fd, chunk, got, len - got, position + got);
        if (n === 0) break;
        got += n;
      }
      let end = got;
      let nl = end > 0 ? chunk.lastIndexOf(NL, end - 1) : -1;
      while (nl !== -1 && events.length < maxEvents) {
        const piece = chunk.subarray(nl + 1, end);
        onLine(carry.length === 0 ? piece : Buffer.concat([piece, ...carry]));
        carry = [];
        end = nl;
        nl = end > 0 ? chunk.lastIndexOf(NL, end - 1) : -1;
      }
      if (events.length >= maxEvents) break;
      carry.unshift(chunk.subarray(0, end));
    }
    if (position === 0 && events.length < maxEvents && carry.length > 0) onLine(Buffer.concat(carry));
  } finally {
    await fsx.close(fd).catch(() => undefined);
  }
  events.reverse();
  return { events, warnings };
}
