/**
 * The fields of an MCP elicitation form (the spec's flat schema: string with format, number,
 * integer, boolean, single-select enum as `enum` / `oneOf` of `const`, multi-select as an array
 * of `enum` / `anyOf` items) and how typed values are read back. Pure: no DOM.
 */
import type { ElicitValue } from '../../../../src/shared/knowledge-types';

export interface FieldOption { value: string; label: string }

export interface FormField {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  kind: 'text' | 'number' | 'integer' | 'boolean' | 'select' | 'multi';
  /** HTML input type for text fields (email, url, date, datetime-local, text). */
  inputType?: string;
  options?: FieldOption[];
  default?: ElicitValue;
  min?: number;
  max?: number;
}

type Prop = Record<string, unknown>;

const FORMAT_INPUT: Record<string, string> = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' };

function optionsOf(p: Prop): FieldOption[] | undefined {
  if (Array.isArray(p.enum)) {
    const names = Array.isArray(p.enumNames) ? p.enumNames : [];
    return p.enum.map((v, i) => ({ value: String(v), label: typeof names[i] === 'string' ? names[i] as string : String(v) }));
  }
  const list = Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.anyOf) ? p.anyOf : undefined;
  return list?.filter((o): o is Prop => typeof o === 'object' && o !== null && 'const' in o)
    .map((o) => ({ value: String(o.const), label: typeof o.title === 'string' ? o.title : String(o.const) }));
}

/** The form's fields, in the schema's order. Unknown property shapes become text fields. */
export function formFields(schema: Record<string, unknown> | undefined): FormField[] {
  const props = (schema?.properties ?? {}) as Record<string, Prop>;
  const required = new Set(Array.isArray(schema?.required) ? schema.required as string[] : []);
  return Object.entries(props).map(([name, p]) => {
    const base = {
      name, label: typeof p.title === 'string' ? p.title : name, required: required.has(name),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
      ...(p.default !== undefined ? { default: p.default as ElicitValue } : {}),
    };
    const min = typeof p.minimum === 'number' ? p.minimum : undefined;
    const max = typeof p.maximum === 'number' ? p.maximum : undefined;
    const range = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    if (p.type === 'boolean') return { ...base, kind: 'boolean' };
    if (p.type === 'number' || p.type === 'integer') return { ...base, kind: p.type, ...range };
    if (p.type === 'array') {
      const items = (p.items ?? {}) as Prop;
      return { ...base, kind: 'multi', options: optionsOf(items) ?? [] };
    }
    const options = optionsOf(p);
    if (options) return { ...base, kind: 'select', options };
    return { ...base, kind: 'text', inputType: FORMAT_INPUT[String(p.format)] ?? 'text' };
  });
}

/** The raw values read from the form's controls (strings, checked flags, checked lists). */
export type RawValues = Record<string, string | boolean | string[]>;

/**
 * Typed content for `questions.answer`: numbers parsed, empty optional fields left out. Returns
 * the fields that are required but empty or not numbers in `problems` instead of sending them.
 */
export function typedContent(fields: readonly FormField[], raw: RawValues): { content: Record<string, ElicitValue>; problems: string[] } {
  const content: Record<string, ElicitValue> = {};
  const problems: string[] = [];
  for (const f of fields) {
    const v = raw[f.name];
    if (f.kind === 'boolean') { content[f.name] = v === true; continue; }
    if (f.kind === 'multi') {
      const list = Array.isArray(v) ? v : [];
      if (list.length > 0) content[f.name] = list;
      else if (f.required) problems.push(`${f.label} is required`);
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') { if (f.required) problems.push(`${f.label} is required`); continue; }
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n))) { problems.push(`${f.label} must be ${f.kind === 'integer' ? 'a whole number' : 'a number'}`); continue; }
      content[f.name] = n;
      continue;
    }
    content[f.name] = text;
  }
  return { content, problems };
}
