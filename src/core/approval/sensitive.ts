/**
 * Targets that always ask, in every mode, unless a rule names them explicitly: files that make
 * the editor or an agent run code later (the "write a config file that runs code" attacks).
 */

const SENSITIVE_FILES = new Set([
  '.vscode/settings.json', '.vscode/tasks.json', '.vscode/launch.json', '.vscode/mcp.json', '.mcp.json',
  'AGENTS.md', 'CLAUDE.md',
]);
const SENSITIVE_DIRS = ['.git', '.agents', '.claude'];

/**
 * Why a workspace-relative path is sensitive, or undefined. `relative` undefined means the
 * path is outside the workspace, which is always sensitive. Rules files count at any depth
 * (nested AGENTS.md files are read too).
 */
export function sensitiveReason(relative: string | undefined, absolute: string): string | undefined {
  if (relative === undefined) return `outside the workspace: ${absolute}`;
  const parts = relative.split('/');
  if (SENSITIVE_FILES.has(relative)) return relative;
  const base = parts[parts.length - 1];
  if (base === 'AGENTS.md' || base === 'CLAUDE.md') return relative;
  // Any `.git` / `.agents` / `.claude` folder on the way, including nested repositories.
  if (parts.slice(0, -1).some((p) => SENSITIVE_DIRS.includes(p)) || SENSITIVE_DIRS.includes(relative)) return relative;
  return undefined;
}
