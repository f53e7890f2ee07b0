/**
 * The read-only sides of the merge editor (`agent-sessions-merge:` documents): the base, the
 * main tree's side and the worktree's side of a file an apply left conflicted, from
 * `WorktreeApi.conflictSides` (read once per file and apply; the three documents share it).
 */
import * as vscode from 'vscode';
import { toAgentError } from '../../core/base/errors';
import type { Logger } from '../../core/ports';
import type { ConflictSides, WorktreeApi } from '../../core/worktree/types';
import { MERGE_SCHEME, parseMergeSide } from './merge-plan';

/** Files whose sides are kept (the merge editors of the last applies). */
const KEEP = 20;

export class MergeSideContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sides = new Map<string, Promise<ConflictSides>>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly worktrees: WorktreeApi, private readonly logger: Logger) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(MERGE_SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseMergeSide(uri.query);
    if (!ref) return '(Not a merge side of Agent Sessions.)';
    const key = JSON.stringify([ref.sessionId, ref.path, ref.generation]);
    let sides = this.sides.get(key);
    if (!sides) {
      sides = this.worktrees.conflictSides(ref.sessionId, ref.path);
      this.sides.set(key, sides);
      while (this.sides.size > KEEP) this.sides.delete(this.sides.keys().next().value as string);
      sides.catch(() => this.sides.delete(key)); // a failed read is tried again when the document is reopened
    }
    try {
      const s = await sides;
      return ref.side === 'base' ? s.base : ref.side === 'ours' ? s.ours : s.theirs;
    } catch (err) {
      const e = toAgentError(err);
      this.logger.warn(`The ${ref.side} side of ${ref.path} (session ${ref.sessionId}) cannot be shown: ${e.code}: ${e.message}`);
      return `(This side of the conflict is not available: ${e.message.replace(/\s+/g, ' ')})`;
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.sides.clear();
  }
}
