import type { PermissionSource } from '../session/events';
import type { PermissionRule, SessionMode } from '../session/types';
import type { AnyTool, ToolCallDescription } from '../tools/types';

/** What the permission engine decides for one call. */
export interface PermissionDecision extends PermissionSource {
  /** For deny: a message written for the model. For ask: why it asks (shown on the approval card). */
  message?: string;
  /** For ask: a narrow rule to offer for "always allow", e.g. `run_command(npm test:*)`. */
  suggestedRule?: string;
  /** For commands: the analysed sub-commands (shown on the approval card). */
  subcommands?: string[];
  /**
   * False when this approval must not become a rule ("always allow" is not offered): sensitive
   * targets and commands that cannot be fully analysed.
   */
  rememberable?: boolean;
}

export interface PermissionContext {
  mode: SessionMode;
  /** Session rules plus workspace and user rules (workspace rules omitted in untrusted workspaces). */
  rules: readonly PermissionRule[];
  workspaceRoots: readonly string[];
  /** False in restricted mode: command tools are denied. */
  workspaceTrusted: boolean;
  /** Commands run inside the OS sandbox (mode `full` then runs what cannot be analysed, sandboxed). */
  sandboxed?: boolean;
  /** $HOME for `~` in commands; default the process's home folder. */
  home?: string;
}

/** Evaluates one tool call: deny > ask > allow > the mode's default; sensitive targets always ask. */
export interface PermissionEvaluator {
  evaluate(tool: AnyTool, args: Record<string, unknown>, description: ToolCallDescription, ctx: PermissionContext): Promise<PermissionDecision>;
}

/** Where "always allow" rules of workspace/user scope are saved (host settings). */
export interface RuleSink {
  saveRule(rule: PermissionRule): Promise<void>;
}
