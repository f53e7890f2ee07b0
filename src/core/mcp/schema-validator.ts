import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../providers/types';

/**
 * JSON Schema validation of MCP tool arguments with Ajv (the ecosystem's validator, and the one
 * the MCP SDK uses). Draft-07 by default; 2019-09 and 2020-12 when the schema's `$schema` says so.
 * `$ref`s into the schema itself (`#/properties/x`, `#/$defs/x`, `#/definitions/x`) resolve. A
 * schema that cannot be compiled is reported, never skipped.
 */

/** A compiled tool schema: a validator, or the reason there is none. */
export type CompiledToolSchema =
  | { ok: true; check(value: unknown): string[] }
  | { ok: false; problem: string };

/** Top-level keys providers reject (or that mean nothing to the model); removed before sending. */
const PROVIDER_REJECTED_KEYS = ['$schema', '$id', '$comment'] as const;

/** Most validation errors listed to the model (Ajv collects all; a long list helps nobody). */
const MAX_ERRORS = 20;

type AnyAjv = Ajv | Ajv2019 | Ajv2020;
const instances = new Map<string, AnyAjv>();

/** Which draft a schema asks for (by its `$schema`): one shared Ajv per draft. */
function draftOf(schema: JsonSchema): '2020-12' | '2019-09' | 'draft-07' {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

function ajvFor(draft: ReturnType<typeof draftOf>): AnyAjv {
  let ajv = instances.get(draft);
  if (!ajv) {
    // strict off: servers use keywords Ajv does not know (x-*, examples in odd places); they are
    // annotations, not constraints. allErrors: the model sees every problem at once.
    const options = { strict: false, allErrors: true, validateFormats: true } as const;
    ajv = draft === '2020-12' ? new Ajv2020(options) : draft === '2019-09' ? new Ajv2019(options) : new Ajv(options);
    addFormats(ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

/** One readable line per Ajv error: where (a JSON pointer into the arguments) and what. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const lines = errors.slice(0, MAX_ERRORS).map((e) => {
    const where = e.instancePath === '' ? '(arguments)' : e.instancePath;
    const extra = e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string'
      ? ` ("${e.params.additionalProperty}")`
      : e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? ` (${JSON.stringify(e.params.allowedValues)})` : '';
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
  if (errors.length > MAX_ERRORS) lines.push(`… and ${errors.length - MAX_ERRORS} more`);
  return lines;
}

/**
 * Compiles a tool's input schema once. `$schema` picks the draft (any other draft, e.g. draft-04,
 * is checked as draft-07); it and `$id` are dropped before compiling, so two servers' schemas with
 * the same id never clash in the shared Ajv (the refs tools use are local: `#/…`).
 */
export function compileToolSchema(schema: JsonSchema): CompiledToolSchema {
  const ajv = ajvFor(draftOf(schema));
  const { $id: _id, $schema: _draft, ...withoutId } = schema;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(withoutId);
  } catch (e) {
    return { ok: false, problem: e instanceof Error ? e.message : String(e) };
  } finally {
    // Ajv keeps every compiled schema in its cache; tools come and go with their servers.
    ajv.removeSchema(withoutId);
  }
  return {
    ok: true,
    check(value: unknown): string[] {
      return validate(value) ? [] : describeSchemaErrors(validate.errors ?? []);
    },
  };
}

/** The schema as providers receive it: the top-level keys they reject removed (`$defs`/`definitions` kept: `$ref`s point there). */
export function providerSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const key of PROVIDER_REJECTED_KEYS) delete out[key];
  return out;
}
