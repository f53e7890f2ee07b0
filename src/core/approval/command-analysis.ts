/**
 * Command analysis: from a command line to the commands the shell will run (wrappers peeled,
 * `sh -c` strings and `find -exec` parsed, the working folder followed) and the files it will
 * write, with every reason it could not be judged. The contract is COMMANDS.md.
 */
import * as path from 'node:path';
import { bashGrammar, parsePlain, type PlainTree } from './shell/grammar';
import type { ShellWord, SimpleCommand, WriteTarget } from './shell/model';
import { viewProgram, type ProgramView } from './shell/programs';
import { readCommandLine } from './shell/syntax';
import { peel, type CommandLayer } from './shell/unwrap';
import { toTarget, type RealpathCache, type Target } from './targets';

/** One command the shell will run, seen at every level of wrapping. */
export interface JudgedCommand {
  /** Outermost (as written) first; the last is the command that really runs. */
  layers: CommandLayer[];
  /** Working folders it may run in (absolute); undefined = unknown. */
  cwds: readonly string[] | undefined;
  /** The innermost command as its program reads it. */
  view: ProgramView;
  /** The command as written, normalised (for approval cards). */
  text: string;
  /** A shell (or `watch`, `flock -c`) running a script that was judged on its own: it needs no rule itself. */
  runsScript?: boolean;
}

/** A file the command writes, resolved against the folders it may run in. */
export interface ResolvedWrite extends Target {
  how: string;
  /** It may write anything under this folder. */
  folder?: boolean;
}

export interface CommandAnalysis {
  commands: JudgedCommand[];
  writes: ResolvedWrite[];
  /** Reasons it is not fully analysable; empty = every part was judged. */
  problems: string[];
}

export interface AnalysisOptions {
  /** Absolute folder the command starts in. */
  cwd: string;
  workspaceRoots: readonly string[];
  /** $HOME for `~`. */
  home: string;
}

const MAX_LENGTH = 20_000;
const MAX_SCRIPT_DEPTH = 8;
const MAX_WRAPPERS = 16;
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** Builtins whose arguments are code or that change how the rest of the line is read. */
const OPAQUE = new Set(['eval', 'source', '.', 'alias', 'unalias', 'trap', 'shopt', 'enable', 'let', 'coproc', 'fc', 'bind', 'hash', 'declare', 'typeset', 'function', 'select', 'compgen', 'complete', 'caller', 'ulimit', 'umask', 'getopts']);
const SAFE_SET = /^[-+][eux]*o?$/;
const SAFE_SET_OPTION = new Set(['pipefail', 'errexit', 'nounset', 'xtrace', 'noclobber']);

function problemsOfBuiltin(view: ProgramView, argv: readonly ShellWord[]): string | undefined {
  const name = argv[0].value!;
  if (OPAQUE.has(name)) return `"${name}" runs code or changes the shell in ways that cannot be checked in advance`;
  if (name === 'set') {
    for (let i = 1; i < argv.length; i++) {
      const v = argv[i].value;
      if (v === '--') return undefined;
      if (v === undefined || !SAFE_SET.test(v) || v.length < 2) return `set ${argv[i].text}`;
      if (v.endsWith('o') && !SAFE_SET_OPTION.has(argv[++i]?.value ?? '')) return `set -o ${argv[i]?.text ?? ''}`;
    }
  }
  if (name === 'printf' && argv.some((w) => w.value === '-v' || w.value?.startsWith('-v'))) return 'printf -v assigns to a name (array subscripts in it run code)';
  if ((name === 'read' || name === 'mapfile' || name === 'readarray' || name === 'wait' || name === 'test' || name === '[' || name === 'unset' || name === 'export' || name === 'readonly' || name === 'local')
    && argv.slice(1).some((w) => w.value === undefined ? false : w.value.includes('[') || w.value === '-v' || w.value === '-C' || w.value === '-p' && name === 'wait')) {
    return `${name} ${argv.slice(1).map((w) => w.text).join(' ')} (names with subscripts run code)`;
  }
  return view.opaque;
}

/** Splits `find … -exec CMD … ;` into the find command and the commands it runs. */
function splitFindExec(argv: readonly ShellWord[]): { find: ShellWord[]; runs: ShellWord[][]; problem?: string } {
  const find: ShellWord[] = [];
  const runs: ShellWord[][] = [];
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i].value;
    if (v === '-exec' || v === '-execdir' || v === '-ok' || v === '-okdir') {
      const end = argv.findIndex((w, k) => k > i && (w.value === ';' || w.value === '+'));
      if (end === -1) return { find, runs, problem: `find ${v} without its ";" or "+"` };
      runs.push(argv.slice(i + 1, end));
      i = end;
      continue;
    }
    find.push(argv[i]);
  }
  return { find, runs };
}

/**
 * Removes backslash-newline pairs as the shell does before reading words, when the line has no
 * quotes, comments or heredocs (where the rule differs); otherwise the line is left as it is and
 * a continuation that joins two words makes it not analysable (syntax.ts).
 */
function joinContinuations(text: string): string {
  if (!text.includes('\\\n') || /['"#`]|<</.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '\n') { i++; continue; }
    if (text[i] === '\\' && i + 1 < text.length) { out += text[i] + text[i + 1]; i++; continue; }
    out += text[i];
  }
  return out;
}

/** The analysis state for one top-level call. */
class Analyser {
  readonly out: CommandAnalysis = { commands: [], writes: [], problems: [] };
  private readonly realpaths: RealpathCache = new Map();

  constructor(private readonly opts: AnalysisOptions, private readonly parse: (text: string) => PlainTree | undefined) {}

  problem(p: string): void {
    if (!this.out.problems.includes(p)) this.out.problems.push(p);
  }

  line(text: string, cwds: readonly string[] | undefined, depth: number, outer?: CommandLayer): void {
    if (text.length > MAX_LENGTH) { this.problem(`the command is longer than ${MAX_LENGTH} characters`); return; }
    if (CONTROL.test(text)) { this.problem('the command contains control characters'); return; }
    if (depth > MAX_SCRIPT_DEPTH) { this.problem('scripts nested too deep'); return; }
    text = joinContinuations(text);
    const tree = this.parse(text);
    if (!tree) { this.problem('the command could not be parsed'); return; }
    const parsed = readCommandLine(tree, text, cwds, this.opts.home);
    for (const p of parsed.problems) this.problem(depth > 0 ? `${p} (in a nested script)` : p);
    for (const w of parsed.writes) this.write(w);
    for (const c of parsed.commands) this.command(c, depth, outer);
  }

  private command(c: SimpleCommand, depth: number, outer: CommandLayer | undefined): void {
    if (c.words[0]?.value === undefined) {
      this.problem(`the command name "${c.words[0]?.text ?? ''}" is computed at run time`);
      return;
    }
    const env = [...(outer?.env ?? []), ...c.carried, ...c.assignments];
    const layer: CommandLayer = { argv: c.words, env, transparent: outer?.transparent ?? true, elevated: outer?.elevated ?? false, extraArgs: false };
    this.peelAndJudge([layer], c.cwds, c.text, c.stdin, c.pipedInput, depth);
  }

  /** Peels wrappers off the last of `layers`, then judges what runs. */
  private peelAndJudge(layers: CommandLayer[], cwdsIn: readonly string[] | undefined, text: string, stdin: SimpleCommand['stdin'], pipedInput: boolean, depth: number): void {
    let layer = layers[layers.length - 1];
    let cwds = cwdsIn;
    let runsScript = false;
    for (let n = 0; n < MAX_WRAPPERS; n++) {
      const p = peel(layer, stdin, pipedInput);
      if (p.kind === 'none') break;
      if (p.kind === 'problem') { this.problem(p.reason); break; }
      if (p.kind === 'script') {
        this.line(p.text, cwds, depth + 1, { ...p.via, argv: p.via.argv.slice(0, 1) });
        runsScript = true;
        break;
      }
      layer = p.layer;
      if (p.cwd !== undefined) cwds = cwds?.map((d) => path.resolve(d, p.cwd!));
      layers.push(layer);
    }
    this.judge(layers, cwds, text, depth, runsScript);
  }

  private judge(layers: CommandLayer[], cwds: readonly string[] | undefined, text: string, depth: number, runsScript = false): void {
    const inner = layers[layers.length - 1];
    let argv = inner.argv;
    if (argv[0].value === undefined) return;
    if (argv[0].value === 'find' || argv[0].value.endsWith('/find')) {
      const split = splitFindExec(argv);
      if (split.problem) this.problem(split.problem);
      argv = split.find;
      for (const run of split.runs) {
        if (run[0]?.value === undefined) { this.problem(`find -exec runs "${run[0]?.text ?? ''}", computed at run time`); continue; }
        // `{}` is a path found at run time.
        const execLayer: CommandLayer = { ...inner, argv: run.map((w) => (w.value?.includes('{}') ? { text: w.text } : w)), extraArgs: true };
        this.peelAndJudge([...layers, execLayer], cwds, run.map((w) => w.value ?? w.text).join(' '), undefined, false, depth);
      }
    }
    const view = viewProgram(argv);
    const why = problemsOfBuiltin(view, argv);
    if (why) this.problem(why);
    for (const w of view.writes) this.write({ target: w.target, cwds, how: w.how, folder: w.folder }, w.into);
    this.out.commands.push({ layers: argv === inner.argv ? layers : [...layers.slice(0, -1), { ...inner, argv }], cwds, view, text, ...(runsScript ? { runsScript } : {}) });
  }

  private write(w: WriteTarget, into?: readonly ShellWord[]): void {
    const target = w.target.value;
    if (target === undefined) { this.problem(`a write to "${w.target.text}", computed at run time`); return; }
    if (!path.isAbsolute(target) && w.cwds === undefined) { this.problem(`a write to "${target}" from a folder that cannot be known in advance`); return; }
    for (const cwd of w.cwds ?? ['/']) {
      const abs = path.resolve(cwd, target);
      this.out.writes.push({ ...toTarget(abs, this.opts.workspaceRoots, this.realpaths), how: w.how, ...(w.folder ? { folder: true } : {}) });
      for (const src of into ?? []) {
        if (src.value === undefined) { this.problem(`${w.how} of "${src.text}", computed at run time`); continue; }
        this.out.writes.push({ ...toTarget(path.join(abs, path.basename(src.value)), this.opts.workspaceRoots, this.realpaths), how: `${w.how} into ${target}` });
      }
    }
  }
}

/** Analyses one command line. Loads the bash grammar on first use; never throws for bad input. */
export async function analyseCommand(command: string, opts: AnalysisOptions): Promise<CommandAnalysis> {
  const grammar = await bashGrammar();
  const a = new Analyser(opts, (text) => parsePlain(grammar, text));
  a.line(command, [opts.cwd], 0);
  return a.out;
}
