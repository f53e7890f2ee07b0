/**
 * One row of the command-approval bypass table: a command, the rules and mode it is judged
 * under, the decision it must get, and — for every command that must not be allowed — a probe
 * proving that the payload really runs under a real shell (so the table can never drift from
 * what /bin/sh and bash do).
 */
import type { SessionMode } from '../../../../src/core/session/types';

export type Decision = 'allow' | 'ask' | 'deny';

/** Bypass classes of issue 10 (for grouping and counting). */
export type BypassClass =
  | 'parser'          // the parser disagrees with the shell
  | 'write-target'    // where the write really goes
  | 'wrapper'         // wrappers and environment
  | 'exec-option'     // "read-only" verbs that execute
  | 'deny-strength'   // deny rules must not be weaker than meant
  | 'too-many-asks'   // safe commands that must be allowed
  | 'baseline';       // ordinary cases that must keep working

/** An observable effect of running the command in the probe workspace. */
export type ProbeEffect =
  /** A path (relative to the workspace) exists afterwards. */
  | { exists: string }
  /** A path that existed (made by `setup`) is gone afterwards. */
  | { missing: string }
  /** A file's content afterwards contains this text. */
  | { contains: [path: string, text: string] };

export interface Probe {
  /** Shells under which the payload must run: 'sh' = /bin/sh (dash here), 'bash' = bash. */
  shells: Array<'sh' | 'bash'>;
  /** Effects that must all be seen after running the command under each listed shell. */
  effects: ProbeEffect[];
  /** Extra setup, a /bin/sh script run in the workspace before the command (fresh workspace per shell). */
  setup?: string;
  /**
   * Run this instead of the case's command (only when the case's command cannot be run
   * harmlessly as written); it must exercise the same construct.
   */
  command?: string;
}

export interface BypassCase {
  /** Unique, short, readable: `ansi-c-quote-in-command-name`. */
  id: string;
  class: BypassClass;
  command: string;
  /** "allow run_command(echo:*)", "deny run_command(rm -rf:*)", "allow:user edit_file(src/**)"; scope defaults to workspace. */
  rules?: string[];
  /** Default 'ask'. */
  mode?: SessionMode;
  expect: Decision;
  /** For 'ask' cases: the suggested "always allow" rule (`null` = none may be offered). */
  suggested?: string | null;
  /** Required for every case whose expectation is ask or deny, unless `noProbe` says why. */
  probe?: Probe;
  /** Why no probe (e.g. "the payload would need the network"). */
  noProbe?: string;
  /** Where the case comes from: project + file/test name or report URL, or "ours". */
  source: string;
}
