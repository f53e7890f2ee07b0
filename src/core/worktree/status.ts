/**
 * What a worktree holds: commits ahead of its base and uncommitted files (status), and a capped
 * summary of the uncommitted changes for drafting a commit message (describeChanges). Reads only.
 */
import { lstat, open } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorktreeStatus } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import { nulRecords, type GitCli } from './git-cli';
import { exists, porcelainPaths } from './git-output';
import { isSafeTreePath } from './inputs';
import type { WorktreeRef } from './types';

/** Fails with not_found when the worktree folder is gone (check() can re-add it). */
export function requireFolder(w: WorktreeRef): void {
  if (!exists(w.path)) throw new AgentError('not_found', `the worktree folder ${w.path} is gone: check the worktree again (it is re-added from the branch ${w.branch} when the branch is still there)`);
}

/** See WorktreeGit.status. */
export async function worktreeStatus(cli: GitCli, w: WorktreeRef): Promise<WorktreeStatus> {
  requireFolder(w);
  const [head, ahead, status] = await Promise.all([
    cli.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: w.path }),
    cli.text(['rev-list', '--count', `${w.base.commit}..HEAD`], { cwd: w.path }),
    cli.ok(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: w.path }),
  ]);
  return { ahead: Number(ahead) || 0, uncommitted: porcelainPaths(status), headCommit: head };
}

/** Text of an untracked file to show (capped), or undefined for binary / unreadable / not a file. */
async function untrackedText(file: string, maxBytes: number): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(Math.min(st.size, maxBytes));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const bytes = buf.subarray(0, bytesRead);
    if (bytes.includes(0)) return undefined;
    return bytes.toString('utf8') + (st.size > bytesRead ? '\n… (cut)' : '');
  } finally {
    await fh.close();
  }
}

/**
 * `git diff --stat HEAD` and a capped `git diff HEAD` of the worktree, then the untracked files'
 * names and (while room is left) their text: at most `maxChars` characters in all.
 */
export async function describeChanges(cli: GitCli, w: WorktreeRef, maxChars: number): Promise<string> {
  requireFolder(w);
  if (!Number.isFinite(maxChars) || maxChars < 1) throw new AgentError('bad_request', `maxChars must be a positive number (got ${maxChars})`);
  const budget = Math.floor(maxChars);
  const flags = ['--no-color', '--no-ext-diff', '--no-textconv', 'HEAD', '--'];
  const [stat, diff, others] = await Promise.all([
    cli.text(['diff', '--stat=120', ...flags], { cwd: w.path, maxBytes: 1024 * 1024, truncate: true }),
    cli.ok(['diff', '--find-renames', ...flags], { cwd: w.path, maxBytes: Math.max(4096, budget * 4), truncate: true }),
    cli.ok(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: w.path }),
  ]);
  const untracked = nulRecords(others).filter((p) => !p.endsWith('/') && isSafeTreePath(p));
  if (stat === '' && untracked.length === 0) return 'No uncommitted changes.';
  const parts: string[] = [];
  if (stat !== '') parts.push(`Changed files:\n${stat}`);
  if (untracked.length > 0) parts.push(`New files (untracked):\n${untracked.slice(0, 200).map((p) => `  ${p}`).join('\n')}${untracked.length > 200 ? `\n  … and ${untracked.length - 200} more` : ''}`);
  const diffText = diff.toString('utf8');
  if (diffText !== '') parts.push(`Diff:\n${diffText}`);
  let text = parts.join('\n\n');
  for (const rel of untracked) {
    const room = budget - text.length - rel.length - 20;
    if (room < 200) break;
    const content = await untrackedText(path.join(w.path, rel), Math.min(room, 16_384));
    if (content !== undefined) text += `\n\nNew file ${rel}:\n${content}`;
  }
  return text.length > budget ? `${text.slice(0, Math.max(0, budget - 16))}\n… (truncated)` : text;
}
