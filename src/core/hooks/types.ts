/**
 * Hooks in Claude Code's format (`.claude/settings.json` / `.claude/settings.local.json`
 * `hooks`): what a configured hook is, and the ports the host implements (approval, trust).
 * Reference: https://code.claude.com/docs/en/hooks
 */
import type { HookEventName } from '../../shared/knowledge-types';

export type { HookEventName, HookOutcome, HookRunInfo } from '../../shared/knowledge-types';

/** The events we run (Claude Code has more; others in a file are kept out with a note, never an error). */
export const HOOK_EVENTS: readonly HookEventName[] = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop', 'SessionStart'];

/** Default time limit of one hook command, seconds (Claude Code's default). */
export const DEFAULT_HOOK_TIMEOUT_S = 60;

/** One configured hook command. */
export interface HookCommand {
  event: HookEventName;
  /** The group's matcher as written (PreToolUse/PostToolUse: a regex on the tool name; absent, "" or "*": every tool). */
  matcher?: string;
  /** The shell command line (run with /bin/sh -c; `$CLAUDE_PROJECT_DIR` is set). */
  command: string;
  /** Seconds; absent: DEFAULT_HOOK_TIMEOUT_S. */
  timeoutSec?: number;
  /** Where it is configured, workspace-relative (`.claude/settings.json`). */
  source: string;
  /** The folder whose `.claude` folder holds it (CLAUDE_PROJECT_DIR, the command's cwd). */
  root: string;
  /** sha256 of event + matcher + command + source: the unit of approval. */
  hash: string;
}

/** A bad entry of a settings file (the rest still loads). */
export interface HookProblem {
  /** Workspace-relative file. */
  source: string;
  /** JSON path of the entry, e.g. `hooks.PreToolUse[0].hooks[1].timeout`. */
  path: string;
  message: string;
}

/** What the two settings files of one folder configure. */
export interface HookSet {
  hooks: HookCommand[];
  problems: HookProblem[];
}

/**
 * Host port: the user's answer for a hook command (by `hash`). `approved` answers from what is
 * remembered without asking (undefined: never answered); `approve` asks (a modal in VS Code) and
 * remembers the answer. Both only ever run for a trusted workspace.
 */
export interface HookApprovalPort {
  approved(hook: HookCommand): boolean | undefined;
  approve(hook: HookCommand): Promise<boolean>;
}

/** Host port: the configured hooks of a folder (core's FileHookSource reads the files itself). */
export interface HookSource {
  load(root: string): Promise<HookSet>;
}
