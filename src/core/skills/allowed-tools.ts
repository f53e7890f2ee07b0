/**
 * The `allowed-tools` front-matter field, as the Agent Skills spec and Claude Code write it:
 * a string of tool patterns separated by spaces (spec: `Bash(git:*) Bash(jq:*) Read`) or commas
 * (Claude Code: `Bash(git add:*), Bash(git status:*), Read`), where separators inside parentheses
 * belong to the pattern; or a YAML list. The form it came in is kept so a rewrite looks the same.
 */

/** How the field was written: a YAML list, or a string joined with `separator`. */
export type AllowedToolsForm = { kind: 'list' } | { kind: 'string'; separator: string };

/** Splits a string at commas and whitespace outside parentheses (and brackets). Empty parts are dropped. */
export function splitAllowedTools(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth += 1;
    else if ((ch === ')' || ch === ']') && depth > 0) depth -= 1;
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** The separator a string form uses: `, ` / `,` when it has a top-level comma, else a space. */
export function allowedToolsSeparator(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[') depth += 1;
    else if ((ch === ')' || ch === ']') && depth > 0) depth -= 1;
    else if (ch === ',' && depth === 0) return /\s/.test(text[i + 1] ?? '') ? ', ' : ',';
  }
  return ' ';
}

/** Parses the raw front-matter value (a string or a list of strings) into tool patterns and its form. */
export function parseAllowedTools(raw: string | readonly string[]): { tools: string[]; form: AllowedToolsForm } {
  if (typeof raw === 'string') return { tools: splitAllowedTools(raw), form: { kind: 'string', separator: allowedToolsSeparator(raw) } };
  return { tools: raw.map((t) => t.trim()).filter((t) => t.length > 0), form: { kind: 'list' } };
}

/** Joins patterns back in a string form. */
export function joinAllowedTools(tools: readonly string[], separator: string): string {
  return tools.join(separator);
}
