import { join } from 'node:path';
import { errnoCode, type StoreFs } from './fs-seam';

/**
 * `index.json.<pid>-<8 hex>.tmp`, `<id>.checkpoint.json.<pid>-<8 hex>.tmp` and `<id>.jsonl.<pid>-<8 hex>.tmp`
 * (index-file.ts, checkpoint-file.ts, and a new log's first lines in log-writer.ts). Session ids never
 * end in `.tmp`, so no log, lock or checkpoint matches.
 */
const INDEX_TMP = /^index\.json\.(\d+)-[0-9a-f]{8}\.tmp$/;
const SESSION_TMP = /^.+\.(?:checkpoint\.json|jsonl)\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** A temp file this old is nobody's write in progress (those take milliseconds), whatever its pid. */
export const STALE_TEMP_MS = 60_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM'; // exists, belongs to someone else
  }
}

/**
 * Removes the temp files a crashed writer left behind (a rename that never happened): those
 * whose writer's pid is dead, or that are older than {@link STALE_TEMP_MS}. A fresh temp file of
 * a live process is another window's write in progress and is left alone. Never throws.
 * Returns the names removed.
 */
export async function removeStaleTempFiles(fsx: StoreFs, dir: string, sessionsDir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const [folder, pattern] of [[dir, INDEX_TMP], [sessionsDir, SESSION_TMP]] as const) {
    let names: string[];
    try {
      names = await fsx.readdir(folder);
    } catch {
      continue; // not created yet: nothing left behind
    }
    for (const name of names) {
      const m = pattern.exec(name);
      if (!m) continue;
      const path = join(folder, name);
      try {
        const st = await fsx.stat(path);
        if (!st) continue;
        if (pidAlive(Number(m[1])) && now - st.mtimeMs < STALE_TEMP_MS) continue;
        await fsx.unlink(path);
        removed.push(name);
      } catch {
        // gone meanwhile, or not ours to remove: the next open tries again
      }
    }
  }
  return removed;
}
