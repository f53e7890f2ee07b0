/**
 * Spill files: the full output of a tool call too long to show whole, saved in the session's
 * storage (`<dir>/<sessionId>/<callId>-<random>.txt`) so the model can page through it with
 * read_file. A session sees only its own folder; its files go when the session is deleted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { assertSafeId } from '../base/ids';
import type { Redactor } from '../base/redact';
import { countNewlines } from './output-cap';

/** What one spill file holds. */
export interface SpillInfo {
  /** Absolute path of the file. */
  path: string;
  /** Bytes written (UTF-8). */
  bytes: number;
  /** Lines in the file; a last line without a newline counts. */
  lines: number;
  /** The output went on past the per-file cap: the file holds only its beginning. */
  truncated: boolean;
}

/** A spill file being written. Writes are queued; `write` says when to wait for `drained()`. */
export interface SpillWriter {
  /** Queues text. False: the queue is over its high-water mark; wait for `drained()` before more. */
  write(text: string): boolean;
  /** Settles when the queue is back under its low-water mark (or the file failed). */
  drained(): Promise<void>;
  /** Writes what is queued and closes the file. Rejects when the file could not be written. */
  close(): Promise<SpillInfo>;
  /** Stops and removes the file (the output turned out not to be worth keeping). */
  discard(): Promise<void>;
}

/** One session's spill folder (the port tools get as `ToolContext.spill`). */
export interface ToolOutputSpill {
  /** Starts a spill file for a call's output. */
  open(callId: string): SpillWriter;
  /** The real path of `input` when it names an existing spill file of this session; undefined otherwise. */
  resolve(input: string): Promise<string | undefined>;
}

export interface ToolOutputLimits {
  /** Largest spill file, bytes; the rest of a longer output is not saved. Default 32 MB. */
  maxFileBytes?: number;
  /** Spill files of one session together; the oldest go first. Default 256 MB. */
  maxSessionBytes?: number;
}

const HIGH_WATER_CHARS = 4 * 1024 * 1024;
const LOW_WATER_CHARS = 1024 * 1024;
const SUFFIX = '.txt';

/**
 * The root of all sessions' spill folders, e.g. `<extension storage>/tool-output`.
 * Folders are created on first use (owner-only permissions).
 */
export class ToolOutputFolder {
  private readonly maxFileBytes: number;
  private readonly maxSessionBytes: number;

  constructor(readonly directory: string, limits: ToolOutputLimits = {}) {
    this.maxFileBytes = limits.maxFileBytes ?? 32 * 1024 * 1024;
    this.maxSessionBytes = Math.max(this.maxFileBytes, limits.maxSessionBytes ?? 256 * 1024 * 1024);
  }

  /**
   * The spill folder of one session. Throws on an unsafe session id. `redactor` scrubs secrets
   * from what is saved (text arrives in whole lines, so a key is never split between writes).
   */
  forSession(sessionId: string, redactor?: Redactor): ToolOutputSpill {
    assertSafeId(sessionId);
    const folder = path.join(this.directory, sessionId);
    return {
      open: (callId) => {
        const file = path.join(folder, `${fileStem(callId)}-${randomBytes(3).toString('hex')}${SUFFIX}`);
        return new FileSpillWriter(file, this.maxFileBytes, this.prepare(folder), redactor);
      },
      resolve: (input) => resolveIn(folder, input),
    };
  }

  /** Removes a session's spill folder (when the session is deleted). */
  async deleteSession(sessionId: string): Promise<void> {
    assertSafeId(sessionId);
    await fs.rm(path.join(this.directory, sessionId), { recursive: true, force: true });
  }

  /** Creates the folder and makes room: oldest files go until a full-size new one fits the session budget. */
  private async prepare(folder: string): Promise<void> {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    const names = (await fs.readdir(folder)).filter((n) => n.endsWith(SUFFIX));
    const files = (await Promise.all(names.map(async (n) => {
      const p = path.join(folder, n);
      const st = await fs.stat(p).catch(() => undefined); // removed meanwhile: nothing to count
      return st ? { p, size: st.size, mtime: st.mtimeMs } : undefined;
    }))).filter((f) => f !== undefined).sort((a, b) => a.mtime - b.mtime);
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (total + this.maxFileBytes <= this.maxSessionBytes) break;
      await fs.rm(f.p, { force: true });
      total -= f.size;
    }
  }
}

/** A file-name-safe stem for a call id (ids come from providers and models). */
function fileStem(callId: string): string {
  const safe = callId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return safe || 'call';
}

async function resolveIn(folder: string, input: string): Promise<string | undefined> {
  if (!path.isAbsolute(input) || input.includes('\0') || !input.endsWith(SUFFIX)) return undefined;
  const [realFolder, real] = await Promise.all([fs.realpath(folder).catch(() => undefined), fs.realpath(input).catch(() => undefined)]);
  if (!realFolder || !real || path.dirname(real) !== realFolder || !real.endsWith(SUFFIX)) return undefined;
  const st = await fs.lstat(real).catch(() => undefined);
  return st?.isFile() && st.nlink === 1 ? real : undefined;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\ufffd') && !text.startsWith(cut)) cut = cut.slice(0, -1);
  return cut;
}

class FileSpillWriter implements SpillWriter {
  private readonly queue: string[] = [];
  private queuedChars = 0;
  private bytes = 0;
  private newlines = 0;
  private endsWithNewline = true;
  private truncated = false;
  private closed = false;
  private failure?: unknown;
  private pump?: Promise<void>;
  private waiters: Array<() => void> = [];
  private readonly handle: Promise<fs.FileHandle>;

  constructor(private readonly file: string, private readonly maxBytes: number, ready: Promise<void>, private readonly redactor?: Redactor) {
    this.handle = ready.then(() => fs.open(file, 'wx', 0o600));
    // Recorded here so it is never an unhandled rejection; close() reports it.
    this.handle.catch((e: unknown) => { this.fail(e); });
  }

  write(text: string): boolean {
    if (this.closed || this.failure !== undefined || this.truncated || text === '') return true;
    if (this.redactor) text = this.redactor.redact(text);
    let len = Buffer.byteLength(text, 'utf8');
    if (this.bytes + len > this.maxBytes) {
      text = cutToBytes(text, this.maxBytes - this.bytes);
      len = Buffer.byteLength(text, 'utf8');
      this.truncated = true;
    }
    if (text === '') return true;
    this.bytes += len;
    this.newlines += countNewlines(text);
    this.endsWithNewline = text.endsWith('\n');
    this.queue.push(text);
    this.queuedChars += text.length;
    this.pump ??= this.run();
    return this.queuedChars < HIGH_WATER_CHARS;
  }

  drained(): Promise<void> {
    if (this.queuedChars < LOW_WATER_CHARS || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<SpillInfo> {
    this.closed = true;
    await this.pump;
    const fh = await this.handle.catch(() => undefined);
    await fh?.close().catch((e: unknown) => { this.fail(e); });
    if (this.failure !== undefined) throw this.failure;
    const lines = this.newlines + (this.bytes > 0 && !this.endsWithNewline ? 1 : 0);
    return { path: this.file, bytes: this.bytes, lines, truncated: this.truncated };
  }

  async discard(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await this.pump;
    const fh = await this.handle.catch(() => undefined);
    await fh?.close().catch(() => undefined); // removed next anyway
    await fs.rm(this.file, { force: true });
  }

  private async run(): Promise<void> {
    try {
      const fh = await this.handle;
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0).join('');
        await fh.write(batch);
        this.queuedChars -= batch.length;
        if (this.queuedChars < LOW_WATER_CHARS) this.wake();
      }
    } catch (e) {
      this.fail(e);
    } finally {
      // No await between the loop's last check and here: a write() cannot slip in unseen.
      this.pump = undefined;
    }
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    this.queue.length = 0;
    this.queuedChars = 0;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
