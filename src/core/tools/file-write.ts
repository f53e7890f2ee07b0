import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EditPrecondition, FileState } from '../changes/file-state';
export type { FileState };

/**
 * Writes a file atomically (temp file in the same folder, then rename) so a crash or a
 * concurrent reader never sees half a file. Keeps the mode of an existing file. Text is written
 * as UTF-8; bytes exactly as given.
 */
export async function writeFileAtomic(absolute: string, content: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(absolute), { recursive: true });
  const mode = await fs.stat(absolute).then((s) => s.mode & 0o7777, () => undefined);
  const tmp = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await fs.writeFile(tmp, content, mode === undefined ? undefined : { mode });
    await fs.rename(tmp, absolute);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Current text of a file, or undefined when it does not exist. */
export async function readIfExists(absolute: string): Promise<string | undefined> {
  try {
    return await fs.readFile(absolute, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The precondition state of a missing file. */
export const ABSENT_STATE = 'absent';

/** Reads a file once: its text (undefined when missing) and the hash of exactly those bytes. */
export async function readFileState(absolute: string): Promise<FileState> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absolute);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined, state: ABSENT_STATE };
    throw e;
  }
  return { text: bytes.toString('utf8'), state: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

/**
 * Why an edit must not be written: the file is no longer in the state its change was shown for
 * (the user or another program changed, created or deleted it meanwhile). Undefined: it may be written.
 * The hash is compared just before the write; what happens in the microseconds between is not covered.
 */
export function changedSince(shown: string, expected: EditPrecondition | undefined, current: FileState): string | undefined {
  if (!expected || expected.state === current.state) return undefined;
  const when = expected.approved ? 'since the change was shown for approval' : 'since the change was prepared';
  return `${shown} changed ${when}; nothing was written. Read it again and redo the edit.`;
}
