/**
 * Reads a window of lines from a file of any size by streaming it through one fixed buffer:
 * lines before the window are only counted, lines in it are kept up to a character budget, and
 * what follows is counted only within a byte budget. Memory is O(buffer + budget), never O(file).
 */
import { promises as fs } from 'node:fs';

/** Bytes read per call. */
const CHUNK_BYTES = 64 * 1024;
/** UTF-8 needs at most 4 bytes per UTF-16 unit kept. */
const MAX_BYTES_PER_CHAR = 4;

export interface LineWindowRequest {
  /** First line wanted, 1-based. */
  start: number;
  /** Last line wanted (inclusive); Infinity = until the budget is spent. */
  end: number;
  /** Budget for the returned text in characters (each line also costs `costPerLine(lineNumber)`). */
  maxChars: number;
  /** Extra characters a line costs in the result (its number prefix). */
  costPerLine(line: number): number;
  /** After the window, keep counting lines for at most this many bytes (to say how many remain). */
  countRestBytes: number;
}

export interface LineWindow {
  /** The lines kept, from `start` on, without their line endings (`\n` or `\r\n`). */
  lines: string[];
  /** The budget ended the window before `end`. */
  capped: boolean;
  /** The last kept line was longer than the whole budget and is cut (its full length in bytes). */
  cutLine?: { line: number; bytes: number };
  /** Lines in the file, when the whole file was scanned; undefined when the rest was not counted. */
  totalLines?: number;
  /** Some line follows the last kept one. */
  more: boolean;
  /** A kept line contains a NUL byte (binary data). */
  nul: boolean;
}

/**
 * Streams `file` and returns the window. Reads stop as soon as the window is complete and the rest
 * is either counted or over `countRestBytes`.
 */
export async function readLineWindow(file: string, req: LineWindowRequest): Promise<LineWindow> {
  const fh = await fs.open(file, 'r');
  try {
    return await scan({ size: async () => (await fh.stat()).size, read: (b, o, l, p) => fh.read(b, o, l, p) }, req);
  } finally {
    await fh.close();
  }
}

/** The window of bytes already in memory (read_file through the change ledger hashes exactly what it shows). */
export function lineWindowOf(bytes: Buffer, req: LineWindowRequest): Promise<LineWindow> {
  return scan({
    size: async () => bytes.length,
    read: async (b, o, l, p) => ({ bytesRead: p >= bytes.length ? 0 : bytes.copy(b, o, p, Math.min(bytes.length, p + l)) }),
  }, req);
}

/** Where scan reads from: a file handle or a buffer. */
interface ByteSource {
  size(): Promise<number>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

async function scan(fh: ByteSource, req: LineWindowRequest): Promise<LineWindow> {
  const size = await fh.size();
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const out: LineWindow = { lines: [], capped: false, more: false, nul: false };
  let line = 1; // the line the next byte belongs to
  let newlines = 0;
  let lastWasNewline = true;
  let pos = 0;
  let sawEnd = false;
  let windowOpen = req.start <= req.end;
  let countLeft = 0; // once the window is closed: bytes still to scan for counting
  let used = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lineBytes = 0;
  let lineNul = false;

  /** A segment of the current line, inside the window: kept up to what the budget could still show. */
  const keep = (seg: Buffer): void => {
    lineBytes += seg.length;
    if (!lineNul && seg.includes(0)) lineNul = true;
    // Decoded, `room` bytes give more than the remaining budget in characters (3 bytes per UTF-16 unit at most).
    const room = (req.maxChars - used) * MAX_BYTES_PER_CHAR + MAX_BYTES_PER_CHAR - partBytes;
    if (room <= 0) return;
    const part = seg.length > room ? seg.subarray(0, room) : seg;
    parts.push(Buffer.from(part)); // a copy: the read buffer is reused
    partBytes += part.length;
  };
  /** The current line (inside the window) ended: kept if the budget allows. False: the window is over. */
  const endKept = (): boolean => {
    let text = Buffer.concat(parts, partBytes).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const bytes = lineBytes;
    const nul = lineNul;
    parts = [];
    partBytes = 0;
    lineBytes = 0;
    lineNul = false;
    const cost = text.length + req.costPerLine(line);
    if (used + cost <= req.maxChars) {
      out.lines.push(text);
      out.nul ||= nul;
      used += cost;
      return line < req.end;
    }
    out.capped = true;
    if (out.lines.length === 0) {
      // One line over the whole budget: its beginning rather than nothing.
      out.lines.push(text.slice(0, Math.max(0, req.maxChars - req.costPerLine(line))));
      out.nul ||= nul;
      out.cutLine = { line, bytes };
    }
    return false;
  };

  for (;;) {
    const want = windowOpen ? CHUNK_BYTES : Math.min(CHUNK_BYTES, countLeft);
    if (want <= 0) break;
    const { bytesRead } = await fh.read(buf, 0, want, pos);
    if (bytesRead === 0) { sawEnd = true; break; }
    pos += bytesRead;
    if (!windowOpen) countLeft -= bytesRead;
    const chunk = buf.subarray(0, bytesRead);
    for (let off = 0; off < chunk.length;) {
      const nl = chunk.indexOf(10, off);
      const inWindow = windowOpen && line >= req.start;
      if (inWindow) keep(chunk.subarray(off, nl === -1 ? chunk.length : nl));
      if (nl === -1) { lastWasNewline = false; break; }
      newlines++;
      lastWasNewline = true;
      if (inWindow && !endKept()) { windowOpen = false; countLeft = req.countRestBytes; }
      line++;
      off = nl + 1;
    }
  }
  const atEnd = sawEnd || pos >= size;
  // A last line without a newline.
  if (atEnd && windowOpen && !lastWasNewline && line >= req.start) endKept();
  const shownTo = req.start + out.lines.length - 1;
  if (atEnd) {
    out.totalLines = newlines + (lastWasNewline ? 0 : 1);
    out.more = out.totalLines > shownTo;
  } else {
    out.more = true;
  }
  return out;
}
