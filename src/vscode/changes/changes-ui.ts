/**
 * The change ledger's VS Code side, built once the session manager exists (it has a ledger):
 * baseline documents, the model of each session's changed files, a Source Control provider per
 * session, the hunk CodeLens, the menus' context keys and the review commands. Released with the
 * host's `ui` store.
 */
import type * as vscode from 'vscode';
import { Disposable } from '../../core/base/disposable';
import type { ChangesApi } from '../../core/changes/types';
import type { Logger } from '../../core/ports';
import type { SessionManagerApi } from '../../core/session/api';
import type { FocusTracker } from '../focus';
import { BaselineContent } from './baseline-content';
import { ChangesModel } from './changes-model';
import { commentToSession } from './comment';
import { ChangesContextKeys } from './context-keys';
import { ChangeLenses } from './review-lens';
import { ChangeReview } from './review';
import { ChangesScm } from './scm';

export interface ChangesUiDeps {
  manager: SessionManagerApi;
  changes: ChangesApi;
  focus: FocusTracker;
  logger: Logger;
  /** The Source Control providers' root (the first workspace folder). */
  rootUri(): vscode.Uri | undefined;
  /** Shows a session in the chat view. */
  reveal(sessionId: string): Promise<void>;
}

export class ChangesUi extends Disposable {
  readonly model: ChangesModel;
  readonly review: ChangeReview;
  private readonly baseline: BaselineContent;
  private readonly lenses: ChangeLenses;
  private readonly scm: ChangesScm;

  constructor(private readonly deps: ChangesUiDeps) {
    super();
    const { manager, changes, logger } = deps;
    this.baseline = this._register(new BaselineContent(changes, logger));
    this.model = this._register(new ChangesModel(manager, changes, logger));
    const scm = this.scm = this._register(new ChangesScm(this.model, {
      rootUri: deps.rootUri, logger,
      send: async (id, text) => { await manager.send(id, text); },
    }));
    this.lenses = this._register(new ChangeLenses(this.model, changes, logger));
    this._register(new ChangesContextKeys(this.model));
    this.review = new ChangeReview({
      manager, changes, model: this.model, scm, focused: () => deps.focus.focused,
      afterChange: async (ids) => {
        for (const id of new Set(ids)) await this.model.refresh(id);
        this.baseline.refresh(this.sessionIds());
        this.lenses.refresh();
      },
    });
    // A session's baselines change when it keeps or restores: open baseline documents follow.
    this._register(this.model.onDidChange(() => this.baseline.refresh(this.sessionIds())));
    // Deleting a session records no event; the chat view's tab change (or the delete command) tells.
    this._register(deps.focus.onDidChange(() => this.model.reconcile()));
    void this.model.start().catch((e: unknown) => logger.warn(`Reading the sessions' changes failed: ${String(e)}`));
  }

  /** Every session with changes in view, and their children (baseline URIs name the session that made the change). */
  private sessionIds(): string[] {
    return [...new Set(this.model.all().flatMap((s) => [s.sessionId, ...s.rows.map((r) => r.sessionId)]))];
  }

  showChanges(sessionId?: string, path?: string): Promise<void> {
    return this.review.showChanges(sessionId, path);
  }

  comment(): Promise<void> {
    return commentToSession({ manager: this.deps.manager, model: this.model, focus: this.deps.focus, reveal: this.deps.reveal });
  }

  /** The session one of our Source Control providers, groups or rows stands for (a menu command's argument). */
  sessionOf(arg: unknown): string | undefined {
    return this.scm.sessionOf(arg);
  }

  /** A session may have been deleted. */
  reconcile(): void {
    this.model.reconcile();
  }
}
