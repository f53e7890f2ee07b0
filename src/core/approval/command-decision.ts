/**
 * The decision for one `run_command` call, in the order COMMANDS.md gives: deny rules (on any
 * command at any level of wrapping, on any write, and on denied program names in a command that
 * cannot be analysed) > plan mode > not analysable (ask) > ask rules > sensitive writes (ask, not
 * rememberable) > every command allowed by a rule, by mode `full` or as harmless > writes as edits.
 */
import * as os from 'node:os';
import { analyseCommand, type JudgedCommand, type ResolvedWrite } from './command-analysis';
import { compileCommandPattern, findAllow, findNamedInText, findNaming, type CommandPattern } from './command-rules';
import { matchesPath, matchesToolName, type RulePattern } from './rule-pattern';
import { sensitiveReason } from './sensitive';
import { suggestRule } from './suggest-rule';
import type { PermissionContext, PermissionDecision } from './types';
import type { PermissionRule } from '../session/types';

export interface CompiledRule { rule: PermissionRule; pattern: RulePattern }
interface CommandRule { rule: PermissionRule; pattern: CommandPattern }

/** Tools whose rules also govern what commands write (`echo x > f` is an edit of f). */
export const EDIT_TOOL_NAMES = ['edit_file', 'write_file'];

export const ruleSource = (r: { rule: PermissionRule }) => `rule ${r.rule.pattern} [${r.rule.scope}]`;

export function denyByRule(r: { rule: PermissionRule }, what: string): PermissionDecision {
  return {
    decision: 'deny', source: ruleSource(r),
    message: `The user's permission rule "${r.rule.pattern}" (${r.rule.action}, ${r.rule.scope} scope) does not allow ${what}. Do not retry it; find another way or ask the user.`,
  };
}

export function planMessage(toolName: string): string {
  return `The session is in plan mode (read-only): ${toolName} cannot change files or run commands. Investigate with read-only tools and present a plan; the user can switch the mode to let you carry it out.`;
}

/** Builtins with no effect but on the shell itself: they need no rule (`cd` is followed by the analysis). */
const HARMLESS = new Set(['cd', 'pushd', 'popd', 'true', 'false', ':', 'set', 'exit', 'wait', 'shift', 'unset', 'return', 'break', 'continue', '[', 'test']);

function harmless(cmd: JudgedCommand): boolean {
  const inner = cmd.layers[cmd.layers.length - 1];
  if (cmd.runsScript) return !cmd.layers.some((l) => l.elevated);
  return cmd.layers.every((l) => l.transparent) && HARMLESS.has(inner.argv[0].value ?? '') && !inner.extraArgs;
}

const where = (w: ResolvedWrite) => w.relative ?? w.absolute;

/** A folder write reaches sensitive places when it is the workspace root, above it, or a sensitive folder. */
function sensitiveWrite(w: ResolvedWrite, home: string): string | undefined {
  const reason = sensitiveReason(w, home);
  if (reason) return reason;
  if (w.folder && (w.relative === '' || w.relative === '.' || w.relative === undefined)) return `${w.how} into ${w.relative === undefined ? w.absolute : 'the workspace root'} (it may write anything there)`;
  return undefined;
}

/** Decides one command call. `command` is the line as the model wrote it; `cwd` absolute. */
export async function decideCommand(toolName: string, command: string, cwd: string, ctx: PermissionContext, rules: readonly CompiledRule[]): Promise<PermissionDecision> {
  const analysis = await analyseCommand(command, { cwd, workspaceRoots: ctx.workspaceRoots, home: ctx.home ?? os.homedir() });
  const subcommands = analysis.commands.map((c) => c.text);
  const cmdRules: CommandRule[] = rules.filter((r) => matchesToolName(r.pattern, toolName)).map((r) => ({ rule: r.rule, pattern: compileCommandPattern(r.pattern.arg) }));
  const byAction = (action: PermissionRule['action']) => cmdRules.filter((r) => r.rule.action === action);
  const editRules = rules.filter((r) => EDIT_TOOL_NAMES.some((n) => matchesToolName(r.pattern, n)));
  const editRule = (action: PermissionRule['action'], w: ResolvedWrite) => editRules.find((r) => r.rule.action === action && matchesPath(r.pattern.arg, w.relative, w.absolute));
  const withSubs = (d: PermissionDecision): PermissionDecision => ({ ...d, subcommands });

  // 1. Deny rules: any command at any level, any write, a denied program named anywhere in what we cannot analyse.
  for (const cmd of analysis.commands) {
    const d = findNaming(byAction('deny'), cmd);
    if (d) return withSubs(denyByRule(d, `the command "${cmd.text}"`));
  }
  for (const w of analysis.writes) {
    const d = editRule('deny', w);
    if (d) return withSubs(denyByRule(d, `writing ${where(w)}`));
  }
  if (analysis.problems.length > 0) {
    const d = findNamedInText(byAction('deny'), command);
    if (d) return withSubs({ ...denyByRule(d, 'a command that cannot be fully analysed and names a denied program'), message: `${denyByRule(d, 'this command').message} (It cannot be fully analysed — ${analysis.problems[0]} — and it names a program the rule denies.)` });
  }
  // 2. Plan mode is read-only whatever the allow rules say.
  if (ctx.mode === 'plan') return withSubs({ decision: 'deny', source: 'mode plan', message: planMessage(toolName) });
  // 3. What we cannot analyse is never allowed automatically — except sandboxed in full mode.
  if (analysis.problems.length > 0) {
    if (ctx.mode === 'full' && ctx.sandboxed) return withSubs({ decision: 'allow', source: 'mode full (sandboxed: not fully analysable)' });
    return withSubs({ decision: 'ask', source: 'command not fully analysable', message: `The command cannot be checked automatically: ${analysis.problems.join('; ')}.`, rememberable: false });
  }
  // 4. Ask rules.
  for (const cmd of analysis.commands) {
    const a = findNaming(byAction('ask'), cmd);
    if (a) return withSubs({ decision: 'ask', source: ruleSource(a), message: `A rule asks before "${cmd.text}".` });
  }
  for (const w of analysis.writes) {
    const a = editRule('ask', w);
    if (a) return withSubs({ decision: 'ask', source: ruleSource(a), message: `A rule asks before writing ${where(w)}.` });
  }
  // 5. Sensitive targets and anywhere outside the workspace: ask in every mode; never remembered.
  for (const w of analysis.writes) {
    const reason = sensitiveWrite(w, ctx.home ?? os.homedir());
    if (reason) {
      return withSubs({ decision: 'ask', source: `sensitive target ${reason}`, message: `The command writes ${reason} (${w.how}), a sensitive target; it asks in every mode and cannot be allowed for good.`, rememberable: false });
    }
  }
  // 6. Every command must be allowed: by a rule, by mode full, or as harmless by itself.
  const used = new Set<string>();
  const pending: JudgedCommand[] = [];
  for (const cmd of analysis.commands) {
    const a = findAllow(byAction('allow'), cmd);
    if (a) used.add(ruleSource(a));
    else if (harmless(cmd)) continue;
    else if (ctx.mode === 'full' && !cmd.layers.some((l) => l.elevated)) used.add('mode full');
    else pending.push(cmd);
  }
  if (pending.length > 0) {
    const elevated = pending.some((c) => c.layers.some((l) => l.elevated));
    return withSubs({
      decision: 'ask', source: elevated ? 'command runs with raised privileges' : `mode ${ctx.mode}`,
      message: elevated
        ? `The command runs with raised privileges (${pending.map((p) => p.text).join(', ')}); it asks unless a rule is written with the privilege wrapper.`
        : `In ${ctx.mode} mode, commands ask for approval${analysis.commands.length > 1 ? ` (not allowed yet: ${pending.map((p) => p.text).join(', ')})` : ''}.`,
      suggestedRule: suggestRule({ toolName, kind: 'command', pending }),
    });
  }
  // 7. Writes are edits: allowed by an edit rule or by the mode (auto-edit, full).
  for (const w of analysis.writes) {
    const a = editRule('allow', w);
    if (a) { used.add(ruleSource(a)); continue; }
    if (ctx.mode === 'auto-edit' || ctx.mode === 'full') { used.add(`mode ${ctx.mode}`); continue; }
    return withSubs({ decision: 'ask', source: `mode ${ctx.mode}`, message: `The command writes ${where(w)} (${w.how}); in ${ctx.mode} mode edits ask for approval.` });
  }
  return withSubs({ decision: 'allow', source: used.size > 0 ? [...used].join(', ') : `mode ${ctx.mode} (harmless)` });
}
