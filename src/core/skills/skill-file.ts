import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseAllowedTools } from './allowed-tools';
import type { SkillDiagnostic } from './types';

/** Agent Skills naming rule: lowercase letters, digits and single hyphens, at most 64 characters. */
export const SKILL_NAME_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SKILL_NAME = 64;
export const MAX_DESCRIPTION = 1024;

const frontMatterSchema = z.object({
  name: z.string().trim().min(1),
  description: z.string().trim().min(1),
  'allowed-tools': z.union([z.string(), z.array(z.string())]).optional(),
}).loose();

export interface ParsedSkillFile {
  name: string;
  description: string;
  allowedTools?: string[];
  body: string;
}

/**
 * Parses a SKILL.md. Returns the skill or undefined plus diagnostics; never throws.
 * `folderName` is used to warn when `name` differs from the folder (the spec asks them to match).
 */
export function parseSkillFile(text: string, path: string, folderName: string): { skill?: ParsedSkillFile; diagnostics: SkillDiagnostic[] } {
  const diagnostics: SkillDiagnostic[] = [];
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) {
    diagnostics.push({ severity: 'error', code: 'invalid_front_matter', path, message: 'SKILL.md must start with a YAML front matter block (---) holding name and description.' });
    return { diagnostics };
  }
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    diagnostics.push({ severity: 'error', code: 'invalid_front_matter', path, message: `Invalid YAML front matter: ${why}` });
    return { diagnostics };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    diagnostics.push({ severity: 'error', code: 'invalid_front_matter', path, message: 'The front matter must be a YAML mapping with name and description.' });
    return { diagnostics };
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    diagnostics.push({ severity: 'error', code: 'missing_field', path, message: `Missing or invalid front matter field(s): ${fields.join(', ')} (name and description must be non-empty strings).` });
    return { diagnostics };
  }
  const name = parsed.data.name;
  if (!SKILL_NAME_RE.test(name) || name.length > MAX_SKILL_NAME) {
    diagnostics.push({ severity: 'error', code: 'invalid_name', path, message: `Invalid skill name "${name.slice(0, 80)}": use lowercase letters, digits and hyphens (at most ${MAX_SKILL_NAME} characters).` });
    return { diagnostics };
  }
  if (name !== folderName) {
    diagnostics.push({ severity: 'info', code: 'invalid_name', path, message: `Skill name "${name}" differs from its folder "${folderName}" (the spec asks them to match); load_skill accepts either.` });
  }
  let description = parsed.data.description.replace(/\s+/g, ' ');
  if (description.length > MAX_DESCRIPTION) {
    diagnostics.push({ severity: 'warning', code: 'too_large', path, message: `Description is ${description.length} characters; only the first ${MAX_DESCRIPTION} are used.` });
    description = description.slice(0, MAX_DESCRIPTION);
  }
  const rawTools = parsed.data['allowed-tools'];
  const allowedTools = rawTools === undefined ? undefined : parseAllowedTools(rawTools).tools;
  return { skill: { name, description, allowedTools, body: text.slice(m[0].length) }, diagnostics };
}

/**
 * Serialises a new skill to SKILL.md text (manage_skill create; updates go through
 * updateSkillFile, which keeps the existing file's other fields). `allowed-tools` is written in
 * the spec's form, a space-separated string.
 */
export function formatSkillFile(name: string, description: string, body: string, allowedTools?: readonly string[]): string {
  const q = (s: string): string => JSON.stringify(s); // JSON strings are valid YAML scalars
  const lines = ['---', `name: ${name}`, `description: ${q(description)}`];
  if (allowedTools && allowedTools.length > 0) lines.push(`allowed-tools: ${q(allowedTools.join(' '))}`);
  lines.push('---', '');
  return `${lines.join('\n')}${body.endsWith('\n') ? body : `${body}\n`}`;
}
