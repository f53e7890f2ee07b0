/**
 * Matching `run_command(…)` rules against analysed commands.
 * - allow: the rule's words are a prefix (`:*`) of, or equal to, the command's words; the program
 *   word is matched exactly (or as a system-bin path); environment that changes what runs must be
 *   written in the rule; options that make the program run something else are never covered
 *   unless spelled in the rule.
 * - deny / ask: the command does at least what the rule names — same program (by basename), same
 *   sub-command, the rule's flags among the command's (canonical, permutation-proof), its operands
 *   among the command's; a command with run-time arguments is assumed to have them.
 */
import * as path from 'node:path';
import type { JudgedCommand } from './command-analysis';
import { bashGrammarIfLoaded, parsePlain } from './shell/grammar';
import { changesWhatRuns } from './shell/env';
import type { Assignment, ShellWord } from './shell/model';
import { hasRiskyOptions, viewProgram, type ProgramView } from './shell/programs';
import { readCommandLine } from './shell/syntax';
import type { CommandLayer } from './shell/unwrap';

/** A command rule's argument, read once. */
export interface CommandPattern {
  /** `run_command` with no argument (or `*`): every command. */
  any: boolean;
  /** Words of the rule (static), program first. Empty when unreadable. */
  words: ShellWord[];
  env: Assignment[];
  /** Ends in `:*`. */
  prefix: boolean;
  /** A `*` inside the rule (not `:*`): matched against the joined words. */
  glob?: RegExp;
  /** The rule as a program view (deny/ask matching). */
  view?: ProgramView;
}

const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$/;

function wildcard(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Reads the words of a rule with the same grammar as commands (falls back to whitespace). */
function ruleWords(text: string): { words: ShellWord[]; env: Assignment[] } {
  const grammar = bashGrammarIfLoaded();
  const tree = grammar ? parsePlain(grammar, text) : undefined;
  if (tree) {
    const line = readCommandLine(tree, text, ['/'], '~');
    const [cmd] = line.commands;
    if (line.problems.length === 0 && line.commands.length === 1 && cmd.words.every((w) => w.value !== undefined)) {
      return { words: cmd.words, env: cmd.assignments };
    }
  }
  const parts = text.trim().split(/\s+/).filter(Boolean);
  const env: Assignment[] = [];
  while (parts.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(parts[0])) {
    const p = parts.shift()!;
    env.push({ name: p.slice(0, p.indexOf('=')), value: p.slice(p.indexOf('=') + 1) });
  }
  return { words: parts.map((p) => ({ value: p, text: p })), env };
}

/** Reads a `run_command(…)` argument (undefined = the bare tool rule). Needs the grammar loaded for quoted words. */
export function compileCommandPattern(arg: string | undefined): CommandPattern {
  if (arg === undefined) return { any: true, words: [], env: [], prefix: true };
  const prefix = arg.endsWith(':*');
  const body = prefix ? arg.slice(0, -2) : arg;
  if (!prefix && body.includes('*')) {
    const { words, env } = ruleWords(body.replace(/\*/g, 'STAR0WILDCARD'));
    return { any: false, words: [], env, prefix: false, glob: wildcard(words.map((w) => w.value).join(' ').replace(/STAR0WILDCARD/g, '*')), view: words.length > 0 ? viewProgram(words.map((w) => ({ value: w.value?.replace(/STAR0WILDCARD/g, ''), text: w.text }))) : undefined };
  }
  const { words, env } = ruleWords(body);
  return { any: false, words, env, prefix, view: words.length > 0 ? viewProgram(words) : undefined };
}

function programMatches(ruleWord: string, commandWord: string): boolean {
  if (ruleWord === commandWord) return true;
  return !ruleWord.includes('/') && SYSTEM_BIN.test(commandWord) && path.posix.basename(commandWord) === ruleWord;
}

function envAllowed(rule: CommandPattern, env: readonly Assignment[]): boolean {
  return env.every((a) => !changesWhatRuns(a.name) || rule.env.some((r) => r.name === a.name && r.value !== undefined && r.value === a.value));
}

/** Whether an allow rule covers one layer of a command (`innermost` is the command that runs). */
function allowsLayer(rule: CommandPattern, layer: CommandLayer, cmd: JudgedCommand): boolean {
  if (!envAllowed(rule, layer.env)) return false;
  const argv = layer.argv;
  const inner = cmd.layers[cmd.layers.length - 1];
  const isInnermost = layer === inner;
  if (cmd.view.opaque) return false;
  if (rule.any) return true; // the bare tool rule: every command that can be analysed
  if (rule.glob) {
    if (argv.some((w) => w.value === undefined) || layer.extraArgs || cmd.view.risky) return false;
    return rule.glob.test(argv.map((w) => w.value).join(' '));
  }
  const words = rule.words;
  if (words.length === 0 || argv.length < words.length) return false;
  if (!programMatches(words[0].value!, argv[0].value!)) return false;
  for (let k = 1; k < words.length; k++) if (argv[k].value !== words[k].value) return false;
  if (!rule.prefix) return argv.length === words.length && !layer.extraArgs;
  const name = path.posix.basename(inner.argv[0].value ?? '');
  const rest = argv.slice(words.length);
  if (hasRiskyOptions(name) && (layer.extraArgs || inner.extraArgs || rest.some((w) => w.value === undefined))) return false;
  if (cmd.view.risky) return isInnermost && cmd.view.risky.index < words.length;
  return true;
}

/** The first allow rule (in order) that covers the command at a layer reached through transparent wrappers. */
export function findAllow<R extends { pattern: CommandPattern }>(rules: readonly R[], cmd: JudgedCommand): R | undefined {
  for (const rule of rules) {
    for (const layer of cmd.layers) {
      // Behind sudo & co. only the privileged command as written (`sudo apt update`) can be allowed.
      if (layer.elevated || (!layer.transparent && layer !== cmd.layers[0])) continue;
      if (allowsLayer(rule.pattern, layer, cmd)) return rule;
    }
  }
  return undefined;
}

function operandsIn(ruleOps: readonly ShellWord[], cmdOps: readonly ShellWord[]): boolean {
  let k = 0;
  for (const op of cmdOps) {
    if (k < ruleOps.length && (op.value === undefined || op.value === ruleOps[k].value)) k++;
  }
  return k === ruleOps.length;
}

/** Whether a deny/ask rule names what one layer does (at least). */
function namesLayer(rule: CommandPattern, layer: CommandLayer, view: ProgramView): boolean {
  if (rule.any) return true;
  const rv = rule.view;
  if (rule.glob) return rule.glob.test(layer.argv.map((w) => w.value ?? w.text).join(' ')) || (!!rv && rv.name === view.name && (view.unknownArgs || layer.extraArgs));
  // Case-insensitively: on macOS and Windows `/BIN/RM` is rm.
  if (!rv || rv.name === '' || rv.name.toLowerCase() !== view.name.toLowerCase()) return false;
  const unknown = view.unknownArgs || layer.extraArgs;
  if (rv.subcommand.length > 0) {
    if (view.subcommand.length === 0) { if (!unknown) return false; }
    else if (rv.subcommand.some((s, i) => view.subcommand[i] !== s)) return false;
  }
  if (unknown) return true;
  for (const f of rv.flags) if (!view.flags.has(f)) return false;
  return operandsIn(rv.operands, view.operands);
}

/** The first deny/ask rule that names any layer of the command. */
export function findNaming<R extends { pattern: CommandPattern }>(rules: readonly R[], cmd: JudgedCommand): R | undefined {
  const inner = cmd.layers[cmd.layers.length - 1];
  for (const rule of rules) {
    for (const layer of cmd.layers) {
      const view = layer === inner ? cmd.view : viewProgram(layer.argv);
      if (namesLayer(rule.pattern, layer, view)) return rule;
    }
  }
  return undefined;
}

/**
 * For a command that could not be fully analysed: the first deny rule whose program (and
 * sub-command and operands) appear as words anywhere in its text.
 */
export function findNamedInText<R extends { pattern: CommandPattern }>(rules: readonly R[], text: string): R | undefined {
  // Words as loosely as the shell could form them: continuations removed, split at anything
  // but name characters, leading dashes dropped too (`${u:-rm}`, `{rm,-rf,x}`, `R=rm`).
  const raw = text.replace(/\\\n/g, '').split(/[^A-Za-z0-9_./+-]+/).filter(Boolean);
  const tokens = new Set(raw.flatMap((t) => [t, path.posix.basename(t), t.replace(/^-+/, '')]));
  return rules.find((r) => {
    const rv = r.pattern.view;
    if (r.pattern.any) return true;
    if (!rv || !rv.name || !(tokens.has(rv.name) || [...tokens].some((t) => t.toLowerCase() === rv.name.toLowerCase()))) return false;
    return [...rv.subcommand, ...rv.operands.map((o) => o.value ?? '')].every((w) => w === '' || tokens.has(w));
  });
}
