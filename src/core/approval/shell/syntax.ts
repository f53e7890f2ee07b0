/**
 * Reads a tree-sitter bash tree into what the shell will run (model.ts). Only an explicit set of
 * node kinds is accepted; anything else makes the line "not fully analysable". The working folder
 * is followed through `cd`/`pushd`/`popd` along `&&`, `||`, `;`, subshells and pipelines (each
 * pipeline part is a subshell), so relative writes resolve where the shell will write them.
 */
import * as path from 'node:path';
import { fieldKid, fieldKids, kids, named, nextSibling, type PlainNode, type PlainTree } from './grammar';
import { readHeredoc } from './heredoc';
import type { Assignment, ParsedLine, ShellWord, SimpleCommand } from './model';
import { evaluateWord, type WordContext } from './words';

/** Working folders a statement may leave behind: undefined = unknown. */
type Cwds = readonly string[] | undefined;
interface Flow { ok: Cwds; fail: Cwds }

const MAX_DEPTH = 200;
const MAX_CWDS = 8;
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
/** Names whose assignment changes how the rest of the line is read or where it runs. */
const PARSE_CHANGING = new Set(['IFS', 'CDPATH', 'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'GLOBIGNORE', 'PS4']);

/**
 * A line continuation outside single quotes with no blank on either side (`rm -r\<newline>f`):
 * the shell removes it and joins the words; tree-sitter-bash splits them.
 */
function gluesWords(source: string): boolean {
  let single = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (single) { if (c === "'") single = false; continue; }
    if (c === "'") { single = true; continue; }
    if (c !== '\\') continue;
    if (source[i + 1] === '\n') {
      const before = source[i - 1];
      const after = source[i + 2];
      if (before !== undefined && after !== undefined && !/\s/.test(before) && !/\s/.test(after)) return true;
    }
    i++; // an escaped character
  }
  return false;
}

/** Whether `child` is one of `parent`'s children under `field` (nodes are compared by id). */
function isField(parent: PlainNode, child: PlainNode, field: string): boolean {
  return fieldKids(parent, field).some((c) => c.id === child.id);
}

function union(a: Cwds, b: Cwds): Cwds {
  if (a === undefined || b === undefined) return undefined;
  const all = [...new Set([...a, ...b])];
  return all.length > MAX_CWDS ? undefined : all;
}

class Walker implements WordContext {
  readonly out: ParsedLine = { commands: [], writes: [], problems: [] };
  private depth = 0;
  private carried: Assignment[] = [];
  private dirStack: Cwds[] = [];
  /** Where the last simple command walked ran (a redirect tree-sitter hangs on a list belongs to it). */
  private lastCwds: Cwds;
  private piped = false;

  constructor(private readonly source: string, readonly home: string) {}

  problem(reason: string): void {
    if (!this.out.problems.includes(reason)) this.out.problems.push(reason);
  }

  substitution(node: PlainNode): void {
    const saved = { carried: this.carried, stack: this.dirStack, piped: this.piped, last: this.lastCwds };
    this.piped = false;
    this.sequence(named(node).filter((c) => c.type !== 'comment'), this.currentCwds);
    Object.assign(this, { carried: saved.carried, dirStack: saved.stack, piped: saved.piped, lastCwds: saved.last });
  }

  /** Cwds in effect for words evaluated right now (set around each statement). */
  private currentCwds: Cwds;

  run(tree: PlainTree, cwds: Cwds): ParsedLine {
    const root = tree.rootNode;
    if (tree.hasError) this.problem('the command does not parse as shell syntax');
    if (gluesWords(this.source)) this.problem('a backslash-newline that joins two words (the parser splits them, the shell does not)');
    this.sequence(named(root), cwds);
    return this.out;
  }

  private sequence(nodes: readonly PlainNode[], cwds: Cwds): Flow {
    let cur = cwds;
    let flow: Flow = { ok: cwds, fail: cwds };
    for (const n of nodes) {
      if (n.type === 'comment') continue;
      const background = nextSibling(n)?.type === '&';
      const f = this.statement(n, cur);
      flow = background ? { ok: cur, fail: cur } : f;
      cur = background ? cur : union(f.ok, f.fail);
    }
    return flow;
  }

  private statement(node: PlainNode, cwds: Cwds): Flow {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.problem(`more than ${MAX_DEPTH} levels of nesting`);
      return { ok: undefined, fail: undefined };
    }
    try {
      this.currentCwds = cwds;
      for (const c of kids(node)) if (c.isMissing) this.problem(`a missing "${c.type}"`);
      return this.dispatch(node, cwds);
    } finally {
      this.depth--;
    }
  }

  private dispatch(node: PlainNode, cwds: Cwds): Flow {
    const same: Flow = { ok: cwds, fail: cwds };
    switch (node.type) {
      case 'command': return this.command(node, cwds, []);
      case 'redirected_statement': return this.redirected(node, cwds);
      case 'list': {
        const [left, right] = named(node);
        const op = kids(node).find((c) => c.type === '&&' || c.type === '||');
        if (!left || !right || !op) { this.problem('an incomplete && / || list'); return same; }
        const l = this.statement(left, cwds);
        if (op.type === '&&') {
          const r = this.statement(right, l.ok);
          return { ok: r.ok, fail: union(l.fail, r.fail) };
        }
        const r = this.statement(right, l.fail);
        return { ok: union(l.ok, r.ok), fail: r.fail };
      }
      case 'pipeline': {
        named(node).forEach((part, i) => {
          const saved = this.piped;
          this.piped = i > 0;
          this.isolated(() => this.statement(part, cwds));
          this.piped = saved;
        });
        return same;
      }
      case 'negated_command': {
        const inner = named(node)[0];
        const f = inner ? this.statement(inner, cwds) : same;
        return { ok: f.fail, fail: f.ok };
      }
      case 'subshell':
        this.isolated(() => this.sequence(named(node), cwds));
        return same;
      case 'compound_statement':
        return this.sequence(named(node), cwds);
      case 'variable_assignment':
        this.assignment(node, true);
        return same;
      case 'variable_assignments':
        for (const a of named(node)) this.assignment(a, true);
        return same;
      case 'declaration_command': return this.declaration(node, cwds);
      case 'unset_command':
        for (const a of named(node)) {
          const w = evaluateWord(a, this);
          if (w.value === undefined || !/^-?[A-Za-z_][A-Za-z0-9_]*$/.test(w.value)) this.problem(`unset ${w.text}`);
        }
        return same;
      case 'test_command': this.test(node); return same;
      case 'if_statement':
      case 'case_statement': return this.branches(node, cwds);
      case 'for_statement':
      case 'while_statement': return this.loop(node, cwds);
      case 'comment': return same;
      case 'function_definition': this.problem('a function definition (it can shadow any command)'); return { ok: undefined, fail: undefined };
      case 'ERROR': this.problem('the command does not parse as shell syntax'); return { ok: undefined, fail: undefined };
      default: this.problem(`unsupported shell syntax "${node.type}"`); return { ok: undefined, fail: undefined };
    }
  }

  /** Runs `fn` as a subshell: folder changes, pushd stack and assignments do not leak out. */
  private isolated(fn: () => void): void {
    const saved = { carried: this.carried, stack: this.dirStack };
    this.carried = [...this.carried];
    this.dirStack = [...this.dirStack];
    fn();
    this.carried = saved.carried;
    this.dirStack = saved.stack;
  }

  private assignment(node: PlainNode, statement: boolean): Assignment | undefined {
    const name = fieldKid(node, 'name');
    const value = fieldKid(node, 'value');
    if (!name || name.type !== 'variable_name') { this.problem(`the assignment ${node.text} (array subscripts can run code)`); return undefined; }
    if (kids(node).some((c) => c.type === '+=')) this.problem(`the assignment ${node.text}`);
    let v: string | undefined = '';
    if (value) {
      if (value.type === 'array') { this.problem(`the array assignment ${node.text}`); v = undefined; }
      else v = evaluateWord(value, this).value;
    }
    const a: Assignment = { name: name.text, value: v };
    if (statement) {
      if (PARSE_CHANGING.has(a.name)) this.problem(`assigning ${a.name} (it changes how the rest of the line runs)`);
      this.carried = [...this.carried.filter((c) => c.name !== a.name), a];
    }
    return a;
  }

  private declaration(node: PlainNode, cwds: Cwds): Flow {
    const keyword = kids(node)[0]?.type ?? '';
    for (const c of named(node)) {
      if (c.type === 'variable_assignment') this.assignment(c, true);
      else if (c.type === 'variable_name') continue;
      else {
        const w = evaluateWord(c, this);
        if (!(keyword === 'export' || keyword === 'readonly' || keyword === 'local') || w.value === undefined || w.value.startsWith('-') || w.value.includes('[')) {
          this.problem(`${keyword} ${w.text}`);
        }
      }
    }
    if (keyword === 'declare' || keyword === 'typeset') {
      if (named(node).some((c) => c.type !== 'variable_assignment' && c.type !== 'variable_name')) this.problem(`${keyword} with options`);
    }
    return { ok: cwds, fail: cwds };
  }

  private test(node: PlainNode): void {
    const double = kids(node)[0]?.type === '[[';
    const visit = (n: PlainNode): void => {
      if (n.type === 'binary_expression' || n.type === 'unary_expression' || n.type === 'parenthesized_expression' || n.type === 'negated_expression') {
        const op = kids(n).find((c) => c.type === 'test_operator')?.text ?? kids(n).find((c) => !c.isNamed && c.type !== '(' && c.type !== ')')?.type;
        const operands = named(n).filter((c) => c.type !== 'test_operator');
        if (double && op && /^-(eq|ne|lt|le|gt|ge)$/.test(op) && operands.some((o) => !/^-?\d+$/.test(o.text))) {
          this.problem('an arithmetic comparison in [[ … ]] on a value that is not a number (it can run code)');
        }
        if (op === '-v') this.problem('a -v test (array subscripts in it run code)');
        for (const o of operands) visit(o);
        return;
      }
      const w = evaluateWord(n, this);
      if (w.value !== undefined && /\[/.test(w.value) && /[$`]/.test(w.value)) this.problem(`the test operand ${w.text}`);
    };
    for (const c of named(node)) visit(c);
  }

  /** `if` / `case`: every branch is walked from the same folder; afterwards any branch's folder. */
  private branches(node: PlainNode, cwds: Cwds): Flow {
    let after: Cwds = cwds;
    let cur = cwds;
    const visit = (n: PlainNode) => {
      for (const c of named(n)) {
        // A later branch may run after anything before it changed the folder: start from all of them.
        if (c.type === 'elif_clause' || c.type === 'else_clause' || c.type === 'case_item') { cur = after; visit(c); continue; }
        if (isField(n, c, 'value')) {
          evaluateWord(c, this);
          continue;
        }
        const f = this.statement(c, cur);
        cur = union(f.ok, f.fail);
        after = union(after, cur);
      }
    };
    visit(node);
    return { ok: after, fail: after };
  }

  /** `for` / `while` / `until`: the body is walked twice (the second pass starts where the first may end). */
  private loop(node: PlainNode, cwds: Cwds): Flow {
    if (kids(node)[0]?.type === 'select') this.problem('select (it reads a choice from the user)');
    if (node.type === 'for_statement') {
      const variable = fieldKid(node, 'variable');
      if (variable) {
        if (PARSE_CHANGING.has(variable.text)) this.problem(`a loop over ${variable.text}`);
        this.carried = [...this.carried.filter((c) => c.name !== variable.text), { name: variable.text }];
      }
      for (const v of fieldKids(node, 'value')) evaluateWord(v, this);
    }
    const parts = named(node).filter((c) => c.type !== 'variable_name' && !isField(node, c, 'value'));
    let start = cwds;
    let after = cwds;
    for (let pass = 0; pass < 2; pass++) {
      let cur = start;
      for (const p of parts) {
        const f = p.type === 'do_group' ? this.sequence(named(p), cur) : this.statement(p, cur);
        cur = union(f.ok, f.fail);
      }
      after = union(after, cur);
      start = union(start, cur);
    }
    return { ok: after, fail: after };
  }

  private redirected(node: PlainNode, cwds: Cwds): Flow {
    const body = fieldKid(node, 'body');
    const redirects = fieldKids(node, 'redirect');
    if (!body) {
      this.redirects(redirects, cwds, undefined);
      return { ok: cwds, fail: cwds };
    }
    if (body.type === 'command') return this.command(body, cwds, redirects);
    const f = this.statement(body, cwds);
    // In the shell a redirection belongs to a simple or compound command, never to a list or a
    // pipeline: tree-sitter hangs `a && b > f` on the list, but it is b's (in b's folder).
    const at = body.type === 'list' || body.type === 'pipeline' ? this.lastCwds : cwds;
    this.redirects(redirects, at, undefined);
    return f;
  }

  /** Records the writes of redirections; returns standard input given by a here-string/heredoc. */
  private redirects(nodes: readonly PlainNode[], cwds: Cwds, command: SimpleCommand | undefined): void {
    for (const r of nodes) {
      this.currentCwds = cwds;
      if (r.type === 'file_redirect') this.fileRedirect(r, cwds);
      else if (r.type === 'herestring_redirect') {
        const word = named(r)[0];
        const w = word ? evaluateWord(word, this) : { text: '' };
        if (command) command.stdin = { text: w.value };
      } else if (r.type === 'heredoc_redirect') {
        const input = readHeredoc(r, this.source, this);
        if (command && input) command.stdin = { text: input.text };
        for (const extra of input?.rest ?? []) {
          if (extra.type === 'file_redirect') this.fileRedirect(extra, cwds);
          else if (extra.type === 'pipeline') {
            // `cat <<EOF | sh`: tree-sitter puts the rest of the operator's line here; those commands read the pipe.
            for (const part of named(extra)) {
              const saved = this.piped;
              this.piped = true;
              this.isolated(() => this.statement(part, cwds));
              this.piped = saved;
            }
          } else this.problem(`"${extra.text}" after a heredoc delimiter`);
        }
      } else if (r.type !== 'comment') this.problem(`unsupported redirection "${r.type}"`);
    }
  }

  private fileRedirect(r: PlainNode, cwds: Cwds): void {
    const op = kids(r).find((c) => !c.isNamed)?.type ?? '>';
    const dest = fieldKid(r, 'destination') ?? named(r).filter((c) => c.type !== 'file_descriptor').at(-1);
    if (!dest) { if (op !== '>&-' && op !== '<&-') this.problem(`the redirection ${r.text}`); return; }
    const w = evaluateWord(dest, this);
    if (w.value !== undefined && /^\/dev\/(tcp|udp)\//.test(w.value)) { this.problem(`a network connection through ${w.value}`); return; }
    if (op === '<') return;
    if ((op === '>&' || op === '<&') && w.value !== undefined && /^(\d+|-)$/.test(w.value)) return; // fd duplication / close
    if (op === '<&') return;
    if (w.value === undefined) { this.problem(`a write to "${w.text}", computed at run time`); return; }
    if (HARMLESS_TARGETS.has(w.value) || /^\/dev\/fd\/\d+$/.test(w.value)) return;
    this.out.writes.push({ target: w, cwds, how: op });
  }

  private command(node: PlainNode, cwds: Cwds, outer: readonly PlainNode[]): Flow {
    const assignments: Assignment[] = [];
    const words: ShellWord[] = [];
    const redirects: PlainNode[] = [...outer];
    for (const c of kids(node)) {
      this.currentCwds = cwds;
      if (c.type === 'variable_assignment' && words.length === 0) { const a = this.assignment(c, false); if (a) assignments.push(a); }
      else if (c.type === 'command_name') { const inner = named(c)[0]; if (inner) words.push(evaluateWord(inner, this)); }
      else if (c.type === 'file_redirect' || c.type === 'herestring_redirect' || c.type === 'heredoc_redirect') redirects.push(c);
      else if (c.isNamed && c.type !== 'comment') words.push(evaluateWord(c, this));
      else if (!c.isNamed) this.problem(`unexpected "${c.type}" in a command`);
    }
    if (words.length === 1 && words[0].value === 'exec' && redirects.length > 0) this.problem('exec with only redirections (it redirects the rest of the line)');
    const cmd: SimpleCommand = { words, assignments, carried: [...this.carried], cwds, pipedInput: this.piped, text: node.text };
    this.redirects(redirects, cwds, cmd);
    this.lastCwds = cwds;
    if (words.length === 0) return { ok: cwds, fail: cwds };
    this.out.commands.push(cmd);
    return this.folderChange(cmd, cwds);
  }

  /** `cd`, `pushd`, `popd` (also behind `command`/`builtin`): the folder the rest runs in. */
  private folderChange(cmd: SimpleCommand, cwds: Cwds): Flow {
    let argv = cmd.words;
    while (argv.length > 0 && (argv[0].value === 'command' || argv[0].value === 'builtin')) argv = argv.slice(1);
    const program = argv[0]?.value;
    if (program !== 'cd' && program !== 'pushd' && program !== 'popd') return { ok: cwds, fail: cwds };
    if (program === 'popd') {
      const top = this.dirStack.length > 0 ? this.dirStack.pop() : undefined;
      return { ok: top, fail: cwds };
    }
    const args = argv.slice(1).filter((w) => w.value !== '--' && w.value !== '-L');
    let target: string | undefined;
    if (args.length === 0) target = program === 'cd' ? this.home : undefined;
    else if (args.length === 1 && args[0].value !== undefined && args[0].value !== '-' && !args[0].value.startsWith('-')) target = args[0].value;
    if (cmd.carried.some((a) => a.name === 'CDPATH') || cmd.assignments.some((a) => a.name === 'CDPATH')) target = undefined;
    const ok = target === undefined || cwds === undefined ? undefined : [...new Set(cwds.map((c) => path.resolve(c, target)))];
    if (program === 'pushd') this.dirStack.push(cwds);
    return { ok, fail: cwds };
  }
}

/** Reads a parsed command line (`cwds`: absolute folders it may start in, undefined = unknown; `home` for `~`). Never throws. */
export function readCommandLine(tree: PlainTree, source: string, cwds: readonly string[] | undefined, home: string): ParsedLine {
  const w = new Walker(source, home);
  try {
    return w.run(tree, cwds);
  } catch (e) {
    w.problem(`the command could not be analysed (${e instanceof Error ? e.message : String(e)})`);
    return w.out;
  }
}

