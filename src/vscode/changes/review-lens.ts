/**
 * "Keep | Undo (‹session›)" above each hunk a session changed in a file, in the editor itself
 * (CodeLens on `file:` documents). The lenses follow the change ledger (a keep or an undo moves
 * the other hunks) and are not shown on a buffer with unsaved edits, whose lines no longer match
 * the file the hunks were computed from.
 */
import * as vscode from 'vscode';
import { toAgentError } from '../../core/base/errors';
import type { ChangesApi } from '../../core/changes/types';
import type { Logger } from '../../core/ports';
import { COMMANDS } from '../ids';
import type { ChangesModel } from './changes-model';
import type { HunkRef } from './hunk-map';

export class ChangeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: ChangesModel, private readonly changes: ChangesApi, private readonly logger: Logger) {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      new vscode.Disposable(model.onDidChange(() => this.changed.fire()).dispose),
    ];
  }

  /** The ledger changed without the model's rows changing (a hunk kept): lenses are computed again. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (doc.isDirty) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const { root, row } of this.model.rowsFor(doc.uri.fsPath)) {
      if (row.kind === 'deleted' || token.isCancellationRequested) continue;
      let hunks;
      try {
        hunks = await this.changes.hunks(row.sessionId, row.path);
      } catch (err) {
        const e = toAgentError(err);
        this.logger.debug(`No hunks for ${row.label} (session ${row.sessionId}): ${e.code}: ${e.message}`);
        continue;
      }
      const title = row.childTitle ?? root.title;
      for (const h of hunks) {
        const line = Math.max(0, Math.min(h.start, doc.lineCount - 1));
        const range = new vscode.Range(line, 0, line, 0);
        const ref: HunkRef = { sessionId: row.sessionId, path: row.path, hunk: h.index };
        lenses.push(
          new vscode.CodeLens(range, { title: 'Keep', tooltip: `Keep this change of "${title}" (+${h.added} −${h.removed})`, command: COMMANDS.changesKeepHunk, arguments: [ref] }),
          new vscode.CodeLens(range, { title: `Undo (${title})`, tooltip: `Put these lines back as they were before "${title}" changed them`, command: COMMANDS.changesUndoHunk, arguments: [ref] }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
