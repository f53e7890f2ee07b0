/**
 * The memory file on disk (format.ts says what is in it). Writes are read-modify-write under a
 * lock file (`<file>.lock`, created exclusively; a lock older than STALE_LOCK_MS is taken over),
 * so two sessions or two windows never lose each other's entries; the text is written to a
 * temporary file and renamed over the old one, and a write only lands when the file still holds
 * what was read (an edit saved by hand meanwhile makes the change apply again to the new text).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AgentError } from '../base/errors';
import { parseMemory, serialiseMemory, type MemoryDocument } from './format';

/** Largest memory file read or written (characters). */
export const MAX_MEMORY_FILE_CHARS = 64 * 1024;
/** A lock file older than this is left over from a crashed writer. */
const STALE_LOCK_MS = 10_000;
/** Longest wait for another writer's lock. */
const LOCK_WAIT_MS = 5_000;
/** Times a write is tried again when the file changed between read and rename. */
const RETRIES = 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The memory file at `filePath`: read it, or change it with one serialised read-modify-write. */
export class MemoryFile {
  /** In-process queue (the lock file serialises processes, this the calls of one process). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly filePath: string, private readonly maxChars = MAX_MEMORY_FILE_CHARS) {}

  /** The file's text ('' when it does not exist yet). Throws `storage` past the size cap. */
  async readText(): Promise<string> {
    let text: string;
    try {
      text = await fs.readFile(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new AgentError('storage', `The memory file ${this.filePath} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (text.length > this.maxChars) throw this.tooLarge(text.length);
    return text;
  }

  /** The parsed file (entries without ids get provisional ones, written on the next change). */
  async read(): Promise<MemoryDocument> {
    return parseMemory(await this.readText());
  }

  /**
   * Applies `change` to the current document and writes it; `change` returns its result, or
   * undefined to write nothing. It may run more than once (when the file changed meanwhile), so
   * it must only look at the document it is given.
   */
  async update<T>(change: (doc: MemoryDocument) => T | undefined): Promise<T | undefined> {
    const run = this.queue.then(() => this.locked(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(change: (doc: MemoryDocument) => T | undefined): Promise<T | undefined> {
    await fs.mkdir(path.dirname(this.filePath), { recursive: true });
    const release = await this.lock();
    try {
      for (let attempt = 0; ; attempt++) {
        const before = await this.readText();
        const doc = parseMemory(before);
        const result = change(doc);
        if (result === undefined) return undefined;
        const after = serialiseMemory(doc);
        if (after.length > this.maxChars) throw this.tooLarge(after.length);
        const tmp = `${this.filePath}.${randomBytes(4).toString('hex')}.tmp`;
        await fs.writeFile(tmp, after, 'utf8');
        // A hand edit saved while we worked (editors take no lock): apply the change to it instead.
        if ((await this.readText()) !== before && attempt < RETRIES) {
          await fs.rm(tmp, { force: true });
          continue;
        }
        await fs.rename(tmp, this.filePath);
        return result;
      }
    } finally {
      await release();
    }
  }

  /** Takes `<file>.lock` (waiting for another writer, taking over a stale lock). */
  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.filePath}.lock`;
    const start = Date.now();
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        const handle = await fs.open(lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => fs.rm(lockPath, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new AgentError('storage', `The memory file's lock ${lockPath} cannot be created: ${(e as Error).message}`, { cause: e });
        }
      }
      const age = await fs.stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) { await fs.rm(lockPath, { force: true }); continue; }
      if (Date.now() - start > LOCK_WAIT_MS) {
        throw new AgentError('storage', `The memory file is locked by another writer (${lockPath}).`, {
          retryable: true, hint: 'Try again; if no other window is writing memory, delete the .lock file.',
        });
      }
      await sleep(delay);
    }
  }

  private tooLarge(chars: number): AgentError {
    return new AgentError('storage', `The memory file ${this.filePath} would be ${chars} characters, over the limit of ${this.maxChars}.`, {
      hint: 'Open the memory file (Agent Sessions: Open Memory) and remove entries you no longer need, or forget some.',
    });
  }
}
