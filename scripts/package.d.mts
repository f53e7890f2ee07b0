// Types for scripts/package.mjs, for the TypeScript tests.
export interface ZipEntry { name: string; size: number }
export function zipEntries(file: string): ZipEntry[];
export function packageVsix(o?: { root?: string; build?: boolean; quiet?: boolean }): { vsix: string; size: number; files: ZipEntry[]; bundles: Record<string, number> };
