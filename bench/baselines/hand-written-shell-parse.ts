// B9 baseline: the hand-written shell analysis used before the tree-sitter one (kept only to be measured against).
/**
 * Static analysis of a shell command line before permission matching. Splits chains
 * (`&&`, `||`, `;`, `|`, `&`, newlines), descends into `$(…)`, backticks, `( … )` groups and
 * `<(…)`, strips leading env assignments, unquotes words and collects write redirections.
 * Anything it cannot follow with confidence (unterminated quotes, heredocs, `eval`, control
 * flow, computed command names …) is reported in `problems`: such a command is never auto-allowed.
 */

/** One simple command of the line. */
export interface SubCommand {
  /** Unquoted words, env assignments removed. Substitutions appear as `$(…)` / `` `…` ``. */
  argv: string[];
  /** Normalised text: argv joined by spaces, words with spaces or quotes re-quoted. */
  text: string;
}

/** A redirection that writes a file. */
export interface WriteTarget {
  /** Target as written (unquoted), relative to the command's working folder or absolute. */
  path: string;
  operator: string;
}

export interface ShellAnalysis {
  subcommands: SubCommand[];
  writes: WriteTarget[];
  /** Reasons the line could not be analysed with confidence; empty = confident. */
  problems: string[];
}

interface Word {
  value: string;
  /** Contains an expansion or substitution whose value is only known at run time. */
  dynamic: boolean;
  quoted: boolean;
  /** The leading part before any quote, escape or expansion (decides whether `NAME=` is an assignment). */
  plain?: string;
}

/** Programs whose arguments are themselves code, or that change how the rest is parsed. */
const OPAQUE_PROGRAMS = new Set(['eval', 'exec', 'source', '.', 'trap', 'alias', 'builtin', 'command', 'coproc', 'function']);
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'select', '[[', ']]', '!']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
/** Redirection targets that write nothing anyone cares about. */
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

function quoteForDisplay(w: string): string {
  if (w === '') return "''";
  return /[\s'"\\;&|<>()`$*?]/.test(w) && !/^(\$\(…\)|`…`)$/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w;
}

class Parser {
  private i = 0;
  readonly out: ShellAnalysis = { subcommands: [], writes: [], problems: [] };

  constructor(private readonly s: string) {}

  private problem(p: string): void {
    if (!this.out.problems.includes(p)) this.out.problems.push(p);
  }

  private merge(inner: string): void {
    const sub = new Parser(inner);
    sub.parseSequence();
    this.out.subcommands.push(...sub.out.subcommands);
    this.out.writes.push(...sub.out.writes);
    for (const p of sub.out.problems) this.problem(p);
  }

  private emit(words: Word[]): void {
    let k = 0;
    while (k < words.length && ASSIGNMENT.test(words[k].plain ?? words[k].value)) k++;
    const rest = words.slice(k);
    if (rest.length === 0) return;
    const program = rest[0];
    if (program.dynamic) this.problem(`the command name "${program.value}" is computed at run time`);
    if (!program.quoted && SHELL_KEYWORDS.has(program.value)) this.problem(`shell control flow ("${program.value}")`);
    if (OPAQUE_PROGRAMS.has(program.value)) this.problem(`"${program.value}" runs code that cannot be checked in advance`);
    if (SHELLS.has(program.value.split('/').pop() ?? '') && rest.some((w) => /^-\w*c/.test(w.value))) this.problem(`"${program.value} -c" runs a nested command line`);
    const argv = rest.map((w) => w.value);
    this.out.subcommands.push({ argv, text: argv.map(quoteForDisplay).join(' ') });
  }

  /** Reads up to the matching close of a `$(`/`<(`/`(` whose opener was consumed, and parses the inside. */
  private nested(): void {
    const sub = new Parser(this.s);
    sub.i = this.i;
    sub.parseSequence(')');
    this.i = sub.i;
    this.out.subcommands.push(...sub.out.subcommands);
    this.out.writes.push(...sub.out.writes);
    for (const p of sub.out.problems) this.problem(p);
  }

  private backtick(): void {
    // Opening backtick consumed: find the closing one, honouring backslash escapes.
    let inner = '';
    while (this.i < this.s.length && this.s[this.i] !== '`') {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) { inner += this.s[this.i + 1]; this.i += 2; continue; }
      inner += this.s[this.i++];
    }
    if (this.i >= this.s.length) { this.problem('unterminated backtick substitution'); return; }
    this.i++;
    this.merge(inner);
  }

  private dollar(word: Word): void {
    // At '$'.
    const next = this.s[this.i + 1];
    word.dynamic = true;
    if (next === '(' && this.s[this.i + 2] === '(') {
      // Arithmetic $(( … )): no commands inside unless it nests a substitution, which we refuse.
      let depth = 0;
      const start = this.i;
      this.i += 1;
      for (; this.i < this.s.length; this.i++) {
        if (this.s[this.i] === '(') depth++;
        else if (this.s[this.i] === ')' && --depth === 0) { this.i++; break; }
      }
      const text = this.s.slice(start, this.i);
      if (depth !== 0) this.problem('unterminated arithmetic expansion');
      if (/\$\(|`/.test(text.slice(3))) this.problem('substitution inside arithmetic expansion');
      word.value += text;
    } else if (next === '(') {
      this.i += 2;
      this.nested();
      word.value += '$(…)';
    } else if (next === '{') {
      const end = this.s.indexOf('}', this.i);
      if (end === -1) { this.problem('unterminated ${…}'); word.value += this.s.slice(this.i); this.i = this.s.length; return; }
      const text = this.s.slice(this.i, end + 1);
      if (/\$\(|`/.test(text)) this.problem('substitution inside ${…}');
      word.value += text;
      this.i = end + 1;
    } else {
      word.value += '$';
      this.i++;
    }
  }

  private readWord(): Word {
    const w: Word = { value: '', dynamic: false, quoted: false };
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (WORD_END.has(c)) break;
      if (w.plain === undefined && (c === '\\' || c === "'" || c === '"' || c === '$' || c === '`')) w.plain = w.value;
      if (c === '\\') {
        if (this.s[this.i + 1] === '\n') { this.i += 2; continue; }
        if (this.i + 1 < this.s.length) { w.value += this.s[this.i + 1]; w.quoted = true; }
        this.i += 2;
      } else if (c === "'") {
        const end = this.s.indexOf("'", this.i + 1);
        w.quoted = true;
        if (end === -1) { this.problem('unterminated single quote'); w.value += this.s.slice(this.i + 1); this.i = this.s.length; break; }
        w.value += this.s.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (c === '"') {
        w.quoted = true;
        this.i++;
        let closed = false;
        while (this.i < this.s.length) {
          const d = this.s[this.i];
          if (d === '"') { this.i++; closed = true; break; }
          if (d === '\\' && this.i + 1 < this.s.length && '$`"\\\n'.includes(this.s[this.i + 1])) {
            if (this.s[this.i + 1] !== '\n') w.value += this.s[this.i + 1];
            this.i += 2;
          } else if (d === '$') this.dollar(w);
          else if (d === '`') { this.i++; w.dynamic = true; this.backtick(); w.value += '`…`'; }
          else { w.value += d; this.i++; }
        }
        if (!closed) this.problem('unterminated double quote');
      } else if (c === '$') {
        this.dollar(w);
      } else if (c === '`') {
        this.i++;
        w.dynamic = true;
        this.backtick();
        w.value += '`…`';
      } else {
        w.value += c;
        this.i++;
      }
    }
    return w;
  }

  private skipBlanks(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** At a redirection operator (optionally after an fd number): records writes, consumes the target. */
  private redirection(words: Word[]): void {
    const m = /^(\d*)(&>>|&>|>>|>\||>&|>|<<<|<<-?|<&|<>|<)/.exec(this.s.slice(this.i))!;
    const op = m[2];
    this.i += m[0].length;
    if (op === '<<' || op === '<<-') { this.problem('heredoc (<<) bodies are not analysed'); this.i = this.s.length; return; }
    if ((op === '<' || op === '>') && this.s[this.i] === '(') {
      // Process substitution <( … ) / >( … ): a command whose output becomes an argument.
      this.i++;
      this.nested();
      words.push({ value: `${op}(…)`, dynamic: true, quoted: false });
      return;
    }
    this.skipBlanks();
    const target = this.readWord();
    if (target.value === '' && !target.quoted) { this.problem(`redirection ${op} without a target`); return; }
    if (op === '>&' || op === '<&') {
      if (/^(\d+|-)$/.test(target.value)) return; // fd duplication such as 2>&1
      if (op === '<&') return;
    }
    if (op === '<' || op === '<<<' || op === '<&') return; // reads
    if (target.dynamic) { this.problem(`write redirection to a computed target "${target.value}"`); return; }
    if (HARMLESS_TARGETS.has(target.value) || /^\/dev\/fd\/\d+$/.test(target.value)) return;
    this.out.writes.push({ path: target.value, operator: m[0] });
  }

  /** Parses commands until `end` (consumed) or the end of input. */
  parseSequence(end?: ')'): void {
    let words: Word[] = [];
    const finish = () => { this.emit(words); words = []; };
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      const two = this.s.slice(this.i, this.i + 2);
      if (c === ')') {
        if (end) { this.i++; finish(); return; }
        this.problem('unbalanced ")"');
        this.i++;
        continue;
      }
      if (c === ' ' || c === '\t') { this.i++; continue; }
      if (c === '\n' || c === ';') { this.i++; finish(); continue; }
      if (c === '#') { while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++; continue; }
      if (c === '<' || c === '>' || two === '&>' || /^\d+[<>]/.test(this.s.slice(this.i, this.i + 12))) {
        this.redirection(words);
        continue;
      }
      if (c === '&' || c === '|') {
        this.i += two === '&&' || two === '||' || two === '|&' ? 2 : 1;
        finish();
        continue;
      }
      if (c === '(') {
        this.i++;
        if (words.length > 0) this.problem('unexpected "(" (function definitions are not analysed)');
        this.nested();
        continue;
      }
      const w = this.readWord();
      if (words.length === 0 && !w.quoted && (w.value === '{' || w.value === '}')) continue; // group braces
      words.push(w);
    }
    if (end) this.problem('unterminated "(" / "$("');
    finish();
  }
}

/** Analyses a command line. Never throws; uncertainty goes to `problems`. */
export function parseShell(command: string): ShellAnalysis {
  const p = new Parser(command);
  p.parseSequence();
  return p.out;
}

/** Tokenises a rule's command pattern with the same quoting rules (e.g. `git commit -m "x"`). */
export function splitWords(text: string): string[] {
  const a = parseShell(text);
  return a.subcommands.length === 1 ? a.subcommands[0].argv : text.trim().split(/\s+/);
}
