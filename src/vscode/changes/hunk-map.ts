/**
 * Which of the ledger's hunks a VS Code quick-diff change is. The quick-diff peek's commands
 * (`scm/change/title`, like git's `git.revertChange`) receive `(uri, LineChange[], index)` in
 * VS Code's own diff coordinates; the ledger computed its hunks itself. Both describe the same
 * baseline ↔ now diff, but two diff algorithms may cut it differently, so the match is by line
 * range: the same ranges, else the hunk the change overlaps. No vscode import (unit-tested).
 */
import type { ChangeHunk } from '../../core/changes/types';

/**
 * VS Code's line change (the git extension's `LineChange`): 1-based, inclusive line numbers. An
 * empty side has end 0 and start = the line after which the other side's lines go (0: the top).
 */
export interface LineChange {
  originalStartLineNumber: number;
  originalEndLineNumber: number;
  modifiedStartLineNumber: number;
  modifiedEndLineNumber: number;
}

/** Line ranges in the ledger's terms: 0-based, end exclusive (an empty range is a position). */
export interface LineRanges { baseStart: number; baseEnd: number; start: number; end: number }

const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Runtime check of a menu argument (it comes from the workbench, not from our code). */
export function isLineChange(v: unknown): v is LineChange {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return isLine(c.originalStartLineNumber) && isLine(c.originalEndLineNumber) && isLine(c.modifiedStartLineNumber) && isLine(c.modifiedEndLineNumber);
}

function side(startLine: number, endLine: number): [number, number] {
  return endLine === 0 ? [startLine, startLine] : [startLine - 1, endLine];
}

/** A LineChange as 0-based, end-exclusive ranges. */
export function rangesOf(change: LineChange): LineRanges {
  const [baseStart, baseEnd] = side(change.originalStartLineNumber, change.originalEndLineNumber);
  const [start, end] = side(change.modifiedStartLineNumber, change.modifiedEndLineNumber);
  return { baseStart, baseEnd, start, end };
}

/** Two ranges share a line, or an empty one sits inside or at an edge of the other. */
function touches(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aStart === aEnd || bStart === bEnd) return aStart <= bEnd && bStart <= aEnd;
  return aStart < bEnd && bStart < aEnd;
}

/** The hunk a quick-diff change stands for, or undefined when none matches (the file changed since). */
export function hunkForLineChange(hunks: readonly ChangeHunk[], change: LineChange): ChangeHunk | undefined {
  const r = rangesOf(change);
  const exact = hunks.find((h) => h.baseStart === r.baseStart && h.baseEnd === r.baseEnd && h.start === r.start && h.end === r.end);
  if (exact) return exact;
  const now = hunks.filter((h) => touches(h.start, h.end, r.start, r.end));
  if (now.length === 1) return now[0];
  const both = now.filter((h) => touches(h.baseStart, h.baseEnd, r.baseStart, r.baseEnd));
  return both.length === 1 ? both[0] : undefined;
}

/**
 * The hunk at a 0-based editor line: one whose current lines include it, else a deletion hunk
 * (no current lines) right at it or just above it.
 */
export function hunkAtLine(hunks: readonly ChangeHunk[], line: number): ChangeHunk | undefined {
  return hunks.find((h) => h.start <= line && line < h.end)
    ?? hunks.find((h) => h.start === h.end && (h.start === line || h.start === line + 1));
}

/** A hunk named by a CodeLens (the arguments of its Keep / Undo). */
export interface HunkRef { sessionId: string; path: string; hunk: number }

export function isHunkRef(v: unknown): v is HunkRef {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.sessionId === 'string' && typeof r.path === 'string' && isLine(r.hunk);
}
