/**
 * Whether an "always allow" rule the user is saving allows more than the call being approved
 * (the suggested rule, or the exact command when none was suggested). Such a rule is saved only
 * after a second, explicit confirmation that names what it will allow.
 */
import { compileCommandPattern, type CommandPattern } from './command-rules';
import { matchesToolName, parseRulePattern } from './rule-pattern';
import { AgentError } from '../base/errors';
import type { PendingApprovalInfo } from '../../shared/session';

const COMMAND_TOOLS = new Set(['run_command']);
const words = (p: CommandPattern) => p.words.map((w) => w.value ?? '');
const show = (p: CommandPattern) => [...p.env.map((a) => `${a.name}=${a.value ?? ''}`), ...words(p)].join(' ');

/** What a command rule allows, in words for the confirmation. */
export function describeCommandRule(p: CommandPattern): string {
  if (p.any) return 'every command';
  if (p.glob) return `every command matching "${p.glob.source.slice(1, -1).replace(/\.\*/g, '*').replace(/\\(.)/g, '$1')}"`;
  return p.prefix ? `every command starting with "${show(p)}" (with any arguments)` : `exactly the command "${show(p)}"`;
}

/** `narrow` allows nothing `wide` does not: same environment, same or longer words, no wider form. */
function within(narrow: CommandPattern, wide: CommandPattern): boolean {
  if (wide.any) return true;
  if (narrow.any || narrow.glob || wide.glob) return false;
  const n = words(narrow);
  const w = words(wide);
  if (n.length < w.length || w.some((x, i) => n[i] !== x)) return false;
  if (!wide.prefix && (narrow.prefix || n.length !== w.length)) return false;
  return narrow.env.length === wide.env.length && narrow.env.every((a) => wide.env.some((b) => b.name === a.name && b.value === a.value));
}

/**
 * Undefined when `pattern` is no broader than what `info` approves; otherwise what it allows
 * (e.g. "every command starting with \"git\""). Throws `bad_request` for a malformed rule.
 */
export function broaderThanApproved(info: PendingApprovalInfo, pattern: string): string | undefined {
  const rule = parseRulePattern(pattern);
  if (!rule) throw new AgentError('bad_request', `"${pattern}" is not a valid rule (e.g. run_command(npm test:*), edit_file(src/**)).`);
  if (rule.tool !== info.toolName) {
    return matchesToolName(rule, info.toolName) ? `every call of every tool matching "${rule.tool}"` : undefined;
  }
  if (info.suggestedRule !== undefined && pattern.trim() === info.suggestedRule) return undefined;
  if (COMMAND_TOOLS.has(info.toolName)) {
    const p = compileCommandPattern(rule.arg);
    const suggested = info.suggestedRule !== undefined ? parseRulePattern(info.suggestedRule) : undefined;
    const approved = suggested ? compileCommandPattern(suggested.arg) : compileCommandPattern(typeof info.args.command === 'string' ? info.args.command.trim() : undefined);
    return within(p, approved) ? undefined : describeCommandRule(p);
  }
  if (rule.arg === undefined) return `every call of ${info.toolName}`;
  // A single literal path is never broader than the call; a glob other than the suggestion may be.
  return /[*?[\]{}]/.test(rule.arg) ? `every call of ${info.toolName} on "${rule.arg}"` : undefined;
}
