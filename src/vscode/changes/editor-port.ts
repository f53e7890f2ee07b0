/** The EditorPort of ./editor-writer.ts on VS Code's workspace API: open documents, WorkspaceEdits, save. */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { EditorPort, EditorWriteOutcome } from './editor-writer';
import { samePath } from './paths';

/** The open text document of a file on disk (not one of another scheme showing it). */
export function findFileDocument(absolute: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && !d.isClosed && samePath(d.uri.fsPath, absolute));
}

export function createEditorPort(logger: Logger): EditorPort {
  return {
    openDocument(absolute) {
      const doc = findFileDocument(absolute);
      return doc && { isDirty: doc.isDirty, encoding: doc.encoding };
    },

    async replaceAndSave(absolute, text, eol): Promise<EditorWriteOutcome> {
      const doc = findFileDocument(absolute);
      if (!doc) return 'closed';
      const wanted = eol === 'crlf' ? vscode.EndOfLine.CRLF : eol === 'lf' ? vscode.EndOfLine.LF : undefined;
      if (doc.getText() === text && (wanted === undefined || wanted === doc.eol)) return 'unchanged';
      const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
      const edits = [vscode.TextEdit.replace(whole, text)];
      if (wanted !== undefined && wanted !== doc.eol) edits.push(vscode.TextEdit.setEndOfLine(wanted));
      const edit = new vscode.WorkspaceEdit();
      edit.set(doc.uri, edits);
      // The edit carries the document version the extension host knows; VS Code refuses it when
      // the buffer changed since (the user typed), so a keystroke is never replaced.
      if (!(await vscode.workspace.applyEdit(edit))) return 'refused';
      if (!(await doc.save())) {
        // Not on disk: put the buffer back to the file's content rather than leave the agent's text unsaved in it.
        await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
        return 'not_saved';
      }
      if (doc.getText() !== text) {
        // A save participant (format on save, trim whitespace, final newline) changed it: the
        // ledger's image differs from the file now, and the next change finds it changed (re-read).
        logger.warn(`Saving ${vscode.workspace.asRelativePath(doc.uri)} changed the agent's text (a save action such as format on save); the session will read it again before its next edit.`);
      }
      return 'saved';
    },

    async deleteFile(absolute) {
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(vscode.Uri.file(absolute), { ignoreIfNotExists: true });
      return vscode.workspace.applyEdit(edit);
    },

    async renameFile(from, to) {
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(vscode.Uri.file(from), vscode.Uri.file(to), { overwrite: false });
      return vscode.workspace.applyEdit(edit);
    },
  };
}
