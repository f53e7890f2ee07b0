/** The prompt "Comment to Session" sends: where, the lines quoted, then the user's comment. No vscode import (unit-tested). */

export interface CommentInput {
  /** Workspace-relative label of the file. */
  label: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The selected lines as they read in the editor. */
  lines: string;
  comment: string;
}

/** A fence longer than any backtick run in `body`, so quoted code cannot close it early. */
export function fenceFor(body: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** "Comment on <label> lines A–B:\n```\n<lines>\n```\n<comment>" (one line: "line A"). */
export function commentPrompt(c: CommentInput): string {
  const where = c.startLine === c.endLine ? `line ${c.startLine}` : `lines ${c.startLine}–${c.endLine}`;
  const fence = fenceFor(c.lines);
  const lines = c.lines.replace(/\r\n/g, '\n').replace(/\n$/, '');
  return `Comment on ${c.label} ${where}:\n${fence}\n${lines}\n${fence}\n${c.comment.trim()}`;
}
