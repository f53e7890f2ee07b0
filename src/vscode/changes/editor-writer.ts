/**
 * core's FileWriter in VS Code: a file open in the editor is changed through its buffer (a
 * WorkspaceEdit, then saved), so the agent's edit is on the undo stack (Ctrl+Z takes it back);
 * a buffer with the user's own unsaved changes is never overwritten (AgentError('conflict'),
 * nothing written). Any other file is written to disk atomically. The editor is reached through
 * a small port (./editor-port.ts binds it to vscode), so this decision logic runs in plain Node.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AgentError } from '../../core/base/errors';
import type { FileWriter } from '../../core/changes/types';
import { writeFileAtomic } from '../../core/tools/file-write';
import { textForEditor } from './text-bytes';

/** A TextDocument as the writer needs to see it. */
export interface OpenDocumentInfo {
  isDirty: boolean;
  /** VS Code's name of the encoding it saves with (`utf8`, `utf8bom`, `utf16le`, …). */
  encoding: string;
}

/**
 * How an editor write ended. `refused`: VS Code did not apply the edit (the buffer changed
 * meanwhile); `unchanged`: the buffer already holds this text (nothing to edit or save).
 */
export type EditorWriteOutcome = 'saved' | 'unchanged' | 'refused' | 'not_saved' | 'closed';

/** The editor operations the writer uses (absolute paths). */
export interface EditorPort {
  /** The open text document of a file, if any. */
  openDocument(absolute: string): OpenDocumentInfo | undefined;
  /** Replaces the whole buffer (switching its EOL when given) and saves it; `not_saved`: the save failed and the buffer was reverted. */
  replaceAndSave(absolute: string, text: string, eol: 'lf' | 'crlf' | undefined): Promise<EditorWriteOutcome>;
  /** Deletes through a WorkspaceEdit (undoable in the explorer); false when VS Code refused. */
  deleteFile(absolute: string): Promise<boolean>;
  /** Renames through a WorkspaceEdit (the open editor follows the file); false when VS Code refused. */
  renameFile(from: string, to: string): Promise<boolean>;
}

export function unsavedConflict(label: string): AgentError {
  return new AgentError('conflict', `${label} is open in the editor with unsaved changes; nothing was written. Ask the user to save or revert it, then read it again.`);
}

export class EditorFileWriter implements FileWriter {
  constructor(private readonly editor: EditorPort, private readonly labelOf: (absolute: string) => string) {}

  async write(absolute: string, content: Uint8Array): Promise<'editor' | 'disk'> {
    const doc = this.editor.openDocument(absolute);
    if (!doc) return this.toDisk(absolute, content);
    if (doc.isDirty) throw unsavedConflict(this.labelOf(absolute));
    const text = textForEditor(content, doc.encoding);
    // Binary, another encoding, mixed line endings: the buffer could not hold these exact bytes.
    // A clean document follows the file on disk by itself.
    if (!text) return this.toDisk(absolute, content);
    const outcome = await this.editor.replaceAndSave(absolute, text.text, text.eol);
    switch (outcome) {
      case 'saved': return 'editor';
      // Same text: the exact bytes go to disk (the clean buffer shows them already; no empty undo step).
      case 'unchanged':
      case 'closed': return this.toDisk(absolute, content);
      case 'refused':
        if (this.editor.openDocument(absolute)?.isDirty) throw unsavedConflict(this.labelOf(absolute));
        throw new AgentError('conflict', `${this.labelOf(absolute)} changed in the editor while the agent wrote it; nothing was written. Read it again.`);
      case 'not_saved':
        throw new AgentError('tool_failed', `VS Code could not save ${this.labelOf(absolute)}; nothing was written (the editor shows the file as it is on disk).`);
    }
  }

  async remove(absolute: string): Promise<'editor' | 'disk'> {
    const doc = this.editor.openDocument(absolute);
    if (!doc) {
      await fs.rm(absolute, { force: true });
      return 'disk';
    }
    if (doc.isDirty) throw unsavedConflict(this.labelOf(absolute));
    if (!(await this.editor.deleteFile(absolute))) throw new AgentError('tool_failed', `VS Code refused to delete ${this.labelOf(absolute)}; nothing was deleted.`);
    return 'editor';
  }

  async rename(from: string, to: string): Promise<'editor' | 'disk'> {
    const doc = this.editor.openDocument(from);
    if (doc?.isDirty) throw unsavedConflict(this.labelOf(from));
    if (this.editor.openDocument(to)?.isDirty) throw unsavedConflict(this.labelOf(to));
    await fs.mkdir(path.dirname(to), { recursive: true });
    if (!doc) {
      await fs.rename(from, to);
      return 'disk';
    }
    if (!(await this.editor.renameFile(from, to))) throw new AgentError('tool_failed', `VS Code refused to move ${this.labelOf(from)} to ${this.labelOf(to)}; nothing was moved.`);
    return 'editor';
  }

  private async toDisk(absolute: string, content: Uint8Array): Promise<'disk'> {
    await writeFileAtomic(absolute, content);
    return 'disk';
  }
}
