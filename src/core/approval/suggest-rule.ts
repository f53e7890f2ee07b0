import * as path from 'node:path';
import type { SubCommand } from './shell-parse';
import type { ToolKind } from '../tools/types';

/** Programs whose options carry code (`node -e`, `python -c`): only an exact rule is safe for them. */
const INTERPRETERS = new Set(['sh', 'bash', 'zsh', 'dash', 'node', 'deno', 'bun', 'python', 'python3', 'ruby', 'perl', 'php', 'pwsh', 'osascript']);
const SAFE_WORD = /^[A-Za-z0-9_./-][A-Za-z0-9_.@:/=+,-]*$/;

function quoteIfNeeded(w: string): string {
  return SAFE_WORD.test(w) ? w : `"${w.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * A narrow command rule for one sub-command: program + subcommand word as a prefix
 * (`npm test --watch` → `run_command(npm test:*)`), never `run_command(*)`.
 */
export function suggestCommandRule(toolName: string, sub: SubCommand): string | undefined {
  const [program, second] = sub.argv;
  if (!program || /[$`*?]/.test(program)) return undefined;
  const base = program.split('/').pop() ?? program;
  if (INTERPRETERS.has(base) && (second === undefined || second.startsWith('-'))) {
    return `${toolName}(${sub.argv.map(quoteIfNeeded).join(' ')})`;
  }
  const words = second !== undefined && !second.startsWith('-') && SAFE_WORD.test(second) ? [program, second] : [program];
  if (words.length === sub.argv.length && words.length === 1) return `${toolName}(${quoteIfNeeded(program)}:*)`;
  return `${toolName}(${words.map(quoteIfNeeded).join(' ')}:*)`;
}

/**
 * The narrow rule to offer for "always allow":
 * - commands: only when exactly one sub-command still needs approval (a chain gets nothing);
 * - edits: the file's folder (`edit_file(src/components/**)`), or the exact file at the root or when sensitive;
 * - everything else: the exact tool name (`mcp__server__tool`).
 */
export function suggestRule(input: {
  toolName: string;
  kind: ToolKind;
  /** Sub-commands that are not allowed yet (commands only). */
  pendingSubcommands?: readonly SubCommand[];
  /** Workspace-relative path of the edited file (edits only). */
  relativePath?: string;
  sensitive?: boolean;
}): string | undefined {
  if (input.kind === 'command') {
    const pending = input.pendingSubcommands ?? [];
    return pending.length === 1 ? suggestCommandRule(input.toolName, pending[0]) : undefined;
  }
  if (input.kind === 'edit') {
    // Outside the workspace there is no narrow rule worth offering.
    if (input.relativePath === undefined) return undefined;
    const dir = path.posix.dirname(input.relativePath);
    if (input.sensitive || dir === '.' || dir === '') return `${input.toolName}(${input.relativePath})`;
    return `${input.toolName}(${dir}/**)`;
  }
  return input.toolName;
}
