/**
 * What the shell will run, as read from a command line: simple commands with their words,
 * environment, working folders, redirections and standard input. Produced by `syntax.ts` from
 * the tree-sitter bash tree; wrappers are unwrapped later (`unwrap.ts`).
 */

/** One shell word after quote removal. */
export interface ShellWord {
  /** The value the shell gives it, when that is known before running; undefined = computed at run time. */
  value?: string;
  /** The word as written (for display and for the deny-anywhere scan). */
  text: string;
}

/** `NAME=value` before a command, or as a statement of its own. */
export interface Assignment {
  name: string;
  /** Undefined when computed at run time. */
  value?: string;
}

/** A redirection or argument that writes a file. */
export interface WriteTarget {
  /** The path as written; `value` undefined = computed at run time. */
  target: ShellWord;
  /** Working folders the command may run in (absolute); undefined = unknown. */
  cwds: readonly string[] | undefined;
  /** How it writes: `>`, `>>`, `tee`, `cp`, `ln target`, `tar -x`, … */
  how: string;
  /** A folder whose content the command may write anything into (tar -x, cp -r …). */
  folder?: boolean;
}

/** One simple command of the line, as the shell will run it (wrappers not yet unwrapped). */
export interface SimpleCommand {
  words: ShellWord[];
  /** Assignments written before the program (`FOO=1 npm test`). */
  assignments: Assignment[];
  /** Assignment-only statements earlier in the line (`PATH=/x; git status`) that reach this command. */
  carried: Assignment[];
  /** Working folders it may run in (absolute); undefined = unknown. */
  cwds: readonly string[] | undefined;
  /** Standard input from a here-string or heredoc: `text` undefined when it expands at run time. */
  stdin?: { text?: string };
  /** True when it reads a pipe (`… | sh`). */
  pipedInput: boolean;
  /** The command's source text. */
  text: string;
}

/** A command line read into simple commands and writes, plus what could not be judged. */
export interface ParsedLine {
  commands: SimpleCommand[];
  writes: WriteTarget[];
  /** Reasons the line is not fully analysable; empty = fully analysed. */
  problems: string[];
}
