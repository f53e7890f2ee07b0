import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically (temp file in the same folder, then rename) so a crash or a
 * concurrent reader never sees half a file. Keeps the mode of an existing file.
 */
export async function writeFileAtomic(absolute: string, content: string): Promise<void> {
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
