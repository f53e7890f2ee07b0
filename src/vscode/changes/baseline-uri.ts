/**
 * URIs of a session's baseline of a file (what it was before the session's changes):
 * `agent-sessions-base:/<absolute path>?session=<id>`, read by ./baseline-content.ts. `empty=1`
 * names an empty document (the "now" side of a file the session deleted).
 */
import * as vscode from 'vscode';

export const BASELINE_SCHEME = 'agent-sessions-base';

export interface BaselineRef {
  sessionId: string;
  /** Absolute path of the file. */
  path: string;
  empty: boolean;
}

export function baselineUri(sessionId: string, absolute: string, options: { empty?: boolean } = {}): vscode.Uri {
  const query = new URLSearchParams({ session: sessionId, ...(options.empty ? { empty: '1' } : {}) }).toString();
  return vscode.Uri.file(absolute).with({ scheme: BASELINE_SCHEME, query });
}

/** The session and file of a baseline URI; undefined for any other URI. */
export function parseBaselineUri(uri: vscode.Uri): BaselineRef | undefined {
  if (uri.scheme !== BASELINE_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const sessionId = q.get('session');
  if (!sessionId) return undefined;
  return { sessionId, path: uri.with({ scheme: 'file', query: '' }).fsPath, empty: q.get('empty') === '1' };
}
