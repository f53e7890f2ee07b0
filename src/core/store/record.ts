import * as zlib from 'node:zlib';
import type { SessionEvent } from '../session/events';
import { isStoredEvent } from './events-util';

/**
 * One line of a session log: the event's JSON with a CRC-32 of its bytes spliced in as the last
 * field, so a line stays valid JSON and checking it needs no parse:
 *
 *     {"type":"session.paused","seq":4,"ts":1,"sessionId":"s","_crc":"8d3a1f02"}
 *
 * The CRC covers the line's UTF-8 bytes up to (not including) `,"_crc":`. Lines without the field
 * (logs written before checksums) are accepted as they are; a line with the field whose bytes do
 * not match is damaged and never handed back. The field is not part of the event.
 */
export const CRC_FIELD = '_crc';

const SUFFIX_HEAD = Buffer.from(`,"${CRC_FIELD}":"`);
/** `,"_crc":"` + 8 hex digits + `"}`. */
const SUFFIX_LENGTH = SUFFIX_HEAD.length + 8 + 2;

/**
 * Terminates a torn fragment before the next line is appended after it: ASCII CAN ("cancel the
 * preceding data") then '\n'. Such a line is a fragment a writer already knew about, not damage.
 */
export const FRAGMENT_TERMINATOR = '\u0018\n';
const CAN = 0x18;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32Js(data: string | Uint8Array, initial = 0): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let c = (initial ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type Crc32 = (data: string | Uint8Array, initial?: number) => number;
/** zlib.crc32 (native; Node ≥ 20.15) or the same CRC in JS on older hosts. */
export const crc32: Crc32 = typeof (zlib as { crc32?: Crc32 }).crc32 === 'function' ? (zlib as { crc32: Crc32 }).crc32 : crc32Js;

/**
 * Appends the stored line of `event`, '\n' included, to `out` as two chunks (the JSON's bytes up to
 * its final '}', then the checksum field): one UTF-8 encoding, the CRC over those very bytes.
 * Returns the line's length in bytes.
 */
export function pushLine(out: Buffer[], event: SessionEvent): number {
  const json = Buffer.from(JSON.stringify(event));
  const head = json.subarray(0, json.length - 1); // JSON.stringify of an object always ends in '}'
  const suffix = Buffer.from(`,"${CRC_FIELD}":"${crc32(head).toString(16).padStart(8, '0')}"}\n`, 'latin1');
  out.push(head, suffix);
  return head.length + suffix.length;
}

/** The stored line of `event`, without its '\n'. */
export function encodeRecord(event: SessionEvent): string {
  const parts: Buffer[] = [];
  const n = pushLine(parts, event);
  return Buffer.concat(parts).toString('utf8', 0, n - 1);
}

/**
 * What a stored line is:
 * - `event`: a checked record, or a line from before checksums that parses as an event;
 * - `damaged`: its checksum does not match, or the line holds bytes no writer writes (NUL);
 * - `fragment`: a torn fragment a writer terminated (see {@link FRAGMENT_TERMINATOR});
 * - `invalid`: anything else that is not an event (a torn tail, garbage).
 */
export type DecodedRecord =
  | { kind: 'event'; event: SessionEvent }
  | { kind: 'damaged' }
  | { kind: 'fragment' }
  | { kind: 'invalid' };

/**
 * The checksum a line claims in its suffix (`,"_crc":"xxxxxxxx"}` at `end`), or -1 when the line
 * has no well-formed suffix. Reads the bytes in place: no slice, no string.
 */
function claimedCrc(b: Uint8Array, start: number, end: number): number {
  if (end - start < SUFFIX_LENGTH + 2 || b[end - 1] !== 0x7d || b[end - 2] !== 0x22) return -1;
  const at = end - SUFFIX_LENGTH;
  for (let i = 0; i < SUFFIX_HEAD.length; i++) if (b[at + i] !== SUFFIX_HEAD[i]) return -1;
  let v = 0;
  for (let i = at + SUFFIX_HEAD.length; i < end - 2; i++) {
    const c = b[i]!;
    if (c >= 0x30 && c <= 0x39) v = v * 16 + (c - 0x30);
    else if (c >= 0x61 && c <= 0x66) v = v * 16 + (c - 0x57);
    else return -1; // upper case or not hex: no writer wrote this suffix
  }
  return v;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // the caller decides what an unparsable line is
  }
}

/** The verdict of a damaged line (shared: a verdict carries no data). */
export const DAMAGED: DecodedRecord = Object.freeze({ kind: 'damaged' });
const FRAGMENT: DecodedRecord = Object.freeze({ kind: 'fragment' });
const INVALID: DecodedRecord = Object.freeze({ kind: 'invalid' });

/** A line without a checksum suffix: from before checksums, or not a record at all. */
export function decodeUnchecked(b: Buffer, start: number, end: number): DecodedRecord {
  const value = parse(b.toString('utf8', start, end));
  const object = typeof value === 'object' && value !== null;
  if (object && Object.prototype.hasOwnProperty.call(value, CRC_FIELD)) return DAMAGED; // a suffix that lost its shape
  if (isStoredEvent(value)) return { kind: 'event', event: value };
  if (b.subarray(start, end).includes(0)) return DAMAGED; // JSON.stringify escapes NUL: raw NULs come from the disk, not a writer
  if (end > start && b[end - 1] === CAN) return FRAGMENT;
  return INVALID;
}

/** {@link checkLineInPlace}: the line has no checksum suffix (decode it with {@link decodeUnchecked}). */
export const UNCHECKED = -1;
/** {@link checkLineInPlace}: the line's bytes do not match its checksum (damaged). */
export const MISMATCH = -2;

/**
 * The first half of decoding a line `b[start, end)` (without its '\n'), in place: the checksum is
 * computed on the bytes as they are and compared with the suffix's digits read as bytes; for a
 * line that checks, the ',' that opens the suffix is overwritten with '}', so `b[start, result)` is
 * the event's JSON, decoded and parsed once ({@link parseChecked}) without building a second
 * string. So `b` must be a buffer the caller owns and will not read again as the file's bytes.
 * Returns that end, {@link UNCHECKED} or {@link MISMATCH}.
 */
export function checkLineInPlace(b: Buffer, start: number, end: number): number {
  const want = claimedCrc(b, start, end);
  if (want < 0) return UNCHECKED;
  const headEnd = end - SUFFIX_LENGTH;
  if (crc32(b.subarray(start, headEnd)) !== want) return MISMATCH;
  b[headEnd] = 0x7d;
  return headEnd + 1;
}

/** The second half: the JSON of a line whose checksum matched. Never throws. */
export function parseChecked(json: string): DecodedRecord {
  const value = parse(json);
  return isStoredEvent(value) ? { kind: 'event', event: value } : DAMAGED;
}

/** Both halves, for one line: see {@link checkLineInPlace} (same ownership rule for `b`). Never throws. */
export function decodeRecordInPlace(b: Buffer, start: number, end: number): DecodedRecord {
  const jsonEnd = checkLineInPlace(b, start, end);
  if (jsonEnd === UNCHECKED) return decodeUnchecked(b, start, end);
  return jsonEnd === MISMATCH ? DAMAGED : parseChecked(b.toString('utf8', start, jsonEnd));
}

/** Decodes one line (without its '\n'), leaving `line` as it is. Never throws. */
export function decodeRecord(line: Buffer): DecodedRecord {
  const copy = Buffer.from(line); // decodeRecordInPlace may overwrite one byte
  return decodeRecordInPlace(copy, 0, copy.length);
}
