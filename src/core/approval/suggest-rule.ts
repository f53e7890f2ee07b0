import * as path from 'node:path';
import type { JudgedCommand } from './command-analysis';
import { changesWhatRuns } from './shell/env';
import { hasSubcommands, interpreterOf } from './shell/programs';
import { SHELLS } from './shell/unwrap';
import type { ToolKind } from '../tools/types';

const SAFE_WORD = /^[A-Za-z0-9_./-][A-Za-z0-9_.@:/=+,-]*$/;

function quoteIfNeeded(w: string): string {
  return SAFE_WORD.test(w) ? w : `"${w.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * A narrow command rule for one judged command, never wider than its program, sub-command and
 * safe options: the innermost transparent layer (`timeout 60 npm test` → `npm test:*`, not
 * `timeout 60:*`); `program sub:*` for programs with sub-commands (`git status:*`, never `git:*`),
 * the exact command when there is no sub-command word (`npm --version`); `program:*` otherwise
 * (`find:*`, whose prefix never covers options that run things); the exact command for
 * interpreters and shells and for privileged commands. Environment that changes what runs is kept.
 */
export function suggestCommandRule(toolName: string, cmd: JudgedCommand): string | undefined {
  const elevated = cmd.layers.some((l) => l.elevated);
  const layer = elevated ? cmd.layers[0] : [...cmd.layers].reverse().find((l) => l.transparent) ?? cmd.layers[0];
  const argv = layer.argv.map((w) => w.value);
  if (argv.some((w) => w === undefined) || layer.extraArgs && elevated) return undefined;
  const words = argv as string[];
  const program = words[0];
  if (!program || /[*?[\]{}$`]/.test(program)) return undefined;
  const env = layer.env.filter((a) => changesWhatRuns(a.name));
  if (env.some((a) => a.value === undefined)) return undefined;
  const prefix = env.map((a) => `${a.name}=${quoteIfNeeded(a.value!)}`);
  const name = path.posix.basename(program);
  const exact = () => (layer.extraArgs ? undefined : `${toolName}(${[...prefix, ...words.map(quoteIfNeeded)].join(' ')})`);
  if (elevated || interpreterOf(name) || SHELLS.has(name)) return exact();
  if (hasSubcommands(name)) {
    const sub = cmd.view.subcommand[0];
    const at = sub === undefined ? -1 : words.indexOf(sub, 1);
    // `git status -s` → git status:*; `git -C x status` → exact (global options stay visible).
    if (at === 1 && SAFE_WORD.test(sub!)) return `${toolName}(${[...prefix, quoteIfNeeded(program), sub].join(' ')}:*)`;
    return exact();
  }
  return `${toolName}(${[...prefix, quoteIfNeeded(program)].join(' ')}:*)`;
}

/**
 * The narrow rule to offer for "always allow":
 * - commands: only when exactly one command still needs approval (a chain gets nothing);
 * - edits and reads (a hard-linked file): the file's folder (`edit_file(src/components/**)`), or
 *   the exact file at the root — a literal folder, so it also names the file for the engine;
 * - everything else: the exact tool name (`mcp__server__tool`).
 * Callers never offer one where the approval cannot be remembered (sensitive targets).
 */
export function suggestRule(input: {
  toolName: string;
  kind: ToolKind;
  /** Commands that are not allowed yet (commands only). */
  pending?: readonly JudgedCommand[];
  /** Workspace-relative path of the edited or read file (edits and reads only). */
  relativePath?: string;
}): string | undefined {
  if (input.kind === 'command') {
    const pending = input.pending ?? [];
    return pending.length === 1 ? suggestCommandRule(input.toolName, pending[0]) : undefined;
  }
  if (input.kind === 'edit' || input.kind === 'read') {
    // Outside the workspace there is no narrow rule worth offering.
    if (input.relativePath === undefined) return undefined;
    const dir = path.posix.dirname(input.relativePath);
    if (dir === '.' || dir === '') return `${input.toolName}(${input.relativePath})`;
    return `${input.toolName}(${dir}/**)`;
  }
  return input.toolName;
}
