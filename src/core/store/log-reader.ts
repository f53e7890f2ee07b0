import type { SessionEvent } from '../session/events';
import { errnoCode, type StoreFs } from './fs-seam';
import { isAscii } from 'node:buffer';
import { checkLineInPlace, DAMAGED, decodeRecordInPlace, decodeUnchecked, MISMATCH, parseChecked, UNCHECKED, type DecodedRecord } from './record';
import type { StoreWarning } from './types';

/**
 * How a log is damaged (beyond a torn last line, which a crash leaves and is not damage):
 * `empty` (0 bytes), `zeroed` (only NUL bytes: power loss on a filesystem that lost the data),
 * `unreadable` (not one record could be read), `foreign` (its records belong to another session),
 * `records` (some records are damaged: checksum mismatch, NUL bytes, garbage lines).
 */
export interface LogDamage {
  kind: 'empty' | 'zeroed' | 'unreadable' | 'foreign' | 'records';
  /** Lines that were skipped as damaged (0 for empty/zeroed). */
  unreadable: number;
  /** Bytes in the log when read. */
  size: number;
  /** Byte offset just after the last damaged line: a copy must hold at least this much. */
  damagedUpTo: number;
}

export interface ReadResult {
  events: SessionEvent[];
  warnings: StoreWarning[];
  /** Set by {@link readLog} only (a tail read cannot judge the whole log). */
  damage?: LogDamage;
}

/** Largest read of a full load: bigger logs are read in windows of this size. */
const READ_WINDOW = 64 << 20;
const BACKWARD_CHUNK = 64 * 1024;
const NL = 0x0a;
const ZEROS = Buffer.alloc(64 * 1024);

/** A stored event of another session (a log copied or renamed into place): never loaded into this one. */
function isForeign(ev: SessionEvent, sessionId: string): boolean {
  const sid = (ev as { sessionId?: unknown }).sessionId;
  return typeof sid === 'string' && sid !== sessionId;
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
 * Reads a whole log, line by line, never throwing on damage. Each line is checked
 * (see record.ts): a damaged record (checksum mismatch, raw NUL bytes), a record of another
 * session, or an invalid line followed by others is skipped with 'corrupt_line' and its 1-based
 * number, and counted in `damage`; an invalid last line (a crash mid-write) is dropped with
 * 'torn_tail' and is not damage; a fragment a writer already terminated is skipped silently.
 * An unterminated final line that parses as a valid event is kept: all its bytes reached the
 * disk, and the writer terminates it before appending, so later loads will see it too.
 *
 * The hot path of every full restore: the file is read into one window of up to
 * {@link READ_WINDOW} bytes at a time (a whole typical log in one read), lines are found on the
 * bytes, and each is checked and parsed in place ({@link decodeRecordInPlace}): no per-line copy,
 * no second string, one JSON.parse. A line cut by the window's end moves to its start (longer
 * lines grow the window), so memory stays bounded by the window and the longest line.
 * `windowBytes` (default {@link READ_WINDOW}) exists for tests of lines across windows.
 */
export async function readLog(fsx: StoreFs, path: string, sessionId: string, o: { windowBytes?: number } = {}): Promise<ReadResult> {
  const events: SessionEvent[] = [];
  const warnings: StoreWarning[] = [];
  const fd = await openForRead(fsx, path);
  if (fd === undefined) return { events, warnings };
  let lineNo = 0;
  let unreadable = 0;
  let foreign = 0;
  let damagedUpTo = 0;
  let size = 0;
  let allZero = true;
  /** An invalid line waiting to see whether it is the last one (torn) or not (corrupt). */
  let pendingBad: { line: number; end: number } | undefined;
  const corrupt = (line: number, end: number, why = 'unreadable') => {
    unreadable++;
    damagedUpTo = Math.max(damagedUpTo, end);
    warnings.push({ sessionId, code: 'corrupt_line', line, message: `Skipped ${why} line ${line} of the session log.` });
  };
  const torn = (line: number) => warnings.push({ sessionId, code: 'torn_tail', line, message: `Dropped an incomplete last line (${line}) of the session log (likely a crash mid-write).` });
  /** One decoded line (1-based `line`); `end` is the file offset just past it (its '\n' included, if any). */
  const onLine = (rec: DecodedRecord, line: number, end: number, last: boolean) => {
    if (rec.kind === 'fragment') return;
    if (pendingBad !== undefined) { corrupt(pendingBad.line, pendingBad.end); pendingBad = undefined; }
    if (rec.kind === 'event') {
      if (isForeign(rec.event, sessionId)) { foreign++; corrupt(line, end, 'another session\'s'); } else events.push(rec.event);
    } else if (rec.kind === 'damaged') corrupt(line, end, 'damaged');
    else if (last) torn(line);
    else pendingBad = { line, end };
  };
  const lines = new WindowLines();
  try {
    const sizeAtOpen = await fsx.fstatSize(fd);
    // One byte more than the file: the read that finds the end needs no bigger window.
    let buf = Buffer.allocUnsafe(Math.min(Math.max(sizeAtOpen + 1, 4096), o.windowBytes ?? READ_WINDOW));
    /** File offset of buf[0]; bytes in buf; where the unfinished line starts in buf. */
    let base = 0;
    let have = 0;
    for (;;) {
      if (have === buf.length) {
        const grown = Buffer.allocUnsafe(buf.length * 2); // one line longer than the window
        buf.copy(grown, 0, 0, have);
        buf = grown;
      }
      const n = await fsx.read(fd, buf, have, buf.length - have, base + have);
      if (n === 0) break;
      if (allZero && !isZero(buf, have, have + n)) allZero = false;
      let start = 0;
      const from = have;
      have += n;
      const filled = buf.subarray(0, have); // indexOf must not run into the window's stale bytes
      lines.count = 0;
      for (let nl = filled.indexOf(NL, from); nl !== -1; nl = filled.indexOf(NL, start)) {
        lineNo++;
        if (nl > start) lines.add(lineNo, start, nl, checkLineInPlace(buf, start, nl));
        start = nl + 1;
      }
      lines.decode(buf, (rec, i) => onLine(rec, lines.no[i]!, base + lines.end[i]! + 1, false));
      if (start > 0) {
        buf.copy(buf, 0, start, have); // the unfinished line moves to the window's start
        base += start;
        have -= start;
      }
    }
    size = base + have;
    if (have > 0) {
      lineNo++;
      onLine(decodeRecordInPlace(buf, 0, have), lineNo, size, true);
    }
    if (pendingBad !== undefined) torn(pendingBad.line);
  } finally {
    await fsx.close(fd).catch(() => undefined);
  }
  let damage: LogDamage | undefined;
  if (size === 0) damage = { kind: 'empty', unreadable: 0, size, damagedUpTo: 0 };
  else if (allZero) damage = { kind: 'zeroed', unreadable: 0, size, damagedUpTo: size };
  else if (events.length === 0) damage = { kind: foreign > 0 ? 'foreign' : 'unreadable', unreadable, size, damagedUpTo: size };
  else if (unreadable > 0) damage = { kind: 'records', unreadable, size, damagedUpTo };
  return { events, warnings, ...(damage ? { damage } : {}) };
}

/** Bytes of lines decoded into one string at a time when they are all ASCII (see WindowLines). */
const ASCII_BLOCK = 64 * 1024;

/**
 * The complete lines of one read window, checked in place ({@link checkLineInPlace}), waiting to be
 * parsed in order. Parsing is the read path's largest cost; decoding a block of ASCII lines into
 * one string and parsing slices of it (an ASCII byte is one UTF-16 unit, so byte offsets are string
 * offsets) spares a string allocation and a decoder call per line. Blocks with any other byte decode
 * line by line as UTF-8.
 */
class WindowLines {
  count = 0;
  readonly no: number[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** End of the event's JSON, or UNCHECKED / MISMATCH. */
  readonly json: number[] = [];

  add(no: number, start: number, end: number, json: number): void {
    const i = this.count++;
    this.no[i] = no;
    this.start[i] = start;
    this.end[i] = end;
    this.json[i] = json;
  }

  /** Decodes every line in order, handing each to `each` (with its index). */
  decode(buf: Buffer, each: (rec: DecodedRecord, i: number) => void): void {
    for (let i = 0; i < this.count; ) {
      const from = this.start[i]!;
      let j = i + 1;
      while (j < this.count && this.end[j]! - from <= ASCII_BLOCK) j++;
      const to = this.end[j - 1]!;
      const text = isAscii(buf.subarray(from, to)) ? buf.toString('latin1', from, to) : undefined;
      for (; i < j; i++) {
        const json = this.json[i]!;
        const start = this.start[i]!;
        let rec: DecodedRecord;
        if (json === MISMATCH) rec = DAMAGED;
        else if (json === UNCHECKED) rec = decodeUnchecked(buf, start, this.end[i]!);
        else rec = parseChecked(text !== undefined ? text.slice(start - from, json - from) : buf.toString('utf8', start, json));
        each(rec, i);
      }
    }
  }
}

/** True when `b[start, end)` holds only NUL bytes (a log's first byte is '{': usually one comparison). */
function isZero(b: Buffer, start: number, end: number): boolean {
  if (start < end && b[start] !== 0) return false;
  for (let at = start; at < end; at += ZEROS.length) {
    const to = Math.min(end, at + ZEROS.length);
    if (!b.subarray(at, to).equals(ZEROS.subarray(0, to - at))) return false;
  }
  return true;
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
    const rec = decodeRecordInPlace(buf, 0, buf.length); // buf is a view of this read's own chunks
    if (rec.kind === 'fragment') return;
    if (rec.kind === 'event' && !isForeign(rec.event, sessionId)) events.push(rec.event);
    else if (!sawLine && rec.kind === 'invalid') warnings.push({ sessionId, code: 'torn_tail', message: 'Dropped an incomplete last line of the session log (likely a crash mid-write).' });
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
