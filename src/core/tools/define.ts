import { z } from 'zod';
import type { JsonSchema } from '../providers/types';
import type { ValidationResult } from './types';

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
