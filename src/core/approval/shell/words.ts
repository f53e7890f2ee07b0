/**
 * Shell words from tree-sitter nodes: quote removal and escapes as sh/bash do them, with a word
 * whose value depends on run time (expansions, substitutions, globs, brace expansion, `~user`,
 * `$'…'`) reported as unknown. Constructs whose value or side effects we cannot judge (indirect or
 * prompt expansion, operators inside `${…}`, arithmetic on names) are problems.
 */
import { kids, type PlainNode } from './grammar';
import type { ShellWord } from './model';

/** What word evaluation needs from the walker. */
export interface WordContext {
  problem(reason: string): void;
  /** Walks the statements of a `$(…)`, backtick or `<(…)` substitution. */
  substitution(node: PlainNode): void;
  /** $HOME, for `~` and `~/…`. */
  home: string;
}

interface Segment { text: string; quoted: boolean; dynamic: boolean }

const SIMPLE_EXPANSION = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9]|[?#@*$!-])$/;
const BRACED_EXPANSION = /^\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*$!-])\}$/;
/** Arithmetic on literals only: a name in arithmetic can run code through array subscripts. */
const LITERAL_ARITHMETIC = /^\$\(\([\d\s+\-*/%()<>=!&|^~?:,]*\)\)$/;

/** Unquoted word text: backslash escapes, line continuations; a quote or `$…` left here is a parser slip. */
function unquotedLeaf(text: string, ctx: WordContext): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  const flush = () => { if (plain) out.push({ text: plain, quoted: false, dynamic: false }); plain = ''; };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (i + 1 >= text.length) { plain += c; continue; }
      if (text[i + 1] === '\n') { i++; continue; }
      flush();
      out.push({ text: text[i + 1], quoted: true, dynamic: false });
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      ctx.problem(`a quote the parser did not pair (${JSON.stringify(text)})`);
      plain += c;
    } else if (c === '$' && i + 1 < text.length) {
      ctx.problem(`an expansion the parser did not see (${JSON.stringify(text)})`);
      flush();
      out.push({ text: text.slice(i), quoted: false, dynamic: true });
      return out;
    } else {
      plain += c;
    }
  }
  flush();
  return out;
}

/** The inside of a double-quoted string piece: only `\$ \` \" \\ \<newline>` are escapes. */
function doubleQuotedText(text: string, ctx: WordContext): string {
  let v = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
      if (next !== '\n') v += next;
      i++;
    } else if ((c === '$' && next !== undefined && /[A-Za-z_{(0-9@*#?$!-]/.test(next)) || c === '`') {
      ctx.problem(`an expansion inside quotes the parser did not see (${JSON.stringify(text)})`);
      v += c;
    } else {
      v += c;
    }
  }
  return v;
}

/** Children of `node` must tile [from, to) with no gaps the parser skipped. */
function tiles(children: readonly PlainNode[], from: number, to: number): boolean {
  let at = from;
  for (const c of children) {
    if (c.startIndex !== at) return false;
    at = c.endIndex;
  }
  return at === to;
}

function segments(node: PlainNode, ctx: WordContext, inQuotes = false): Segment[] {
  const text = node.text;
  switch (node.type) {
    case 'word':
    case 'number':
    case 'test_operator':
    case 'variable_name':
      return inQuotes ? [{ text: doubleQuotedText(text, ctx), quoted: true, dynamic: false }] : unquotedLeaf(text, ctx);
    case 'string_content':
    case 'heredoc_content':
      return [{ text: doubleQuotedText(text, ctx), quoted: true, dynamic: false }];
    case 'raw_string':
      if (text.length < 2 || !text.endsWith("'")) ctx.problem('unterminated single quote');
      return [{ text: text.slice(1, -1), quoted: true, dynamic: false }];
    case 'string': {
      const inner = kids(node).slice(1, -1);
      if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) ctx.problem('unterminated double quote');
      else if (!tiles(inner, node.startIndex + 1, node.endIndex - 1)) ctx.problem(`text inside quotes the parser skipped (${JSON.stringify(text)})`);
      return inner.flatMap((c) => segments(c, ctx, true));
    }
    case 'concatenation':
      if (!tiles(kids(node), node.startIndex, node.endIndex)) ctx.problem(`text inside a word the parser skipped (${JSON.stringify(text)})`);
      return kids(node).flatMap((c) => segments(c, ctx, inQuotes));
    case 'simple_expansion':
      if (!SIMPLE_EXPANSION.test(text)) ctx.problem(`the expansion ${text}`);
      return [{ text, quoted: inQuotes, dynamic: true }];
    case 'expansion':
      if (!BRACED_EXPANSION.test(text)) ctx.problem(`the expansion ${text} (only plain $NAME and \${NAME} are judged)`);
      return [{ text, quoted: inQuotes, dynamic: true }];
    case 'command_substitution':
      if (text.startsWith('`') && text.includes('\\')) ctx.problem('a backslash inside backticks (the shell unescapes it before parsing)');
      ctx.substitution(node);
      return [{ text, quoted: inQuotes, dynamic: true }];
    case 'process_substitution':
      ctx.substitution(node);
      return [{ text, quoted: false, dynamic: true }];
    case 'arithmetic_expansion':
      if (!LITERAL_ARITHMETIC.test(text)) ctx.problem(`the arithmetic expansion ${text} (names in arithmetic can run code)`);
      else if (text.length > 1000) ctx.problem('an arithmetic expansion nested too deep');
      return [{ text, quoted: inQuotes, dynamic: true }];
    case 'brace_expression':
    case 'ansi_c_string':
    case 'translated_string':
    case 'extglob_pattern':
    case 'regex':
      return [{ text, quoted: false, dynamic: true }];
    default:
      ctx.problem(`unsupported word syntax "${node.type}"`);
      return [{ text, quoted: false, dynamic: true }];
  }
}

/** Unquoted characters only, quoted ones masked, so globs and braces can be spotted. */
function unquotedMask(segs: readonly Segment[]): string {
  return segs.map((s) => (s.quoted || s.dynamic ? '\u0000'.repeat(Math.max(1, s.text.length)) : s.text)).join('');
}

/** Evaluates one word node into its value (when static) and its text. */
export function evaluateWord(node: PlainNode, ctx: WordContext): ShellWord {
  const segs = segments(node, ctx);
  const text = node.text;
  if (segs.some((s) => s.dynamic)) return { text };
  const mask = unquotedMask(segs);
  if (/[*?]/.test(mask) || /\[[^\]]*\]/.test(mask)) return { text }; // a glob: its value is what it matches
  if (/\{[^{}]*(,|\.\.)[^{}]*\}/.test(mask)) return { text }; // brace expansion
  let value = segs.map((s) => s.text).join('');
  const first = segs[0];
  if (first && !first.quoted && first.text.startsWith('~')) {
    // `~` alone or `~/…` is $HOME; `~user`, `~+`, `~-` and a tilde followed by quotes are not judged.
    if (!(first.text === '~' && segs.length === 1) && !first.text.startsWith('~/')) return { text };
    value = ctx.home + value.slice(1);
  }
  return { value, text };
}

/** Evaluates a word and reports it as a problem unless its value is known before running. */
export function staticWord(node: PlainNode, ctx: WordContext, what: string): ShellWord {
  const w = evaluateWord(node, ctx);
  if (w.value === undefined) ctx.problem(`${what} "${w.text}" is computed at run time`);
  return w;
}
