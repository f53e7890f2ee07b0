/** The default FileWriter: atomic writes straight to disk (a host without editors, tests). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileWriter } from './types';

/** Writes bytes atomically (temp file in the same folder, then rename), keeping an existing file's mode. */
export async function writeBytesAtomic(absolute: string, content: Uint8Array): Promise<void> {
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

export const diskWriter: FileWriter = {
  async write(absolute, content) {
    await writeBytesAtomic(absolute, content);
    return 'disk';
  },
  async remove(absolute) {
    await fs.rm(absolute, { force: true });
    return 'disk';
  },
  async rename(from, to) {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
    return 'disk';
  },
};
