/**
 * Checks a user's answer to an MCP elicitation against the schema the server requested. The MCP
 * spec (elicitation, form mode) limits that schema to a flat object whose properties are
 * primitives (string with optional format, number, integer, boolean) or enums (single select:
 * `enum` or `oneOf` of `const`; multi select: an array whose `items` have `enum` or `anyOf`).
 * Validation is Ajv's (the validator the MCP SDK itself uses); formats are left to the form.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { ElicitValue } from '../../shared/knowledge-types';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 50;

/** The property types the spec allows in a requested schema. */
const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean', 'array']);

/**
 * Why `schema` is not a flat elicitation schema, or undefined when it is one. Nested objects and
 * unknown property types are refused: the form could not show them.
 */
export function elicitSchemaProblem(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'the requested schema is not an object';
  const s = schema as { type?: unknown; properties?: unknown };
  if (s.type !== 'object') return 'the requested schema must have type "object"';
  if (typeof s.properties !== 'object' || s.properties === null) return 'the requested schema has no properties';
  for (const [name, prop] of Object.entries(s.properties as Record<string, unknown>)) {
    const t = (prop as { type?: unknown } | null)?.type;
    if (typeof t !== 'string' || !PRIMITIVE.has(t)) return `field "${name}" is not a string, number, integer, boolean or enum`;
  }
  return undefined;
}

/**
 * Validates `content` against the requested schema: undefined when it fits, else a message naming
 * each field that does not (for the user, who can correct the form).
 */
export function elicitContentProblem(schema: Record<string, unknown>, content: Record<string, ElicitValue>): string | undefined {
  const shape = elicitSchemaProblem(schema);
  if (shape) return shape;
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (e) {
      return `the requested schema cannot be compiled: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, validate);
  }
  if (validate(content)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'answer'} ${e.message ?? 'is invalid'}`).join('; ');
}
