/**
 * What the workspace scans share: their settings, their outcome, and how one path's images
 * before and after a command become a ScannedChange (or none).
 */
import type { FileImage } from '../../shared/changes';
import { sameContent } from '../../shared/changes';
import type { ImageCache } from './scan-files';
import type { BlobStore, ScannedChange } from './types';

/** Everything one scan of one root (or one repository) works with. */
export interface ScanContext {
  blobs: BlobStore;
  /** The session's image of a file it read or wrote (the best pre-image outside git). */
  known(absolute: string): FileImage | undefined;
  signal?: AbortSignal;
  /** What this session's earlier scans read (dirty files unchanged since are not read again). */
  images?: ImageCache;
  maxFiles: number;
  maxMs: number;
  maxFileBytes: number;
  git: string;
}

/** What one scan found: its changes (absolute paths) and what it could not capture. */
export interface ScanOutcome {
  changes: ScannedChange[];
  notes: string[];
}

/** A scan begun before the command. */
export interface BegunScan {
  finish(): Promise<ScanOutcome>;
}

/**
 * The change from `before` to `after`, or undefined when the content is the same. `existed`
 * tells a modification from a creation when the earlier content is unknown.
 */
export function changeOf(path: string, before: FileImage, after: FileImage, existed = before.state !== 'absent'): ScannedChange | undefined {
  if (before.state === 'absent' && after.state === 'absent') return undefined;
  if (sameContent(before, after)) return undefined;
  const kind = after.state === 'absent' ? 'deleted' : existed ? 'modified' : 'created';
  if (kind === 'deleted' && !existed) return undefined;
  return { path, kind, before, after };
}

/**
 * The pre-image of a file nobody captured before the command: the session's own image when it
 * is plausibly still the file's content (`size`, when known, matches), else unknown with `why`.
 */
export function knownOrUnknown(ctx: ScanContext, abs: string, why: string, size?: number): FileImage {
  const known = ctx.known(abs);
  if (known?.state === 'file' && (size === undefined || known.size === size)) return known;
  return { state: 'unknown', note: why };
}

/** "1,500 files", "1 file". */
export function files(n: number): string {
  return `${n.toLocaleString('en-US')} file${n === 1 ? '' : 's'}`;
}

/** "3 more files", "1 more file". */
export function moreFiles(n: number): string {
  return `${n.toLocaleString('en-US')} more file${n === 1 ? '' : 's'}`;
}

/** The seconds of a time cap, as people read it ("1.5 s"). */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** Why a scan stopped reading, for notes. */
export function capReason(hit: 'files' | 'time', ctx: Pick<ScanContext, 'maxFiles' | 'maxMs'>): string {
  return hit === 'files' ? `the ${ctx.maxFiles.toLocaleString('en-US')}-file cap` : `the ${seconds(ctx.maxMs)} time cap`;
}
