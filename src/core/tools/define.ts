import { z } from 'zod';
import type { JsonSchema } from '../providers/types';
import type { ToolDefinition, ValidationResult } from './types';

/**
 * Validation helpers shared by the built-in tools: one zod schema gives both the JSON Schema
 * sent to the model and the runtime check, whose errors are written for the model.
 */

/** JSON Schema for a zod object schema (the model-facing parameters). */
export function toInputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json as JsonSchema;
}

/** Runs a zod schema and turns issues into one readable message for the model. */
export function validateWith<A>(schema: z.ZodType<A>, toolName: string, args: unknown): ValidationResult<A> {
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length ? `"${issue.path.join('.')}"` : 'arguments';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, error: `Invalid arguments for ${toolName}: ${problems.join('; ')}. Check the tool's parameter schema and try again.` };
}

/** Error text of an unknown thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What a built-in tool writes once: its name, its zod schema and its behaviour. */
export interface ToolSource<S extends z.ZodType> extends Omit<ToolDefinition<z.output<S>>, 'inputSchema' | 'validate'> {
  /** Parameters: both the JSON Schema the model sees and the runtime check. */
  schema: S;
  /** Checks beyond the schema on a parsed value; returns what is wrong, written for the model (it is prefixed with the tool's name). */
  check?(value: z.output<S>): string | undefined;
}

/**
 * A {@link ToolDefinition} from one source: the name and schema are written once, and the model's
 * JSON Schema, the runtime validation and its error messages all come from them.
 */
export function defineTool<S extends z.ZodType>(source: ToolSource<S>): ToolDefinition<z.output<S>> {
  const { schema, check, ...rest } = source;
  return {
    ...rest,
    inputSchema: toInputSchema(schema),
    validate(args) {
      const r = validateWith(schema, source.name, args) as ValidationResult<z.output<S>>;
      const problem = r.ok && check ? check(r.value) : undefined;
      return problem === undefined ? r : { ok: false, error: `Invalid arguments for ${source.name}: ${problem}` };
    },
  };
}
