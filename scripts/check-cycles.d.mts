// Types for scripts/check-cycles.mjs, for the TypeScript tests.
export const SOURCE_GLOBS: string[];
export function findCycles(o?: { cwd?: string; globs?: string[] }): Promise<string[][]>;
