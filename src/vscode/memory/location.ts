/**
 * Where the workspace memory file lives: `memory.md` in the workspace storage (context.storageUri)
 * by default, or the path of the user setting `agentSessions.memory.file` (`~` and
 * `${workspaceFolder}` expanded). The setting is validated: it must end up absolute and name a
 * Markdown file (`.md`), so a typo never makes the agent append lines to some other file.
 * Pure (no vscode): the host passes the folders in.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The file name in the workspace storage. */
export const MEMORY_FILE_NAME = 'memory.md';

/** The memory file's path, or why the setting cannot be used (then the default is used). */
export type MemoryLocation = { path: string; problem?: undefined } | { path: string; problem: string };

/**
 * Resolves the setting `setting` (empty: the default in `storageDir`). `workspaceFolder`: the
 * first workspace folder (for `${workspaceFolder}`); `storageDir`: the workspace storage folder.
 */
export function memoryFileLocation(setting: string, storageDir: string, workspaceFolder: string | undefined, home = homedir()): MemoryLocation {
  const fallback = path.join(storageDir, MEMORY_FILE_NAME);
  const raw = setting.trim();
  if (raw === '') return { path: fallback };
  const bad = (why: string): MemoryLocation => ({ path: fallback, problem: `agentSessions.memory.file "${raw}" ${why}; using ${fallback}.` });
  let expanded = raw;
  if (expanded.includes('${workspaceFolder}')) {
    if (!workspaceFolder) return bad('uses ${workspaceFolder} but no folder is open');
    expanded = expanded.split('${workspaceFolder}').join(workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) expanded = path.join(home, expanded.slice(1));
  if (/\$\{[^}]*\}/.test(expanded)) return bad('uses a variable other than ${workspaceFolder} and ~');
  if (!path.isAbsolute(expanded)) return bad('is not an absolute path (use ~/…, ${workspaceFolder}/… or a full path)');
  const file = path.normalize(expanded);
  if (path.extname(file).toLowerCase() !== '.md') return bad('does not name a Markdown file (.md)');
  return { path: file };
}
