/**
 * Checks on what reaches git from outside (the user, the session engine, a session file): refs and
 * branch names that could be read as options, worktree records with missing fields, commit
 * messages. Each failure is a bad_request AgentError that names the value and the way out, raised
 * before git runs.
 */
import * as path from 'node:path';
import { AgentError } from '../base/errors';
import type { WorktreeRef } from './types';

/** True when `s` holds a space or a control character (code points up to U+0020, and U+007F). */
function hasControlOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}
const FULL_OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Longest commit message accepted (characters). */
export const MAX_COMMIT_MESSAGE = 10_000;

/** A ref as the user named it (branch, tag, commit id, `HEAD~2`): never an option, no spaces or control characters. */
export function checkRefInput(value: unknown, what = 'base'): string {
  if (typeof value !== 'string' || value === '') throw new AgentError('bad_request', `the ${what} must be a branch, tag or commit name (got ${typeof value === 'string' ? 'an empty text' : typeof value})`);
  if (value.length > 255) throw new AgentError('bad_request', `the ${what} is longer than 255 characters: name a branch, tag or commit`);
  if (value.startsWith('-')) throw new AgentError('bad_request', `the ${what} "${value.slice(0, 60)}" starts with "-", which git would read as an option: name a branch, tag or commit`);
  if (hasControlOrSpace(value)) throw new AgentError('bad_request', `the ${what} ${JSON.stringify(value.slice(0, 60))} contains spaces or control characters: name a branch, tag or commit`);
  return value;
}

/**
 * A branch name git would accept (the rules of `git check-ref-format`, checked here so that a
 * bad name is refused before git runs): no leading `-`, no `..`, `@{`, `~^:?*[\`, spaces, or a
 * component starting with `.` or ending with `.lock`.
 */
export function checkBranchName(value: unknown): string {
  const name = checkRefInput(value, 'branch');
  const bad = /\.\.|@\{|[~^:?*[\\]|\/\/|^\/|\/$|\.$|^@$/.test(name)
    || name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock') || part === '');
  if (bad) throw new AgentError('bad_request', `"${name}" is not a valid branch name: use letters, digits, "-", "_" and "/" (e.g. agent/fix-login-1a2b3c)`);
  return name;
}

/** An absolute folder path given by the caller. */
export function checkAbsolute(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('\0') || !path.isAbsolute(value)) {
    throw new AgentError('bad_request', `the ${what} must be an absolute folder path (got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value})`);
  }
  return path.resolve(value);
}

/** A worktree record as the engine hands it over (from a session file): every field present and sane. */
export function checkWorktreeRef(w: unknown): WorktreeRef {
  const o = (w ?? {}) as Partial<WorktreeRef>;
  const base = (o.base ?? {}) as Partial<WorktreeRef['base']>;
  if (typeof base.commit !== 'string' || !FULL_OID.test(base.commit)) {
    throw new AgentError('bad_request', 'the worktree record has no valid base commit: the session file may be damaged');
  }
  if (typeof base.ref !== 'string') throw new AgentError('bad_request', 'the worktree record has no base ref: the session file may be damaged');
  return {
    path: checkAbsolute(o.path, 'worktree folder'),
    repoRoot: checkAbsolute(o.repoRoot, 'repository folder'),
    branch: checkBranchName(o.branch),
    base: { ref: base.ref, commit: base.commit, ...(typeof base.branch === 'string' ? { branch: base.branch } : {}) },
  };
}

/** A commit message: text, not blank, at most 10 000 characters, no NUL. */
export function checkCommitMessage(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AgentError('bad_request', 'the commit message is empty: write what the changes do');
  if (value.length > MAX_COMMIT_MESSAGE) throw new AgentError('bad_request', `the commit message has ${value.length} characters; at most ${MAX_COMMIT_MESSAGE} are accepted: shorten it`);
  if (value.includes('\0')) throw new AgentError('bad_request', 'the commit message contains a NUL character: remove it');
  return value;
}

/**
 * A path of a tree as git names it, safe to join under a work tree: relative, `/`-separated, no
 * `..` or `.git` component (a crafted tree could hold them; git itself refuses to check them out).
 */
export function isSafeTreePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\0') || p.includes('\\')) return false;
  return p.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git');
}
