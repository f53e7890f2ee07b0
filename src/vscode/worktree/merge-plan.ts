/**
 * Which merge editors an apply's result opens, and how their read-only sides are addressed: the
 * base, the main tree's side ("Current") and the worktree's side ("Incoming") are virtual
 * documents (`agent-sessions-merge:` URIs, served from `WorktreeApi.conflictSides`); the result
 * is the real file in the main tree. No vscode import: the host turns a plan into
 * `_open.mergeEditor` arguments (merge-editor.ts).
 */
import type { WorktreeApplyResult, WorktreeConflict } from '../../shared/worktree';

export const MERGE_SCHEME = 'agent-sessions-merge';
/** Merge editors opened at once; the rest are named in a message (they are in Source Control too). */
export const MAX_MERGE_EDITORS = 5;

export type MergeSide = 'base' | 'ours' | 'theirs';
const SIDES: readonly MergeSide[] = ['base', 'ours', 'theirs'];

/** What one side document stands for. `generation` tells two applies of one file apart (no stale cached text). */
export interface MergeSideRef {
  sessionId: string;
  /** Absolute path of the conflicted file in the main tree. */
  path: string;
  side: MergeSide;
  generation: number;
}

/** A side's address: the path (the label, so the tab and the language follow the file) and the query naming it. */
export interface MergeSideAddress {
  path: string;
  query: string;
}

export interface MergeInputPlan {
  side: MergeSide;
  address: MergeSideAddress;
  title: string;
  description: string;
}

export interface MergeEditorPlan {
  conflict: WorktreeConflict;
  base: MergeSideAddress;
  /** The main tree before the apply. */
  input1: MergeInputPlan;
  /** The session's worktree. */
  input2: MergeInputPlan;
  /** The real file, with conflict markers, that the merge editor writes. */
  output: string;
}

export interface MergePlans {
  open: MergeEditorPlan[];
  /** Conflicted files not opened (more than MAX_MERGE_EDITORS). */
  notOpened: WorktreeConflict[];
}

export function mergeSideAddress(ref: MergeSideRef, label: string): MergeSideAddress {
  const query = new URLSearchParams({ session: ref.sessionId, path: ref.path, side: ref.side, g: String(ref.generation) }).toString();
  return { path: `/${label.replace(/\\/g, '/').replace(/^\/+/, '')}`, query };
}

/** The side a document's query names, or undefined for a query we did not make. */
export function parseMergeSide(query: string): MergeSideRef | undefined {
  const q = new URLSearchParams(query);
  const sessionId = q.get('session');
  const path = q.get('path');
  const side = q.get('side');
  const generation = Number(q.get('g'));
  if (!sessionId || !path || !SIDES.includes(side as MergeSide) || !Number.isSafeInteger(generation) || generation < 0) return undefined;
  return { sessionId, path, side: side as MergeSide, generation };
}

/**
 * The editors to open for an apply's result: one per conflicted file (the first
 * MAX_MERGE_EDITORS), none for a clean result or nothing applied.
 */
export function mergePlansFor(
  sessionId: string, result: WorktreeApplyResult, names: { mainBranch: string; sessionBranch: string }, generation: number, max = MAX_MERGE_EDITORS,
): MergePlans {
  if (result.outcome !== 'conflicts') return { open: [], notOpened: [] };
  const plan = (conflict: WorktreeConflict): MergeEditorPlan => {
    const address = (side: MergeSide) => mergeSideAddress({ sessionId, path: conflict.path, side, generation }, conflict.label);
    return {
      conflict,
      base: address('base'),
      input1: { side: 'ours', address: address('ours'), title: 'Current', description: names.mainBranch },
      input2: { side: 'theirs', address: address('theirs'), title: 'Incoming', description: names.sessionBranch },
      output: conflict.path,
    };
  };
  return { open: result.conflicts.slice(0, max).map(plan), notOpened: result.conflicts.slice(max) };
}

/** `text` ending with one full stop. */
function sentence(text: string): string {
  return `${text.replace(/[.\s]+$/, '')}.`;
}

/** The message after the editors opened: how many conflicts, and the ones left to open from Source Control. */
export function conflictsMessage(result: WorktreeApplyResult, plans: MergePlans): string {
  const n = result.conflicts.length;
  const head = `${sentence(result.message)} ${n} file(s) have conflicts: resolve them in the merge editor${plans.open.length === 1 ? '' : 's'} and save.`;
  if (plans.notOpened.length === 0) return head;
  const names = plans.notOpened.slice(0, 10).map((c) => c.label).join(', ');
  const more = plans.notOpened.length > 10 ? `, and ${plans.notOpened.length - 10} more` : '';
  return `${head} Opened the first ${plans.open.length}; still to resolve (from Source Control, or open them): ${names}${more}.`;
}

/** The message of a clean apply: what it says, and the files (the first ten). */
export function appliedMessage(result: WorktreeApplyResult): string {
  if (result.outcome === 'nothing' || result.files.length === 0) return result.message;
  const names = result.files.slice(0, 10).join(', ');
  const more = result.files.length > 10 ? ` and ${result.files.length - 10} more` : '';
  return `${result.message.replace(/[.\s]+$/, '')} (${names}${more}).`;
}
