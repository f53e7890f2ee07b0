/**
 * The rows of a session's Changes view: what it left changed (all of it, or only since a
 * checkpoint), with the lines added and removed from each file's baseline to what the session
 * left there, read from its blobs.
 */
import type { ChangedFile, FileImage } from '../../shared/changes';
import type { SessionData } from '../session/reducer';
import type { BlobStore, ChangedFileDetail, HunkOps } from './types';
import { restorableImage, sameContent } from '../../shared/changes';
import { looksBinary } from './blob-store';

function netKind(baseline: FileImage, current: FileImage): ChangedFile['kind'] {
  if (baseline.state === 'absent') return 'created';
  return current.state === 'absent' ? 'deleted' : 'modified';
}

function noteOf(image: FileImage): string | undefined {
  if (image.state === 'unknown') return image.note;
  if (image.state === 'file' && !image.stored) return image.note ?? 'its earlier content was not kept';
  return undefined;
}

/**
 * The rows of the paths changed after seq `s`: the baseline is what the path held before its
 * first change after `s` (or what it was kept as, when kept after `s`); the current is what the
 * session last left there. Paths changed back to their baseline have no row.
 */
export function rowsSince(d: SessionData, s: number): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const [path, changes] of d.ledger.paths) {
    const first = changes.findIndex((c) => c.seq > s);
    if (first < 0) continue;
    const last = changes[changes.length - 1];
    const keep = d.ledger.keeps.get(path);
    const baseline = keep && keep.seq > s ? keep.baseline : changes[first].before;
    if (sameContent(baseline, last.after)) continue;
    const note = noteOf(baseline);
    out.push({
      path, label: last.label, kind: netKind(baseline, last.after), baseline, current: last.after,
      firstSeq: changes[first].seq, lastSeq: last.seq, restorable: restorableImage(baseline), ...(note ? { note } : {}),
    });
  }
  return out;
}

/** The text of an image from the blobs ('' for no file), or undefined: binary, unknown, not kept or damaged. */
export async function imageText(image: FileImage, blobs: BlobStore): Promise<string | undefined> {
  if (image.state === 'absent') return '';
  if (image.state !== 'file' || !image.stored || image.binary) return undefined;
  try {
    const bytes = await blobs.get(image.hash);
    return looksBinary(bytes) ? undefined : bytes.toString('utf8');
  } catch {
    return undefined; // damaged: the row says nothing about lines (its restore says why it cannot)
  }
}

/** Rows with their line counts (undefined when either side is not text, or without HunkOps). */
export async function withCounts(
  rows: readonly ChangedFile[], blobs: BlobStore, hunks: HunkOps | undefined, owner: { sessionId: string; childTitle?: string },
): Promise<ChangedFileDetail[]> {
  const out: ChangedFileDetail[] = [];
  for (const row of rows) {
    const detail: ChangedFileDetail = { ...structuredClone(row), ...owner };
    if (hunks) {
      const [from, to] = [await imageText(row.baseline, blobs), await imageText(row.current, blobs)];
      if (from !== undefined && to !== undefined) Object.assign(detail, hunks.lineCounts(from, to));
    }
    out.push(detail);
  }
  return out;
}
