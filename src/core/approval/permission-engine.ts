import * as path from 'node:path';
import { parseShell, type SubCommand } from './shell-parse';
import { matchesCommand, matchesPath, matchesText, matchesToolName, namesPathExplicitly, parseRulePattern, type RulePattern } from './rule-pattern';
import { sensitiveReason } from './sensitive';
import { suggestRule } from './suggest-rule';
import { commandTarget, toTarget, type Target } from './targets';
import type { PermissionContext, PermissionDecision, PermissionEvaluator } from './types';
import type { PermissionRule, RuleAction, SessionMode } from '../session/types';
import type { AnyTool, ToolCallDescription, ToolKind } from '../tools/types';

interface Rule { rule: PermissionRule; pattern: RulePattern }

/** Tools whose rules also govern command write redirections (`echo x > f` is an edit of f). */
const EDIT_TOOL_NAMES = ['edit_file', 'write_file'];

const ruleSource = (r: Rule) => `rule ${r.rule.pattern} [${r.rule.scope}]`;

function planMessage(toolName: string): string {
  return `The session is in plan mode (read-only): ${toolName} cannot change files or run commands. Investigate with read-only tools and present a plan; the user can switch the mode to let you carry it out.`;
}

function denyByRule(r: Rule, what: string): PermissionDecision {
  return {
    decision: 'deny', source: ruleSource(r),
    message: `The user's permission rule "${r.rule.pattern}" (${r.rule.action}, ${r.rule.scope} scope) does not allow ${what}. Do not retry it; find another way or ask the user.`,
  };
}

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
 * (see sensitive.ts) ask in every mode unless an allow rule names them explicitly; a command is
 * allowed only when every sub-command is, and its write redirections count as edits.
 */
export class PermissionEngine implements PermissionEvaluator {
  evaluate(tool: AnyTool, args: Record<string, unknown>, description: ToolCallDescription, ctx: PermissionContext): PermissionDecision {
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
      return this.evaluateCommand(tool, command, description, ctx, rules);
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

  /** Sensitive targets not named explicitly by an allow rule of one of `toolNames`. */
  private unnamedSensitive(targets: readonly Target[], rules: readonly Rule[], toolNames: readonly string[]): string | undefined {
    for (const t of targets) {
      const reason = sensitiveReason(t.relative, t.absolute);
      if (!reason) continue;
      const named = rules.some((r) => r.rule.action === 'allow' && toolNames.some((n) => matchesToolName(r.pattern, n)) && namesPathExplicitly(r.pattern, t.relative, t.absolute));
      if (!named) return reason;
    }
    return undefined;
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

    const sensitive = tool.kind === 'edit' ? this.unnamedSensitive(targets, rules, [tool.name]) : undefined;
    const suggested = () => suggestRule({ toolName: tool.name, kind: tool.kind, relativePath: targets[0]?.relative, sensitive: sensitive !== undefined });
    const ask = relevant.find((r) => r.rule.action === 'ask');
    if (ask) return { decision: 'ask', source: ruleSource(ask), message: `A rule asks before ${tool.name}.`, suggestedRule: suggested() };
    if (sensitive) {
      return { decision: 'ask', source: `sensitive target ${sensitive}`, message: `${sensitive} is a sensitive target (it can change how the editor or agents behave); every change asks.`, suggestedRule: suggested() };
    }
    const allow = relevant.find((r) => r.rule.action === 'allow');
    if (allow) return { decision: 'allow', source: ruleSource(allow) };
    const action = modeDefault(ctx.mode, tool.kind);
    if (action === 'deny') return { decision: 'deny', source: `mode ${ctx.mode}`, message: planMessage(tool.name) };
    if (action === 'ask') return { decision: 'ask', source: `mode ${ctx.mode}`, message: `In ${ctx.mode} mode, ${tool.kind === 'mcp' ? 'MCP tools' : 'edits'} ask for approval.`, suggestedRule: suggested() };
    return { decision: 'allow', source: `mode ${ctx.mode}` };
  }

  private evaluateCommand(tool: AnyTool, command: string, description: ToolCallDescription, ctx: PermissionContext, rules: readonly Rule[]): PermissionDecision {
    const analysis = parseShell(command);
    const subcommands = analysis.subcommands.map((s) => s.text);
    const cwd = description.cwd ?? ctx.workspaceRoots[0] ?? process.cwd();
    const writes = analysis.writes.map((w) => commandTarget(w.path, cwd, ctx.workspaceRoots));
    const cmdRules = rules.filter((r) => matchesToolName(r.pattern, tool.name));
    const editRules = rules.filter((r) => EDIT_TOOL_NAMES.some((n) => matchesToolName(r.pattern, n)));
    const ruleFor = (action: RuleAction, sub: SubCommand) => cmdRules.find((r) => r.rule.action === action && matchesCommand(r.pattern.arg, sub));
    const editRuleFor = (action: RuleAction, t: Target) => editRules.find((r) => r.rule.action === action && matchesPath(r.pattern.arg, t.relative, t.absolute));

    // 1. deny rules, on any sub-command or any write target.
    for (const sub of analysis.subcommands) {
      const d = ruleFor('deny', sub);
      if (d) return { ...denyByRule(d, `the command "${sub.text}"`), subcommands };
    }
    for (const t of writes) {
      const d = editRuleFor('deny', t);
      if (d) return { ...denyByRule(d, `writing ${t.relative ?? t.absolute}`), subcommands };
    }
    // 2. plan mode is read-only whatever the allow rules say.
    if (ctx.mode === 'plan') return { decision: 'deny', source: 'mode plan', message: planMessage(tool.name), subcommands };
    // 3. what we cannot analyse is never allowed automatically.
    if (analysis.problems.length > 0) {
      return { decision: 'ask', source: 'command not fully analysable', message: `The command cannot be checked automatically: ${analysis.problems.join('; ')}.`, subcommands };
    }
    // 4. ask rules.
    for (const sub of analysis.subcommands) {
      const a = ruleFor('ask', sub);
      if (a) return { decision: 'ask', source: ruleSource(a), message: `A rule asks before "${sub.text}".`, subcommands, suggestedRule: undefined };
    }
    for (const t of writes) {
      const a = editRuleFor('ask', t);
      if (a) return { decision: 'ask', source: ruleSource(a), message: `A rule asks before writing ${t.relative ?? t.absolute}.`, subcommands };
    }
    // 5. sensitive write targets (and outside the workspace) always ask unless named explicitly.
    const sensitive = this.unnamedSensitive(writes, rules, EDIT_TOOL_NAMES);
    if (sensitive) {
      return { decision: 'ask', source: `sensitive target ${sensitive}`, message: `The command writes ${sensitive}, a sensitive target; it asks in every mode.`, subcommands };
    }
    // 6. every sub-command must be allowed, by a rule or by the mode.
    const used = new Set<string>();
    const pending: SubCommand[] = [];
    for (const sub of analysis.subcommands) {
      const a = ruleFor('allow', sub);
      if (a) used.add(ruleSource(a));
      else if (ctx.mode === 'full') used.add('mode full');
      else pending.push(sub);
    }
    if (pending.length > 0) {
      return {
        decision: 'ask', source: `mode ${ctx.mode}`,
        message: `In ${ctx.mode} mode, commands ask for approval${analysis.subcommands.length > 1 ? ` (not allowed yet: ${pending.map((p) => p.text).join(', ')})` : ''}.`,
        suggestedRule: suggestRule({ toolName: tool.name, kind: 'command', pendingSubcommands: pending }),
        subcommands,
      };
    }
    // 7. write redirections are edits: allowed by an edit rule or by the mode (auto-edit, full).
    for (const t of writes) {
      const a = editRuleFor('allow', t);
      if (a) { used.add(ruleSource(a)); continue; }
      if (modeDefault(ctx.mode, 'edit') === 'allow') { used.add(`mode ${ctx.mode}`); continue; }
      return { decision: 'ask', source: `mode ${ctx.mode}`, message: `The command writes ${t.relative ?? t.absolute}; in ${ctx.mode} mode edits ask for approval.`, subcommands };
    }
    return { decision: 'allow', source: used.size > 0 ? [...used].join(', ') : `mode ${ctx.mode}`, subcommands };
  }
}
