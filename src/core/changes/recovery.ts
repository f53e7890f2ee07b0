/**
 * Finishes a restore the process died in (its `restore.started` has no `restore.completed`), when
 * the session is opened again. Each planned file without an outcome in the log is looked at once
 * more: already at its target (written, but its event was lost) → recorded done; still as the
 * session left it → written now; anything else → left alone (it changed meanwhile). Then the
 * conversation part, when it was planned and is not in the log, and `restore.completed` with
 * `recovered`. The default disk writer's temp files the dead process left beside those files go.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Session } from '../session/session';
import type { LedgerEnv } from './types';
import { putBackAndRecord } from './restore-run';

/** Temp files of diskWriter (disk-writer.ts): `.<name>.<pid>.<time base 36>.tmp`. */
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-z]+\.tmp$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files a dead writer left beside `files` (best effort: a folder that cannot be read is skipped). */
async function removeDeadTemps(files: readonly string[]): Promise<void> {
  const byFolder = new Map<string, Set<string>>();
  for (const f of files) {
    const names = byFolder.get(path.dirname(f)) ?? new Set<string>();
    names.add(path.basename(f));
    byFolder.set(path.dirname(f), names);
  }
  for (const [folder, names] of byFolder) {
    let entries: string[];
    try {
      entries = await fs.readdir(folder);
    } catch {
      continue; // gone or unreadable: nothing of ours to clean there
    }
    for (const entry of entries) {
      const m = TEMP.exec(entry);
      if (m && names.has(m[1]) && !alive(Number(m[2]))) await fs.rm(path.join(folder, entry), { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Finishes the session's interrupted restore, if it has one (a read-only session is left to the
 * window that writes it). Call it right after the session's log was folded, before it is used.
 */
export async function finishInterruptedRestore(session: Session, ledger: LedgerEnv): Promise<void> {
  const open = session.data.restoring;
  if (!open || session.readOnlyBy) return;
  const entry = session.data.ledger.restores.get(open.restoreId);
  if (!entry) return;
  const { restoreId } = entry;
  for (const file of entry.files) {
    if (entry.done.has(file.path) || entry.skipped.has(file.path)) continue;
    await putBackAndRecord(session, ledger, file, 'recover', { source: 'restore', restoreId });
  }
  await removeDeadTemps(entry.files.map((f) => f.path));
  const l = session.data.ledger;
  if (entry.scope !== 'files') {
    const undone = entry.redoOf ? l.restores.get(entry.redoOf) : undefined;
    const saved = entry.redoOf ? l.rewinds.get(entry.redoOf) : undefined;
    const from = entry.checkpointSeq;
    const cp = from !== undefined ? l.checkpoints.get(from) : undefined;
    if (entry.redoOf && undone && saved && !undone.unrewound) session.changes.unrewound({ restoreId: entry.redoOf, meter: saved.meter });
    else if (!entry.redoOf && entry.rewoundAt === undefined && from !== undefined && cp) session.changes.rewound({ restoreId, fromSeq: from, meter: cp.meter });
  }
  session.changes.restoreCompleted({ restoreId, restored: entry.done.size, skipped: entry.skipped.size, recovered: true });
  await session.flush();
}
