import { parse as parseYaml } from 'yaml';

/**
 * Cursor project rules (`.cursor/rules/**\/*.mdc`): a YAML front matter with `description`,
 * `globs` and `alwaysApply`, then the rule's Markdown. Cursor's rule types follow from them:
 * `alwaysApply: true` → always in the context; `globs` → attached when a matching file is
 * involved; only a `description` → the agent reads it when relevant; none → manual (only when
 * mentioned). Cursor writes `globs: *.ts, src/**` unquoted — not valid YAML (`*` starts an
 * alias) — so the `globs:` line is read raw, as Cursor does, and the rest goes to the yaml parser.
 */

/** How a Cursor rule is applied (Cursor's Always / Auto Attached / Agent Requested / Manual). */
export type CursorActivation = 'always' | 'glob' | 'requested' | 'manual';

export interface CursorRuleMeta {
  /** The Markdown after the front matter. */
  body: string;
  activation: CursorActivation;
  /** Glob patterns relative to the workspace root (empty unless `globs` was given). */
  globs: string[];
  description?: string;
  /** The front matter could not be read as a whole (the rule is then manual unless a raw line said otherwise). */
  problem?: string;
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** Removes a leading `---\n…\n---` YAML front matter block. */
export function stripFrontMatter(text: string): string {
  const m = FRONT_MATTER.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** Splits Cursor's comma-separated glob list (`*.ts, src/**\/*.tsx`), dropping quotes and blanks. */
export function splitGlobs(raw: string): string[] {
  return raw.split(',').map((g) => g.trim().replace(/^(["'])(.*)\1$/, '$2').trim()).filter((g) => g !== '');
}

function globsOf(value: unknown): string[] {
  if (typeof value === 'string') return splitGlobs(value);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? splitGlobs(v) : []));
  return [];
}

/** The raw `key: value` lines of a front matter, for when it is not valid YAML (Cursor reads it line by line too). */
function rawFields(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const m = /^([A-Za-z][\w-]*):[ \t]*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** Reads a Cursor rule file's front matter and body. Never throws: a bad front matter is reported in `problem`. */
export function parseCursorRule(text: string): CursorRuleMeta {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { body: text, activation: 'manual', globs: [] };
  const body = text.slice(m[0].length);
  const lines = (m[1] ?? '').split(/\r?\n/);
  // An unquoted scalar on the globs line is taken as written; lists and quoted strings go to YAML.
  let rawGlobs: string | undefined;
  const yamlLines = lines.filter((line) => {
    const g = /^globs:[ \t]*(.*)$/.exec(line);
    const v = g?.[1]?.trim();
    if (g && v && !/^[[\-"'|>]/.test(v)) { rawGlobs = v; return false; }
    return true;
  });
  let fields: Record<string, unknown>;
  let problem: string | undefined;
  try {
    const parsed: unknown = parseYaml(yamlLines.join('\n'));
    fields = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
  } catch (e) {
    problem = `front matter is not valid YAML (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); read line by line`;
    fields = rawFields(yamlLines.join('\n'));
  }
  const globs = rawGlobs !== undefined ? splitGlobs(rawGlobs) : globsOf(fields.globs);
  const description = typeof fields.description === 'string' && fields.description.trim() !== '' ? fields.description.trim() : undefined;
  const always = fields.alwaysApply === true || fields.alwaysApply === 'true';
  const activation: CursorActivation = always ? 'always' : globs.length > 0 ? 'glob' : description ? 'requested' : 'manual';
  return { body, activation, globs, ...(description ? { description } : {}), ...(problem ? { problem } : {}) };
}
