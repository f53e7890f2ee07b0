/**
 * Where sessions' worktrees are made and which git makes them, from the settings, checked:
 * `agentSessions.worktrees.folder` must be absolute and outside every workspace folder (a worktree
 * inside the repository it belongs to would show up in it as untracked files), `git.path` (the
 * built-in git extension's setting, user settings only) names the git binary. No vscode import.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathKey } from '../changes/paths';

export interface WorktreesFolder {
  /** The folder to use (the setting's, or the default). */
  dir: string;
  /** Why the setting was not used (absent: it was, or it is empty). */
  problem?: string;
}

/** True when `child` is `parent` or inside it. */
function isInside(child: string, parent: string): boolean {
  const rel = relative(pathKey(resolve(parent)), pathKey(resolve(child)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The folder new worktrees go in. `setting` empty: `fallback` (the extension's storage). `~/…` is
 * the home folder. A relative path, or one inside a workspace folder, is refused with the reason.
 */
export function worktreesFolder(setting: string, workspaceFolders: readonly string[], fallback: string, home = homedir()): WorktreesFolder {
  const raw = setting.trim();
  if (!raw) return { dir: fallback };
  const expanded = raw === '~' ? home : raw.startsWith('~/') || raw.startsWith('~\\') ? join(home, raw.slice(2)) : raw;
  const name = '"agentSessions.worktrees.folder"';
  if (!isAbsolute(expanded)) {
    return { dir: fallback, problem: `${name} must be an absolute folder (it is "${raw}"); worktrees go in ${fallback} instead.` };
  }
  const dir = resolve(expanded);
  const inside = workspaceFolders.find((f) => isInside(dir, f));
  if (inside) {
    return { dir: fallback, problem: `${name} (${dir}) is inside the workspace folder ${inside}: a worktree there would show up in the repository. Pick a folder outside it; worktrees go in ${fallback} meanwhile.` };
  }
  return { dir };
}

/**
 * The git binary from the `git.path` setting's user value (a string or a list of candidates, as
 * the git extension takes it): the first absolute path that exists; undefined: `git` on the PATH.
 * Only the user value counts (VS Code scopes the setting to the machine; a repository's
 * .vscode/settings.json must not choose which program runs as git).
 */
export function gitPathFrom(userValue: unknown, exists: (path: string) => boolean): string | undefined {
  const candidates = typeof userValue === 'string' ? [userValue] : Array.isArray(userValue) ? userValue.filter((v): v is string => typeof v === 'string') : [];
  return candidates.map((c) => c.trim()).find((c) => c !== '' && isAbsolute(c) && exists(c));
}
