/**
 * Hunks between a changed file's baseline and its content now, for the Changes view's per-hunk
 * Keep / Undo. A line is compared with its line ending ("a\r\n" is not "a\n", and a last line
 * without a newline is not the same line with one), so putting a hunk back or taking it keeps
 * every line's own ending: the file's CRLF stays CRLF, a missing final newline stays missing.
 * Pure: texts in, texts out.
 */
import type { ChangeHunk } from './types';
import { AgentError } from '../base/errors';
import { diffLineArrays } from './line-diff';

/** The text's lines, each with its line ending ("\n" or "\r\n"; the last may have none). */
export function splitKeepingEnds(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  while (from < text.length) {
    const nl = text.indexOf('\n', from);
    const to = nl < 0 ? text.length : nl + 1;
    lines.push(text.slice(from, to));
    from = to;
  }
  return lines;
}

function hunksOf(base: readonly string[], now: readonly string[]): ChangeHunk[] {
  return diffLineArrays(base, now).map((c, index) => ({
    index, baseStart: c.aStart, baseEnd: c.aEnd, start: c.bStart, end: c.bEnd,
    added: c.bEnd - c.bStart, removed: c.aEnd - c.aStart,
  }));
}

/**
 * The hunks from `baseline` to `current` (0-based line ranges, end exclusive), in file order.
 * Changes with no unchanged line between them are one hunk. A created file (empty baseline) is one
 * hunk of added lines; an emptied one, one hunk of removed lines.
 */
export function diffHunks(baseline: string, current: string): ChangeHunk[] {
  if (baseline === current) return [];
  return hunksOf(splitKeepingEnds(baseline), splitKeepingEnds(current));
}

function hunkAt(hunks: readonly ChangeHunk[], index: number): ChangeHunk {
  const hunk = Number.isInteger(index) ? hunks[index] : undefined;
  if (!hunk) {
    throw new AgentError('not_found', `There is no change #${index + 1} in this file now (it has ${hunks.length}): it changed since the view was shown. Look at its changes again.`);
  }
  return hunk;
}

/**
 * `current` with hunk `index` put back as it is in the baseline (the other hunks stay).
 * AgentError('not_found') when there is no such hunk (the file changed since the hunks were listed).
 */
export function revertHunk(baseline: string, current: string, index: number): string {
  const base = splitKeepingEnds(baseline);
  const now = splitKeepingEnds(current);
  const h = hunkAt(hunksOf(base, now), index);
  return [...now.slice(0, h.start), ...base.slice(h.baseStart, h.baseEnd), ...now.slice(h.end)].join('');
}

/**
 * The baseline with hunk `index` taken from `current`: the new baseline once the user kept that
 * hunk (the other hunks stay changes). AgentError('not_found') when there is no such hunk.
 */
export function keepHunk(baseline: string, current: string, index: number): string {
  const base = splitKeepingEnds(baseline);
  const now = splitKeepingEnds(current);
  const h = hunkAt(hunksOf(base, now), index);
  return [...base.slice(0, h.baseStart), ...now.slice(h.start, h.end), ...base.slice(h.baseEnd)].join('');
}

/** Lines added and removed from `baseline` to `current` (the Changes view's +n −m). */
export function lineCounts(baseline: string, current: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of diffHunks(baseline, current)) { added += h.added; removed += h.removed; }
  return { added, removed };
}
