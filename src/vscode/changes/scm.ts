/**
 * One Source Control provider per session with changes ("Agent Sessions: ‹title›" in the Source
 * Control view): a "Changes" group of its changed files, a "Child ‹title›" group per child
 * session, a click opens the diff baseline ↔ now, and its quick diff gives the editor gutter the
 * session's hunks. The input box sends its text as the session's next prompt (queued while a
 * turn runs). A provider is created when its session has changes and disposed when it has none.
 * A session with its own worktree has the worktree as the provider's root and shows its branch
 * (a status-bar command that opens it in Source Control); its title menu has the Bring-back
 * actions (package.json: `scmProviderRootUri in agentSessions.worktreeRoots`).
 */
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../core/base/disposable';
import { toAgentError } from '../../core/base/errors';
import type { ChangedFileDetail } from '../../core/changes/types';
import type { Logger } from '../../core/ports';
import { COMMANDS } from '../ids';
import { baselineUri } from './baseline-uri';
import type { ChangesModel, SessionChanges } from './changes-model';
import { samePath } from './paths';
import { diffTitle, groupRows, inputPlaceholder, rowTooltip } from './scm-rows';

export const SCM_ID = 'agentSessions';
/** Internal (not contributed): the input box's Ctrl+Enter. */
export const SEND_INPUT_COMMAND = 'agentSessions.changes.sendInput';
/** Context key: the root URIs (strings) of providers whose session has a worktree of its own (their title menus). */
export const WORKTREE_ROOTS_KEY = 'agentSessions.worktreeRoots';

/** The worktree a provider stands for (not a discarded one: its folder is gone). */
function liveWorktree(changes: SessionChanges): SessionChanges['worktree'] {
  return changes.worktree && changes.worktree.state !== 'discarded' ? changes.worktree : undefined;
}

/** What fixes a provider's identity: its label and root cannot change, so a change of either makes a new one. */
function identityOf(changes: SessionChanges): string {
  return JSON.stringify([changes.title, liveWorktree(changes)?.path ?? '']);
}

/** A row of the view; menu commands get these back as their arguments. */
export interface ChangeResource extends vscode.SourceControlResourceState {
  /** The session that made the change (the provider's, or a child's). */
  readonly sessionId: string;
  /** The provider's session. */
  readonly rootId: string;
  readonly path: string;
  readonly label: string;
  readonly restorable: boolean;
}

export function isChangeResource(v: unknown): v is ChangeResource {
  return typeof v === 'object' && v !== null && typeof (v as ChangeResource).sessionId === 'string'
    && typeof (v as ChangeResource).path === 'string' && (v as ChangeResource).resourceUri instanceof vscode.Uri;
}

/** The diff of one row: baseline ↔ the file now (an empty document for a deleted file). */
export function diffArguments(row: ChangedFileDetail, sessionTitle: string): [vscode.Uri, vscode.Uri, string] {
  const now = row.kind === 'deleted' ? baselineUri(row.sessionId, row.path, { empty: true }) : vscode.Uri.file(row.path);
  return [baselineUri(row.sessionId, row.path), now, diffTitle(row.label, sessionTitle)];
}

/** A baseline the quick diff can show: absent (created file) or kept bytes. */
function diffableBaseline(row: ChangedFileDetail): boolean {
  return row.kind !== 'deleted' && (row.baseline.state === 'absent' || (row.baseline.state === 'file' && row.baseline.stored && !row.baseline.binary));
}

const ICONS: Record<ChangedFileDetail['kind'], string> = { created: 'diff-added', modified: 'diff-modified', deleted: 'diff-removed' };

class SessionControl implements vscode.Disposable {
  readonly sc: vscode.SourceControl;
  private readonly groups = new Map<string, vscode.SourceControlResourceGroup>();
  private changes: SessionChanges;

  readonly identity: string;

  constructor(changes: SessionChanges, workspaceRoot: vscode.Uri | undefined, inputValue = '') {
    this.changes = changes;
    this.identity = identityOf(changes);
    const worktree = liveWorktree(changes);
    this.sc = vscode.scm.createSourceControl(SCM_ID, changes.title, worktree ? vscode.Uri.file(worktree.path) : workspaceRoot);
    this.sc.inputBox.placeholder = inputPlaceholder(changes.title, process.platform);
    this.sc.inputBox.value = inputValue;
    this.sc.acceptInputCommand = { command: SEND_INPUT_COMMAND, title: 'Send to session', arguments: [changes.sessionId] };
    this.sc.quickDiffProvider = {
      provideOriginalResource: (uri) => {
        if (uri.scheme !== 'file') return undefined;
        const row = this.rowOf(uri.fsPath);
        return row && diffableBaseline(row) ? baselineUri(row.sessionId, row.path) : undefined;
      },
    };
    this.update(changes);
  }

  get title(): string { return this.changes.title; }
  /** The root of a provider with a worktree (for the title menus' context key). */
  get worktreeRoot(): string | undefined { return liveWorktree(this.changes) ? this.sc.rootUri?.toString() : undefined; }
  get sessionId(): string { return this.changes.sessionId; }

  rowOf(absolute: string): ChangedFileDetail | undefined {
    return this.changes.rows.find((r) => samePath(r.path, absolute));
  }

  owns(group: unknown): string | undefined {
    for (const [id, g] of this.groups) if (g === group) return id.startsWith('child:') ? id.slice('child:'.length) : this.sessionId;
    return undefined;
  }

  update(changes: SessionChanges): void {
    this.changes = changes;
    const groups = groupRows(changes.sessionId, changes.rows);
    const wanted = new Set(groups.map((g) => g.id));
    for (const [id, g] of this.groups) if (!wanted.has(id)) { g.dispose(); this.groups.delete(id); }
    for (const group of groups) {
      let g = this.groups.get(group.id);
      if (!g) {
        g = this.sc.createResourceGroup(group.id, group.label);
        g.hideWhenEmpty = group.id !== 'changes';
        this.groups.set(group.id, g);
      }
      g.label = group.label;
      const title = group.sessionId === changes.sessionId ? changes.title : (group.rows[0]?.childTitle ?? group.sessionId);
      g.resourceStates = group.rows.map((row) => this.resource(row, title));
    }
    this.sc.count = changes.rows.length;
    const w = liveWorktree(changes);
    this.sc.statusBarCommands = w ? [{
      command: COMMANDS.worktreeOpenScm, title: `$(git-branch) ${w.branch}`, arguments: [changes.sessionId],
      tooltip: `${changes.title} works on branch ${w.branch} in its own worktree (${w.path}${w.state === 'ok' ? '' : `, ${w.state}`}): open it in Source Control`,
    }] : [];
  }

  private resource(row: ChangedFileDetail, sessionTitle: string): ChangeResource {
    return {
      sessionId: row.sessionId, rootId: this.changes.sessionId, path: row.path, label: row.label, restorable: row.restorable,
      resourceUri: vscode.Uri.file(row.path),
      contextValue: row.restorable ? 'restorable' : 'unrestorable',
      decorations: {
        strikeThrough: row.kind === 'deleted',
        faded: !row.restorable,
        tooltip: rowTooltip(row),
        iconPath: new vscode.ThemeIcon(ICONS[row.kind]),
      },
      command: { command: 'vscode.diff', title: 'Open Changes', arguments: diffArguments(row, sessionTitle) },
    };
  }

  dispose(): void {
    for (const g of this.groups.values()) g.dispose();
    this.groups.clear();
    this.sc.dispose();
  }
}

export interface ChangesScmDeps {
  rootUri(): vscode.Uri | undefined;
  /** Sends a prompt (queued when a turn runs). */
  send(sessionId: string, text: string): Promise<void>;
  logger: Logger;
}

export class ChangesScm extends Disposable {
  private readonly controls = new Map<string, SessionControl>();
  private worktreeRoots = '[]';

  constructor(private readonly model: ChangesModel, private readonly deps: ChangesScmDeps) {
    super();
    this._register(vscode.commands.registerCommand(SEND_INPUT_COMMAND, (sessionId: unknown) => this.sendInput(sessionId)));
    this._register(model.onDidChange((ids) => this.update(ids)));
    this._register(toDisposable(() => { for (const c of this.controls.values()) c.dispose(); this.controls.clear(); }));
    this.update(model.all().map((s) => s.sessionId));
  }

  /** The session a provider, a resource group or a resource of ours stands for. */
  sessionOf(arg: unknown): string | undefined {
    if (isChangeResource(arg)) return arg.sessionId;
    for (const c of this.controls.values()) {
      if (c.sc === arg) return c.sessionId;
      const owner = c.owns(arg);
      if (owner) return owner;
    }
    return undefined;
  }

  /** Whether `sessionId` (a top-level session) has a provider, i.e. changes to review. */
  has(sessionId: string): boolean {
    return this.controls.has(sessionId);
  }

  private update(ids: readonly string[]): void {
    for (const id of ids) {
      const changes = this.model.get(id);
      const control = this.controls.get(id);
      if (!changes) {
        control?.dispose();
        this.controls.delete(id);
        continue;
      }
      if (control && control.identity === identityOf(changes)) { control.update(changes); continue; }
      // A provider's label and root cannot change: a renamed session (or a moved worktree) gets a new one (keeping what was typed).
      const typed = control?.sc.inputBox.value ?? '';
      control?.dispose();
      this.controls.set(id, new SessionControl(changes, this.deps.rootUri(), typed));
    }
    this.updateWorktreeRoots();
  }

  private updateWorktreeRoots(): void {
    const roots = [...this.controls.values()].flatMap((c) => (c.worktreeRoot ? [c.worktreeRoot] : []));
    const key = JSON.stringify(roots);
    if (key === this.worktreeRoots) return;
    this.worktreeRoots = key;
    void vscode.commands.executeCommand('setContext', WORKTREE_ROOTS_KEY, roots);
  }

  private async sendInput(sessionId: unknown): Promise<void> {
    const control = typeof sessionId === 'string' ? this.controls.get(sessionId) : undefined;
    if (!control) return;
    const text = control.sc.inputBox.value.trim();
    if (!text) return;
    try {
      await this.deps.send(control.sessionId, text);
      control.sc.inputBox.value = '';
    } catch (err) {
      const e = toAgentError(err);
      this.deps.logger.warn(`Message to session ${control.sessionId} not sent: ${e.code}: ${e.message}`);
      void vscode.window.showErrorMessage(`Agent Sessions: ${e.message}`);
    }
  }
}
