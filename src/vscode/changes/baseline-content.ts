/**
 * The content of `agent-sessions-base:` documents: a session's baseline of a file, for the diff
 * editor and the gutter's quick diff. A baseline that cannot be read (its blob is damaged or was
 * never kept) shows one line saying so, and the log says why.
 */
import * as vscode from 'vscode';
import { toAgentError } from '../../core/base/errors';
import type { ChangesApi } from '../../core/changes/types';
import type { Logger } from '../../core/ports';
import { BASELINE_SCHEME, parseBaselineUri } from './baseline-uri';
import { baselineText } from './text-bytes';

export class BaselineContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly changes: ChangesApi, private readonly logger: Logger) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(BASELINE_SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseBaselineUri(uri);
    if (!ref) return '(Not a baseline of Agent Sessions.)';
    if (ref.empty) return '';
    try {
      return baselineText(await this.changes.baseline(ref.sessionId, ref.path));
    } catch (err) {
      const e = toAgentError(err);
      this.logger.warn(`The baseline of ${ref.path} (session ${ref.sessionId}) cannot be shown: ${e.code}: ${e.message}`);
      return e.code === 'not_found'
        ? '(This session has no recorded change of this file any more.)'
        : `(The content before this session's change is not available: ${e.message.replace(/\s+/g, ' ')})`;
    }
  }

  /** A session's baselines may have changed (kept, undone, restored): open baseline documents re-read theirs. */
  refresh(sessionIds: readonly string[]): void {
    const ids = new Set(sessionIds);
    for (const doc of vscode.workspace.textDocuments) {
      const ref = doc.uri.scheme === BASELINE_SCHEME ? parseBaselineUri(doc.uri) : undefined;
      if (ref && !ref.empty && ids.has(ref.sessionId)) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
