import * as os from 'node:os';
import * as path from 'node:path';
import { decideCommand, denyByRule, planMessage, ruleSource, type CompiledRule as Rule } from './command-decision';
import { matchesPath, matchesText, matchesToolName, namesPathExplicitly, parseRulePattern } from './rule-pattern';
import { sensitiveReason } from './sensitive';
import { suggestRule } from './suggest-rule';
import { toTarget, type Target } from './targets';
import type { PermissionContext, PermissionDecision, PermissionEvaluator } from './types';
import type { RuleAction, SessionMode } from '../session/types';
import type { AnyTool, ToolCallDescription, ToolKind } from '../tools/types';

/** Mode defaults per tool kind (before sensitive targets and plan mode are applied). */
function modeDefault(mode: SessionMode, kind: ToolKind): RuleAction {
  switch (kind) {
    case 'read':
    case 'other':
      return 'allow';
    case 'edit':
      return mode === 'auto-edit' || mode === 'full' ? 'allow' : mode === 'plan' ? 'deny' : 'ask';
    case 'command':
      return mode === 'full' ? 'allow' : mode === 'plan' ? 'deny' : 'ask';
    case 'mcp':
      return mode === 'full' ? 'allow' : 'ask';
  }
}

/**
 * The permission engine: deny > ask > allow > the mode's default. Sensitive targets
 * (see sensitive.ts) ask in every mode whatever the rules say, and cannot be remembered; reads of
 * a hard-linked file ask unless a rule names it; commands are judged by what the shell will run
 * (command-decision.ts, COMMANDS.md).
 */
export class PermissionEngine implements PermissionEvaluator {
  async evaluate(tool: AnyTool, args: Record<string, unknown>, description: ToolCallDescription, ctx: PermissionContext): Promise<PermissionDecision> {
    const rules: Rule[] = [];
    for (const rule of ctx.rules) {
      const pattern = parseRulePattern(rule.pattern);
      if (pattern) rules.push({ rule, pattern });
    }
    if (tool.kind === 'command') {
      if (!ctx.workspaceTrusted) {
        return {
          decision: 'deny', source: 'workspace not trusted',
          message: 'This workspace is not trusted, so commands cannot run. Tell the user: to allow commands, trust the workspace (command palette: "Workspaces: Manage Workspace Trust").',
        };
      }
      const command = description.target ?? (typeof args.command === 'string' ? args.command : '');
      const cwd = description.cwd ?? ctx.workspaceRoots[0] ?? process.cwd();
      return decideCommand(tool.name, command, cwd, ctx, rules);
    }
    return this.evaluateTool(tool, description, ctx, rules);
  }

  private targetsOf(description: ToolCallDescription, ctx: PermissionContext): Target[] {
    if (description.paths?.length) return description.paths.map((p) => toTarget(p, ctx.workspaceRoots));
    if (description.target !== undefined && ctx.workspaceRoots.length > 0) {
      return [toTarget(path.resolve(ctx.workspaceRoots[0], description.target), ctx.workspaceRoots)];
    }
    return [];
  }

  /**
   * A hard-linked target of a read that no allow rule of `toolName` names literally (the file, or
   * a folder above it written without wildcards: `read_file(node_modules/**)`). A bare or glob rule
   * never covers it: such a file is not provably inside the workspace.
   */
  private unnamedHardLink(targets: readonly Target[], rules: readonly Rule[], toolName: string): Target | undefined {
    return targets.find((t) => t.hardLinks !== undefined
      && !rules.some((r) => r.rule.action === 'allow' && matchesToolName(r.pattern, toolName) && namesPathExplicitly(r.pattern, t.relative, t.absolute)));
  }

  private evaluateTool(tool: AnyTool, description: ToolCallDescription, ctx: PermissionContext, rules: readonly Rule[]): PermissionDecision {
    const pathKind = tool.kind === 'edit' || tool.kind === 'read';
    const targets = pathKind ? this.targetsOf(description, ctx) : [];
    const matches = (r: Rule) => matchesToolName(r.pattern, tool.name) && (pathKind && targets.length > 0
      ? targets.every((t) => matchesPath(r.pattern.arg, t.relative, t.absolute))
      : matchesText(r.pattern.arg, description.target));
    const relevant = rules.filter(matches);
    const deny = relevant.find((r) => r.rule.action === 'deny');
    if (deny) return denyByRule(deny, `${tool.name} on ${description.target ?? 'this call'}`);
    if (ctx.mode === 'plan' && tool.kind === 'edit') return { decision: 'deny', source: 'mode plan', message: planMessage(tool.name) };

    // Sensitive targets: ask in every mode, whatever an allow or ask rule says; never remembered.
    const home = ctx.home ?? os.homedir();
    const sensitive = tool.kind === 'edit' ? targets.map((t) => sensitiveReason(t, home)).find((r) => r !== undefined) : undefined;
    if (sensitive) {
      return {
        decision: 'ask', source: `sensitive target ${sensitive}`, rememberable: false,
        message: `${sensitive} is a sensitive target (it can make the editor, git, a package manager, CI, a shell or an agent run code later); every change asks, in every mode, and cannot be allowed for good.`,
      };
    }
    const suggested = () => suggestRule({ toolName: tool.name, kind: tool.kind, relativePath: targets[0]?.relative });
    const ask = relevant.find((r) => r.rule.action === 'ask');
    if (ask) return { decision: 'ask', source: ruleSource(ask), message: `A rule asks before ${tool.name}.`, suggestedRule: suggested() };
    const linked = tool.kind === 'read' ? this.unnamedHardLink(targets, rules, tool.name) : undefined;
    if (linked) {
      const shown = linked.relative ?? linked.absolute;
      const others = linked.hardLinks! - 1;
      const rule = suggestRule({ toolName: tool.name, kind: tool.kind, relativePath: linked.relative });
      return {
        decision: 'ask', source: `hard link ${shown}`, suggestedRule: rule,
        message: `${shown} is a hard link: the same file has ${others} other name${others === 1 ? '' : 's'}, maybe outside the workspace, so reading it asks in every mode${rule ? ` unless a rule names it or its folder (${rule})` : ''}.`,
      };
    }
    const allow = relevant.find((r) => r.rule.action === 'allow');
    if (allow) return { decision: 'allow', source: ruleSource(allow) };
    const action = modeDefault(ctx.mode, tool.kind as Exclude<ToolKind, 'command'>);
    if (action === 'deny') return { decision: 'deny', source: `mode ${ctx.mode}`, message: planMessage(tool.name) };
    if (action === 'ask') return { decision: 'ask', source: `mode ${ctx.mode}`, message: `In ${ctx.mode} mode, ${tool.kind === 'mcp' ? 'MCP tools' : 'edits'} ask for approval.`, suggestedRule: suggested() };
    return { decision: 'allow', source: `mode ${ctx.mode}` };
  }
}
