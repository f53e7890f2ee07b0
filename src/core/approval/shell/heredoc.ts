/**
 * Heredocs, checked against the shell's own rule instead of trusting the parser: the body starts
 * after the newline that ends the operator's line and ends at the first line that is exactly the
 * delimiter (leading tabs stripped for `<<-`). tree-sitter gets some of these wrong (a delimiter
 * followed by a space, `<<EOF; cmd`); where the parser and the rule disagree, the line is not
 * analysable.
 */
import { kids, named, type PlainNode } from './grammar';
import type { WordContext } from './words';

/** What a verified heredoc feeds the command. */
export interface HeredocInput {
  /** The body as the command reads it; undefined when it expands at run time. */
  text?: string;
  /** Other children of the redirect node (tree-sitter puts the rest of the operator's line there). */
  rest: PlainNode[];
}

const DELIMITER = /^(?:([A-Za-z0-9_.-]+)|'([A-Za-z0-9_.-]+)'|"([A-Za-z0-9_.-]+)"|\\([A-Za-z0-9_.-]+))$/;

/** Lines of `source` from `from`: [start, end) of each line, end excluding the newline. */
function* lines(source: string, from: number): Generator<[number, number]> {
  let at = from;
  while (at < source.length) {
    const nl = source.indexOf('\n', at);
    const end = nl === -1 ? source.length : nl;
    yield [at, end];
    at = end + 1;
  }
}

/**
 * Verifies one `heredoc_redirect` node of `source`. Problems go to `ctx.problem`; substitutions in
 * an unquoted body are walked through `ctx.substitution`.
 */
export function readHeredoc(node: PlainNode, source: string, ctx: WordContext): HeredocInput | undefined {
  const op = kids(node).find((c) => c.type === '<<' || c.type === '<<-');
  const start = kids(node).find((c) => c.type === 'heredoc_start');
  const body = kids(node).find((c) => c.type === 'heredoc_body');
  const end = kids(node).find((c) => c.type === 'heredoc_end');
  const rest = kids(node).filter((c) => c !== op && c !== start && c !== body && c !== end);
  if (!op || !start || !end) { ctx.problem('an incomplete heredoc'); return undefined; }
  const m = DELIMITER.exec(start.text);
  if (!m) { ctx.problem(`the heredoc delimiter ${JSON.stringify(start.text)}`); return undefined; }
  const delimiter = m[1] ?? m[2] ?? m[3] ?? m[4];
  const quoted = m[1] === undefined;
  const stripTabs = op.type === '<<-';

  // The body starts right after the first newline following the delimiter word.
  const newline = source.indexOf('\n', start.endIndex);
  const bodyStart = newline + 1;
  if (newline === -1 || rest.some((r) => r.endIndex > newline) || (body && body.startIndex !== bodyStart && !(stripTabs && /^\t*$/.test(source.slice(bodyStart, body.startIndex))))) {
    ctx.problem('a heredoc whose body the parser placed differently from the shell');
    return undefined;
  }
  // The shell's terminator: the first line (from bodyStart) equal to the delimiter.
  let terminator: [number, number] | undefined;
  for (const [ls, le] of lines(source, bodyStart)) {
    const line = source.slice(ls, le);
    if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) { terminator = [ls, le]; break; }
  }
  if (!terminator || end.endIndex !== terminator[1] || end.startIndex < terminator[0] || end.text !== delimiter) {
    ctx.problem('a heredoc that the shell ends elsewhere than the parser');
    return undefined;
  }
  const raw = source.slice(bodyStart, terminator[0]);
  const text = stripTabs ? raw.replace(/^\t+/gm, '') : raw;
  if (quoted) return { text, rest };
  // Unquoted delimiter: `$…` and backticks in the body expand; substitutions run.
  let dynamic = false;
  for (const c of body ? named(body) : []) {
    if (c.type === 'heredoc_content') continue;
    dynamic = true;
    if (c.type === 'command_substitution') {
      if (c.text.startsWith('`') && c.text.includes('\\')) ctx.problem('a backslash inside backticks (the shell unescapes it before parsing)');
      ctx.substitution(c);
    } else if (c.type !== 'simple_expansion' || !/^\$([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-])$/.test(c.text)) {
      if (!(c.type === 'expansion' && /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(c.text))) ctx.problem(`the expansion ${c.text} in a heredoc`);
    }
  }
  // Anything the parser left as plain text that the shell would expand.
  const plain = (body ? named(body) : []).filter((c) => c.type === 'heredoc_content').map((c) => c.text).join('');
  const bodyText = body ? body.text : '';
  if (!body && /[$`\\]/.test(raw)) ctx.problem('a heredoc body the parser did not read');
  if (/\$[({A-Za-z_0-9@*#?$!-]|`/.test(plain) || (body && named(body).length === 0 && /\$[({A-Za-z_0-9@*#?$!-]|`/.test(bodyText))) {
    ctx.problem('an expansion in a heredoc body the parser did not see');
  }
  return { text: dynamic ? undefined : text.replace(/\\([$`\\\n])/g, (_, ch: string) => (ch === '\n' ? '' : ch)), rest };
}
