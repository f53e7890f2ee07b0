/**
 * Keep / Undo of a session's changes, per file, per hunk or all at once, from wherever the user
 * reviews: the Source Control view (resource menus and inline actions), the diff editor's title
 * bar, the CodeLens above each hunk and the quick-diff peek (`scm/change/title`, whose commands
 * get `(uri, LineChange[], index)` like git's `git.revertChange`). A conflict (someone else
 * changed the file since) is never overwritten silently: the user is asked, and "Overwrite"
 * asks core again with overwrite. Also "Show Changes" (the Source Control view, or one file's diff).
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { toAgentError } from '../../core/base/errors';
import type { ChangeHunk, ChangedFileDetail, ChangesApi } from '../../core/changes/types';
import type { SessionManagerApi } from '../../core/session/api';
import type { RestoreResult } from '../../shared/changes';
import { parseBaselineUri } from './baseline-uri';
import type { ChangesModel } from './changes-model';
import { labelOf } from './labels';
import { hunkAtLine, hunkForLineChange, isHunkRef, isLineChange, type HunkRef } from './hunk-map';
import { samePath } from './paths';
import { diffArguments, isChangeResource, type ChangesScm } from './scm';
import { rowTooltip } from './scm-rows';

export interface ReviewDeps {
  manager: SessionManagerApi;
  changes: ChangesApi;
  model: ChangesModel;
  scm: ChangesScm;
  /** The session the user looks at in the chat view, if any. */
  focused(): string | undefined;
  /** A review action changed these sessions' changes: views follow now (not only on the next event). */
  afterChange(sessionIds: readonly string[]): Promise<void>;
}

interface FileTarget { sessionId: string; path: string; label: string }

const info = (message: string): void => { void vscode.window.showInformationMessage(`Agent Sessions: ${message}`); };

export class ChangeReview {
  constructor(private readonly deps: ReviewDeps) {}

  async keepFile(args: unknown[]): Promise<void> {
    const targets = await this.fileTargets(args, 'Keep changes of');
    for (const t of targets) await this.deps.changes.keepFile(t.sessionId, t.path);
    await this.deps.afterChange(targets.map((t) => t.sessionId));
  }

  async undoFile(args: unknown[]): Promise<void> {
    const targets = await this.fileTargets(args, 'Undo changes of');
    const { changes } = this.deps;
    for (const t of targets) {
      const forced = (): Promise<RestoreResult> => changes.undoFile(t.sessionId, t.path, { overwrite: true });
      const result = await this.askOnConflict(() => changes.undoFile(t.sessionId, t.path), forced);
      await this.settle(result, forced);
    }
    await this.deps.afterChange(targets.map((t) => t.sessionId));
  }

  /** `arg`: a session id, our Source Control provider or resource group, or nothing (pick). */
  async undoAll(arg: unknown): Promise<void> {
    const sessionId = (typeof arg === 'string' ? arg : this.deps.scm.sessionOf(arg)) ?? await this.pickSession('Undo all changes of session');
    if (!sessionId) return;
    const title = this.titleOf(sessionId);
    const rows = this.rowsOf(sessionId);
    if (rows.length === 0) { info(`"${title}" has no changes to undo.`); return; }
    const n = rows.length;
    const listed = rows.slice(0, 15).map((r) => r.label).join('\n') + (n > 15 ? `\n… and ${n - 15} more` : '');
    const ok = await vscode.window.showWarningMessage(`Undo all ${n} ${n === 1 ? 'change' : 'changes'} of "${title}"?`, {
      modal: true,
      detail: `${listed}\n\nA file someone else changed since is skipped unless you choose to overwrite it.`,
    }, 'Undo All');
    if (ok !== 'Undo All') return;
    const { changes } = this.deps;
    const result = await this.askOnConflict(() => changes.undoAll(sessionId));
    await this.settle(result, (paths) => changes.undoAll(sessionId, { overwrite: paths }));
    await this.deps.afterChange([sessionId]);
  }

  async keepHunk(args: unknown[]): Promise<void> {
    const ref = await this.hunkTarget(args, 'Keep this change of');
    if (!ref) return;
    await this.deps.changes.keepHunk(ref.sessionId, ref.path, ref.hunk);
    await this.deps.afterChange([ref.sessionId]);
  }

  async undoHunk(args: unknown[]): Promise<void> {
    const ref = await this.hunkTarget(args, 'Undo this change of');
    if (!ref) return;
    // No overwrite for a hunk: its conflict is the user's unsaved buffer, which is never overwritten.
    await this.askOnConflict(() => this.deps.changes.undoHunk(ref.sessionId, ref.path, ref.hunk));
    await this.deps.afterChange([ref.sessionId]);
  }

  /** With a session and a path: that file's diff. Otherwise the Source Control view, where each session has its provider. */
  async showChanges(sessionId?: string, path?: string): Promise<void> {
    if (sessionId && path) { await this.openDiff(sessionId, path); return; }
    if (sessionId && !this.deps.model.get(this.deps.model.rootOf(sessionId))) await this.deps.model.refresh(sessionId);
    await vscode.commands.executeCommand('workbench.view.scm');
  }

  async openDiff(sessionId: string, path: string): Promise<void> {
    let row = this.findRow(sessionId, path);
    if (!row) {
      await this.deps.model.refresh(sessionId);
      row = this.findRow(sessionId, path);
    }
    if (!row) {
      // Kept or undone since (a tool card's file link): the file as it is, if there is one.
      info(`"${this.titleOf(sessionId)}" has no unreviewed change of ${labelOf(path)} (kept or undone since).`);
      if (isAbsolute(path) && existsSync(path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path), { preview: true });
      return;
    }
    await vscode.commands.executeCommand('vscode.diff', ...diffArguments(row, this.titleOf(row.sessionId)), { preview: true });
  }

  // --- what a command is about ----------------------------------------------------------------

  /** The files of a menu's arguments: our resources (several when multi-selected), a file or baseline URI, else the active editor's file. */
  private async fileTargets(args: unknown[], purpose: string): Promise<FileTarget[]> {
    const flat = args.flatMap((a) => (Array.isArray(a) ? a as unknown[] : [a]));
    const resources = flat.filter(isChangeResource);
    if (resources.length > 0) {
      const seen = new Map(resources.map((r) => [`${r.sessionId}\0${r.path}`, { sessionId: r.sessionId, path: r.path, label: r.label }]));
      return [...seen.values()];
    }
    const uri = flat.find((a): a is vscode.Uri => a instanceof vscode.Uri) ?? vscode.window.activeTextEditor?.document.uri;
    const base = uri && parseBaselineUri(uri);
    if (base) return [{ sessionId: base.sessionId, path: base.path, label: labelOf(base.path) }];
    if (!uri || uri.scheme !== 'file') { info('open a file a session changed first.'); return []; }
    const row = await this.rowForPath(uri.fsPath, purpose);
    return row ? [{ sessionId: row.sessionId, path: row.path, label: row.label }] : [];
  }

  /** The session's change of a file: the one the active diff shows, the only one, or the user's pick. */
  private async rowForPath(path: string, purpose: string): Promise<ChangedFileDetail | undefined> {
    const rows = this.deps.model.rowsFor(path).map((r) => r.row);
    if (rows.length === 0) { info(`no session has an unreviewed change of ${labelOf(path)}.`); return undefined; }
    const shown = this.activeDiffSession(path);
    const inDiff = rows.find((r) => r.sessionId === shown);
    if (inDiff) return inDiff;
    if (rows.length === 1) return rows[0];
    const pick = await vscode.window.showQuickPick(
      rows.map((row) => ({ label: this.titleOf(row.sessionId), description: rowTooltip(row), row })),
      { title: `${purpose} ${labelOf(path)}`, placeHolder: 'Which session\'s change?' },
    );
    return pick?.row;
  }

  /** The session whose baseline the active diff editor shows for `path`. */
  private activeDiffSession(path: string): string | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (!(input instanceof vscode.TabInputTextDiff)) return undefined;
    const ref = parseBaselineUri(input.original);
    return ref && samePath(ref.path, path) ? ref.sessionId : undefined;
  }

  /** A hunk from a CodeLens's argument, the quick-diff peek's `(uri, LineChange[], index)`, or the cursor. */
  private async hunkTarget(args: unknown[], purpose: string): Promise<HunkRef | undefined> {
    if (isHunkRef(args[0])) return args[0];
    const [uri, lineChanges, index] = args;
    if (uri instanceof vscode.Uri && Array.isArray(lineChanges) && typeof index === 'number') {
      const change: unknown = lineChanges[index];
      const path = parseBaselineUri(uri)?.path ?? (uri.scheme === 'file' ? uri.fsPath : undefined);
      if (!path || !isLineChange(change)) return undefined;
      return this.matchHunk(path, (hunks) => hunkForLineChange(hunks, change), purpose);
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) { info('put the cursor in a change first.'); return undefined; }
    const line = editor.selection.active.line;
    const base = parseBaselineUri(editor.document.uri);
    if (base) return this.matchHunk(base.path, (hunks) => hunks.find((h) => h.baseStart <= line && line < h.baseEnd), purpose, base.sessionId);
    if (editor.document.uri.scheme !== 'file') return undefined;
    return this.matchHunk(editor.document.uri.fsPath, (hunks) => hunkAtLine(hunks, line), purpose);
  }

  private async matchHunk(path: string, find: (hunks: ChangeHunk[]) => ChangeHunk | undefined, purpose: string, only?: string): Promise<HunkRef | undefined> {
    const found: Array<{ ref: HunkRef; title: string }> = [];
    for (const { row } of this.deps.model.rowsFor(path)) {
      if (only && row.sessionId !== only) continue;
      const hunks = await this.deps.changes.hunks(row.sessionId, row.path);
      const h = find(hunks);
      if (h) found.push({ ref: { sessionId: row.sessionId, path: row.path, hunk: h.index }, title: this.titleOf(row.sessionId) });
    }
    if (found.length === 0) { info(`no session's change is at this place in ${labelOf(path)} (the file may have changed since).`); return undefined; }
    if (found.length === 1) return found[0]!.ref;
    const pick = await vscode.window.showQuickPick(found.map((f) => ({ label: f.title, f })), { title: `${purpose} ${labelOf(path)}`, placeHolder: 'Which session\'s change?' });
    return pick?.f.ref;
  }

  private async pickSession(title: string): Promise<string | undefined> {
    const all = this.deps.model.all();
    if (all.length === 0) { info('no session has changes to review.'); return undefined; }
    const focused = this.deps.focused();
    if (focused && all.some((s) => s.sessionId === focused)) return focused;
    if (all.length === 1) return all[0]!.sessionId;
    const pick = await vscode.window.showQuickPick(
      all.map((s) => ({ label: s.title, description: `${s.rows.length} changed ${s.rows.length === 1 ? 'file' : 'files'}`, id: s.sessionId })),
      { title, placeHolder: 'Pick a session' },
    );
    return pick?.id;
  }

  // --- conflicts ------------------------------------------------------------------------------

  /** Runs `first`; on a conflict asks "Overwrite" / "Cancel" (only shows it when there is nothing to force). */
  private async askOnConflict<T>(first: () => Promise<T>, overwrite?: () => Promise<T>): Promise<T | undefined> {
    try {
      return await first();
    } catch (err) {
      const e = toAgentError(err);
      if (e.code !== 'conflict') throw err;
      if (!overwrite) { void vscode.window.showWarningMessage(`Agent Sessions: ${e.message}`); return undefined; }
      const pick = await vscode.window.showWarningMessage(`Agent Sessions: ${e.message}`, 'Overwrite', 'Cancel');
      return pick === 'Overwrite' ? overwrite() : undefined;
    }
  }

  /** Files a restore skipped (changed by someone else since): offers to overwrite them, once. */
  private async settle(result: RestoreResult | undefined, overwrite?: (paths: string[]) => Promise<RestoreResult>): Promise<void> {
    if (!result || result.skipped.length === 0) return;
    const text = result.skipped.map((s) => `${labelOf(s.path)}: ${s.reason}`).join('; ');
    if (!overwrite) { void vscode.window.showWarningMessage(`Agent Sessions: not undone: ${text}`); return; }
    const pick = await vscode.window.showWarningMessage(`Agent Sessions: not undone: ${text}`, 'Overwrite', 'Cancel');
    if (pick === 'Overwrite') await this.settle(await overwrite(result.skipped.map((s) => s.path)));
  }

  // --- lookups --------------------------------------------------------------------------------

  private rowsOf(sessionId: string): ChangedFileDetail[] {
    return this.deps.model.get(this.deps.model.rootOf(sessionId))?.rows.filter((r) => r.sessionId === sessionId) ?? [];
  }

  private findRow(sessionId: string, path: string): ChangedFileDetail | undefined {
    const root = this.deps.model.get(this.deps.model.rootOf(sessionId));
    // A path, or the label a view showed for it.
    return root?.rows.find((r) => (samePath(r.path, path) || r.label === path) && (r.sessionId === sessionId || sessionId === root.sessionId));
  }

  /** A session's title; a child's as its parent's view names it. */
  titleOf(sessionId: string): string {
    const root = this.deps.model.get(this.deps.model.rootOf(sessionId));
    if (root?.sessionId === sessionId) return root.title;
    return root?.rows.find((r) => r.sessionId === sessionId)?.childTitle
      ?? this.deps.manager.list().find((s) => s.id === sessionId)?.title ?? sessionId;
  }
}
