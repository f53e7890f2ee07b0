import { promises as fs } from 'node:fs';
import picomatch from 'picomatch';
import { z } from 'zod';
import { errorText, defineTool } from './define';
import { walkFiles } from './walk';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

const schema = z.object({
  pattern: z.string().min(1).describe('Glob, e.g. "**/*.ts" or "src/**/test_*.py". A pattern without "/" matches file names at any depth.'),
  path: z.string().optional().describe('Folder to search in, relative to the workspace root. Default: the root.'),
  includeIgnored: z.boolean().optional().describe('Also list gitignored files, .git and node_modules. Default false.'),
  maxResults: z.number().int().min(1).max(5000).optional().describe('Default 500.'),
});
export type FindFilesArgs = z.infer<typeof schema>;

/** `find_files`: glob search over the workspace that respects .gitignore. */
export function createFindFilesTool(options: { defaultMaxResults?: number } = {}): ToolDefinition<FindFilesArgs> {
  const defaultMax = options.defaultMaxResults ?? 500;
  return defineTool({
    name: 'find_files',
    description: 'Find files by glob pattern (picomatch syntax). Respects .gitignore and skips .git and node_modules unless includeIgnored is set. Paths are relative to the searched folder.',
    schema,
    kind: 'read',
    readOnly: true,
    async describe(args, ctx) {
      const resolved = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots).catch(() => undefined);
      return { summary: `find ${args.pattern} in ${args.path ?? '.'}`, target: resolved?.relative ?? args.path ?? '.', paths: resolved ? [resolved.absolute] : undefined };
    },
    async execute(args, ctx) {
      try {
        const base = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots);
        if (!(await fs.stat(base.absolute)).isDirectory()) return { content: `${args.path} is not a directory.`, isError: true };
        const isMatch = picomatch(args.pattern, { dot: true, basename: !args.pattern.includes('/') });
        const walk = await walkFiles(base.absolute, { includeIgnored: args.includeIgnored, signal: ctx.signal }, base.root);
        const max = args.maxResults ?? defaultMax;
        const hits = walk.files.filter((f) => isMatch(f));
        if (hits.length === 0) return { content: `No files match ${args.pattern} in ${base.relative || '.'}${walk.truncated ? ' (the folder is very large; the walk stopped early — narrow the path)' : ''}.` };
        const shown = hits.slice(0, max);
        const notes: string[] = [];
        if (hits.length > max) notes.push(`… ${(hits.length - max).toLocaleString('en-US')} more files omitted (${hits.length} matched); narrow the pattern or path.`);
        if (walk.truncated) notes.push('(the folder is very large; the walk stopped early — results may be incomplete)');
        return { content: [...shown, ...notes].join('\n') };
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        return { content: `Could not search ${args.path ?? '.'}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
