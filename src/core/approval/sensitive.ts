/**
 * Sensitive targets: files whose change makes the editor, git, a package manager, CI, a shell or
 * an agent run code or take instructions later (the "write a config file that runs code"
 * attacks). A write to one asks in every mode, whatever the allow rules say, and its approval
 * cannot be remembered as a rule (permission-engine.ts for the edit tools, command-decision.ts
 * for commands; COMMANDS.md, "Sensitive targets").
 *
 * Names are compared case-folded on every platform — macOS and Windows file systems are
 * case-insensitive by default, so `.VSCODE/settings.json` is `.vscode/settings.json` there — and
 * with what Windows ignores in a name removed (trailing dots and spaces, an NTFS `:stream`).
 */
import * as os from 'node:os';
import type { Target } from './targets';

/** File names sensitive at any depth (nested packages and rules files are read too). */
const FILES = new Set([
  // Agents: instructions and MCP servers this agent and others load.
  'agents.md', 'claude.md', '.mcp.json', '.clinerules',
  // git: attributes pick filters and diff drivers that run programs; submodules fetch code.
  '.gitattributes', '.gitmodules',
  // Manifests whose scripts run on install, build or test, and package-manager settings.
  'package.json', 'pyproject.toml', 'setup.py', 'makefile', 'gnumakefile', '.npmrc', '.yarnrc', '.yarnrc.yml',
  // Commit hooks managed outside .git/hooks.
  '.pre-commit-config.yaml',
]);
/** Folders whose whole content is sensitive, at any depth (the folder itself too). */
const FOLDERS = new Set(['.git', '.vscode', '.agents', '.claude', '.husky', '.clinerules']);
/** Runs of segments sensitive at any depth, with everything under them: CI and other agents' rules. */
const RUNS: readonly (readonly string[])[] = [
  ['.github', 'workflows'], ['.github', 'skills'], ['.github', 'copilot-instructions.md'], ['.cursor', 'rules'],
];
/** Home-relative shell startup files (wherever the workspace is). */
const SHELL_PROFILES = new Set([
  '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout',
]);
/** Home-relative folders: ssh keys, config and authorized_keys. */
const HOME_FOLDERS = new Set(['.ssh']);

/**
 * One path segment as a case-insensitive file system would see it: Unicode-compatibility
 * normalised, lower case, without trailing dots/spaces and without an NTFS `:stream` suffix.
 */
function fold(segment: string): string {
  // NFKC only when needed: it is most of the cost, and plain ASCII is already normal.
  let s = (/[^\x20-\x7e]/.test(segment) ? segment.normalize('NFKC') : segment).toLowerCase();
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  const last = s.charCodeAt(s.length - 1);
  return last === 0x2e || last === 0x20 ? s.replace(/[. ]+$/, '') : s;
}

function segments(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '');
}

/** `~/…` when `absolute` is a shell profile or under `~/.ssh` of `home`, compared case-folded. */
function homeReason(absolute: string, home: string): string | undefined {
  const h = home.replace(/[\\/]+$/, '');
  // Cheap rejection first: most targets are nowhere near the home folder's dot files.
  if (h === '' || absolute.length <= h.length + 1 || absolute.slice(0, h.length).toLowerCase() !== h.toLowerCase()) return undefined;
  const sep = absolute[h.length];
  if (sep !== '/' && sep !== '\\') return undefined;
  const rest = segments(absolute.slice(h.length + 1));
  if (rest.length === 0) return undefined;
  const first = fold(rest[0]);
  if (rest.length === 1 && SHELL_PROFILES.has(first)) return `~/${rest[0]} (a shell startup file)`;
  if (HOME_FOLDERS.has(first)) return `~/${rest.join('/')} (ssh keys and config)`;
  return undefined;
}

function namedSensitive(parts: readonly string[]): boolean {
  const base = parts[parts.length - 1];
  if (FILES.has(base) || base.startsWith('.env') || base.endsWith('.code-workspace')) return true;
  if (parts.some((p) => FOLDERS.has(p))) return true;
  return RUNS.some((run) => parts.some((_, i) => run.every((s, j) => parts[i + j] === s)));
}

/**
 * Why a target is sensitive, or undefined. The reason is what the approval card names: the
 * workspace-relative path as given, `outside the workspace: <absolute>`, `~/.bashrc (a shell
 * startup file)`, or `<path> (a hard link: …)`. Sensitive are: anything outside the workspace;
 * shell profiles and `~/.ssh` of `home`; a regular file with more than one hard link (its other
 * names may lie outside and cannot be listed cheaply); and the names above at any depth.
 */
export function sensitiveReason(target: Pick<Target, 'relative' | 'absolute' | 'hardLinks'>, home: string = os.homedir()): string | undefined {
  const { relative, absolute } = target;
  const profile = home ? homeReason(absolute, home) : undefined;
  if (profile) return relative === undefined ? `${profile}, outside the workspace` : profile;
  if (relative === undefined) return `outside the workspace: ${absolute}`;
  if (target.hardLinks !== undefined) return `${relative} (a hard link: the same file has ${target.hardLinks - 1} other name${target.hardLinks === 2 ? '' : 's'}, maybe outside the workspace)`;
  const parts = segments(relative).map(fold);
  return parts.length > 0 && namedSensitive(parts) ? relative : undefined;
}
